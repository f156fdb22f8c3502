import { beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { httpLane, startServe } from "./failover-rush.js";
import { runTix } from "../helpers/postgres-run-tix.js";

/**
 * A commit whose outcome tix cannot know, on one server (no failover: the plain URL): the server
 * is made to wait for a synchronous standby that does not exist, so every commit waits. A commit
 * whose connection is ended while it waits is answered in doubt (503), and the process goes on
 * serving — the lost connection is never handed out again (the client library would write on its
 * closed socket, which throws in a timer and ends the process) — and the retry with the key is
 * replayed, since PostgreSQL had committed it locally.
 */
const skipReason = postgresUnavailableReason();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason !== undefined)(`PostgreSQL commits in doubt on one server${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let url: string;
  let database: string;
  const waitForAStandby = async (name: string) => {
    await server.query(`ALTER SYSTEM SET synchronous_standby_names = '${name}'`);
    await server.query("SELECT pg_reload_conf()");
  };

  beforeAll(async () => {
    url = await server.createDatabase();
    database = new URL(url).pathname.slice(1);
    // The test server runs with synchronous_commit=off on its command line; a database setting outranks it.
    await server.query(`ALTER DATABASE "${database}" SET synchronous_commit = on`);
    const made = await runTix(["--store", url, "event", "create", "--id", "evt_doubt", "--name", "Doubt", "--capacity", "10", "--hold", "1d"]);
    expect(made.code, made.stderr).toBe(0);
  }, 120_000);

  it("tix serve: a commit ended while it waits is 503 in doubt; the process serves on, and the retry with its key is replayed", async () => {
    const home = tempDir("tix-doubt-");
    const serve = await startServe(url, home.path, { TIX_BUSY_TIMEOUT_MS: "30000" });
    try {
      const lane = httpLane("serve", serve, home.path, 1);
      expect(await lane.reserve("evt_doubt", "d0", "kd0")).toMatchObject({ kind: "ticket" });
      await waitForAStandby("nobody");
      const waiting = lane.reserve("evt_doubt", "d1", "kd1");
      let pid: number | undefined;
      for (const deadline = Date.now() + 30_000; pid === undefined; await sleep(50)) {
        [{ pid } = { pid: undefined }] = await server.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tix' AND wait_event = 'SyncRep'", [database]);
        if (Date.now() > deadline) throw new Error("no tix commit waited for the standby within 30 s");
      }
      await server.query("SELECT pg_terminate_backend($1)", [pid]);
      expect(await waiting).toMatchObject({ kind: "retry", inDoubt: true });

      await waitForAStandby("");
      expect(await lane.reserve("evt_doubt", "d2", "kd2"), "served on a new connection").toMatchObject({ kind: "ticket", replayed: false });
      expect(await lane.reserve("evt_doubt", "d1", "kd1"), "it had committed locally: replayed").toMatchObject({ kind: "ticket", replayed: true });
      expect(serve.running(), "the process is still up").toBe(true);
    } finally {
      await waitForAStandby("");
      await serve.stop();
      home.remove();
    }
  }, 120_000);
});
