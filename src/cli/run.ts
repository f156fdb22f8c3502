import type { Command } from "commander";
import { invalidArgument, shorten } from "../core/index.js";
import { CommandContext, LineContext, type Reply } from "./command-context.js";
import { reserveLine } from "./commands/reserve.js";
import { EXIT_SUCCESS } from "./exit-codes.js";
import { Factory } from "./factory.js";
import { errorOutputOf, isBareInvocation, sessionGlobalsIn } from "./globals.js";
import type { CliIo } from "./io.js";
import { printPaged, printResult } from "./output/render.js";
import { stoppedHow } from "./prompts/interrupted.js";
import { fitToStderr, terminalSize } from "./output/screen.js";
import { commandBuiltAlone, commandTried, createProgram, unknownCommandAskedForHelp, withCommandsNamed } from "./program.js";
import { reportError } from "./report-error.js";
import type { PlainReserve } from "./repl/plain-reserve.js";
import { SessionState, type LineTarget } from "./repl/session-state.js";
import { VERSION } from "./version.js";

export const MEMORY_NOTHING_KEPT = "note: the memory store lives as long as this process: nothing was kept";

/**
 * Runs one command line (argv without `tix`) and answers its exit code: parse, let the command
 * work, then print its result — or run the session it asked for. Never exits the process.
 */
export async function runCommandLine(argv: readonly string[], f: Factory, session?: SessionState): Promise<number> {
  const ctx = new CommandContext(f, session);
  return execute(argv, ctx, createProgram(ctx, argv));
}

async function execute(argv: readonly string[], ctx: CommandContext, program: Command, target?: LineTarget, sessionOptions?: ReadonlySet<string>): Promise<number> {
  // This line's own context: the tree may parse the next line while this one waits (see CommandContext).
  const line = ctx.startLine(target);
  if (sessionOptions) line.sessionOptions = sessionOptions;
  return carryOut(argv, line, program, async () => {
    const unknown = unknownCommandAskedForHelp(argv, program, line.session !== undefined);
    if (unknown) throw unknown;
    await program.parseAsync([...argv], { from: "user" });
  });
}

/** Runs a parsed line (`parseAndAct`: commander's parse and the action it calls, or the action alone) and answers its exit code. */
async function carryOut(argv: readonly string[], line: LineContext, program: Command | undefined, parseAndAct: () => Promise<unknown>): Promise<number> {
  line.json = errorOutputOf(argv).json;
  try {
    await parseAndAct();
    await writeHelp(line);
    return line.reply ? await settle(line.reply, line, program) : EXIT_SUCCESS;
  } catch (error) {
    await writeHelp(line);
    // A failed line leaves unset what it would have printed: no later line acts on an older id.
    // One stopped at a prompt (Ctrl-C) did not fail: `$event` says it was interrupted.
    line.session?.forget(line.commandPath ?? (program ? commandTried(argv, program) : undefined), stoppedHow(error) ?? "failed");
    return reportError(program ? withCommandsNamed(error, argv, program, line.session !== undefined) : error, line.f.io, argv, line.session?.batchLine, line.sessionOptions.has("color"));
  }
}

/**
 * The help commander printed and tix kept: on a terminal, through the pager when it is longer
 * than the screen (as any long output is, see printPaged); under --json, one document.
 */
async function writeHelp(line: LineContext): Promise<void> {
  const held = line.heldHelp;
  if (held !== undefined) {
    line.heldHelp = undefined;
    await printPaged(line.f.io, held.text, held.pager, terminalSize(line.f.io).rows);
  }
  writeHelpDocument(line);
}

/** `tix --json --help`, `help` in a --json batch: `{"status":"success","help":"Usage: …"}` (`"version"` for --version). */
function writeHelpDocument(line: LineContext): void {
  const text = line.helpText;
  if (text === undefined) return;
  line.helpText = undefined;
  const document = text.trim() === VERSION ? { status: "success", version: VERSION } : { status: "success", help: text };
  line.f.io.stdout.write(`${JSON.stringify(document)}\n`);
}

