import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * `tix serve`'s access log (stderr) that cannot be written — a full disk under the log file, a
 * file size limit, a log pipe whose reader went away — loses lines, not the server: it ended at
 * the first such line (exit 1 with not a word, or 0 on a closed pipe), every request in flight
 * cut off and the service gone.
 */
let home: { path: string; remove: () => void };
let child: ChildProcess | undefined;
beforeEach(() => (home = tempDir("tix-serve-log-")));
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
  home.remove();
});

/** `tix --json serve` over a memory store, its stderr sent where `redirect` (a shell redirection) says, under `limit` (a shell line). */
function serve(redirect: string, limit = ""): { url: Promise<string>; exited: Promise<number | null> } {
  const line = `${limit}exec "${process.execPath}" "${TIX_BIN}" --json --store memory serve --port 0 --anonymous-user web ${redirect}`;
  child = spawn("sh", ["-c", line], { env: testEnv(home.path), stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child!.on("close", resolve));
  let stdout = "";
  const url = new Promise<string>((resolve, reject) => {
    child!.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("\n")) resolve((JSON.parse(stdout.split("\n")[0]!) as { url: string }).url);
    });
    void exited.then((code) => reject(new Error(`tix serve exited (${code}) before listening`)));
  });
  return { url, exited };
}

let made = 0;

/** Creates `count` events and reserves a ticket of each: the statuses, in a set ({201, 200} when all went well). */
async function requests(url: string, count: number): Promise<Set<number>> {
  const statuses = new Set<number>();
  for (const index of Array.from({ length: count }, () => made++)) {
    const created = await fetch(`${url}/events`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ Id: `evt_${index}`, Name: `Show ${index}`, Capacity: 5 }),
    });
    await created.text();
    const reserved = await fetch(`${url}/tickets/evt_${index}/reserve`, { method: "POST", headers: { "Idempotency-Key": `k${index}` } });
    await reserved.text();
    statuses.add(created.status).add(reserved.status);
  }
  return statuses;
}

describe("tix serve whose log cannot be written", () => {
  it.skipIf(!existsSync("/dev/full"))("a full disk (stderr on /dev/full): it serves on, and stops on SIGTERM with exit 0", async () => {
    const server = serve("2>/dev/full");
    const url = await server.url;
    expect(await requests(url, 5)).toEqual(new Set([201, 200]));
    child!.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("a file size limit: lines past it are lost, the server answers; once the log has room again, a note says how many were lost", async () => {
    const log = join(home.path, "serve.log");
    // A few kilobytes (ulimit -f counts 512-byte blocks in some shells, KiB in others); the store is memory.
    const server = serve(`2>>"${log}"`, "ulimit -f 8 && ");
    const url = await server.url;
    let size = -1;
    for (let round = 0; round < 100 && statSync(log).size !== size; round++) {
      size = statSync(log).size;
      expect(await requests(url, 10)).toEqual(new Set([201, 200]));
    }
    expect(statSync(log).size, "the log reached its limit").toBe(size);
    expect(await requests(url, 3), "answered past the limit").toEqual(new Set([201, 200]));
    writeFileSync(log, ""); // the operator makes room (rotates the log)
    const last = made;
    await requests(url, 1);
    await new Promise((resolve) => setTimeout(resolve, 100)); // access lines go out once per turn of the loop
    const after = readFileSync(log, "utf8");
    expect(after).toMatch(/^note: \d+ lines of this log could not be written and are lost: the file is at its size limit \(EFBIG\)\n/);
    expect(Number(/^note: (\d+)/.exec(after)![1])).toBeGreaterThanOrEqual(6);
    expect(after).toContain(`POST /events 201`);
    expect(after).toContain(`POST /tickets/evt_${last}/reserve 200`);
    child!.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });

  it("a log pipe whose reader went away (EPIPE): it serves on, and stops on SIGTERM with exit 0", async () => {
    const server = serve("");
    let stderr = "";
    child!.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await server.url;
    await expect.poll(() => stderr).toContain("listening on");
    child!.stderr!.destroy(); // the log's reader is gone: the next line written fails with EPIPE
    expect(await requests(url, 5)).toEqual(new Set([201, 200]));
    child!.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});

describe("tix --json serve whose URL document cannot be written", () => {
  // The document is the one line tix serve writes on stdout: a reader gone before it (a script's
  // parser that died, `| true`) ended the server at once, exit 0 with not a word, the log saying
  // it was listening; a service manager took it as a clean stop and did not restart it.
  it("its reader gone before it (EPIPE): it serves on, and stops on SIGTERM with exit 0", async () => {
    child = spawn(process.execPath, [TIX_BIN, "--json", "--store", "memory", "serve", "--port", "0", "--anonymous-user", "web"], { env: testEnv(home.path), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.destroy(); // before the server has started: its one write on stdout fails with EPIPE
    const exited = new Promise<number | null>((resolve) => child!.on("close", resolve));
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await expect.poll(() => stderr, { timeout: 10_000 }).toMatch(/listening on http:\/\/\S+/);
    const url = /listening on (http:\/\/\S+)/.exec(stderr)![1]!;
    // Past the write: had it ended the process, these would find no server.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await requests(url, 3)).toEqual(new Set([201, 200]));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});
