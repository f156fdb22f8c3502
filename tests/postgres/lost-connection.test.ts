import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { TIX_BIN } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";

/**
 * A one-host store whose connections are lost between two operations (backends terminated with
 * pg_terminate_backend, the server restarted): the next operation reconnects at once and answers.
 * Before: it failed at once (`connection reset by the server`, a connection that died idle in the
 * pool was handed out), or waited out the 5 s connect wait (the client library lost its request
 * for a connection when another of its connections closed) and only then asked again.
 */
const skipReason = postgresUnavailableReason();

/** Far below the connect wait (5 s) a lost request waited out; the operations themselves take milliseconds. */
const PROMPT_MS = 2_000;

describe.skipIf(skipReason !== undefined)(`PostgreSQL: connections lost between operations${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  const terminateTix = (database: string) =>
    server.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tix'", [database]);

  it("the library: every operation after its backends were terminated answers, promptly, with no wait for a connection", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    const tix = await openTix({ store: url });
    try {
      await tix.events.create({ id: "evt_lost", name: "Lost", capacity: 10_000, hold: "1h" });
      const failures: string[] = [];
      const slow: string[] = [];
      const reserve = async (user: string) => {
        const started = Date.now();
        const outcome = await tix.tickets.reserve({ eventId: "evt_lost", userId: user }).then(() => undefined, (error: unknown) => String(error));
        if (outcome !== undefined) failures.push(`${user}: ${outcome}`);
        if (Date.now() - started > PROMPT_MS) slow.push(`${user}: ${Date.now() - started} ms`);
      };
      for (let round = 0; round < 12; round++) {
        // Several connections in the pool, so that more than one is lost at once.
        await Promise.all([1, 2, 3].map((index) => reserve(`warm${round}_${index}`)));
        await terminateTix(database);
        // At once, a moment later, or once the client has seen the connections close.
        await new Promise((resolve) => setTimeout(resolve, [0, 5, 50][round % 3]));
        await Promise.all([1, 2].map((index) => reserve(`after${round}_${index}`)));
      }
      expect(failures, "no operation fails: a lost idle connection is replaced").toEqual([]);
      expect(slow, "no operation waits for the connect wait").toEqual([]);
    } finally {
      await tix.close();
    }
  }, 120_000);

  it("tix repl over stdin: the lines after a restart of the server answer, and every acknowledged ticket is kept", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    const child = spawn(process.execPath, [TIX_BIN, "--store", url, "--json", "repl"], {
      env: { ...process.env, NO_COLOR: "1", TIX_USER: "batcher", TIX_BUSY_TIMEOUT_MS: "3000" }, stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ask = async (line: string) => {
      const started = Date.now();
      child.stdin.write(`${line}\n`);
      const answer = await lines.next();
      if (answer.done) throw new Error(`tix ended before answering ${line}: ${stderr}`);
      return { answer: JSON.parse(answer.value) as { status: string; error?: { code: string; message: string }; ticket?: { id: string } }, ms: Date.now() - started };
    };
    try {
      expect((await ask("event create --id evt_r --name R --capacity 100")).answer.status).toBe("success");
      const kept: string[] = [];
      for (let round = 0; round < 4; round++) {
        const before = await ask(`reserve evt_r --key b${round} --user b${round}`);
        expect(before.answer.status, JSON.stringify(before.answer)).toBe("success");
        kept.push(before.answer.ticket!.id);
        if (round % 2 === 0) await terminateTix(database);
        else {
          await server.pause("fast");
          await server.resume();
        }
        const after = await ask(`reserve evt_r --key a${round} --user a${round}`);
        expect(after.answer.status, `${round % 2 === 0 ? "terminated" : "restarted"}: ${JSON.stringify(after.answer)}`).toBe("success");
        expect(after.ms, "no wait for the connect wait").toBeLessThan(PROMPT_MS);
        kept.push(after.answer.ticket!.id);
      }
      child.stdin.end();
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(code, stderr).toBe(0);
      const rows = await server.query<{ id: string }>("SELECT id FROM tix.tickets", [], database);
      expect(rows.map((row) => row.id).sort()).toEqual([...kept].sort());
    } finally {
      if (child.exitCode === null) child.kill("SIGTERM");
    }
  }, 120_000);
});
