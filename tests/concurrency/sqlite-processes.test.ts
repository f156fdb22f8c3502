import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { knob, runTix, runTixAsync, type TixRun } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Real processes racing on one SQLite file, through bin/tix as users would run it. Sizes:
 * TIX_STRESS_PROCESSES (P, processes at once) × TIX_STRESS_ATTEMPTS (M, attempts each).
 */
const P = knob("TIX_STRESS_PROCESSES", 6, 16);
const M = knob("TIX_STRESS_ATTEMPTS", 4, 25);
const CAPACITY = Math.max(1, Math.floor((P * M) / 2) - 1);
const ROUNDS = knob("TIX_STRESS_ROUNDS", 2, 10);
/**
 * Every process sees the same instant: nothing expires while the test runs, however slow the
 * machine. A generous busy timeout: this test is about correctness, not about how fast a loaded
 * machine hands the lock round (exit 8 past the timeout is tested in tests/store-faults).
 */
const NOW = { TIX_NOW: "2030-01-01T12:00:00Z", TIX_BUSY_TIMEOUT_MS: "60000" };
const TIMEOUT = 120_000 + P * M * 2_000;

let home: { path: string; remove: () => void };
beforeEach(() => {
  home = tempDir("tix-concurrency-");
});
afterEach(() => home.remove());

const tix = (args: string[], env: Record<string, string> = {}) => runTix(args, home.path, { env: { ...NOW, ...env } });
const tixAsync = (args: string[], env: Record<string, string> = {}) => runTixAsync(args, home.path, { env: { ...NOW, ...env } });

/** The rows as SQLite has them, read beside tix (not through it). */
function storedRows(eventId: string) {
  const db = new Database(join(home.path, "tix.db"), { readonly: true });
  try {
    const event = db.prepare("SELECT sum(capacity) AS capacity, sum(held) AS held, sum(sold) AS sold FROM tiers WHERE event_id = ? HAVING count(*) > 0").get(eventId) as { capacity: number; held: number; sold: number };
    const tickets = db.prepare("SELECT id, user_id AS userId, status FROM tickets WHERE event_id = ?").all(eventId) as Array<{ id: string; userId: string; status: string }>;
    const keys = db.prepare("SELECT user_id AS userId, key, ticket_id AS ticketId FROM idempotency_keys").all() as Array<{ userId: string; key: string; ticketId: string }>;
    return { event, tickets, keys };
  } finally {
    db.close();
  }
}

/** Runs `lanes` sequences of processes at once; each lane runs its attempts one after another. */
async function inLanes<T>(lanes: number, attempts: number, attempt: (lane: number, index: number) => Promise<T>): Promise<T[]> {
  const results = await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    const mine: T[] = [];
    for (let index = 0; index < attempts; index++) mine.push(await attempt(lane, index));
    return mine;
  }));
  return results.flat();
}

function expectCounts(eventId: string): ReturnType<typeof storedRows> {
  const rows = storedRows(eventId);
  const count = (status: string) => rows.tickets.filter((ticket) => ticket.status === status).length;
  expect(rows.event.held + rows.event.sold, "held + sold ≤ capacity").toBeLessThanOrEqual(rows.event.capacity);
  expect({ held: rows.event.held, sold: rows.event.sold }, "the counts equal the stored tickets").toEqual({ held: count("reserved"), sold: count("purchased") });
  const shown = tix(["--json", "event", "show", eventId]).json().event;
  expect(shown).toMatchObject({ held: rows.event.held, sold: rows.event.sold, available: rows.event.capacity - rows.event.held - rows.event.sold });
  return rows;
}

