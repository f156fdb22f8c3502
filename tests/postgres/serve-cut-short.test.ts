import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * `tix serve` stopped by two signals while a reserve waits for an event's lock (held by another
 * client, under a busy timeout longer than the grace time): the second signal cuts the request
 * short, and the process ends then. It closed the store after the waiting reserve, which held it
 * until the lock was let go or the busy timeout ran out (30 s here; up to an hour may be set) —
 * and then committed a reservation nobody was answered for. Now its connection ends with the
 * process, and the server rolls the reserve back.
 */
const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`PostgreSQL: tix serve stopped while a reserve waits for a lock${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("a second SIGTERM ends the process at once; the waiting reserve is rolled back, not committed later", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    expect((await runTix(["--store", url, "event", "create", "--id", "evt_l", "--name", "L", "--capacity", "5"])).code).toBe(0);
    const home = tempDir("tix-pg-cut-short-");
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      const serve = serveProcess(home.path, ["--store", url], { serveArgs: ["--anonymous-user", "web"], env: { TIX_BUSY_TIMEOUT_MS: "30000" } });
      const base = await serve.listening;
      await holder.query("BEGIN");
      await holder.query("SELECT id FROM tix.events WHERE id = 'evt_l' FOR UPDATE");
      const reserving = fetch(`${base}/tickets/evt_l/reserve`, { method: "POST", headers: { "Idempotency-Key": "cut-1" } }).then(
        (response) => response.status,
        () => "no answer",
      );
      await expect.poll(async () => (await server.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tix' AND wait_event_type = 'Lock'", [database]))[0]!.n,
      { timeout: 10_000 }).toBe(1);

      const exited = serve.stop("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 300));
      const secondAt = Date.now();
      serve.stop("SIGTERM");
      const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve("still running"), 5_000))]);
      expect(code, "ended at the second signal").toBe(0);
      expect(Date.now() - secondAt).toBeLessThan(3_000);
      expect(await reserving).toBe("no answer");
      expect(serve.stderr()).toMatch(/aborted: the server was stopping and cut it short\nstopped\n$/);

      await holder.query("COMMIT");
      // The reserve's transaction ended with its connection: nothing of it is in the store.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await server.query("SELECT key FROM tix.idempotency_keys", [], database)).toEqual([]);
      expect(await server.query("SELECT id FROM tix.tickets", [], database)).toEqual([]);
    } finally {
      await holder.end();
      home.remove();
    }
  }, 40_000);
});
