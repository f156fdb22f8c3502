import { spawn, type IPty } from "node-pty";
import { afterEach, beforeEach } from "vitest";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** How long no output must come after a program's exit before the exit is answered. */
const SETTLE_MS = 100;

/** A program in a real pseudo-terminal: type keys, and wait for what appears on the screen. */
export class Terminal {
  private output = "";
  /** How far waitFor has read: each wait looks only at what came after the previous match. */
  private read = 0;
  private readonly pty: IPty;
  readonly exited: Promise<number>;

  constructor(file: string, args: string[], env: Record<string, string>, size: { cols: number; rows: number } = { cols: 120, rows: 40 }) {
    this.pty = spawn(file, args, { name: "xterm", cols: size.cols, rows: size.rows, env: { ...env, TERM: "xterm" } });
    let lastData = Date.now();
    this.pty.onData((data) => {
      this.output += data;
      lastData = Date.now();
    });
    // node-pty may deliver a program's last output after its exit (microsoft/node-pty#72; a
    // 49-line list once arrived as 25 on a loaded machine): the exit is answered once no output
    // has come for a moment.
    this.exited = new Promise((resolve) => this.pty.onExit(({ exitCode }) => {
      const settled = (): void => void (Date.now() - lastData >= SETTLE_MS ? resolve(exitCode) : setTimeout(settled, SETTLE_MS / 4));
      setTimeout(settled, SETTLE_MS / 4);
    }));
  }

  /** Everything the program wrote, escape sequences and all. */
  raw(): string {
    return this.output;
  }

  /** The screen's text so far, without colours and cursor movements. */
  text(): string {
    // eslint-disable-next-line no-control-regex
    return this.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  }

  /**
   * The lines the screen shows now, as a terminal draws the output: text overwrites at the cursor,
   * `\r` and `\n` move it, and cursor up / down / to a column, erase in line and erase below are
   * obeyed (colours and other sequences ignored). No height: nothing scrolls away. One column a
   * character, so only for lines of narrow characters; trailing blanks trimmed.
   */
  screen(): string[] {
    const lines: string[][] = [[]];
    let row = 0;
    let column = 0;
    const line = (): string[] => (lines[row] ??= []);
    // eslint-disable-next-line no-control-regex
    for (const [, params, final, text] of this.output.matchAll(/\x1b\[([0-9;?]*)([A-Za-z])|\x1b[^[]|([\s\S])/g)) {
      const n = Number((params ?? "").replace("?", "") || 1);
      if (text === "\r") column = 0;
      else if (text === "\n") row += 1;
      else if (text !== undefined) {
        if (text < " ") continue;
        const here = line();
        while (here.length < column) here.push(" ");
        here[column] = text;
        column += 1;
      } else if (final === "A") row = Math.max(0, row - n);
      else if (final === "B") row += n;
      else if (final === "G") column = n - 1;
      else if (final === "K") lines[row] = params === "2" ? [] : line().slice(0, column);
      else if (final === "J") {
        lines[row] = line().slice(0, column);
        lines.length = row + 1;
      }
    }
    return Array.from(lines, (cells) => (cells ?? []).join("").trimEnd());
  }

  type(keys: string): void {
    this.pty.write(keys);
  }

  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text();
      const match = new RegExp(pattern.source, pattern.flags.replace("g", "")).exec(text.slice(this.read));
      if (match) {
        this.read += match.index + match[0].length;
        return match;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} in:\n${text.slice(this.read)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The window resized, as a person drags it (the program gets SIGWINCH). */
  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
  }

  kill(): void {
    this.pty.kill();
  }
}


/**
 * For a test file of terminal tests: each test gets a fresh TIX_HOME, and every terminal it
 * opens is killed after it. `env` is the environment tix sees there (prompts allowed).
 */
export function terminalsPerTest(extraEnv: Record<string, string | undefined> = {}) {
  let home: ReturnType<typeof tempDir> | undefined;
  let opened: Terminal[] = [];
  beforeEach(() => {
    home = tempDir();
  });
  afterEach(() => {
    for (const terminal of opened) terminal.kill();
    opened = [];
    home?.remove();
  });
  const env = (): Record<string, string> => testEnv(home!.path, { TIX_NO_INPUT: undefined, ...extraEnv });
  /** Any program in a terminal (a shell line, to redirect stdout). */
  const open = (file: string, args: string[], environment = env()): Terminal => {
    const terminal = new Terminal(file, args, environment);
    opened.push(terminal);
    return terminal;
  };
  return {
    home: (): string => home!.path,
    env,
    open,
    /** `tix ARGS` in a terminal. */
    tix: (args: string[], environment = env()): Terminal => open(process.execPath, [TIX_BIN, ...args], environment),
  };
}

/**
 * After the line ends, the shell prints its exit code between two \x1e and waits to be killed:
 * all that the line wrote comes before the mark. (node-pty answers a program's exit at most
 * 200 ms after it, read or not: on a loaded machine a 49-line list arrived cut after 25.)
 */
// eslint-disable-next-line no-control-regex -- the mark is made of a control character no output holds
const EXIT_MARK = /\x1eexit (\d+)\x1e/;

/**
 * Runs a shell `line` in a pseudo-terminal of `size`, "$@" there being node, bin/tix and `args`;
 * answers its exit code and what appeared before the exit mark, colours removed (`text`) and as
 * written (`raw`).
 */
export async function shellInTerminal(
  line: string,
  args: string[],
  env: Record<string, string>,
  size: { cols: number; rows: number },
  timeoutMs = 60_000,
): Promise<{ code: number; text: string; raw: string }> {
  const script = `${line}; printf "\\036exit %s\\036" "$?"; exec sleep 120`;
  const terminal = new Terminal("/bin/sh", ["-c", script, "sh", process.execPath, TIX_BIN, ...args], env, size);
  try {
    const mark = await terminal.waitFor(EXIT_MARK, timeoutMs);
    const before = (text: string): string => text.slice(0, text.search(EXIT_MARK));
    return { code: Number(mark[1]), text: before(terminal.text()), raw: before(terminal.raw()) };
  } finally {
    terminal.kill();
  }
}