describe(`SQLite under ${P} processes at once`, () => {
  it(`${P} × ${M} reservations for ${CAPACITY} places: exactly ${CAPACITY} succeed, the rest are SOLD_OUT`, async () => {
    expect(tix(["event", "create", "--id", "evt_rush", "--name", "Rush", "--capacity", String(CAPACITY), "--hold", "1d"]).code).toBe(0);
    const runs = await inLanes(P, M, (lane, index) =>
      tixAsync(["--json", "reserve", "evt_rush", "--key", "rush"], { TIX_USER: `fan${lane}x${index}` }));

    for (const run of runs) expect([0, 4], run.stderr || run.stdout).toContain(run.code);
    const won = runs.filter((run) => run.code === 0).map((run) => run.json().ticket);
    expect(won).toHaveLength(CAPACITY);
    for (const run of runs.filter((run) => run.code === 4)) expect(run.json().error.code).toBe("SOLD_OUT");
    expect(new Set(won.map((ticket) => ticket.id)).size, "no duplicate ticket ids").toBe(CAPACITY);
    expect(new Set(won.map((ticket) => ticket.userId)).size).toBe(CAPACITY);

    const rows = expectCounts("evt_rush");
    expect(rows.event).toEqual({ capacity: CAPACITY, held: CAPACITY, sold: 0 });
    expect(rows.tickets.map((ticket) => ticket.id).sort()).toEqual(won.map((ticket) => ticket.id).sort());
    expect(rows.keys).toHaveLength(CAPACITY);
    const listed = tix(["--json", "ticket", "list", "--all-users", "--event", "evt_rush"]).json().tickets;
    expect(listed.map((ticket: { id: string }) => ticket.id).sort()).toEqual(won.map((ticket) => ticket.id).sort());
  }, TIMEOUT);

  it(`one (user, key) sent by ${P} processes at once: one ticket, every process answered with it`, async () => {
    expect(tix(["event", "create", "--id", "evt_once", "--name", "Once", "--capacity", String(P * ROUNDS), "--hold", "1d"]).code).toBe(0);
    for (let round = 0; round < ROUNDS; round++) {
      const user = `impatient${round}`;
      const runs = await Promise.all(Array.from({ length: P }, () =>
        tixAsync(["--json", "reserve", "evt_once", "--key", `order-${round}`], { TIX_USER: user })));
      for (const run of runs) expect(run.code, run.stderr || run.stdout).toBe(0);
      const answers = runs.map((run) => run.json());
      expect(new Set(answers.map((answer) => answer.ticket.id)).size, "every process got the same ticket").toBe(1);
      expect(answers.filter((answer) => answer.replayed === false), "exactly one process made it").toHaveLength(1);
      expect(answers.every((answer) => answer.key === `order-${round}` && answer.ticket.userId === user)).toBe(true);
      const mine = tix(["--json", "ticket", "list"], { TIX_USER: user }).json().tickets;
      expect(mine.map((ticket: { id: string }) => ticket.id)).toEqual([answers[0]!.ticket.id]);
    }
    const rows = expectCounts("evt_once");
    expect(rows.event.held).toBe(ROUNDS);
    expect(rows.tickets).toHaveLength(ROUNDS);
  }, TIMEOUT);

  it(`reserve, purchase and cancel from ${P} processes at once keep the counts equal to the stored tickets`, async () => {
    const capacity = Math.max(2, Math.floor(P / 2));
    expect(tix(["event", "create", "--id", "evt_mix", "--name", "Mix", "--capacity", String(capacity), "--hold", "1d"]).code).toBe(0);
    // What each acknowledged success says the ticket must now be (later successes override earlier ones).
    const acknowledged = new Map<string, string>();
    const runs: TixRun[] = [];
    const lanes = Math.max(2, Math.ceil(P / 2));
    await inLanes(lanes, M, async (lane, index) => {
      const user = { TIX_USER: `lane${lane}` };
      const reserved = await tixAsync(["--json", "reserve", "evt_mix", "--key", `k${index}`], user);
      runs.push(reserved);
      if (reserved.code !== 0) return;
      const ticket = reserved.json().ticket;
      acknowledged.set(ticket.id, "reserved");
      // Alternate: buy it, buy then cancel it, release it, or keep holding it.
      const plan = (lane + index) % 4;
      if (plan === 3) return;
      if (plan !== 2) {
        const purchase = await tixAsync(["--json", "purchase", ticket.id], user);
        runs.push(purchase);
        if (purchase.code === 0) acknowledged.set(ticket.id, "purchased");
      }
      if (plan !== 0) {
        const cancel = await tixAsync(["--json", "cancel", ticket.id], user);
        runs.push(cancel);
        if (cancel.code === 0) acknowledged.set(ticket.id, "cancelled");
      }
    });
    for (const run of runs) expect([0, 4], run.stderr || run.stdout).toContain(run.code);
    for (const run of runs.filter((run) => run.code === 4)) {
      expect(["SOLD_OUT", "DUPLICATE_RESERVATION"]).toContain(run.json().error.code);
    }
    const rows = expectCounts("evt_mix");
    for (const [id, status] of acknowledged) {
      expect(rows.tickets.find((ticket) => ticket.id === id)?.status, `ticket ${id}`).toBe(status);
    }
    expect(rows.tickets).toHaveLength(acknowledged.size);
  }, TIMEOUT);

  it(`${P} × ${M} purchases racing for a voucher of ${Math.floor((P * M) / 2)} uses: exactly that many are discounted, the rest are VOUCHER_USED_UP`, async () => {
    const buyers = P * M;
    const maxUses = Math.floor(buyers / 2);
    expect(tix(["event", "create", "--id", "evt_voucher", "--name", "Voucher rush", "--capacity", String(buyers), "--price", "40.00", "--hold", "1d"]).code).toBe(0);
    expect(tix(["voucher", "create", "--event", "evt_voucher", "--code", "RUSH", "--percent", "25", "--max-uses", String(maxUses)]).code).toBe(0);
    // Every buyer holds a ticket first (one batch), so the race is about the voucher alone.
    const lines = Array.from({ length: buyers }, (_, index) => `--user buyer${index} reserve evt_voucher --key hold`).join("\n");
    const held = runTix(["--json"], home.path, { env: NOW, input: `${lines}\n` });
    expect(held.code, held.stderr).toBe(0);
    const holds = held.stdout.trim().split("\n").map((line) => JSON.parse(line).ticket as { id: string; userId: string });
    expect(holds).toHaveLength(buyers);

    const runs = await inLanes(P, M, (lane, index) => {
      const { id, userId } = holds[lane * M + index]!;
      return tixAsync(["--json", "purchase", id, "--voucher", "rush"], { TIX_USER: userId });
    });
    for (const run of runs) expect([0, 4], run.stderr || run.stdout).toContain(run.code);
    const paid = runs.filter((run) => run.code === 0).map((run) => run.json().ticket);
    expect(paid).toHaveLength(maxUses);
    for (const ticket of paid) expect(ticket).toMatchObject({ price: "30.00", discount: "10.00", voucher: "RUSH" });
    for (const run of runs.filter((run) => run.code === 4)) expect(run.json().error.code).toBe("VOUCHER_USED_UP");

    const db = new Database(join(home.path, "tix.db"), { readonly: true });
    try {
      expect(db.prepare("SELECT uses, max_uses AS maxUses FROM vouchers WHERE event_id = 'evt_voucher'").get()).toEqual({ uses: maxUses, maxUses });
      expect(db.prepare("SELECT count(*) AS n FROM tickets WHERE event_id = 'evt_voucher' AND voucher = 'RUSH' AND status = 'purchased'").get()).toEqual({ n: maxUses });
    } finally {
      db.close();
    }
    expect(tix(["--json", "voucher", "list", "--event", "evt_voucher"]).json().vouchers).toMatchObject([{ code: "RUSH", uses: maxUses, maxUses }]);
    expectCounts("evt_voucher");
  }, TIMEOUT);
});
