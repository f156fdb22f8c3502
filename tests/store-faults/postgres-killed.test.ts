import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { isTixError } from "../../src/core/index.js";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The PostgreSQL server killed with SIGKILL (postmaster and every backend, as a crash or an OOM
 * kill) while tix works. The client library once waited longer before each reconnect (up to 20 s)
 * and tix waited for it, so a batch of thousands of lines seemed to hang and each library call took
 * 3–12 s to fail. Now: a batch exits 8 soon, every line answered once and in order, and every
 * ticket it printed is in the store once the server is back (commits made durable here:
 * synchronous_commit on); a library call fails within the busy timeout — at once while the host
 * refuses — and works again once the server is back, without reopening.
 */
const skipReason = postgresUnavailableReason();

interface Answer {
  status: string;
  ticket?: { id: string };
  error?: { code: string; line?: number };
}

describe.skipIf(skipReason !== undefined)(`PostgreSQL killed with SIGKILL${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres({ settings: ["-c synchronous_commit=on"] });
  let killed: Promise<void> | undefined;

  /** The server running again after a test that killed it, however that test ended. */
  async function upAgain(): Promise<void> {
    if (killed === undefined) return;
    await killed;
    killed = undefined;
    await server.resume();
  }

  it("a batch of reserves exits 8 soon after the kill; each line answered once, in order; every printed ticket is kept", async () => {
    const url = await server.createDatabase();
    const made = await runTix(["--store", url, "event", "create", "--id", "evt_kill", "--name", "Kill", "--capacity", "100000", "--hold", "1d"]);
    expect(made.code, made.stderr).toBe(0);
    const LINES = 20_000;
    const home = tempDir("tix-pg-killed-");
    const child = spawn(process.execPath, [TIX_BIN, "--store", url, "--json", "repl"], {
      env: testEnv(home.path, { TIX_BUSY_TIMEOUT_MS: "3000" }), stdio: ["pipe", "pipe", "pipe"],
    });
    try {
      let stdout = "";
      let stderr = "";
      let killedAt = 0;
      let answered = 0;
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        answered += chunk.toString().split("\n").length - 1;
        // Killed mid-batch: once a few hundred lines have been answered.
        if (killedAt === 0 && answered > 300) {
          killedAt = Date.now();
          killed = server.crash();
        }
      });
      child.stdin.end(Array.from({ length: LINES }, (_, index) => `reserve evt_kill --user u${index + 1} --key k${index + 1}\n`).join(""));
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        new Promise<number | null>((resolve) => child.on("close", resolve)),
        // Seconds, not the minutes of waiting out the library's reconnect delays line after line.
        new Promise<"running">((resolve) => (timer = setTimeout(() => resolve("running"), 60_000))),
      ]).finally(() => clearTimeout(timer));
      const exitedAfterMs = Date.now() - killedAt;
      expect(killedAt, "the server was killed mid-batch").toBeGreaterThan(0);
      expect(code, `still running a minute after the kill (${answered} lines answered)`).not.toBe("running");
      expect(code, stderr).toBe(8);
      expect(exitedAfterMs, "exited soon after the kill").toBeLessThan(20_000);

      const answers = stdout.trim().split("\n").map((line) => JSON.parse(line) as Answer);
      expect(answers).toHaveLength(LINES);
      const printed: string[] = [];
      answers.forEach((answer, index) => {
        if (answer.status === "success") printed.push(answer.ticket!.id);
        else expect(answer.error, JSON.stringify(answer)).toMatchObject({ code: "STORE_UNAVAILABLE", line: index + 1 });
      });
      // Once the first line failed, no later one succeeded: the server stayed down.
      const firstFailure = answers.findIndex((answer) => answer.status !== "success");
      expect(answers.slice(firstFailure).every((answer) => answer.status !== "success")).toBe(true);
      expect(printed.length).toBeGreaterThan(100);

      await upAgain();
      const stored = await server.query<{ id: string }>("SELECT id FROM tix.tickets WHERE event_id = 'evt_kill'", [], new URL(url).pathname.slice(1));
      const kept = new Set(stored.map((row) => row.id));
      expect(printed.filter((id) => !kept.has(id)), "printed tickets missing after the restart").toEqual([]);
    } finally {
      child.kill("SIGKILL");
      home.remove();
      await upAgain();
    }
  }, 120_000);

  it("a library call after the kill fails within the busy timeout, at once while the host refuses, and works again once it is back", async () => {
    const url = await server.createDatabase();
    const busyTimeoutMs = 3_000;
    const tix = await openTix({ store: url, busyTimeoutMs });
    try {
      await tix.events.create({ id: "evt_lib", name: "Lib", capacity: 1_000, hold: "1h" });
      for (let index = 0; index < 20; index++) await tix.tickets.reserve({ eventId: "evt_lib", userId: `before${index}` });
      killed = server.crash();
      await killed;
      const took: number[] = [];
      for (let index = 0; index < 20; index++) {
        const started = Date.now();
        const failure = await tix.tickets.reserve({ eventId: "evt_lib", userId: `down${index}` }).then(() => undefined, (error: unknown) => error);
        took.push(Date.now() - started);
        expect(isTixError(failure) && failure.code, String(failure)).toBe("STORE_UNAVAILABLE");
        expect((failure as Error).message.split("\n")).toHaveLength(1);
        if (index > 0) expect((failure as Error).message).toMatch(/unreachable: connection refused/);
      }
      expect(Math.max(...took), `each within the busy timeout: ${took.join(", ")} ms`).toBeLessThan(busyTimeoutMs);
      // Refused connections are known at once: twenty calls together take less than one busy timeout.
      expect(took.slice(1).reduce((sum, ms) => sum + ms, 0), took.join(", ")).toBeLessThan(busyTimeoutMs);

      await upAgain();
      let back: unknown;
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
        back = await tix.tickets.reserve({ eventId: "evt_lib", userId: "after" }).then(() => "ok", (error: unknown) => error);
        if (back === "ok") break;
      }
      expect(back, "works again without reopening").toBe("ok");
    } finally {
      await tix.close();
      await upAgain();
    }
  }, 120_000);
});
