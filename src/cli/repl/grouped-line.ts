import { SESSION_VARIABLES } from "./session-state.js";
import { tokenizeLine } from "./tokenize.js";
import { commandNames } from "./line.js";

/**
 * Commands whose line, in a batch, makes exactly one write and reads nothing before it (no
 * prompt: stdin is not a terminal; stdout is not one either, so no event is read for display).
 */
const SINGLE_WRITE = new Set(["reserve", "purchase", "cancel"]);
/** Options that make a line more than its one write: another store, or help instead of the write. */
const RUNS_ALONE = /^(--store|--help|-h|--version|-V)(=|$)/;
/** Every session variable, unset: a line that uses one fails to split, so runs alone. */
const NO_VARIABLES = Object.fromEntries(SESSION_VARIABLES.map((name) => [name, undefined]));

/**
 * The words of a batch line that may run alongside others (its write joins the group commit):
 * a single-write command that uses no session variable (`$ticket`…) and stays on the session's store. An
 * empty array for a line with nothing to run (blank, a comment); undefined for a line that must
 * run alone, after every earlier line has been answered.
 */
export function groupedWords(line: string): string[] | undefined {
  let words: string[];
  try {
    words = tokenizeLine(line, NO_VARIABLES);
  } catch {
    return undefined;
  }
  if (words.length === 0) return words;
  if (words[0] === "tix") words = words.slice(1);
  // `tix` alone names no command: runLine reports it, in turn.
  if (words.length === 0) return undefined;
  const [command] = commandNames(words);
  if (command === undefined || !SINGLE_WRITE.has(command) || words.some((word) => RUNS_ALONE.test(word))) return undefined;
  return words;
}
