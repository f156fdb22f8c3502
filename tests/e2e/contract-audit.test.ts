import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { Terminal } from "../helpers/pty-terminal.js";
import { tempDir } from "../helpers/temp-dir.js";

// The contract (/work/shared/contract.md) read line by line against the built bin/tix: each test
// here is a promise that the fifteenth audit found broken, run as the page words it.

let home: ReturnType<typeof tempDir>;
const tix = (args: string[], env: Record<string, string | undefined> = {}, input = "") => runTix(args, home.path, { env, input, timeoutMs: 20_000 });

beforeEach(() => {
  home = tempDir();
});
afterEach(() => home.remove());

/** Runs bin/tix in a real pseudo-terminal; answers its exit code and everything it wrote. */
async function inTerminal(args: string[], extra: Record<string, string | undefined> = {}): Promise<{ code: number; raw: string }> {
  const env = testEnv(home.path, { NO_COLOR: undefined, TIX_PAGER: "cat", ...extra });
  const terminal = new Terminal(process.execPath, [TIX_BIN, ...args], env, { cols: 100, rows: 40 });
  const code = await terminal.exited;
  return { code, raw: terminal.raw() };
}

const ESC = "\u001b";
const COLOUR = `${ESC}[31m`;

describe("--no-color | NO_COLOR, FORCE_COLOR: colour only on a TTY unless forced", () => {
  it("FORCE_COLOR=0 (or false) forces colour off on a terminal, as Node and chalk read it", async () => {
    const coloured = await inTerminal(["event", "show", "evt_missing"]);
    expect(coloured.code).toBe(3);
    expect(coloured.raw).toContain(COLOUR);
    for (const value of ["0", "false"]) {
      const plain = await inTerminal(["event", "show", "evt_missing"], { FORCE_COLOR: value });
      expect(plain.code).toBe(3);
      expect(plain.raw, `FORCE_COLOR=${value}`).toContain("error: no event with id evt_missing");
      expect(plain.raw, `FORCE_COLOR=${value}`).not.toContain("\u001b[3");
    }
    // --color still wins over it.
    expect((await inTerminal(["--color", "event", "show", "evt_missing"], { FORCE_COLOR: "0" })).raw).toContain(COLOUR);
  });

  it("--no-color takes the colour off prompts too (inquirer's own colour heard only NO_COLOR)", async () => {
    for (const flags of [[], ["--no-color"]]) {
      const env = testEnv(home.path, { NO_COLOR: undefined, TIX_NO_INPUT: undefined });
      const terminal = new Terminal(process.execPath, [TIX_BIN, ...flags, "--store", "memory", "event", "create"], env, { cols: 100, rows: 40 });
      try {
        await terminal.waitFor(/Event name:/);
        terminal.type("\u0003");
        expect(await terminal.exited).toBe(130);
        // inquirer's "?" is blue, its question bold.
        if (flags.length === 0) expect(terminal.raw()).toContain("\u001b[34m?");
        else expect(terminal.raw()).not.toMatch(new RegExp(`${ESC}\\[(3\\d|1)m`));
      } finally {
        terminal.kill();
      }
    }
  });

  it("in the REPL, a --no-color line's prompt is plain after an earlier line's prompt was coloured", async () => {
    const env = testEnv(home.path, { NO_COLOR: undefined, TIX_NO_INPUT: undefined });
    const terminal = new Terminal(process.execPath, [TIX_BIN, "--store", "memory", "repl"], env, { cols: 100, rows: 40 });
    try {
      await terminal.waitFor(/tix> $/);
      terminal.type("event create\r");
      await terminal.waitFor(/Event name:/);
      expect(terminal.raw()).toContain("\u001b[34m?");
      terminal.type("\u0003");
      await terminal.waitFor(/tix> $/);
      const before = terminal.raw().length;
      terminal.type("event create --no-color\r");
      await terminal.waitFor(/Event name:/);
      expect(terminal.raw().slice(before)).not.toMatch(new RegExp(`${ESC}\\[(3\\d|1)m`));
    } finally {
      terminal.kill();
    }
  });

  it("--color forces colour on an error piped to a file, as FORCE_COLOR=1 does; --no-color still wins", () => {
    expect(tix(["--color", "event", "show", "evt_missing"]).stderr.startsWith(`${COLOUR}error:`)).toBe(true);
    expect(tix(["--color", "--no-color", "event", "show", "evt_missing"]).stderr).toMatch(/^error:/);
  });
});

