import type { CliIo } from "../io.js";
import { wrapLines } from "./text.js";

/** Without a way to ask (a pipe, a test), a terminal is taken to be 80 columns by 24 lines. */
const DEFAULT_SIZE = { columns: 80, rows: 24 };

const positive = (value: string | number | undefined): number | undefined => {
  const number = Number(value);
  return value !== undefined && value !== "" && Number.isInteger(number) && number > 0 ? number : undefined;
};

/**
 * The terminal's size: COLUMNS and LINES when set (to try a width, or where the terminal cannot
 * say), else what stdout's terminal reports.
 */
export function terminalSize(io: Pick<CliIo, "stdout" | "env">): { columns: number; rows: number } {
  return {
    columns: positive(io.env.COLUMNS) ?? positive(io.stdout.columns) ?? DEFAULT_SIZE.columns,
    rows: positive(io.env.LINES) ?? positive(io.stdout.rows) ?? DEFAULT_SIZE.rows,
  };
}

/**
 * Text for stderr (an error, a warning, a note, a greeting): when stderr is a terminal, laid out
 * between words to its width (COLUMNS, else what that terminal reports), which would otherwise
 * break it mid-word — whatever stdout is (`tix … > out` still shows them on the terminal); anywhere
 * else as it is, a line for a script.
 */
export function fitToStderr(text: string, io: Pick<CliIo, "stderr" | "env">): string {
  return io.stderr.isTTY === true ? wrapLines(text, terminalSize({ stdout: io.stderr, env: io.env }).columns) : text;
}

/**
 * The pager for long output on a terminal, as argv: TIX_PAGER, else PAGER, else `less -FRX`
 * (quit if one screen, colours, no clearing). Empty or `cat`: none. On a terminal that says it
 * cannot move its cursor (TERM=dumb: Emacs's shell, some CI terminals) only TIX_PAGER is used:
 * `less` there stops before the output to ask for Return ("terminal is not fully functional").
 */
export function pagerCommand(env: CliIo["env"], enabled: boolean): string[] | undefined {
  if (!enabled) return undefined;
  const command = (env.TIX_PAGER ?? (env.TERM === "dumb" ? "" : (env.PAGER ?? "less -FRX"))).trim();
  if (command === "" || command === "cat") return undefined;
  return command.split(/\s+/);
}
