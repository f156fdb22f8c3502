import { createServer } from "node:net";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix, type TixRun } from "../helpers/postgres-run-tix.js";

/**
 * Many tix processes, each with its own connection, sharing one PostgreSQL database — the way
 * several hosts would. Rushes are made simultaneous on purpose: the test holds the event's row lock
 * until every process is queued behind it, then lets them all go at once.
 */
const skipReason = postgresUnavailableReason();
const P = 6;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe.skipIf(skipReason !== undefined)(`PostgreSQL, many processes${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let url: string;
  let database: string;

  beforeAll(async () => {
    url = await server.createDatabase();
    database = new URL(url).pathname.slice(1);
    const created = await tix(["event", "create", "--id", "evt_setup", "--name", "Setup", "--capacity", "1"]);
    expect(created.code, created.stderr).toBe(0);
  });

  const tix = (args: readonly string[], options: Parameters<typeof runTix>[1] = {}) =>
    runTix(["--store", url, "--json", ...args], options);
  const sql = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => server.query<T>(text, params, database);

  /** Holds the row lock of `eventId` while `start()` launches processes; releases it once `waiting` of them queue on locks. */
  async function rushBehindLock(eventId: string, waiting: number, start: () => Promise<TixRun>[]): Promise<TixRun[]> {
    const barrier = new pg.Client({ connectionString: url });
    await barrier.connect();
    try {
      await barrier.query("BEGIN");
      await barrier.query("SELECT id FROM tix.events WHERE id = $1 FOR UPDATE", [eventId]);
      const runs = start();
      const deadline = Date.now() + 25_000;
      for (;;) {
        const [row] = await sql<{ count: number }>(
          `SELECT count(*)::int AS count FROM pg_stat_activity
           WHERE datname = $1 AND application_name = 'tix' AND wait_event_type = 'Lock'`, [database]);
        if (row!.count >= waiting) break;
        if (Date.now() > deadline) throw new Error(`only ${row!.count} of ${waiting} processes queued on the lock`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await barrier.query("ROLLBACK");
      return await Promise.all(runs);
    } finally {
      await barrier.end();
    }
  }

  it(`${P} processes rushing an event of capacity 3 sell exactly 3; the rest are SOLD_OUT`, async () => {
    const made = await tix(["event", "create", "--id", "evt_rush", "--name", "Rush", "--capacity", "3"]);
    expect(made.code, made.stderr).toBe(0);
    const runs = await rushBehindLock("evt_rush", P, () =>
      Array.from({ length: P }, (_, index) => tix(["--user", `fan${index}`, "reserve", "evt_rush", "--key", "rush"])));

    const won = runs.filter((run) => run.code === 0);
    const lost = runs.filter((run) => run.code !== 0);
    expect(won, runs.map((run) => run.stdout + run.stderr).join("\n")).toHaveLength(3);
    for (const run of won) expect(run.json).toMatchObject({ status: "success", replayed: false, ticket: { status: "reserved" } });
    for (const run of lost) {
      expect(run.code).toBe(4);
      expect(run.json.error?.code).toBe("SOLD_OUT");
    }
    const [stored] = await sql<{ held: number; sold: number; tickets: number }>(
      `SELECT e.held, e.sold, (SELECT count(*)::int FROM tix.tickets t WHERE t.event_id = e.id AND t.status = 'reserved') AS tickets
       FROM tix.events e WHERE e.id = 'evt_rush'`);
    expect(stored).toEqual({ held: 3, sold: 0, tickets: 3 });
    const shown = await tix(["event", "show", "evt_rush"]);
    expect(shown.json).toMatchObject({ event: { capacity: 3, held: 3, sold: 0, available: 0 } });
  });

  it(`one (user, key) sent by ${P} processes at once makes exactly one ticket, returned to all`, async () => {
    const made = await tix(["event", "create", "--id", "evt_keyed", "--name", "Keyed", "--capacity", "10"]);
    expect(made.code, made.stderr).toBe(0);
    const runs = await rushBehindLock("evt_keyed", P, () =>
      Array.from({ length: P }, () => tix(["--user", "alice", "reserve", "evt_keyed", "--key", "order-1001"])));

    for (const run of runs) expect(run.code, run.stdout + run.stderr).toBe(0);
    const ids = new Set(runs.map((run) => (run.json.ticket as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(runs.filter((run) => run.json.replayed === false)).toHaveLength(1);
    const tickets = await sql("SELECT id FROM tix.tickets WHERE event_id = 'evt_keyed'");
    expect(tickets).toEqual([{ id: [...ids][0] }]);
    expect(await sql("SELECT ticket_id FROM tix.idempotency_keys WHERE user_id = 'alice' AND key = 'order-1001'"))
      .toEqual([{ ticket_id: [...ids][0] }]);
  });

  it(`${P} processes redeeming a voucher of 3 uses at once: exactly 3 are discounted, the rest are VOUCHER_USED_UP`, async () => {
    const made = await tix(["event", "create", "--id", "evt_voucher", "--name", "Voucher", "--capacity", "10", "--price", "40.00", "--hold", "1h"]);
    expect(made.code, made.stderr).toBe(0);
    expect((await tix(["voucher", "create", "--event", "evt_voucher", "--code", "RUSH", "--amount", "15.00", "--max-uses", "3"])).code).toBe(0);
    const holds: string[] = [];
    for (let index = 0; index < P; index++) {
      const held = await tix(["--user", `buyer${index}`, "reserve", "evt_voucher", "--key", "hold"]);
      expect(held.code, held.stderr).toBe(0);
      holds.push((held.json.ticket as { id: string }).id);
    }
    const runs = await rushBehindLock("evt_voucher", P, () =>
      holds.map((ticketId, index) => tix(["--user", `buyer${index}`, "purchase", ticketId, "--voucher", "rush"])));

    const won = runs.filter((run) => run.code === 0);
    expect(won, runs.map((run) => run.stdout + run.stderr).join("\n")).toHaveLength(3);
    for (const run of won) expect(run.json).toMatchObject({ ticket: { status: "purchased", price: "25.00", voucher: "RUSH" } });
    for (const run of runs.filter((run) => run.code !== 0)) {
      expect(run.code).toBe(4);
      expect(run.json.error?.code).toBe("VOUCHER_USED_UP");
    }
    expect(await sql("SELECT uses, max_uses FROM tix.vouchers WHERE event_id = 'evt_voucher'")).toEqual([{ uses: 3, max_uses: 3 }]);
    expect(await sql("SELECT count(*)::int AS n FROM tix.tickets WHERE event_id = 'evt_voucher' AND voucher = 'RUSH' AND status = 'purchased'"))
      .toEqual([{ n: 3 }]);
  });

  it("expires holds by the database server's clock, whatever the client's clock says", async () => {
    const made = await tix(["event", "create", "--id", "evt_clock", "--name", "Clock", "--capacity", "2", "--hold", "1m"]);
    expect(made.code, made.stderr).toBe(0);
    const serverNow = async () =>
      Number((await sql<{ now: string }>("SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::int8 AS now"))[0]!.now);

    // A hold made two minutes ago by the server's clock (TIX_NOW imposes a clock on purpose):
    // it expired a minute ago.
    const early = await tix(["--user", "early", "reserve", "evt_clock"], {
      env: { TIX_NOW: new Date((await serverNow()) - 2 * MINUTE).toISOString() },
    });
    expect(early.code, early.stderr).toBe(0);
    const earlyTicket = early.json.ticket as { id: string };

    // A host whose clock is an hour slow still sees it expired: its place is free, purchase fails.
    const slow = { clockSkewMs: -HOUR };
    expect((await tix(["event", "show", "evt_clock"], slow)).json).toMatchObject({ event: { held: 0, available: 2 } });
    const purchase = await tix(["--user", "early", "purchase", earlyTicket.id], slow);
    expect(purchase.code, purchase.stdout).toBe(5);
    expect(purchase.json.error?.code).toBe("HOLD_EXPIRED");

    // A host whose clock is an hour fast reserves at the server's time, and its hold stays live
    // (by its own clock the hold would have ended 59 minutes ago).
    const fast = { clockSkewMs: HOUR };
    const before = await serverNow();
    const late = await tix(["--user", "late", "reserve", "evt_clock"], fast);
    const after = await serverNow();
    expect(late.code, late.stderr).toBe(0);
    const lateTicket = late.json.ticket as { id: string; reservedAt: string; expiresAt: string };
    const reservedAt = Date.parse(lateTicket.reservedAt);
    expect(reservedAt).toBeGreaterThanOrEqual(before);
    expect(reservedAt).toBeLessThanOrEqual(after);
    expect(Date.parse(lateTicket.expiresAt) - reservedAt).toBe(MINUTE);
    expect((await tix(["event", "show", "evt_clock"], fast)).json).toMatchObject({ event: { held: 1, available: 1 } });
    const bought = await tix(["--user", "late", "purchase", lateTicket.id], fast);
    expect(bought.code, bought.stdout).toBe(0);
    expect(await sql("SELECT status FROM tix.tickets WHERE id = $1", [lateTicket.id])).toEqual([{ status: "purchased" }]);
  });

  describe("an unavailable store: exit 8 STORE_UNAVAILABLE, the URL shown without its password", () => {
    const secret = "Sup3r-Secret-pw";

    const expectUnavailable = (run: TixRun, shownUrl: string) => {
      expect(run.code, run.stdout + run.stderr).toBe(8);
      expect(run.json.error?.code).toBe("STORE_UNAVAILABLE");
      expect(run.json.error?.message).toContain(shownUrl);
      expect(run.stdout + run.stderr).not.toContain(secret);
    };

    it("when nothing listens on the port", async () => {
      const port = await unusedPort();
      const run = await runTix(["--store", `postgres://tix:${secret}@127.0.0.1:${port}/tix`, "--json", "event", "list"]);
      expectUnavailable(run, `postgres://tix@127.0.0.1:${port}/tix`);
      expect(run.json.error?.message).toMatch(/refused/);
      // Human output and the debug trace keep the password out too.
      const human = await runTix(["--store", `postgresql://tix:${secret}@127.0.0.1:${port}/tix`, "event", "list"], { env: { TIX_DEBUG: "1" } });
      expect(human.code).toBe(8);
      expect(human.stderr).toContain(`postgresql://tix@127.0.0.1:${port}/tix`);
      expect(human.stdout + human.stderr).not.toContain(secret);
    });

    it("when the password is wrong, or the database does not exist (TIX_STORE)", async () => {
      const wrong = await runTix(["--json", "event", "list"], {
        env: { TIX_STORE: `postgres://tix:${secret}@127.0.0.1:${server.port}/${database}` },
      });
      expectUnavailable(wrong, `postgres://tix@127.0.0.1:${server.port}/${database}`);
      expect(wrong.json.error?.message).toMatch(/password authentication failed/);

      // A short password is hidden where it stands on its own, not cut out of the server's words.
      const short = await runTix(["--store", `postgres://alice:ali@127.0.0.1:${server.port}/${database}?password=ali`, "--json", "event", "list"]);
      expect(short.code).toBe(8);
      expect(short.json.error?.message).toContain(`password authentication failed for user "alice"`);
      expect(short.json.error?.message).not.toMatch(/[:=]ali\b/);

      const noDatabase = await runTix(["--store", server.urlFor("no_such_db"), "--json", "event", "list"]);
      expect(noDatabase.code).toBe(8);
      expect(noDatabase.json.error?.message).toMatch(/no_such_db.*does not exist/);
      expect(noDatabase.stdout).not.toContain(server.password);
    });
  });
});

/** A port nothing listens on (it was free a moment ago). */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 1));
    });
  });
}
