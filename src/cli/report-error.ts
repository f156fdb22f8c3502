import { CommanderError } from "commander";
import { TixError, isTixError } from "../core/index.js";
import { EXIT_INTERRUPTED, EXIT_SUCCESS, EXIT_USAGE, exitCodeFor } from "./exit-codes.js";
import { errorOutputOf } from "./globals.js";
import { colorEnabled, type CliIo } from "./io.js";
import { errorEnvelope } from "./output/envelope.js";
import { createStyle } from "./output/style.js";
import { escapeControl } from "./output/text.js";
import { Interrupted } from "./prompts/interrupted.js";

/** Prints any failure as one line (or a JSON error with --json) and answers its exit code. */
export function reportError(error: unknown, io: CliIo, argv: readonly string[]): number {
  // The person already knows: they pressed Ctrl-C. Only the shell's next prompt should follow.
  if (error instanceof Interrupted) return EXIT_INTERRUPTED;
  if (error instanceof CommanderError) {
    // --help and --version end the parse by "throwing" with exit code 0.
    if (error.exitCode === 0) return EXIT_SUCCESS;
    if (error.code === "commander.help" || error.code === "commander.helpDisplayed") return EXIT_USAGE;
    error = new TixError("INVALID_ARGUMENT", error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ").trim());
  }
  const failure = isTixError(error) ? error : new TixError("INTERNAL", internalMessage(error), { cause: error });
  const output = errorOutputOf(argv);
  if (output.json) {
    io.stdout.write(`${JSON.stringify(errorEnvelope(failure))}\n`);
  } else {
    const style = createStyle(colorEnabled({ stdout: io.stderr, env: io.env }, output.color));
    // Messages may quote what was typed: control characters are shown, never obeyed by the terminal.
    io.stderr.write(`${style.chalk.red("error:")} ${escapeControl(failure.message.replace(/\s*\n\s*/g, " "))}\n`);
  }
  if (io.env.TIX_DEBUG === "1") io.stderr.write(`${debugTrace(error)}\n`);
  return exitCodeFor(failure);
}

function internalMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `internal error: ${detail.split("\n")[0]} (this is a bug in tix; run with TIX_DEBUG=1 for details)`;
}

function debugTrace(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `\nCaused by: ${error.cause.stack}` : "";
  return error instanceof Error ? `${error.stack}${cause}` : String(error);
}
