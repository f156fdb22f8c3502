import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Ctrl-C (SIGINT) under a grouped batch: the lines already started — whose writes may be
 * committed — are answered before tix ends with exit 130, so every ticket in the store was
 * printed. Before, tix ended at once and a committed group's tickets went unprinted.
 */
let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir("tix-batch-int-")));
afterEach(() => home.remove());

// The moment a signal lands is the operating system's: a few rounds, each on a fresh store.
it.each([1, 2, 3, 4])("answers the lines a Ctrl-C catches in flight, then exits 130 (round %i)", async () => {
  expect(runTix(["event", "create", "--id", "evt_rush", "--name", "Rush", "--capacity", "100000"], home.path).code).toBe(0);
  const child = spawn(process.execPath, [TIX_BIN, "--json", "repl"], { env: testEnv(home.path) });
  let written = 0;
  const feed = (count: number): void => {
    const lines = Array.from({ length: count }, (_, index) => `reserve evt_rush --key k${written + index} --user u${written + index}`);
    written += count;
    child.stdin.write(`${lines.join("\n")}\n`);
  };
  let stdout = "";
  let stderr = "";
  let answered = 0;
  let sent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    answered += chunk.toString().split("\n").length - 1;
    if (sent) return;
    // Mid-stream, while groups are committed and answered, with more lines coming.
    if (answered >= 3000) {
      sent = true;
      child.kill("SIGINT");
    } else if (written - answered < 1000) feed(1000);
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.on("error", () => {}); // tix stops reading once interrupted
  feed(2000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));

  expect(code, stderr).toBe(130);
  expect(stderr).toBe("");
  const answers = stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { status: string; tickets: Array<{ id: string }> });
  expect(answers.length).toBeGreaterThanOrEqual(3000);
  expect(answers.every((answer) => answer.status === "success")).toBe(true);
  const printed = answers.map((answer) => answer.tickets[0]!.id).sort();
  const db = new Database(join(home.path, "tix.db"), { readonly: true });
  const stored = (db.prepare("SELECT id FROM tickets ORDER BY id").all() as Array<{ id: string }>).map((row) => row.id);
  db.close();
  expect(stored).toEqual(printed);
});
