import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { openTix, type Tix } from "../../src/app/open-tix.js";
import { isTixError } from "../../src/core/index.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess, type ServeProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A PostgreSQL server process that stops answering without going away — SIGSTOP of the backend
 * (as a frozen VM or a network that drops packets looks to tix): no error ever comes, and the
 * socket stays open. tix once waited for ever there (a reserve still unanswered after two
 * minutes). Now a flight before the commit is given up past the busy timeout (at least 5 s) plus
 * 2 s: STORE_UNAVAILABLE, nothing stored, and the store serves again once the process runs.
 */
const skipReason = postgresUnavailableReason();

const BUSY_MS = 1_000;
/** What tix waits for a flight with that busy timeout (connection.ts: max(busy, 5 s) + 2 s), with room for a loaded machine. */
const BOUND_MS = 7_000 + 5_000;

describe.skipIf(skipReason !== undefined)(`a PostgreSQL backend that stops answering${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  const stopped = new Set<number>();
  const opened: Tix[] = [];
  const serving: ServeProcess[] = [];

  afterEach(async () => {
    for (const pid of stopped) signal(pid, "SIGCONT");
    stopped.clear();
    for (const serve of serving.splice(0)) await serve.stop();
    for (const tix of opened.splice(0)) await tix.close();
  });

  function signal(pid: number, name: NodeJS.Signals): void {
    try {
      process.kill(pid, name);
    } catch {
      // already gone
    }
  }

  /** SIGSTOP of every backend tix has open on `database` now. */
  async function stopTixBackends(database: string): Promise<number[]> {
    const rows = await server.query<{ pid: number }>("SELECT pid FROM pg_stat_activity WHERE application_name = 'tix' AND datname = $1", [database]);
    expect(rows.length).toBeGreaterThan(0);
    for (const { pid } of rows) {
      stopped.add(pid);
      signal(pid, "SIGSTOP");
    }
    return rows.map((row) => row.pid);
  }

  function resume(pids: readonly number[]): void {
    for (const pid of pids) {
      signal(pid, "SIGCONT");
      stopped.delete(pid);
    }
  }

  async function storedTickets(database: string, userId: string): Promise<number> {
    const [row] = await server.query<{ count: string }>("SELECT count(*) AS count FROM tix.tickets WHERE user_id = $1", [userId], database);
    return Number(row!.count);
  }

  async function eventually<T>(work: () => Promise<T>, withinMs: number): Promise<T> {
    const until = Date.now() + withinMs;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async function newStore(): Promise<{ url: string; database: string }> {
    const url = await server.createDatabase();
    const made = await runTix(["--store", url, "event", "create", "--id", "evt_stall", "--name", "Stall", "--capacity", "100"]);
    expect(made.code, made.stderr).toBe(0);
    const other = await runTix(["--store", url, "event", "create", "--id", "evt_stall_2", "--name", "Stall 2", "--capacity", "100"]);
    expect(other.code, other.stderr).toBe(0);
    return { url, database: new URL(url).pathname.slice(1) };
  }

  it("a library call on a stopped backend fails within the bound, stores nothing, and the store works once it runs again", { timeout: 90_000 }, async () => {
    const { url, database } = await newStore();
    const tix = await openTix({ store: url, busyTimeoutMs: BUSY_MS });
    opened.push(tix);
    await tix.tickets.reserve({ userId: "before", eventId: "evt_stall", key: "k-before" });
    const pids = await stopTixBackends(database);

    const startedAt = Date.now();
    const failure = await tix.tickets.reserve({ userId: "during", eventId: "evt_stall", key: "k-during" }).then(() => undefined, (error: unknown) => error);
    const tookMs = Date.now() - startedAt;
    expect(isTixError(failure) && failure.code, String(failure)).toBe("STORE_UNAVAILABLE");
    expect((failure as Error).message).toMatch(/stopped answering/);
    expect(tookMs).toBeLessThan(BOUND_MS);

    // A read on a new connection is not held up by the stopped one.
    expect((await tix.events.get("evt_stall")).held).toBe(1);

    resume(pids);
    // The stopped backend's transaction is rolled back: its socket was ended, so it goes away.
    await eventually(async () => {
      const left = await server.query("SELECT pid FROM pg_stat_activity WHERE pid = ANY($1)", [pids]);
      expect(left).toEqual([]);
    }, 10_000);
    expect(await storedTickets(database, "during")).toBe(0);
    const retried = await eventually(() => tix.tickets.reserve({ userId: "during", eventId: "evt_stall", key: "k-during" }), 15_000);
    expect(retried.replayed).toBe(false);
    expect(await storedTickets(database, "during")).toBe(1);
  });

  it("tix serve answers 503 within the bound while its backends are stopped, and serves again after", { timeout: 90_000 }, async () => {
    const { url, database } = await newStore();
    const home = tempDir("tix-stall-serve-");
    const serve = serveProcess(home.path, ["--store", url], { env: { TIX_BUSY_TIMEOUT_MS: String(BUSY_MS) }, serveArgs: ["--anonymous-user", "alice"] });
    serving.push(serve);
    const base = await serve.listening;
    const reserve = (key: string, event = "evt_stall_2") => fetch(`${base}/tickets/${event}/reserve`, { method: "POST", headers: { "Idempotency-Key": key } });
    // One user (the anonymous one) holds one ticket an event: the first is for another event.
    expect((await reserve("s-before", "evt_stall")).status).toBe(200);
    const pids = await stopTixBackends(database);

    const startedAt = Date.now();
    const during = await reserve("s-during");
    expect(during.status).toBe(503);
    expect(((await during.json()) as { Error: { Code: string } }).Error.Code).toBe("STORE_UNAVAILABLE");
    expect(Date.now() - startedAt).toBeLessThan(BOUND_MS);

    resume(pids);
    const again = await eventually(async () => {
      const response = await reserve("s-again");
      if (response.status !== 200) throw new Error(`status ${response.status}`);
      return response;
    }, 15_000);
    expect(again.status).toBe(200);
    // Nothing answered 503 was stored: the key's first try never committed.
    const [row] = await server.query<{ count: string }>("SELECT count(*) AS count FROM tix.idempotency_keys WHERE key = 's-during'", [], database);
    expect(Number(row!.count)).toBe(0);
  });

  it("a command whose server accepts connections but never starts them (the postmaster stopped) exits soon after its error", { timeout: 60_000 }, async () => {
    const { url } = await newStore();
    const postmaster = Number(readFileSync(join(server.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    stopped.add(postmaster);
    signal(postmaster, "SIGSTOP");
    const home = tempDir("tix-stall-cli-");
    try {
      // Which of the library's connect timer and tix's own wait ends first varies: three runs.
      for (let run = 0; run < 3; run++) {
        const child = spawn(process.execPath, [TIX_BIN, "--store", url, "event", "list"], { env: testEnv(home.path, { TIX_BUSY_TIMEOUT_MS: String(BUSY_MS) }) });
        let stderr = "";
        let erroredAt = 0;
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          erroredAt ||= Date.now();
        });
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        const exitedAt = Date.now();
        expect(code).toBe(8);
        expect(stderr).toMatch(/^error: the store postgres:\/\/tix@127\.0\.0\.1:\d+\/\S+ is unreachable: connecting timed out \(CONNECT_TIMEOUT\)\n$/);
        // It exited a whole connect wait (5 s) after its error: the library connected once more
        // for the request tix had given up, after the store was closed.
        expect(exitedAt - erroredAt).toBeLessThan(2_000);
      }
    } finally {
      signal(postmaster, "SIGCONT");
      stopped.delete(postmaster);
      home.remove();
    }
  });

  it("a write to a read-only server (a standby named alone, or set read-only) is STORE_UNAVAILABLE saying so, not an internal error", async () => {
    const { url, database } = await newStore();
    await server.query(`ALTER DATABASE "${database}" SET default_transaction_read_only = on`);
    const listed = await runTix(["--store", url, "event", "list"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^evt_stall\t/m);
    const refused = await runTix(["--store", url, "--json", "reserve", "evt_stall", "--key", "ro-1"]);
    expect(refused.code, refused.stdout).toBe(8);
    const { error } = JSON.parse(refused.stdout) as { error: { code: string; message: string } };
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toMatch(/ is read-only \(a standby, or set read-only\) and tix writes: name the primary, or every host with target_session_attrs=read-write: cannot execute .* in a read-only transaction \(25006\)$/);
    const human = await runTix(["--store", url, "event", "create", "--name", "No", "--capacity", "1"]);
    expect(human.code).toBe(8);
    expect(human.stderr).toMatch(/^error: the store postgres:\S+ is read-only/);
  });
});

/**
 * tix serve rushed by clients while the server is stopped at once (`pg_ctl stop -m immediate`, a
 * crash) and started again, with group commit and without: every reservation answered 200 is in
 * the store afterwards, and none answered with a refusal (4xx) is.
 */
describe.skipIf(skipReason !== undefined)(`tix serve while PostgreSQL crashes and comes back${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres({ settings: ["-c synchronous_commit=on"] });

  for (const groupCommit of [true, false]) {
    it(`keeps every acknowledged reservation, stores no refused one (${groupCommit ? "group commit" : "--no-group-commit"})`, { timeout: 120_000 }, async () => {
      const url = await server.createDatabase();
      const database = new URL(url).pathname.slice(1);
      const made = await runTix(["--store", url, "event", "create", "--id", "evt_crash", "--name", "Crash", "--capacity", "100000"]);
      expect(made.code, made.stderr).toBe(0);
      const home = tempDir("tix-crash-serve-");
      const CLIENTS = 12;
      try {
        const tokens = await Promise.all(Array.from({ length: CLIENTS }, async (_, index) => (await runTix(["token", "create", "--user", `c${index}`], { env: { TIX_HOME: home.path } })).stdout.trim()));
        const serve = serveProcess(home.path, ["--store", url], { env: { TIX_BUSY_TIMEOUT_MS: "2000" }, serveArgs: groupCommit ? [] : ["--no-group-commit"] });
        const base = await serve.listening;
        const acknowledged: string[] = [];
        const refusedKeys: string[] = [];
        let unavailable = 0;
        let stopping = false;
        const client = async (index: number) => {
          const headers = { Authorization: `Bearer ${tokens[index]}` };
          for (let attempt = 0; !stopping; attempt++) {
            const key = `c${index}-${attempt}`;
            try {
              const response = await fetch(`${base}/tickets/evt_crash/reserve`, { method: "POST", headers: { ...headers, "Idempotency-Key": key } });
              const body = (await response.json()) as { Ticket?: { Id: string } };
              if (response.status === 200) {
                acknowledged.push(body.Ticket!.Id);
                const cancelled = await fetch(`${base}/tickets/${body.Ticket!.Id}/cancel`, { method: "POST", headers });
                await cancelled.text();
              } else if (response.status === 503) {
                unavailable++;
                await new Promise((resolve) => setTimeout(resolve, 50));
              } else {
                // A 409 here is a hold left by a cancel answered 503: refused, so nothing was made.
                refusedKeys.push(key);
                await fetch(`${base}/tickets?eventId=evt_crash&status=Reserved`, { headers }).then(async (list) => {
                  const { Tickets = [] } = (await list.json()) as { Tickets?: Array<{ Id: string }> };
                  for (const ticket of Tickets) await (await fetch(`${base}/tickets/${ticket.Id}/cancel`, { method: "POST", headers })).text();
                }, () => undefined);
              }
            } catch {
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          }
        };
        const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
        const waitFor = async (count: number) => {
          const until = Date.now() + 60_000;
          while (acknowledged.length < count && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
          expect(acknowledged.length).toBeGreaterThanOrEqual(count);
        };
        await waitFor(40);
        await server.pause("immediate");
        await new Promise((resolve) => setTimeout(resolve, 300));
        await server.resume();
        const before = acknowledged.length;
        await waitFor(before + 40); // served again, without a restart
        stopping = true;
        await Promise.all(clients);
        expect(await serve.stop()).toBe(0);

        const stored = new Set((await server.query<{ id: string }>("SELECT id FROM tix.tickets", [], database)).map((row) => row.id));
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
        if (refusedKeys.length > 0) {
          const bound = await server.query<{ key: string }>("SELECT key FROM tix.idempotency_keys WHERE key = ANY($1)", [refusedKeys], database);
          expect(bound).toEqual([]);
        }
        expect(unavailable).toBeGreaterThan(0); // the crash was seen
      } finally {
        home.remove();
      }
    });
  }
});
