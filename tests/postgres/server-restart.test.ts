import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { isTixError } from "../../src/core/index.js";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess } from "../helpers/serve-process.js";
import { startTcpProxy, type ClientChunkAction } from "../helpers/tcp-proxy.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The one PostgreSQL server killed (SIGKILL of the postmaster and its backends) or stopped at once
 * (`pg_ctl stop -m immediate`) while tix runs, asked during the outage, and started again: the
 * first operation once the server is back succeeds — in `tix serve`, the library and `tix repl`.
 * Before: for up to a second after the server was back (about half a second in a rush), every
 * operation of the process was answered `STORE_UNAVAILABLE … connection refused` (503 in `tix
 * serve`) from tix's memory of the last refused connection (connection.ts, `unreachable`), without
 * trying; a new process (the CLI) worked at once. Now a remembered refusal is checked first with a
 * plain TCP connection to the server's address: refused again, the operation still fails at once;
 * accepted, it runs.
 *
 * And, through a TCP proxy, connections whose server side went away without the client seeing a
 * close (a rebooted host, a firewall that forgot them): an operation that finds its pooled
 * connection dead before anything of it was answered runs again on a fresh one; one whose COMMIT
 * went out and whose answer was lost is never run again by tix — it is answered in doubt, and the
 * retry with its key is replayed if the commit was made, made once if not.
 */
const skipReason = postgresUnavailableReason();

type Stop = "crash" | "immediate";
const STOPS: readonly Stop[] = ["crash", "immediate"];