async function settle(reply: Reply, line: LineContext, program: Command | undefined): Promise<number> {
  const { f } = line;
  if (reply.type === "result") {
    // A line of a REPL or batch is never paged: the session owns the terminal.
    await printResult(reply.result, reply.globals, f.io, f.clock.now(), { paging: line.session === undefined });
    line.session?.remember(reply.result);
    // A one-shot command's writes to a memory store end with the process: said, not lost in silence
    // (a REPL, batch or tix serve keeps its memory store for as long as it runs).
    if (line.session === undefined && await f.memoryStoreWritten()) f.io.stderr.write(`${fitToStderr(MEMORY_NOTHING_KEPT, f.io)}\n`);
    return EXIT_SUCCESS;
  }
  if (reply.type === "script") {
    f.io.stdout.write(line.json && reply.jsonKey !== undefined ? `${JSON.stringify({ status: "success", [reply.jsonKey]: reply.text })}\n` : reply.text);
    return EXIT_SUCCESS;
  }
  // Loaded only now: most runs of tix never open a session.
  const { runSession, readPlainReserve } = await import("./repl/session.js");
  const state = new SessionState();
  const session = { io: f.io, state, defaults: reply.defaults, bail: reply.bail, run: sessionLines(f, state, readPlainReserve, reply.defaults) };
  // Only commander's parse starts a session (the plain reserve below never does).
  return runSession(session, f, program!, reply.globals);
}

/**
 * Runs a session's lines as runCommandLine does, but builds each command's tree once, on the
 * first line that names it, and parses every later such line with it (commander resets a
 * command's options and arguments before each parse): a batch of reserves builds one tree, not
 * one a line. Lines that need the whole tree share one. Batch lines still waiting for their
 * commit (`target`) share it too: each line's action has taken its own context by then.
 * Each argv is the session's `defaults` (its own global options), then the line's words, whose
 * options override them.
 */
function sessionLines(
  f: Factory,
  state: SessionState,
  readPlainReserve: (argv: readonly string[], ownFrom: number) => PlainReserve | undefined,
  defaults: readonly string[],
): (argv: readonly string[], target?: LineTarget) => Promise<number> {
  const trees = new Map<string, { ctx: CommandContext; program: Command }>();
  let root: Command | undefined;
  const sessionOptions = new Set(sessionGlobalsIn(defaults));
  return async (argv, target) => {
    // A plain reserve (most of a rush's lines) skips commander's parse: its reading gives what the parse would.
    const plain = readPlainReserve(argv, defaults.length);
    if (plain) {
      const line = target ? new LineContext(f.writingTo(target.io), target.state) : new LineContext(f, state);
      line.sessionOptions = sessionOptions;
      // What the tree's preAction hook records (reserve is no command a session refuses).
      line.commandPath = "reserve";
      return carryOut(argv, line, undefined, () => reserveLine(line, plain.eventId, plain.flags, plain.globals));
    }
    let tree = root && trees.get(commandBuiltAlone(argv, root) ?? "");
    if (!tree) {
      const ctx = new CommandContext(f, state);
      tree = { ctx, program: createProgram(ctx, argv) };
      root ??= tree.program;
      trees.set(commandBuiltAlone(argv, tree.program) ?? "", tree);
    }
    return execute(argv, tree.ctx, tree.program, target, sessionOptions);
  };
}

/**
 * The process entry point's core: one command line, then close whatever it opened. `notUtf8`: the
 * index of an argument whose bytes were not UTF-8 (the process's own command line, see
 * platform/argv-bytes.ts): refused, as a batch line or a file that is not UTF-8 is, rather than
 * stored with U+FFFD in place of its bad bytes.
 */
export async function runCli(argv: readonly string[], io: CliIo, notUtf8?: number): Promise<number> {
  if (notUtf8 !== undefined) {
    const shown = JSON.stringify(shorten(argv[notUtf8]!, 40));
    return reportError(invalidArgument(`argument ${notUtf8 + 1} (${shown})`, "is not UTF-8 text; give it as UTF-8"), io, argv);
  }
  let f: Factory;
  try {
    f = new Factory(io);
  } catch (error) {
    return reportError(error, io, argv);
  }
  try {
    // `tix` with global options only opens a session: the REPL on a terminal, else batch.
    const ctx = new CommandContext(f, undefined);
    const program = createProgram(ctx, argv);
    return await execute(isBareInvocation(argv, program) ? [...argv, "repl"] : argv, ctx, program);
  } finally {
    await f.close();
  }
}
