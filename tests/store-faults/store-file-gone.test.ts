import { spawn } from "node:child_process";
import { copyFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The store's file deleted or replaced under a running batch: SQLite keeps writing the unlinked
 * file through its open handle, so a success printed after that would be lost with it. The
 * lines after the file went answer STORE_UNAVAILABLE (exit 8) naming what happened.
 */
let home: { path: string; remove: () => void };
let dbPath: string;
beforeEach(() => {
  home = tempDir("tix-gone-");
  dbPath = join(home.path, "tix.db");
  expect(runTix(["event", "create", "--id", "evt_gone", "--name", "Gone", "--capacity", "50"], home.path).code).toBe(0);
});
afterEach(() => home.remove());

/** A batch fed one line at a time: each line's answer is read before the next is sent. */
function pacedBatch() {
  const child = spawn(process.execPath, [TIX_BIN, "--json", "repl"], { env: testEnv(home.path) });
  const answers = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    async send(line: string): Promise<{ status: string; ticket?: { id: string }; error?: { code: string; message: string } }> {
      child.stdin.write(`${line}\n`);
      const next = await answers.next();
      return JSON.parse(next.value as string);
    },
    async end(): Promise<{ code: number | null; stderr: string }> {
      child.stdin.end();
      return { code: await exited, stderr };
    },
  };
}

function storedTickets(): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return (db.prepare("SELECT id FROM tickets ORDER BY id").all() as Array<{ id: string }>).map((row) => row.id);
  } finally {
    db.close();
  }
}

describe("the store's file going away under a batch", () => {
  it("refuses the writes after the file was deleted, instead of printing successes written into the unlinked file", async () => {
    const batch = pacedBatch();
    expect((await batch.send("reserve evt_gone --key k1 --user u1")).status).toBe("success");
    rmSync(dbPath);
    const after = await batch.send("reserve evt_gone --key k2 --user u2");
    expect(after.status).toBe("error");
    expect(after.error!.code).toBe("STORE_UNAVAILABLE");
    expect(after.error!.message).toMatch(/line 2: the store .*tix\.db was deleted while tix had it open/);
    const { code, stderr } = await batch.end();
    expect(code).toBe(8);
    expect(stderr).toBe("");
  });

  it("refuses the writes after another file was moved over it", async () => {
    const backup = join(home.path, "backup.db");
    copyFileSync(dbPath, backup);
    const batch = pacedBatch();
    const first = await batch.send("reserve evt_gone --key k1 --user u1");
    expect(first.status).toBe("success");
    renameSync(backup, dbPath); // a backup restored while the batch runs
    const after = await batch.send("reserve evt_gone --key k2 --user u2");
    expect(after.error?.code).toBe("STORE_UNAVAILABLE");
    expect(after.error!.message).toMatch(/was replaced while tix had it open/);
    expect((await batch.end()).code).toBe(8);
    // Line 1's ticket is still in the -wal left at the path (SQLite's, read with whatever file is
    // there: docs/reliability.md); line 2's is nowhere.
    expect(storedTickets()).toEqual([first.ticket!.id]);
  });
});
