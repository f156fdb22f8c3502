import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A new store file that another connection is writing when tix opens it: the switch to WAL needs
 * the file's exclusive lock, and SQLite refuses it at once (SQLITE_BUSY, no busy handler). tix
 * waits for it within its busy timeout, as for any other lock — found when several processes,
 * created at once on one new file, failed on their own in the crash suite.
 */
describe.skipIf(!existsSync("/proc/self/fd"))("opening a new SQLite store that another connection is writing", () => {
  let home: ReturnType<typeof tempDir>;
  beforeEach(() => (home = tempDir()));
  afterEach(() => home.remove());

  it("waits for the writer (within the busy timeout), then opens it and works", async () => {
    const path = join(home.path, "new.db");
    closeSync(openSync(path, "w", 0o600));
    const writer = new Database(path);
    writer.exec("BEGIN IMMEDIATE"); // a write lock on the file, still in rollback mode
    const child = spawn(process.execPath, [TIX_BIN, "--store", `sqlite:${path}`, "--json", "event", "list"], {
      env: testEnv(home.path, { TIX_BUSY_TIMEOUT_MS: "20000" }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // Once tix has the file open, it meets the lock within milliseconds (and failed there at once).
    await hasOpen(child.pid!, path, exited);
    const early = await Promise.race([exited.then(() => "exited" as const), new Promise((resolve) => setTimeout(() => resolve("waiting"), 500))]);
    writer.exec("COMMIT");
    writer.close();
    expect(early, stderr).toBe("waiting");
    expect(await exited, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ status: "success", events: [] });
  }, 30_000);
});

/** Resolves once process `pid` has `path` open (its /proc/PID/fd), or has exited. */
async function hasOpen(pid: number, path: string, exited: Promise<unknown>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  for (const deadline = Date.now() + 20_000; !done && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 10))) {
    try {
      if (readdirSync(`/proc/${pid}/fd`).some((fd) => readlinkOr(`/proc/${pid}/fd/${fd}`) === path)) return;
    } catch {
      // not there yet, or gone
    }
  }
}

function readlinkOr(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}
