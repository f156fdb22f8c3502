import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { issueToken, loadSecret } from "../../src/auth/tokens.js";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * `tix serve` on SQLite while another process holds the write lock: reads need no write lock and
 * answer at once, a waiting write does not block the event loop (even a 404 answers meanwhile),
 * and the write, once through, records the time it was made — after the lock was let go.
 */
let home: { path: string; remove: () => void };
let server: ChildProcess | undefined;
beforeEach(() => {
  home = tempDir("tix-serve-busy-");
});
afterEach(() => {
  server?.kill("SIGKILL");
  home.remove();
});

it("keeps answering while another process holds the write lock; the waiting write is timed after the lock", async () => {
  const dbPath = join(home.path, "tix.db");
  expect(runTix(["event", "create", "--id", "evt_busy", "--name", "Busy", "--capacity", "5"], home.path).code).toBe(0);
  server = spawn(process.execPath, [TIX_BIN, "serve", "--port", "0"], { env: testEnv(home.path, { TIX_BUSY_TIMEOUT_MS: "20000" }), stdio: ["ignore", "ignore", "pipe"] });
  let head = "";
  const base = await new Promise<string>((resolve, reject) => {
    server!.stderr!.on("data", (chunk: Buffer) => {
      head += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(head)?.[1];
      if (url) resolve(url);
    });
    server!.on("close", (code) => reject(new Error(`serve exited ${code}: ${head}`)));
  });
  const token = issueToken(loadSecret(home.path), { userId: "web", ttlSeconds: 600, now: Date.now() }).token;

  const holder = new Database(dbPath);
  holder.exec("BEGIN IMMEDIATE");
  try {
    const reserving = fetch(`${base}/tickets/evt_busy/reserve`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": "busy-1" } });
    await new Promise((resolve) => setTimeout(resolve, 300)); // the reserve is now waiting for the lock
    for (const path of ["/events/evt_busy", "/events", "/no/such/route"]) {
      const started = Date.now();
      const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status, path).toBe(path.startsWith("/no") ? 404 : 200);
      expect(Date.now() - started, `${path} answered while the write waited`).toBeLessThan(3_000);
    }
    await new Promise((resolve) => setTimeout(resolve, 700));
    const releasedAt = Date.now();
    holder.exec("COMMIT");
    const response = await reserving;
    expect(response.status).toBe(200);
    const body = await response.json() as { Ticket: { ReservedAt: string } };
    expect(Date.parse(body.Ticket.ReservedAt)).toBeGreaterThanOrEqual(releasedAt);
  } finally {
    if (holder.inTransaction) holder.exec("ROLLBACK");
    holder.close();
  }
}, 60_000);