/** Well under the connect wait (5 s): the first operation after the restart connects, nothing more. */
const PROMPT_MS = 3_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(skipReason !== undefined)(`PostgreSQL killed or stopped at once, then started again${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres({ settings: ["-c synchronous_commit=on"] });

  const stopServer = (stop: Stop) => (stop === "crash" ? server.crash() : server.pause("immediate"));

  /**
   * Stops the server, keeps `ask` asking while it is down and while it starts again (so the
   * process has just been refused when the server is back), and resolves once it is back.
   */
  async function outage(stop: Stop, ask: () => Promise<void>): Promise<void> {
    await stopServer(stop);
    let asking = true;
    const asker = (async () => {
      while (asking) {
        await ask();
        await pause(10);
      }
    })();
    await pause(200);
    await server.resume().finally(() => (asking = false));
    await asker;
  }

  for (const stop of STOPS) {
    it(`tix serve: the first reserves after the server is back succeed, and nothing acknowledged is lost or doubled (${stop})`, { timeout: 120_000 }, async () => {
      const url = await server.createDatabase();
      const database = new URL(url).pathname.slice(1);
      const made = await runTix(["--store", url, "event", "create", "--id", "evt_back", "--name", "Back", "--capacity", "1000", "--hold", "1d"]);
      expect(made.code, made.stderr).toBe(0);
      const home = tempDir("tix-pg-restart-");
      const USERS = 12;
      const tokens = await Promise.all(Array.from({ length: USERS }, async (_, index) => (await runTix(["token", "create", "--user", `u${index}`], { env: { TIX_HOME: home.path } })).stdout.trim()));
      const serve = serveProcess(home.path, ["--store", url]);
      try {
        const base = await serve.listening;
        const reserve = async (user: number, key: string) => {
          const started = Date.now();
          const response = await fetch(`${base}/tickets/evt_back/reserve`, { method: "POST", headers: { Authorization: `Bearer ${tokens[user]}`, "Idempotency-Key": key } });
          const body = (await response.json()) as { Ticket?: { Id: string }; Replayed?: boolean; Message?: string };
          return { status: response.status, retryAfter: response.headers.get("retry-after"), body, ms: Date.now() - started };
        };
        // Three at once: the pool holds several connections, every one of them lost in the outage.
        const before = await Promise.all([0, 1, 2].map((user) => reserve(user, `before${user}`)));
        for (const answer of before) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        const acknowledged = before.map((answer) => answer.body.Ticket!.Id);

        const down: Array<Awaited<ReturnType<typeof reserve>>> = [];
        let attempt = 0;
        await outage(stop, async () => {
          const answer = await reserve(3, `down${attempt++}`);
          down.push(answer);
          if (answer.status === 200) acknowledged.push(answer.body.Ticket!.Id);
        });
        const unavailable = down.filter((answer) => answer.status === 503);
        expect(unavailable.length, "the outage was seen").toBeGreaterThan(0);
        for (const answer of unavailable) {
          expect(answer.retryAfter).toBe("1");
          expect(answer.body.Message).toMatch(/^the store postgres:\/\/\S+ (is unreachable|is shutting down or restarting)/);
        }
        // The server may come back while pg_ctl still waits: from the first success on, nothing fails
        // (user 3 then holds its ticket: its next keys are refused, 409, and make nothing).
        const back = down.findIndex((answer) => answer.status === 200);
        const afterBack = back < 0 ? [] : down.slice(back + 1);
        expect(afterBack.filter((answer) => answer.status !== 409), "once back, no 503").toEqual([]);
        expect(down.filter((answer) => answer.status !== 503 && answer.status !== 200 && answer.status !== 409)).toEqual([]);

        // The server is back: the first request succeeds, and so do those sent together with it.
        const first = await reserve(4, "after4");
        expect(first.status, `the first reserve after the restart: ${JSON.stringify(first.body)}`).toBe(200);
        expect(first.ms).toBeLessThan(PROMPT_MS);
        acknowledged.push(first.body.Ticket!.Id);
        const together = await Promise.all([5, 6, 7, 8].map((user) => reserve(user, `after${user}`)));
        for (const answer of together) {
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
          acknowledged.push(answer.body.Ticket!.Id);
        }

        // A retry of an acknowledged reservation with its key is replayed, never doubled.
        const replay = await reserve(0, "before0");
        expect(replay.status).toBe(200);
        expect(replay.body).toMatchObject({ Replayed: true, Ticket: { Id: before[0]!.body.Ticket!.Id } });
        expect(await serve.stop()).toBe(0);

        const stored = await server.query<{ id: string; user_id: string }>("SELECT id, user_id FROM tix.tickets", [], database);
        const ids = new Set(stored.map((row) => row.id));
        expect(acknowledged.filter((id) => !ids.has(id)), "acknowledged tickets lost").toEqual([]);
        // One ticket per user: user 3 made at most one whatever the outage answered (one hold per user and event).
        const perUser = new Map<string, number>();
        for (const row of stored) perUser.set(row.user_id, (perUser.get(row.user_id) ?? 0) + 1);
        expect([...perUser.values()].every((count) => count === 1), JSON.stringify([...perUser])).toBe(true);
      } finally {
        await serve.stop("SIGKILL"); // already ended when the test got that far
        home.remove();
      }
    });
  }

  it("the library: the first call after each restart succeeds, without reopening", { timeout: 120_000 }, async () => {
    const url = await server.createDatabase();
    const tix = await openTix({ store: url, busyTimeoutMs: 3_000 });
    try {
      await tix.events.create({ id: "evt_lib", name: "Lib", capacity: 1_000, hold: "1d" });
      const kept: string[] = [];
      for (const [round, stop] of [...STOPS, ...STOPS].entries()) {
        const made = await Promise.all([0, 1, 2].map((index) => tix.tickets.reserve({ eventId: "evt_lib", userId: `r${round}b${index}`, key: `r${round}b${index}` })));
        kept.push(...made.map((outcome) => outcome.ticket.id));
        const failures: unknown[] = [];
        const failedOnceBack: unknown[] = [];
        let back = false;
        let attempt = 0;
        await outage(stop, async () => {
          const outcome = await tix.tickets.reserve({ eventId: "evt_lib", userId: `r${round}d${attempt}`, key: `r${round}d${attempt++}` }).then(
            (made) => kept.push(made.ticket.id),
            (error: unknown) => error,
          );
          if (typeof outcome === "number") back = true;
          else (back ? failedOnceBack : failures).push(outcome);
        });
        expect(failures.length, "the outage was seen").toBeGreaterThan(0);
        for (const failure of failures) expect(isTixError(failure) && failure.code, String(failure)).toBe("STORE_UNAVAILABLE");
        expect(failedOnceBack.map(String), "from the first success on, nothing fails").toEqual([]);

        const started = Date.now();
        const first = await tix.tickets.reserve({ eventId: "evt_lib", userId: `r${round}a`, key: `r${round}a` }).catch((error: unknown) => error);
        expect(isTixError(first) ? `${first.code}: ${first.message}` : "ok", `round ${round} (${stop}): the first call after the restart`).toBe("ok");
        expect(Date.now() - started).toBeLessThan(PROMPT_MS);
        kept.push((first as { ticket: { id: string } }).ticket.id);
        const replay = await tix.tickets.reserve({ eventId: "evt_lib", userId: `r${round}b0`, key: `r${round}b0` });
        expect(replay).toMatchObject({ replayed: true, ticket: { id: made[0]!.ticket.id } });
      }
      const stored = await server.query<{ id: string }>("SELECT id FROM tix.tickets", [], new URL(url).pathname.slice(1));
      expect(stored.map((row) => row.id).sort()).toEqual([...kept].sort());
    } finally {
      await tix.close();
    }
  });

  it("tix repl over stdin: the line after each restart succeeds; every acknowledged ticket is kept, a replay is not doubled", { timeout: 120_000 }, async () => {
    const url = await server.createDatabase();
    const home = tempDir("tix-pg-restart-repl-");
    const child = spawn(process.execPath, [TIX_BIN, "--store", url, "--json", "repl"], {
      env: testEnv(home.path, { TIX_USER: "seller", TIX_BUSY_TIMEOUT_MS: "3000" }), stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    type Answer = { status: string; replayed?: boolean; error?: { code: string; message: string }; ticket?: { id: string } };
    const ask = async (line: string) => {
      child.stdin.write(`${line}\n`);
      const answer = await lines.next();
      if (answer.done) throw new Error(`tix ended before answering ${line}: ${stderr}`);
      return JSON.parse(answer.value) as Answer;
    };
    try {
      expect((await ask("event create --id evt_repl --name Repl --capacity 100 --hold 1d")).status).toBe("success");
      const kept: string[] = [];
      for (const [round, stop] of STOPS.entries()) {
        const before = await ask(`reserve evt_repl --user b${round} --key b${round}`);
        expect(before.status, JSON.stringify(before)).toBe("success");
        kept.push(before.ticket!.id);
        const failed: Answer[] = [];
        const failedOnceBack: Answer[] = [];
        let back = false;
        let attempt = 0;
        await outage(stop, async () => {
          const answer = await ask(`reserve evt_repl --user d${round}_${attempt} --key d${round}_${attempt++}`);
          if (answer.status === "success") {
            kept.push(answer.ticket!.id);
            back = true;
          } else (back ? failedOnceBack : failed).push(answer);
        });
        expect(failed.length, "the outage was seen").toBeGreaterThan(0);
        for (const answer of failed) expect(answer.error?.code, JSON.stringify(answer)).toBe("STORE_UNAVAILABLE");
        expect(failedOnceBack, "from the first success on, nothing fails").toEqual([]);

        const first = await ask(`reserve evt_repl --user a${round} --key a${round}`);
        expect(first.status, `${stop}: the first line after the restart: ${JSON.stringify(first)}`).toBe("success");
        kept.push(first.ticket!.id);
        const replay = await ask(`reserve evt_repl --user b${round} --key b${round}`);
        expect(replay).toMatchObject({ status: "success", replayed: true, ticket: { id: before.ticket!.id } });
      }
      child.stdin.end();
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code, `a batch with failed lines exits with their code: ${stderr}`).toBe(8);
      const rows = await server.query<{ id: string }>("SELECT id FROM tix.tickets", [], new URL(url).pathname.slice(1));
      expect(rows.map((row) => row.id).sort()).toEqual([...kept].sort());
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      home.remove();
    }
  });

  it("the library: pooled connections whose server side ended unseen are replaced, the call succeeds", { timeout: 120_000 }, async () => {
    const proxy = await startTcpProxy(server.port);
    const url = await server.createDatabase();
    const tix = await openTix({ store: proxy.via(url), busyTimeoutMs: 3_000 });
    try {
      await tix.events.create({ id: "evt_half", name: "Half", capacity: 1_000, hold: "1d" });
      const kept: string[] = [];
      for (let round = 0; round < 4; round++) {
        // Several at once: several connections in the pool, each one dead after forget().
        const made = await Promise.all([0, 1, 2, 3].map((index) => tix.tickets.reserve({ eventId: "evt_half", userId: `h${round}_${index}`, key: `h${round}_${index}` })));
        kept.push(...made.map((outcome) => outcome.ticket.id));
        proxy.forget();
        const started = Date.now();
        const after = round % 2 === 0
          ? [await tix.tickets.reserve({ eventId: "evt_half", userId: `a${round}`, key: `a${round}` })]
          : await Promise.all([0, 1, 2].map((index) => tix.tickets.reserve({ eventId: "evt_half", userId: `a${round}_${index}`, key: `a${round}_${index}` })));
        expect(Date.now() - started).toBeLessThan(PROMPT_MS);
        kept.push(...after.map((outcome) => outcome.ticket.id));
        const replay = await tix.tickets.reserve({ eventId: "evt_half", userId: `h${round}_0`, key: `h${round}_0` });
        expect(replay).toMatchObject({ replayed: true, ticket: { id: made[0]!.ticket.id } });
      }
      const stored = await server.query<{ id: string }>("SELECT id FROM tix.tickets", [], new URL(url).pathname.slice(1));
      expect(stored.map((row) => row.id).sort()).toEqual([...kept].sort());
    } finally {
      await tix.close();
      await proxy.close();
    }
  });

  for (const [action, made] of [["cut", true], ["reset", false]] as const) {
    it(`the library: a COMMIT whose answer is lost (${made ? "delivered" : "not delivered"}) is answered in doubt, not run again; the retry with its key is ${made ? "replayed" : "made once"}`, { timeout: 120_000 }, async () => {
      let armed = false;
      const proxy = await startTcpProxy(server.port, (chunk): ClientChunkAction => {
        if (!armed || !chunk.includes("COMMIT")) return "pass";
        armed = false;
        return action;
      });
      const url = await server.createDatabase();
      const database = new URL(url).pathname.slice(1);
      const tix = await openTix({ store: proxy.via(url), busyTimeoutMs: 3_000 });
      try {
        await tix.events.create({ id: "evt_doubt", name: "Doubt", capacity: 10, hold: "1d" });
        await tix.tickets.reserve({ eventId: "evt_doubt", userId: "warm", key: "warm" });
        armed = true;
        const failure = await tix.tickets.reserve({ eventId: "evt_doubt", userId: "buyer", key: "k1" }).then(() => undefined, (error: unknown) => error);
        expect(armed, "the commit's flight was cut").toBe(false);
        expect(isTixError(failure) && failure.code, String(failure)).toBe("STORE_UNAVAILABLE");
        expect((failure as Error).message).toMatch(/may or may not have committed this change .*; retry with the same key/);
        const stored = await server.query<{ id: string }>("SELECT id FROM tix.tickets WHERE user_id = 'buyer'", [], database);
        expect(stored, "tix did not run it again: the store holds what the cut commit left").toHaveLength(made ? 1 : 0);

        const retry = await tix.tickets.reserve({ eventId: "evt_doubt", userId: "buyer", key: "k1" });
        expect(retry.replayed).toBe(made);
        if (made) expect(retry.ticket.id).toBe(stored[0]!.id);
        const after = await server.query<{ id: string }>("SELECT id FROM tix.tickets WHERE user_id = 'buyer'", [], database);
        expect(after.map((row) => row.id)).toEqual([retry.ticket.id]);
      } finally {
        await tix.close();
        await proxy.close();
      }
    });
  }
});
