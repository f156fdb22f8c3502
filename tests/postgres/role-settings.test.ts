import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Settings an operator gives a database or role (`ALTER DATABASE … SET`, `ALTER ROLE … SET`) that
 * tix's correctness does not rest on. Here `default_transaction_isolation = serializable`: tix's
 * writes are made safe by their row locks at READ COMMITTED, and its connections ask for that
 * level; under the database's serializable every reserve that waited for an event's lock failed
 * its commit's check (40001), was retried, and after its attempts answered 503 "too many
 * conflicting transactions" — a quarter of a rush through `tix serve --no-group-commit`. And a
 * role's `CONNECTION LIMIT` (or a server's `max_connections`) below the 10 connections a process
 * keeps: a connection the server refuses for want of a slot (53300) was the operation's failure,
 * 503 "out of resources", while the connections the process had were about to be free.
 */
const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`PostgreSQL: a database set to serializable${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("a rush on one event through tix serve: every reserve succeeds, none is refused as busy", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await server.query(`ALTER DATABASE "${database}" SET default_transaction_isolation = 'serializable'`);
    const made = await runTix(["--store", url, "event", "create", "--id", "evt_s", "--name", "S", "--capacity", "1000", "--limit-per-user", "1000"]);
    expect(made.code, made.stderr).toBe(0);
    const home = tempDir("tix-pg-serializable-");
    try {
      const serve = serveProcess(home.path, ["--store", url], { serveArgs: ["--anonymous-user", "web", "--no-group-commit"] });
      const base = await serve.listening;
      const statuses: number[] = [];
      for (let round = 0; round < 4; round++) {
        const answers = await Promise.all(Array.from({ length: 24 }, async (_, index) => {
          const response = await fetch(`${base}/tickets/evt_s/reserve`, { method: "POST", headers: { "Idempotency-Key": `k${round}-${index}` } });
          await response.text();
          return response.status;
        }));
        statuses.push(...answers);
      }
      // Not one conflict, refused or retried: the server logs each (ERROR: could not serialize access).
      const serverLog = readFileSync(join(dirname(server.dataDir), "server.log"), "utf8");
      expect(serverLog.match(/could not serialize access/g) ?? []).toEqual([]);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      const [row] = await server.query<{ held: number; tickets: number }>(
        "SELECT held, (SELECT count(*)::int FROM tix.tickets WHERE event_id = 'evt_s') AS tickets FROM tix.events WHERE id = 'evt_s'", [], database);
      expect(row).toEqual({ held: 96, tickets: 96 });
      expect(await serve.stop()).toBe(0);
    } finally {
      home.remove();
    }
  }, 30_000);
});

describe.skipIf(skipReason !== undefined)(`PostgreSQL: a role with fewer connection slots than tix's pool${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("a rush through tix serve waits for the connections it has: every reserve succeeds, none is 503 out of resources", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await server.query("CREATE ROLE few LOGIN PASSWORD 'few-secret' CONNECTION LIMIT 3");
    await server.query(`ALTER DATABASE "${database}" OWNER TO few`);
    const few = new URL(url);
    few.username = "few";
    few.password = "few-secret";
    const store = few.toString();
    const made = await runTix(["--store", store, "event", "create", "--id", "evt_f", "--name", "F", "--capacity", "1000", "--limit-per-user", "1000"]);
    expect(made.code, made.stderr).toBe(0);
    const home = tempDir("tix-pg-few-slots-");
    try {
      const serve = serveProcess(home.path, ["--store", store], { serveArgs: ["--anonymous-user", "web", "--no-group-commit"] });
      const base = await serve.listening;
      const answers: Array<{ status: number; text: string }> = [];
      for (let round = 0; round < 4; round++) {
        answers.push(...await Promise.all(Array.from({ length: 24 }, async (_, index) => {
          const response = await fetch(`${base}/tickets/evt_f/reserve`, { method: "POST", headers: { "Idempotency-Key": `k${round}-${index}` } });
          return { status: response.status, text: await response.text() };
        })));
      }
      // It was about one in three: 503 "is out of resources: too many connections for role "few" (53300)".
      expect(answers.filter(({ status }) => status !== 200)).toEqual([]);
      const [row] = await server.query<{ held: number; tickets: number }>(
        "SELECT held, (SELECT count(*)::int FROM tix.tickets WHERE event_id = 'evt_f') AS tickets FROM tix.events WHERE id = 'evt_f'", [], database);
      expect(row).toEqual({ held: 96, tickets: 96 });
      const stopping = Date.now();
      expect(await serve.stop()).toBe(0);
      // Closing the store did not wait out the client library's 5 s for the refused connections.
      expect(Date.now() - stopping).toBeLessThan(4_000);
    } finally {
      home.remove();
    }
  }, 30_000);
});

// A role's search_path that lists a schema before pg_catalog (`ALTER ROLE … SET search_path =
// public, pg_catalog`) let that schema's functions stand for PostgreSQL's own in tix's statements:
// a public.clock_timestamp() — which anyone could create in public before PostgreSQL 15 — set
// every hold's time (reservedAt 2001). tix's connections now search pg_catalog alone.
describe.skipIf(skipReason !== undefined)(`PostgreSQL: a role's search_path with a schema before pg_catalog${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("a function of that schema named like PostgreSQL's does not stand in for it: holds keep the server's clock", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await server.query(`CREATE ROLE games LOGIN PASSWORD 'games-pw'; GRANT ALL ON DATABASE "${database}" TO games; ALTER ROLE games SET search_path = public, pg_catalog`);
    await server.query(`GRANT ALL ON SCHEMA public TO games;
      CREATE FUNCTION public.clock_timestamp() RETURNS timestamptz LANGUAGE sql AS $$ SELECT '2001-01-01 00:00:00+00'::timestamptz $$`, [], database);
    const store = `postgres://games:games-pw@${server.host}:${server.port}/${database}`;
    const made = await runTix(["--store", store, "event", "create", "--id", "evt_g", "--name", "G", "--capacity", "5", "--starts-at", "2099-01-01T00:00:00Z"]);
    expect(made.code, made.stderr).toBe(0);
    const before = Date.now();
    const run = await runTix(["--store", store, "--json", "--user", "u1", "reserve", "evt_g", "--key", "k1"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const reservedAt = Date.parse((run.json as { ticket: { reservedAt: string } }).ticket.reservedAt);
    expect(Math.abs(reservedAt - before)).toBeLessThan(60_000);
  }, 60_000);
});