describe("TIX_HOME: the data folder, created with mode 0700", () => {
  it("a TIX_HOME that cannot be made is STORE_UNAVAILABLE (exit 8) at once, not a process that never ends", () => {
    // mkdir under /proc answers ENOENT although /proc exists: Node's recursive mkdirSync looped on it.
    const run = tix(["--json", "event", "list"], { TIX_HOME: "/proc/tix-audit-no-such-folder" });
    expect(run.code).toBe(8);
    expect(run.json().error.code).toBe("STORE_UNAVAILABLE");
  });

  it("so are the token secret and the REPL's history under such a TIX_HOME: an error or nothing saved, never a spin", async () => {
    const home = "/proc/tix-audit-no-such-folder";
    const token = tix(["--json", "token", "create", "--user", "door-1"], { TIX_HOME: home });
    expect(token.code).not.toBe(0);
    expect(token.json().error.message).toContain("/proc/tix-audit-no-such-folder/secret");
    // The REPL saves its history when it ends: with nowhere to save it, it ends all the same.
    const terminal = new Terminal(process.execPath, [TIX_BIN, "--store", "memory", "repl"], { ...process.env, TIX_HOME: home, NO_COLOR: "1" }, { cols: 100, rows: 40 });
    try {
      await terminal.waitFor(/tix> /);
      terminal.type("exit\r");
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
  });
});

describe("--json: machine output on stdout, nothing else on stdout", () => {
  it("help and --version under --json are one JSON document each", () => {
    const help = tix(["--json", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(help.json()).toEqual({ status: "success", help: expect.stringContaining("Usage: tix [options] [command]") });
    // The examples and exit codes commander prints after the usage are in the same document.
    expect(help.json().help).toContain("130 interrupted");
    expect(tix(["help", "reserve", "--json"]).json().help).toContain("Usage: tix reserve");
    expect(tix(["--json", "--version"]).json()).toEqual({ status: "success", version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it("completion under --json answers the script inside one JSON document; without it, the script itself", () => {
    const run = tix(["completion", "bash", "--json"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toHaveLength(1);
    const script = run.json().script as string;
    expect(script).toContain("bash completion for tix");
    expect(tix(["completion", "bash"]).stdout).toBe(script);
  });

  it("a --json batch prints one JSON line for each line, help included", () => {
    const run = tix(["--store", "memory", "--json"], {}, "help\nseed\nhelp event show\nevent show $event\n");
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    const documents = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents.map((document) => Object.keys(document)[1])).toEqual(["help", "events", "help", "event"]);
    // Without --json the session's own part ($event, exit, Tab) follows the program's help.
    expect(tix(["--store", "memory"], {}, "help\n").stdout).toContain("$event, $ticket");
  });
});

describe("--help says what the contract says", () => {
  it("event create and update give capacity's range; reserve says the generated key is printed", () => {
    for (const command of ["create", "update"]) {
      expect(tix(["event", command, "--help"]).stdout.replace(/\s+/g, " ")).toContain("a whole number from 1 to 10,000,000");
    }
    expect(tix(["reserve", "--help"]).stdout.replace(/\s+/g, " ")).toContain("(generated and printed when omitted)");
  });
});

describe("batch: with stdin not a TTY it runs one command a line", () => {
  it("a script saved as UTF-8 with a byte-order mark runs its first line (it was 'unknown command' with an invisible U+FEFF)", () => {
    const run = tix(["--store", "memory", "--json"], {}, "\ufeffseed\nevent show evt_jazz_evening\n");
    expect(run.code).toBe(0);
    const [seeded, shown] = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { status: string; event?: { id: string } });
    expect(seeded!.status).toBe("success");
    expect(shown!.event!.id).toBe("evt_jazz_evening");
  });
});
