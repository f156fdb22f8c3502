/** The streams and environment a CLI run talks to; tests and the REPL pass their own. */
export interface CliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean | undefined };
  env: Readonly<Record<string, string | undefined>>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

const isSet = (value: string | undefined): boolean => value !== undefined && value !== "" && value !== "0" && value !== "false";

/**
 * `--no-color` wins; then `--color`/FORCE_COLOR force colour on (as in Node, FORCE_COLOR beats
 * NO_COLOR); then NO_COLOR turns it off; otherwise colour only when stdout is a terminal.
 */
export function colorEnabled(io: CliIo, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (flag === true || isSet(io.env.FORCE_COLOR)) return true;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.stdout.isTTY === true && io.env.TERM !== "dumb";
}

/** Prompts only when a person is surely there: both ends are terminals and input isn't disabled. */
export function canPrompt(io: CliIo, noInputFlag: boolean, json: boolean): boolean {
  return io.stdin.isTTY === true && io.stdout.isTTY === true && !noInputFlag && !json && !isSet(io.env.TIX_NO_INPUT);
}
