import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The disk filling up under a grouped batch (here a file size limit, `ulimit -f`, which makes the
 * writes fail as a full disk does, without root): a group the store refuses is run again line by
 * line, and each line is answered as it ended — a line committed before the store refused the
 * next is a success, printed, never an error for a ticket that is in the file.
 */
let home: { path: string; remove: () => void };
beforeEach(() => (home = tempDir("tix-fsize-")));
afterEach(() => home.remove());

it("answers each line of a grouped batch as it ended when the store's file reaches its size limit", () => {
  const dbPath = join(home.path, "tix.db");
  expect(runTix(["event", "create", "--id", "evt_big", "--name", "Big", "--capacity", "100000"], home.path).code).toBe(0);
  const lines = Array.from({ length: 400 }, (_, index) => `reserve evt_big --key k${index + 1} --user u${index + 1}`);
  // Room for a few groups of reserves in the WAL, not for all 400 lines.
  const limitKiB = Math.ceil(statSync(dbPath).size / 1024) + 192;
  const run = spawnSync("sh", ["-c", `ulimit -f ${limitKiB} && exec "${process.execPath}" "${TIX_BIN}" --json repl`], {
    env: testEnv(home.path),
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr).toBe(8);
  const answers = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { status: string; ticket?: { id: string }; error?: { code: string; line: number } });
  expect(answers).toHaveLength(lines.length);
  const failures = answers.filter((answer) => answer.status === "error");
  expect(failures.length, "the limit was reached").toBeGreaterThan(0);
  expect(failures.every((answer) => answer.error!.code === "STORE_UNAVAILABLE")).toBe(true);
  const printed = answers.flatMap((answer) => (answer.ticket ? [answer.ticket.id] : [])).sort();
  expect(printed.length, "some lines were stored before the limit").toBeGreaterThan(0);

  const db = new Database(dbPath, { readonly: true });
  const stored = (db.prepare("SELECT id FROM tickets ORDER BY id").all() as Array<{ id: string }>).map((row) => row.id);
  db.close();
  expect(stored).toEqual(printed);
});
