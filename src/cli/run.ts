import { CommanderError, type Command } from "commander";
import { TixError, isTixError } from "../core/index.js";
import { CliContext } from "./context.js";
import { EXIT_INTERRUPTED, EXIT_SUCCESS, EXIT_USAGE, exitCodeFor } from "./exit-codes.js";
import type { CliIo } from "./io.js";
import { createProgram } from "./program.js";
import { createStyle } from "./output/style.js";
import { escapeControl } from "./output/text.js";
import { colorEnabled } from "./io.js";
import { Interrupted } from "./prompts/interrupted.js";
import { isBareInvocation } from "./repl/bare-invocation.js";
import { SessionExit } from "./repl/session-exit.js";

/** Runs one command line (argv without `tix`) and answers its exit code. Never exits the process. */
export async function runCommandLine(argv: readonly string[], ctx: CliContext, program: Command = createProgram(ctx)): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: "user" });
    return EXIT_SUCCESS;
  } catch (error) {
    return reportError(error, ctx.io, argv);
  }
}

/** Prints any failure as one line (or a JSON error with --json) and answers its exit code. */
export function reportError(error: unknown, io: CliIo, argv: readonly string[]): number {
  if (error instanceof SessionExit) return error.exitCode;
  // The person already knows: they pressed Ctrl-C. Only the shell's next prompt should follow.
  if (error instanceof Interrupted) return EXIT_INTERRUPTED;
  if (error instanceof CommanderError) {
    // --help and --version end the parse by "throwing" with exit code 0.
    if (error.exitCode === 0) return EXIT_SUCCESS;
    if (error.code === "commander.help" || error.code === "commander.helpDisplayed") return EXIT_USAGE;
    error = new TixError("INVALID_ARGUMENT", error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ").trim());
  }
  const failure = isTixError(error) ? error : new TixError("INTERNAL", internalMessage(error), { cause: error });
  const json = argv.includes("--json");
  if (json) {
    io.stdout.write(`${JSON.stringify({ status: "error", error: failure.toJSON() })}\n`);
  } else {
    const style = createStyle(colorEnabled({ stdout: io.stderr, env: io.env }, argv.includes("--no-color") ? false : undefined));
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

/** The process entry point's core: one command line, then close whatever it opened. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let ctx: CliContext;
  try {
    ctx = new CliContext(io);
  } catch (error) {
    return reportError(error, io, argv);
  }
  try {
    // `tix` with global options only opens a session: the REPL on a terminal, else batch.
    const program = createProgram(ctx);
    const args = isBareInvocation(argv, program) ? [...argv, "repl"] : argv;
    return await runCommandLine(args, ctx, program);
  } finally {
    await ctx.close();
  }
}
