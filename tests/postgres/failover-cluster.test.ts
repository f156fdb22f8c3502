import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterUnavailableReason, startCluster, type ClusterNode, type PostgresCluster } from "../helpers/postgres-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { httpLane, startServe, storedTickets } from "./failover-rush.js";
import { runTix, type TixRun } from "../helpers/postgres-run-tix.js";

/**
 * A primary and a synchronous standby (PostgreSQL 15, real processes), and what tix does at each
 * step an operator meets: a commit that waits for a standby that is gone (tix's own deadline,
 * never success), a waiting commit cancelled by someone (PostgreSQL's "might not have been
 * replicated" warning: in doubt, never success), no primary at all for a while (STORE_UNAVAILABLE
 * at the busy timeout, then carrying on once one is promoted), an old primary restarted as it was
 * (it takes tix's writes, first in the URL: why the runbook says pg_rewind first), a planned switchover (the old primary made
 * read-only, the standby promoted: tix follows, though the URL still lists the old one first).
 * The cases share one cluster and run in order.
 */
const skipReason = clusterUnavailableReason();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason !== undefined)(`PostgreSQL primary + synchronous standby${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let cluster: PostgresCluster;

  const tix = (args: readonly string[], busyMs = 10_000): Promise<TixRun> =>
    runTix(["--store", cluster.url, "--json", ...args], { env: { TIX_BUSY_TIMEOUT_MS: String(busyMs) } });
  const ticketsOf = (node: ClusterNode, userId: string) => storedTickets(cluster, node, userId);

  beforeAll(async () => {
    cluster = await startCluster();
    const made = await tix(["event", "create", "--id", "evt_ha", "--name", "HA", "--capacity", "100", "--hold", "1d"]);
    expect(made.code, made.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  it("a commit waiting for a synchronous standby that is gone: in doubt at tix's deadline, never success; once the standby is back, the retry with its key is replayed", async () => {
    await cluster.crash(cluster.standby);
    const started = Date.now();
    const waited = await tix(["--user", "sync1", "reserve", "evt_ha", "--key", "ks1"], 1_000);
    const elapsed = Date.now() - started;
    expect(waited.code, waited.stdout + waited.stderr).toBe(8);
    expect(waited.json.error?.message).toMatch(/may or may not have committed .*did not answer within 5000 ms.*retry with the same key/);
    expect(elapsed, "answered at tix's commit deadline (5 s at least), not held for ever").toBeLessThan(5_000 + 20_000);
    expect(await ticketsOf(cluster.primary, "sync1"), "a commit waiting for the standby is not visible yet").toEqual([]);

    await cluster.start(cluster.standby);
    await cluster.waitForSync();
    const retried = await tix(["--user", "sync1", "reserve", "evt_ha", "--key", "ks1"]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.json).toMatchObject({ status: "success", replayed: true });
    const stored = await ticketsOf(cluster.primary, "sync1");
    expect(stored, "one ticket for the key: the commit that waited, not a second").toEqual([{ id: (retried.json.ticket as { id: string }).id, key: "ks1" }]);
  }, 120_000);

  it("a waiting commit cancelled by someone else ('committed locally, but might not have been replicated') is answered STORE_UNAVAILABLE, never success", async () => {
    await cluster.crash(cluster.standby);
    const running = tix(["--user", "cancel1", "reserve", "evt_ha", "--key", "kc1"], 60_000);
    const pid = await cluster.backendWaitingFor("SyncRep");
    await cluster.query(cluster.primary, "SELECT pg_cancel_backend($1)", [pid]);
    const answer = await running;
    expect(answer.code, answer.stdout + answer.stderr).toBe(8);
    expect(answer.json.error?.message).toMatch(/may or may not have committed .*might not have replicated it/);
    const local = await ticketsOf(cluster.primary, "cancel1");
    expect(local, "PostgreSQL kept it locally: had tix said success, a promotion now would lose it").toHaveLength(1);

    await cluster.start(cluster.standby);
    await cluster.waitForSync();
    const retried = await tix(["--user", "cancel1", "reserve", "evt_ha", "--key", "kc1"]);
    expect(retried.json).toMatchObject({ status: "success", replayed: true, ticket: { id: local[0]!.id } });
  }, 120_000);

  it("tix serve: a commit whose connection is ended while it waits for the standby is answered 503 in doubt, and the process goes on serving on a new connection", async () => {
    const home = tempDir("tix-terminated-");
    const serve = await startServe(cluster.url, home.path, { TIX_BUSY_TIMEOUT_MS: "30000" });
    try {
      const lane = httpLane("serve", serve, home.path, 1);
      expect(await lane.reserve("evt_ha", "term0", "kt0")).toMatchObject({ kind: "ticket" });
      await cluster.crash(cluster.standby);
      const waiting = lane.reserve("evt_ha", "term1", "kt1");
      const pid = await cluster.backendWaitingFor("SyncRep");
      await cluster.query(cluster.primary, "SELECT pg_terminate_backend($1)", [pid]);
      expect(await waiting).toMatchObject({ kind: "retry", inDoubt: true });

      await cluster.start(cluster.standby);
      await cluster.waitForSync();
      // The lost connection must not be handed out again (the client would write on its closed socket and crash the process).
      expect(await lane.reserve("evt_ha", "term2", "kt2")).toMatchObject({ kind: "ticket", replayed: false });
      const retried = await lane.reserve("evt_ha", "term1", "kt1");
      expect(retried, "committed locally before the wait: the retry is replayed").toMatchObject({ kind: "ticket", replayed: true });
      expect(await ticketsOf(cluster.primary, "term1")).toHaveLength(1);
      expect(serve.running()).toBe(true);
    } finally {
      await serve.stop();
      home.remove();
    }
  }, 120_000);

  it("no primary: STORE_UNAVAILABLE at the busy timeout naming each host; after the promotion, the same command (and a read) carries on — and an old primary restarted as it was draws tix's writes away from the new one until pg_rewind makes it a standby", async () => {
    const oldPrimary = cluster.primary;
    await cluster.crash(oldPrimary);
    const started = Date.now();
    const nothing = await tix(["--user", "none1", "reserve", "evt_ha", "--key", "kn1"], 1_500);
    expect(nothing.code, nothing.stdout + nothing.stderr).toBe(8);
    expect(nothing.json.error?.message).toMatch(/has no primary that takes writes: .*refused.*is a standby.*\(waited 1500 ms\)/);
    expect(Date.now() - started, "bounded by the busy timeout (and process start)").toBeLessThan(1_500 + 15_000);

    const waiting = tix(["--user", "none1", "reserve", "evt_ha", "--key", "kn1"], 30_000);
    const reading = tix(["event", "show", "evt_ha"], 30_000);
    await sleep(500);
    await cluster.promote();
    const carried = await waiting;
    expect(carried.code, carried.stdout + carried.stderr).toBe(0);
    expect(carried.json).toMatchObject({ status: "success", replayed: false });
    const read = await reading;
    expect(read.code, `a read waits for the primary too: ${read.stdout}${read.stderr}`).toBe(0);
    expect(read.json).toMatchObject({ event: { id: "evt_ha" } });
    expect(await ticketsOf(cluster.primary, "none1")).toHaveLength(1);

    // The old primary, restarted as it was, is a primary too, and the first host of the URL: tix
    // writes there. It still waits for its synchronous standby, which now follows no one — so no
    // write is acknowledged (each is in doubt at tix's deadline) while the new primary, which has
    // them all, goes unused. With asynchronous replication it would acknowledge them: split brain.
    await cluster.start(oldPrimary);
    const [state] = await cluster.query<{ recovering: boolean }>(oldPrimary, "SELECT pg_is_in_recovery() AS recovering");
    expect(state!.recovering, "an old primary restarted as it was comes back writable").toBe(false);
    if (oldPrimary === cluster.nodes[0]) {
      const split = await tix(["--user", "split1", "reserve", "evt_ha", "--key", "kx1"], 1_000);
      expect(split.code, split.stdout + split.stderr).toBe(8);
      expect(split.json.error?.message, "sent to the old primary, where it waits for a standby").toMatch(/may or may not have committed/);
      expect(await ticketsOf(cluster.primary, "split1"), "…not to the new one").toEqual([]);
    }

    // The runbook: stop it, pg_rewind it onto the new primary, start it as its synchronous standby.
    await cluster.stopNode(oldPrimary);
    await cluster.rejoinAsStandby(oldPrimary);
    expect(await ticketsOf(oldPrimary, "split1"), "pg_rewind threw away what only the old primary wrote").toEqual([]);
    const after = await tix(["--user", "after1", "reserve", "evt_ha", "--key", "ka1"]);
    expect(after.code, `tix finds the primary though the URL lists the standby first: ${after.stdout}${after.stderr}`).toBe(0);
    expect(await ticketsOf(cluster.primary, "after1")).toHaveLength(1);
    await cluster.waitForSync();
    expect(await ticketsOf(oldPrimary, "after1"), "and the rejoined standby has it").toHaveLength(1);
  }, 180_000);

  it("a planned switchover: the primary made read-only, the standby promoted — tix serve carries on at the new primary within the busy timeout", async () => {
    const home = tempDir("tix-switchover-");
    const serve = await startServe(cluster.url, home.path, { TIX_BUSY_TIMEOUT_MS: "20000" });
    try {
      const lane = httpLane("serve", serve, home.path, 1);
      expect(await lane.reserve("evt_ha", "sw1", "ksw1")).toMatchObject({ kind: "ticket" });
      const oldPrimary = cluster.primary;
      await cluster.query(oldPrimary, "ALTER SYSTEM SET default_transaction_read_only = on");
      await cluster.query(oldPrimary, "SELECT pg_reload_conf()");
      const during = lane.reserve("evt_ha", "sw2", "ksw2");
      await sleep(1_000);
      await cluster.promote();
      const answer = await during;
      expect(answer, "answered by the new primary, once promoted").toMatchObject({ kind: "ticket", replayed: false });
      expect(await ticketsOf(cluster.primary, "sw2")).toHaveLength(1);
      expect(await lane.reserve("evt_ha", "sw3", "ksw3")).toMatchObject({ kind: "ticket" });
      expect(serve.running()).toBe(true);
    } finally {
      await serve.stop();
      home.remove();
    }
  }, 120_000);
});
