import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issueToken, loadSecret } from "../../src/auth/tokens.js";
import { knob, runTix, runTixAsync } from "../helpers/cli.js";
import { serveProcess, type ServeProcess } from "../helpers/serve-process.js";
import { SEATS, acknowledge, seatRequest, type Acknowledged } from "../helpers/seat-rush.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A rush on one row of 20 seats: P bin/tix processes × M attempts and, at the same time, HTTP
 * clients of a `tix serve` over the same SQLite file — named seats that overlap and `--quantity 2`
 * best available mixed, some orders then bought or released. Afterwards: no seat on two live
 * tickets, at most 20 seats taken, every refusal SEAT_TAKEN or SOLD_OUT (exit 4 / HTTP 409), the
 * stored seat states equal the live tickets, and every acknowledged seat is stored as acknowledged.
 */
const P = knob("TIX_STRESS_PROCESSES", 5, 16);
const M = knob("TIX_STRESS_ATTEMPTS", 4, 20);
const HTTP_CLIENTS = 4;
const NOW = { TIX_NOW: "2030-01-01T12:00:00Z", TIX_BUSY_TIMEOUT_MS: "60000" };

let home: { path: string; remove: () => void };
let server: ServeProcess | undefined;
beforeEach(() => (home = tempDir("tix-seat-rush-")));
afterEach(async () => {
  await server?.stop("SIGKILL");
  server = undefined;
  home.remove();
});

describe(`seats under ${P} processes and a tix serve at once (SQLite)`, () => {
  it(`${P} × ${M} CLI attempts and ${HTTP_CLIENTS} × ${M} HTTP attempts on one row of ${SEATS} seats: never double-booked`, async () => {
    const store = `sqlite:${join(home.path, "tix.db")}`;
    const made = runTix(["--store", store, "event", "create", "--id", "evt_row", "--name", "Row", "--seats", `Hall:A:1-${SEATS}`, "--limit-per-user", "40", "--hold", "1d"], home.path, { env: NOW });
    expect(made.code, made.stderr).toBe(0);
    server = serveProcess(home.path, ["--store", store], { env: NOW });
    const url = await server.listening;
    const secret = loadSecret(home.path);

    const acknowledged: Acknowledged = new Map();
    const refusals: string[] = [];
    const cli = Promise.all(Array.from({ length: P }, async (_, lane) => {
      const env = { ...NOW, TIX_USER: `fan${lane}` };
      for (let index = 0; index < M; index++) {
        const run = await runTixAsync(["--store", store, "--json", "reserve", "evt_row", "--key", `k${index}`, ...seatRequest(lane, index)], home.path, { env });
        if (run.code !== 0) {
          expect(run.code, run.stderr || run.stdout).toBe(4);
          refusals.push(run.json().error.code);
          continue;
        }
        const { tickets, orderId } = run.json();
        acknowledge(acknowledged, tickets, "reserved");
        if (index % 3 === 1) {
          const bought = await runTixAsync(["--store", store, "--json", "purchase", orderId], home.path, { env });
          expect(bought.code, bought.stderr).toBe(0);
          acknowledge(acknowledged, bought.json().tickets, "purchased");
        } else if (index % 3 === 2) {
          const released = await runTixAsync(["--store", store, "--json", "cancel", orderId], home.path, { env });
          expect(released.code, released.stderr).toBe(0);
          acknowledge(acknowledged, released.json().tickets, "cancelled");
        }
      }
    }));
    const http = Promise.all(Array.from({ length: HTTP_CLIENTS }, async (_, client) => {
      const token = issueToken(secret, { userId: `web${client}`, ttlSeconds: 3_600, now: Date.parse(NOW.TIX_NOW) }).token;
      for (let index = 0; index < M; index++) {
        const request = seatRequest(P + client, index);
        const body = request[0] === "--quantity" ? { Quantity: 2 } : { Seats: request[1]!.split(",") };
        const response = await fetch(`${url}/tickets/evt_row/reserve`, {
          method: "POST",
          headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": `web-${index}`, "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        const answer = await response.json() as { Tickets?: Array<{ Id: string; Seat: string }>; Error?: { Code: string } };
        if (response.status !== 200) {
          expect(response.status, JSON.stringify(answer)).toBe(409);
          refusals.push(answer.Error!.Code);
          continue;
        }
        acknowledge(acknowledged, answer.Tickets!.map((ticket) => ({ id: ticket.Id, seat: ticket.Seat })), "reserved");
      }
    }));
    await Promise.all([cli, http]);

    expect(refusals.length, "the row was contended").toBeGreaterThan(0);
    for (const code of refusals) expect(["SEAT_TAKEN", "SOLD_OUT"]).toContain(code);
    const db = new Database(join(home.path, "tix.db"), { readonly: true });
    let tickets: Array<{ id: string; seat: string; status: string }>;
    try {
      tickets = db.prepare("SELECT id, seat, status FROM tickets WHERE event_id = 'evt_row'").all() as typeof tickets;
    } finally {
      db.close();
    }
    const live = tickets.filter((ticket) => ticket.status === "reserved" || ticket.status === "purchased");
    expect(new Set(live.map((ticket) => ticket.seat)).size, "a seat on two live tickets").toBe(live.length);
    expect(live.length).toBeLessThanOrEqual(SEATS);
    for (const [seat, { ticketId, status }] of acknowledged) {
      expect(tickets.find((ticket) => ticket.id === ticketId), `acknowledged ${seat}`).toMatchObject({ seat, status });
    }
    const shown = runTix(["--store", store, "--json", "seats", "evt_row"], home.path, { env: NOW }).json().seats;
    const states = Object.fromEntries(shown.sections[0].rows[0].seats.map((seat: { seat: string; state: string }) => [seat.seat, seat.state]));
    const expected = Object.fromEntries(Array.from({ length: SEATS }, (_, index) => {
      const holder = live.find((ticket) => ticket.seat === `Hall:A${index + 1}`);
      return [`Hall:A${index + 1}`, holder ? (holder.status === "reserved" ? "held" : "sold") : "free"];
    }));
    expect(states, "the stored seat states vs the live tickets").toEqual(expected);
    const event = runTix(["--store", store, "--json", "event", "show", "evt_row"], home.path, { env: NOW }).json().event;
    expect({ held: event.held, sold: event.sold }).toEqual({
      held: live.filter((ticket) => ticket.status === "reserved").length, sold: live.filter((ticket) => ticket.status === "purchased").length,
    });
  }, 240_000);
});
