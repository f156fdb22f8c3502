import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { spawn } from "node-pty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIX_BIN, knob, runTix, runTixAsync, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Names and venues are stored exactly as given — ANSI escape sequences, control and bidi
 * characters included — but a terminal is never made to obey them: human output shows them
 * escaped (`\x1b`). JSON carries them as they are (JSON escapes them itself).
 */
const RANDOM_NAMES = knob("TIX_STRESS_RUNS", 6, 60);

const FIXED_NAMES = [
  "\u001b[31mRed Night\u001b[0m",
  "\u001b]0;pwned\u0007Title",
  "\u001b[2J\u001b[HClear Screen",
  "Carriage\rReturn",
  "Line\nBreak",
  "Tab\tIn Name",
  "Bell\u0007 and NUL-free C1 \u0085\u009b31m",
  "\u202eevil\u202c reversed",
  "Zero\u200bwidth \ufeffBOM",
  "Backspace\b\b\bX",
];

/** A name with a control character in it somewhere, among ordinary text. */
const controlName = fc.tuple(
  fc.string({ minLength: 1, maxLength: 12 }),
  fc.array(fc.oneof(
    fc.integer({ min: 1, max: 0x1f }).map((code) => String.fromCharCode(code)),
    fc.integer({ min: 0x7f, max: 0x9f }).map((code) => String.fromCharCode(code)),
    fc.constantFrom("\u001b[", "\u001b]8;;http://x\u0007", "\u202e", "\u2066", "\u200f"),
  ), { minLength: 1, maxLength: 4 }),
  fc.string({ minLength: 1, maxLength: 12 }),
).map(([head, controls, tail]) => `${head}${controls.join("")}${tail}`).filter((name) => name.trim() !== "");

/** What a terminal would obey: C0 and C1 controls (but the line structure), and bidi overrides. */
// eslint-disable-next-line no-control-regex
const OBEYED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

let home: { path: string; remove: () => void };
const names: string[] = [];
const ids: string[] = [];

beforeAll(async () => {
  home = tempDir("tix-escaping-");
  names.push(...FIXED_NAMES, ...fc.sample(controlName, RANDOM_NAMES));
  const created = await Promise.all(names.map((name) =>
    // Every name at once on one file: on a loaded machine some wait longer than the default 5 s for the write lock.
    runTixAsync(["--json", "event", "create", "--name", name, "--venue", name, "--capacity", "1"], home.path, { env: { TIX_BUSY_TIMEOUT_MS: "60000" } })));
  for (const [index, run] of created.entries()) {
    expect(run.code, `${JSON.stringify(names[index])}: ${run.stderr}`).toBe(0);
    ids.push(run.json().event.id);
  }
}, 120_000);
afterAll(() => home.remove());

describe("names with control characters", () => {
  it("are stored exactly as given, and JSON gives them back exactly", () => {
    const db = new Database(join(home.path, "tix.db"), { readonly: true });
    const stored = db.prepare("SELECT id, name, venue FROM events").all() as Array<{ id: string; name: string; venue: string }>;
    db.close();
    const expected = ids.map((id, index) => ({ id, name: names[index], venue: names[index] }));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(stored.sort(byId)).toEqual(expected.sort(byId));
    const listed = runTix(["--json", "event", "list"], home.path).json().events as Array<{ id: string; name: string; venue: string }>;
    expect(listed.map(({ id, name, venue }) => ({ id, name, venue })).sort(byId)).toEqual(expected);
  });

  it("are printed escaped when piped: one line per event, no character a terminal would obey", () => {
    const list = runTix(["event", "list"], home.path);
    expect(list.code).toBe(0);
    expect(list.stdout).not.toMatch(OBEYED);
    const lines = list.stdout.trimEnd().split("\n");
    expect(lines, "a name must not break the one-line-per-event layout").toHaveLength(names.length);
    expect(lines.map((line) => line.split("\t")[0]).sort()).toEqual([...ids].sort());
    for (const line of lines) expect(line.split("\t"), line).toHaveLength(10);
    expect(list.stdout).toContain("\\x1b[31mRed Night\\x1b[0m");
    for (const id of ids.slice(0, 4)) {
      const show = runTix(["event", "show", id], home.path);
      expect(show.code).toBe(0);
      expect(show.stdout).not.toMatch(OBEYED);
      expect(show.stdout.trimEnd().split("\n").every((line) => /^[a-zA-Z]+:\t/.test(line)), show.stdout).toBe(true);
    }
  });

  it("are printed escaped on a terminal (a real pseudo-terminal, colours off)", async () => {
    for (const args of [["event", "list"], ["event", "show", ids[0]!], ["event", "show", ids[1]!]]) {
      const output = await new Promise<string>((resolve) => {
        let text = "";
        const pty = spawn(process.execPath, [TIX_BIN, ...args], { name: "xterm", cols: 400, rows: 60, env: { ...testEnv(home.path), TERM: "xterm" } });
        pty.onData((data) => (text += data));
        pty.onExit(() => resolve(text));
      });
      // The terminal ends lines with \r\n; anything else a terminal obeys came from a name.
      const screen = output.replace(/\r\n/g, "\n");
      expect(screen, JSON.stringify(screen)).not.toMatch(OBEYED);
      expect(screen).toContain("\\x1b");
    }
  }, 60_000);
});

describe("names whose joiners and tags are part of the text", () => {
  it("are printed as written, piped: Persian's ZWNJ, emoji ZWJ sequences, a subdivision flag", () => {
    const text = { name: "می\u200cخواهم 👩🏽\u200d💻", venue: "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Glasgow" };
    const created = runTix(["--json", "event", "create", "--name", text.name, "--venue", text.venue, "--capacity", "1"], home.path);
    expect(created.code, created.stderr).toBe(0);
    const show = runTix(["event", "show", created.json().event.id], home.path);
    expect(show.stdout).toContain(`name:\t${text.name}\n`);
    expect(show.stdout).toContain(`venue:\t${text.venue}\n`);
  });
});
