import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/output/text.js";
import { runTix, testEnv } from "../helpers/cli.js";
import { Terminal, shellInTerminal } from "../helpers/pty-terminal.js";
import { TIX_BIN } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// Notes and warnings on stderr are laid out between words to the width of stderr's terminal, as
// errors are — also when stdout is not the terminal (`tix … > out`): they were written as one
// long line, which the terminal broke mid-word.

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const COLUMNS = 80;
const env = () => testEnv(home.path, { TIX_NOW: "2029-01-01T12:00:00Z", TZ: "UTC" });
const tix = (args: string[]) => runTix(args, home.path, { env: { TIX_NOW: "2029-01-01T12:00:00Z" } });
/** `tix ARGS > out.txt` (or another redirection) in an 80-column terminal: what the terminal showed, and the file. */
async function redirected(args: string[], redirection = '> "$TIX_HOME/out.txt"'): Promise<{ code: number; shown: string[]; file: string }> {
  const run = await shellInTerminal(`"$@" ${redirection}`, args, env(), { cols: COLUMNS, rows: 30 });
  const file = (() => {
    try {
      return readFileSync(join(home.path, "out.txt"), "utf8");
    } catch {
      return "";
    }
  })();
  return { code: run.code, shown: run.text.replace(/\n$/, "").split("\n"), file };
}

/** Each line within the terminal, and together the note's words, whole and in order. */
function expectLaidOut(shown: string[], note: string): void {
  for (const line of shown) expect(displayWidth(line), line).toBeLessThanOrEqual(COLUMNS);
  expect(shown.length, shown.join("\n")).toBeGreaterThan(1);
  expect(shown.join(" ")).toBe(note);
}

const SALES_END_NOTE = "note: sales end when event evt_summer_gala_2030 starts, 2030-06-01T20:00:00.000Z: the --sales-end given (2030-07-01T00:00Z) is later";
const ALLOW_SPLIT_NOTE = "note: --allow-split has no effect: event evt_summer_gala_2030 is general admission (no seats to keep together)";

describe("notes on stderr's terminal, stdout sent to a file", () => {
  it("event create's note on a --sales-end later than the start is laid out to 80 columns; the file has the record alone", async () => {
    const run = await redirected(["event", "create", "--id", "evt_summer_gala_2030", "--name", "Gala", "--capacity", "5", "--starts-at", "2030-06-01T20:00Z", "--sales-end", "2030-07-01T00:00Z"]);
    expect(run.code).toBe(0);
    expectLaidOut(run.shown, SALES_END_NOTE);
    expect(run.file).toMatch(/^id:\tevt_summer_gala_2030$/m);
    expect(run.file).not.toContain("note:");
  });

  it("reserve --allow-split's note, piped and with --json alike; the file has the data alone", async () => {
    expect(tix(["event", "create", "--id", "evt_summer_gala_2030", "--name", "Gala", "--capacity", "5", "--limit-per-user", "5"]).code).toBe(0);
    const piped = await redirected(["reserve", "evt_summer_gala_2030", "--allow-split", "--key", "k1"]);
    expect(piped.code).toBe(0);
    expectLaidOut(piped.shown, ALLOW_SPLIT_NOTE);
    expect(piped.file).toMatch(/^key:\tk1$/m);
    const json = await redirected(["--json", "reserve", "evt_summer_gala_2030", "--allow-split", "--key", "k2", "--user", "bob"]);
    expect(json.code).toBe(0);
    expectLaidOut(json.shown, ALLOW_SPLIT_NOTE);
    expect(JSON.parse(json.file)).toMatchObject({ status: "success", key: "k2", replayed: false });
  });

  it("stderr sent to a file keeps a note on one line, for a script (stdout on the terminal)", async () => {
    const run = await redirected(["event", "create", "--id", "evt_summer_gala_2030", "--name", "Gala", "--capacity", "5", "--starts-at", "2030-06-01T20:00Z", "--sales-end", "2030-07-01T00:00Z"], '2> "$TIX_HOME/out.txt"');
    expect(run.code).toBe(0);
    expect(run.file.split("\n")[0]).toBe(SALES_END_NOTE);
  });
});

describe("tix serve's own messages on a terminal", () => {
  // "listening on … (store …; …; Ctrl-C stops)" was one long line, which a 40-column terminal broke
  // mid-word (`(stor` / `e sqlite:…`), and the message after Ctrl-C began after the echoed `^C`.
  it("are laid out between words to the width; the one after Ctrl-C starts a line of its own", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "serve", "--port", "0", "--anonymous-user", "alice", "--cors-origin", "http://localhost:3000"], env(), { cols: 40, rows: 30 });
    try {
      await terminal.waitFor(/Ctrl-C stops\)/);
      terminal.type("\x03");
      expect(await terminal.exited).toBe(130);
      const shown = terminal.text().replace(/\n$/, "").split("\n");
      for (const line of shown) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      const listening = shown.findIndex((line) => line.startsWith("listening on"));
      const closing = shown.findIndex((line) => line.endsWith("Ctrl-C stops)"));
      expect(shown.slice(listening, closing + 1).join(" ")).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+ \(store sqlite:\S+; requests without a token act as alice, who may change events; tokens still work; web pages of http:\/\/localhost:3000 may call it \(CORS\); Ctrl-C stops\)$/);
      const stopping = shown.findIndex((line) => line.startsWith("SIGINT: "));
      expect(shown.slice(stopping, stopping + 2).join(" ")).toBe("SIGINT: finishing requests in flight (up to 10s; a second signal cuts them short)");
      expect(shown.at(-1)).toBe("stopped");
    } finally {
      terminal.kill();
    }
  });
});
