import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issueToken, loadSecret } from "../../src/auth/tokens.js";
import { TIX_BIN, knob, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * An on-sale through `tix serve` with group commit (its default): many HTTP clients rush one
 * event, the server is killed with SIGKILL in the middle, restarted, and the clients retry what
 * was never answered with the same keys. Every ticket the server acknowledged is in the file, and
 * in the end held = capacity exactly, one ticket per key. Sizes: TIX_STRESS_PROCESSES × 8 clients.
 */
const CLIENTS = knob("TIX_STRESS_PROCESSES", 6, 16) * 8;
const CAPACITY = 40;
// Three buyers a client: when the kill lands, clients still have buyers waiting, so some requests
// are always cut off (with fewer buyers than clients, a fast server could answer them all first).
const BUYERS = CLIENTS * 3;

let home: { path: string; remove: () => void };
const servers = new Set<ChildProcess>();
beforeEach(() => {
  home = tempDir("tix-serve-rush-");
});
afterEach(() => {
  for (const server of servers) server.kill("SIGKILL");
  servers.clear();
  home.remove();
});

function startServer(dbPath: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [TIX_BIN, "--store", `sqlite:${dbPath}`, "serve", "--port", "0"], {
    env: testEnv(home.path, { TIX_BUSY_TIMEOUT_MS: "30000" }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  servers.add(child);
  child.on("close", () => servers.delete(child));
  let head = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (chunk: Buffer) => {
      head += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(head)?.[1];
      if (url) resolve({ url, child });
    });
    child.on("close", (code) => reject(new Error(`tix serve exited (${code}) before listening: ${head}`)));
  });
}

interface Buyer {
  userId: string;
  key: string;
  token: string;
  /** The ticket the server acknowledged, once it did. */
  ticketId?: string;
  soldOut?: boolean;
}

/** Sends the buyers' reservations, `CLIENTS` at a time; one that gets no answer stays unanswered. */
async function rush(url: string, buyers: Buyer[], onAnswer: () => void): Promise<void> {
  const queue = buyers.filter((buyer) => buyer.ticketId === undefined && !buyer.soldOut);
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    for (let buyer = queue.shift(); buyer; buyer = queue.shift()) {
      try {
        const response = await fetch(`${url}/tickets/evt_rush/reserve`, {
          method: "POST",
          headers: { Authorization: `Bearer ${buyer.token}`, "Idempotency-Key": buyer.key },
        });
        const body = await response.json() as { Ticket?: { Id: string }; Error?: { Code: string } };
        if (response.status === 200) buyer.ticketId = body.Ticket!.Id;
        else if (body.Error?.Code === "SOLD_OUT") buyer.soldOut = true;
        else throw new Error(`reserve answered ${response.status}: ${JSON.stringify(body)}`);
        onAnswer();
      } catch (error) {
        if ((error as Error).message.startsWith("reserve answered")) throw error;
        return; // the server is gone: this buyer retries later, with the same key
      }
    }
  }));
}

function stored(dbPath: string) {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      event: db.prepare("SELECT sum(capacity) AS capacity, sum(held) AS held, sum(sold) AS sold FROM tiers WHERE event_id = 'evt_rush' HAVING count(*) > 0").get() as { capacity: number; held: number; sold: number },
      tickets: new Map((db.prepare("SELECT id, user_id AS userId, status FROM tickets WHERE event_id = 'evt_rush'").all() as Array<{ id: string; userId: string; status: string }>)
        .map((ticket) => [ticket.id, ticket])),
      keys: db.prepare("SELECT user_id AS userId, key, ticket_id AS ticketId FROM idempotency_keys").all() as Array<{ userId: string; key: string; ticketId: string }>,
    };
  } finally {
    db.close();
  }
}

function expectAcknowledgedStored(dbPath: string, buyers: Buyer[]) {
  const rows = stored(dbPath);
  for (const buyer of buyers.filter((one) => one.ticketId !== undefined)) {
    expect(rows.tickets.get(buyer.ticketId!), `acknowledged ticket ${buyer.ticketId}`).toMatchObject({ userId: buyer.userId, status: "reserved" });
    expect(rows.keys).toContainEqual({ userId: buyer.userId, key: buyer.key, ticketId: buyer.ticketId });
  }
  expect(rows.event.held + rows.event.sold).toBeLessThanOrEqual(CAPACITY);
  expect(rows.event.held).toBe([...rows.tickets.values()].filter((ticket) => ticket.status === "reserved").length);
  return rows;
}

describe("an on-sale through tix serve with group commit", () => {
  it(`${CLIENTS} clients, ${BUYERS} buyers, ${CAPACITY} places, SIGKILL mid-rush: every acknowledged ticket kept, held = capacity exactly`, async () => {
    const dbPath = join(home.path, "tix.db");
    const created = runTix(["--store", `sqlite:${dbPath}`, "event", "create", "--id", "evt_rush", "--name", "Rush", "--capacity", String(CAPACITY), "--hold", "1d"], home.path);
    expect(created.code, created.stderr).toBe(0);
    const secret = loadSecret(home.path);
    const buyers: Buyer[] = Array.from({ length: BUYERS }, (_, index) => ({
      userId: `fan${index}`,
      key: `order-${index}`,
      token: issueToken(secret, { userId: `fan${index}`, ttlSeconds: 3_600, now: Date.now() }).token,
    }));

    // First server: killed once a third of the places are acknowledged, with requests in flight.
    const first = await startServer(dbPath);
    let acknowledged = 0;
    await rush(first.url, buyers, () => {
      if (++acknowledged === Math.floor(CAPACITY / 3)) first.child.kill("SIGKILL");
    });
    const beforeKill = buyers.filter((buyer) => buyer.ticketId !== undefined).length;
    expect(beforeKill).toBeGreaterThanOrEqual(Math.floor(CAPACITY / 3));
    expect(buyers.some((buyer) => buyer.ticketId === undefined && !buyer.soldOut), "some requests were cut off by the kill").toBe(true);
    expectAcknowledgedStored(dbPath, buyers);

    // Second server: the buyers never answered retry with their keys until everyone is answered.
    const second = await startServer(dbPath);
    await rush(second.url, buyers, () => undefined);
    second.child.kill("SIGTERM");
    await new Promise((resolve) => second.child.once("close", resolve));

    expect(buyers.every((buyer) => buyer.ticketId !== undefined || buyer.soldOut)).toBe(true);
    const won = buyers.filter((buyer) => buyer.ticketId !== undefined);
    expect(won).toHaveLength(CAPACITY);
    expect(new Set(won.map((buyer) => buyer.ticketId)).size).toBe(CAPACITY);
    const rows = expectAcknowledgedStored(dbPath, buyers);
    expect(rows.event).toEqual({ capacity: CAPACITY, held: CAPACITY, sold: 0 });
    expect(rows.tickets.size).toBe(CAPACITY);
    expect(rows.keys).toHaveLength(CAPACITY);
  }, 120_000);
});
