import { reportError } from "../report-error.js";
import type { Session } from "./session-state.js";
import { tokenizeLine } from "./tokenize.js";

/** What a session does after one line: go on (with that line's exit code, if it ran), or leave. */
export type LineOutcome = { kind: "ran"; exitCode: number } | { kind: "skipped" } | { kind: "leave" };

const SESSION_HELP = `
In this session, type commands without "tix"; global options work on each line:
  event list
  reserve $event --key order-1001
  --user bob ticket list

  $event, $ticket   the id of the last event / ticket printed in this session
  help [command]    this text, or a command's help
  exit, quit        leave (so do Ctrl-D, and Ctrl-C twice on an empty line); Ctrl-C clears the line
  Tab               completes commands, options, and event and ticket ids
`;

/**
 * Runs one line of a REPL or batch: split like a shell line, `$event`/`$ticket` replaced, then
 * parsed by the very program the shell uses, over the session's factory (its stores stay open),
 * after the session's own global options (which a line's options override).
 */
export async function runLine(line: string, session: Session): Promise<LineOutcome> {
  let words: string[];
  try {
    words = tokenizeLine(line, { event: session.state.lastIds.event, ticket: session.state.lastIds.ticket });
  } catch (error) {
    return { kind: "ran", exitCode: reportError(error, session.io, session.defaults) };
  }
  if (words.length === 0) return { kind: "skipped" };
  if (words.length === 1 && (words[0] === "exit" || words[0] === "quit")) return { kind: "leave" };
  const exitCode = await session.run([...session.defaults, ...words]);
  if (words.length === 1 && words[0] === "help") session.io.stdout.write(SESSION_HELP);
  return { kind: "ran", exitCode };
}
