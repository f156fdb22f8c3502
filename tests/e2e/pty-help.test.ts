import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/output/text.js";
import { TIX_BIN, runTix } from "../helpers/cli.js";
import { Terminal, shellInTerminal, terminalsPerTest } from "../helpers/pty-terminal.js";

// --help is output like any other: on a terminal, longer than the screen, it goes through the
// pager (docs/guide.md, "Long output on a terminal"); piped, it is printed whole, as before.

const terminals = terminalsPerTest();

/**
 * A pager that records what it was given (in $TIX_HOME/paged.txt) and says so on the screen:
 * what tix hands a pager, without less's screen handling in the way.
 */
function recordingPager(): { command: string; paged: () => string | undefined } {
  const script = join(terminals.home(), "pager.sh");
  const file = join(terminals.home(), "paged.txt");
  writeFileSync(script, `#!/bin/sh\ncat > '${file}'\necho "PAGER GOT $(wc -l < '${file}') LINES"\n`);
  chmodSync(script, 0o755);
  rmSync(file, { force: true });
  return { command: script, paged: () => (existsSync(file) ? readFileSync(file, "utf8") : undefined) };
}

/** A shell line in a terminal of `cols` × `rows`; answers its exit code and the screen's text. */
const inTerminal = (line: string, size: { cols: number; rows: number }, env: Record<string, string> = {}) =>
  shellInTerminal(line, [], { ...terminals.env(), ...env }, size, 30_000);

/** `tix ARGS` as the shell line: "$@" is node and bin/tix. */
const tix = (args: string): string => `"$@" ${args}`;

describe("--help on a terminal", () => {
  it("longer than a 20-row terminal goes through the pager: tix --help, tix <command> --help, tix help <command>; exit 0", async () => {
    const piped = runTix(["--help"], terminals.home(), { env: { COLUMNS: "80" } }).stdout;
    for (const args of ["--help", "event create --help", "help event update", "-h"]) {
      const pager = recordingPager();
      const { code, text } = await inTerminal(tix(args), { cols: 80, rows: 20 }, { PAGER: pager.command });
      expect(code, args).toBe(0);
      const paged = pager.paged();
      expect(paged, `${args}: the pager was not started:\n${text}`).toBeDefined();
      expect(text).toContain(`PAGER GOT ${paged!.split("\n").length - 1} LINES`);
      expect(paged!.split("\n").length, args).toBeGreaterThan(20);
      // The pager got the help and nothing else was printed around it.
      expect(text.replace(/PAGER GOT \d+ LINES\n?/, "").trim(), args).toBe("");
      if (args === "--help") expect(paged).toBe(piped);
    }
  }, 60_000);

  it("pages through real less, which waits for the reader; q leaves it with exit 0", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "event", "create", "--help"], { ...terminals.env(), PAGER: "less -FRX" }, { cols: 80, rows: 100 });
    const small = new Terminal(process.execPath, [TIX_BIN, "event", "create", "--help"], { ...terminals.env(), PAGER: "less -FRX" }, { cols: 80, rows: 20 });
    try {
      // A 100-row terminal holds it: printed, less quits at once (-F) or is never started.
      expect(await terminal.exited).toBe(0);
      expect(terminal.text()).toContain("Examples:");
      await small.waitFor(/Usage: tix event create/);
      await small.waitFor(/\n:/); // less's prompt: the rest waits for the reader
      expect(small.text()).not.toContain("Examples:");
      small.type("q");
      expect(await small.exited).toBe(0);
    } finally {
      terminal.kill();
      small.kill();
    }
  }, 30_000);

  it("shorter than the screen, with --no-pager, TIX_PAGER=cat, or in a session, is printed as it is", async () => {
    const cases: Array<[line: string, env: Record<string, string>]> = [
      [tix("report --help"), {}], // 15 lines
      [tix("--no-pager --help"), {}],
      [tix("event create --help --no-pager"), {}],
      [tix("--help"), { TIX_PAGER: "cat" }],
      [tix("--help"), { TIX_PAGER: "" }],
      [`printf 'help reserve\\n' | ${tix("--store memory")}`, {}],
    ];
    for (const [line, env] of cases) {
      const pager = recordingPager();
      const { code, text } = await inTerminal(line, { cols: 80, rows: 20 }, { PAGER: pager.command, ...env });
      expect(code, line).toBe(0);
      expect(pager.paged(), line).toBeUndefined();
      expect(text, line).toMatch(/Usage: tix/);
      expect(text, line).not.toContain("PAGER GOT");
    }
  }, 60_000);

  it("piped, is printed whole and never paged, even from a terminal; --json's is one document", async () => {
    const pager = recordingPager();
    const out = join(terminals.home(), "help.txt");
    const { code } = await inTerminal(`${tix("--help")} | cat > '${out}'`, { cols: 80, rows: 20 }, { PAGER: pager.command });
    expect(code).toBe(0);
    expect(pager.paged()).toBeUndefined();
    expect(readFileSync(out, "utf8")).toBe(runTix(["--help"], terminals.home(), { env: { COLUMNS: "80" } }).stdout);
    const json = await inTerminal(tix("--json event create --help"), { cols: 80, rows: 20 }, { PAGER: pager.command });
    expect(json.code).toBe(0);
    expect(pager.paged()).toBeUndefined();
    expect(JSON.parse(json.text.replace(/\r?\n/g, "")).help).toMatch(/^Usage: tix event create/);
    // A script's run (stdout a pipe) as before.
    const run = runTix(["help", "event", "update"], terminals.home(), { env: { PAGER: pager.command } });
    expect([run.code, run.stderr]).toEqual([0, ""]);
    expect(run.stdout).toMatch(/^Usage: tix event update/);
    expect(pager.paged()).toBeUndefined();
  }, 60_000);

  it("a usage error is still one line on stderr with exit 2, never paged", async () => {
    const pager = recordingPager();
    for (const args of ["event", "order --help", "help nosuch"]) {
      const { code, text } = await inTerminal(tix(args), { cols: 80, rows: 20 }, { PAGER: pager.command });
      expect(code, args).toBe(2);
      expect(text, args).toMatch(/^error: /);
      expect(pager.paged(), args).toBeUndefined();
    }
  }, 30_000);

  it("in an 80-column terminal, no line of any command's help is wider than 80", async () => {
    const top = runTix(["--help"], terminals.home(), { env: { COLUMNS: "400" } }).stdout;
    const names = (help: string): string[] =>
      (help.split("Commands:\n")[1] ?? "").split("\n\n")[0]!.split("\n").map((line) => line.trim().split(/\s+/)[0]!).filter((name) => name !== "" && name !== "help");
    const paths = [[], ...names(top).flatMap((name) => {
      const sub = runTix([name, "--help"], terminals.home(), { env: { COLUMNS: "400" } }).stdout;
      return [[name], ...names(sub).map((child) => [name, child])];
    })];
    expect(paths.length).toBeGreaterThan(20);
    // One terminal, every help in turn (TIX_PAGER=cat: printed, as the screen shows it).
    const line = paths.map((path) => `${tix([...path, "--help"].join(" "))}; echo "=== $?"`).join("; ");
    const { text } = await inTerminal(line, { cols: 80, rows: 50 }, { TIX_PAGER: "cat" });
    const codes = [...text.matchAll(/^=== (\d+)$/gm)].map((match) => match[1]);
    expect(codes).toEqual(paths.map(() => "0"));
    for (const shown of text.split("\n")) expect(displayWidth(shown), shown).toBeLessThanOrEqual(80);
  }, 120_000);
});
