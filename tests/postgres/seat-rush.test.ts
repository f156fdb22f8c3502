import { beforeAll, describe, expect, it } from "vitest";
import { knob } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { SEATS, acknowledge, seatRequest, type Acknowledged } from "../helpers/seat-rush.js";
import { runTix } from "../helpers/postgres-run-tix.js";

/**
 * The seat rush of tests/concurrency/seat-rush.test.ts on PostgreSQL: P tix processes, each its
 * own connection (as several hosts would be), on one row of 20 seats — overlapping named pairs and
 * best available mixed, some orders bought or released. Each process keeps its own seat index,
 * which must follow the others' changes (the stored version).
 */
const skipReason = postgresUnavailableReason();
const P = knob("TIX_STRESS_PROCESSES", 6, 16);
const M = knob("TIX_STRESS_ATTEMPTS", 4, 20);

describe.skipIf(skipReason !== undefined)(`PostgreSQL seats under ${P} processes${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let url: string;

  beforeAll(async () => {
    url = await server.createDatabase();
  });

  const tix = (args: readonly string[], user = "alice") => runTix(["--store", url, "--json", "--user", user, ...args]);

  it(`${P} × ${M} attempts on one row of ${SEATS} seats: never double-booked, every acknowledged seat stored`, async () => {
    const made = await tix(["event", "create", "--id", "evt_row", "--name", "Row", "--seats", `Hall:A:1-${SEATS}`, "--limit-per-user", "40", "--hold", "1d"]);
    expect(made.code, made.stderr).toBe(0);
    const acknowledged: Acknowledged = new Map();
    const refusals: string[] = [];
    await Promise.all(Array.from({ length: P }, async (_, lane) => {
      for (let index = 0; index < M; index++) {
        const run = await tix(["reserve", "evt_row", "--key", `k${index}`, ...seatRequest(lane, index)], `fan${lane}`);
        if (run.code !== 0) {
          expect(run.code, run.stderr || run.stdout).toBe(4);
          refusals.push(run.json.error!.code);
          continue;
        }
        const { tickets, orderId } = run.json as unknown as { tickets: Array<{ id: string; seat: string }>; orderId: string };
        acknowledge(acknowledged, tickets, "reserved");
        if (index % 3 === 1) {
          const bought = await tix(["purchase", orderId], `fan${lane}`);
          expect(bought.code, bought.stderr).toBe(0);
          acknowledge(acknowledged, (bought.json as unknown as { tickets: Array<{ id: string; seat: string }> }).tickets, "purchased");
        } else if (index % 3 === 2) {
          const released = await tix(["cancel", orderId], `fan${lane}`);
          expect(released.code, released.stderr).toBe(0);
          acknowledge(acknowledged, (released.json as unknown as { tickets: Array<{ id: string; seat: string }> }).tickets, "cancelled");
        }
      }
    }));

    expect(refusals.length, "the row was contended").toBeGreaterThan(0);
    for (const code of refusals) expect(["SEAT_TAKEN", "SOLD_OUT"]).toContain(code);
    const tickets = await server.query<{ id: string; seat: string; status: string }>(
      "SELECT id, seat, status FROM tix.tickets WHERE event_id = 'evt_row'", [], new URL(url).pathname.slice(1));
    const live = tickets.filter((ticket) => ticket.status === "reserved" || ticket.status === "purchased");
    expect(new Set(live.map((ticket) => ticket.seat)).size, "a seat on two live tickets").toBe(live.length);
    expect(live.length).toBeLessThanOrEqual(SEATS);
    for (const [seat, { ticketId, status }] of acknowledged) {
      expect(tickets.find((ticket) => ticket.id === ticketId), `acknowledged ${seat}`).toMatchObject({ seat, status });
    }
    const shown = (await tix(["seats", "evt_row"])).json as unknown as { seats: { sections: Array<{ rows: Array<{ seats: Array<{ seat: string; state: string }> }> }> } };
    const states = Object.fromEntries(shown.seats.sections[0]!.rows[0]!.seats.map((seat) => [seat.seat, seat.state]));
    const expected = Object.fromEntries(Array.from({ length: SEATS }, (_, index) => {
      const holder = live.find((ticket) => ticket.seat === `Hall:A${index + 1}`);
      return [`Hall:A${index + 1}`, holder ? (holder.status === "reserved" ? "held" : "sold") : "free"];
    }));
    expect(states, "the stored seat states vs the live tickets").toEqual(expected);
  }, 240_000);
});
