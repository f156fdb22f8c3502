import { invalidArgument } from "../../core/index.js";
import { terminalSize } from "../output/screen.js";
import { errorOutputOf } from "../globals.js";
import { reportError } from "../report-error.js";
import { sessionHelp } from "./session-help.js";
import { SESSION_VARIABLES, type Session, type SessionVariable } from "./session-state.js";
import { tokenizeLine } from "./tokenize.js";

/** What a session does after one line: go on (with that line's exit code, if it ran), or leave. */
export type LineOutcome = { kind: "ran"; exitCode: number } | { kind: "skipped" } | { kind: "leave" };

/** The global options that take a value, so that a line's command can be found past them. */
const VALUED_GLOBALS = new Set(["--store", "--user"]);
/** Commands whose first argument is a subcommand. */
const GROUPS = new Set(["event", "ticket", "voucher", "waitlist", "token", "export", "completion"]);

/**
 * The command path a line's words name (`ticket show`, `reserve`): past the global options and
 * their values, and a pasted `tix`; empty when they name none.
 */
export function commandNames(words: readonly string[]): string[] {
  const names: string[] = [];
  for (let index = 0; index < words.length && names.length < 2; index += 1) {
    const word = words[index]!;
    if (word.startsWith("-")) {
      if (VALUED_GLOBALS.has(word)) index += 1;
    } else if (names.length === 0 && word === "tix") {
      continue;
    } else {
      names.push(word);
      if (!GROUPS.has(word)) break;
    }
  }
  return names;
}

/**
 * The command a line that could not be split would have run (`purchase $ticket` with no ticket
 * printed yet): read with every variable standing in, undefined when even that fails.
 */
function commandOfUnsplit(line: string): string | undefined {
  let words: string[];
  try {
    words = tokenizeLine(line, Object.fromEntries(SESSION_VARIABLES.map((name) => [name, `$${name}`])));
  } catch {
    return undefined;
  }
  const names = commandNames(words);
  return names.length === 0 ? undefined : names.join(" ");
}

/**
 * Runs one line of a REPL or batch: split like a shell line, `$event`/`$ticket`/`$order` replaced, then
 * parsed by the very program the shell uses (a plain `reserve` line by a reading that gives what
 * commander's parse gives, see plain-reserve.ts), over the session's factory (its stores stay
 * open), after the session's own global options (which a line's options override).
 */
export async function runLine(line: string, session: Session, notUtf8 = false): Promise<LineOutcome> {
  const { state } = session;
  let words: string[];
  try {
    // Run, its bad bytes would be stored as U+FFFD in a name, a venue, a user (see LineSource).
    if (notUtf8) throw invalidArgument("line", "is not UTF-8 text; save the input as UTF-8");
    words = tokenizeLine(line, state.lastIds, (name) => state.whyUnset(name as SessionVariable));
  } catch (error) {
    // The line never ran, so it printed nothing: what it would have set is unset too.
    state.forget(commandOfUnsplit(line));
    return { kind: "ran", exitCode: reportError(error, session.io, session.defaults, state.batchLine) };
  }
  if (words.length === 0) return { kind: "skipped" };
  // Every example in --help reads `$ tix …`: a pasted `tix` is welcome. Alone it names no command:
  // an error for the line (as `tix --json` alone is), not a line skipped in silence.
  if (words[0] === "tix") words = words.slice(1);
  if (words[0] === "exit" || words[0] === "quit") {
    if (words.length === 1) return { kind: "leave" };
    // Not a command of tix (commander said "unknown command 'exit' (Did you mean export?)").
    return { kind: "ran", exitCode: reportError(invalidArgument(words[0], `takes no arguments; type ${words[0]} alone to leave`), session.io, session.defaults, state.batchLine) };
  }
  if (words[0] === "clear") {
    if (words.length > 1) return { kind: "ran", exitCode: reportError(invalidArgument("clear", "takes no arguments; type clear alone to clear the screen"), session.io, session.defaults, state.batchLine) };
    clearScreen(session);
    return { kind: "skipped" };
  }
  const argv = [...session.defaults, ...words];
  const exitCode = await session.run(argv);
  // Under --json the help was one JSON line, and nothing else may follow it on stdout.
  if (words.length === 1 && words[0] === "help" && !errorOutputOf(argv).json) session.io.stdout.write(sessionHelp(terminalSize(session.io).columns));
  return { kind: "ran", exitCode };
}

/**
 * `clear` (as Ctrl-L does): the screen the prompt is on (stdout's terminal, else stderr's) is
 * cleared, the cursor at its top. Nothing in a batch, nor where no terminal can be cleared (not a
 * terminal, or TERM=dumb): there it is a line with nothing to do, so a pasted script goes on.
 */
function clearScreen(session: Session): void {
  if (session.state.batchLine !== undefined || session.io.env.TERM === "dumb") return;
  const screen = session.io.stdout.isTTY === true ? session.io.stdout : session.io.stderr.isTTY === true ? session.io.stderr : undefined;
  screen?.write("\x1b[H\x1b[J");
}
