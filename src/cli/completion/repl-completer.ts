import { COMPLETION_IDS } from "./ids.js";
import { globalOptions, positionAfter, type CommandSpec, type IdKind, type Position } from "./tree.js";

type Completion = [candidates: string[], completing: string];
type ReadlineCompleter = (line: string, callback: (error: null, result: Completion) => void) => void;

const SESSION_WORDS = ["exit", "quit", "help", "clear"];
const VARIABLES = ["$event", "$ticket", "$order"];

/** Tab in the REPL: commands, options, `$event`/`$ticket`/`$order`, and ids read from the open store. */
export function replCompleter(root: CommandSpec, ids: IdSource): ReadlineCompleter {
  return (line, callback) => {
    completeLine(line, root, ids).then(
      (result) => callback(null, result),
      () => callback(null, [[], ""]), // a store that cannot be read just offers nothing
    );
  };
}

/**
 * The ids of a kind that start with `prefix`: at most COMPLETION_IDS of them (a store of any size
 * answers fast), so an answer of that many may leave some out. `command`: the path of the command
 * the id is the argument of (`purchase`): only the tickets it can act on (see listIds).
 */
export type IdSource = (kind: IdKind, prefix: string, line?: LineGlobals, command?: string) => Promise<string[]>;

/** The `--store` and `--user` a line gives itself: its ids are that store's, that user's. */
export interface LineGlobals {
  store?: string;
  user?: string;
}

function lineGlobals(words: readonly string[]): LineGlobals {
  const given: LineGlobals = {};
  words.forEach((word, index) => {
    for (const name of ["store", "user"] as const) {
      if (word === `--${name}` && index + 1 < words.length) given[name] = words[index + 1]!;
      else if (word.startsWith(`--${name}=`)) given[name] = word.slice(name.length + 3);
    }
  });
  return given;
}

/**
 * Completes the last word of `line` (the text before the cursor). A quoted part (`"Rock Night"`)
 * stays in its word, as the line will be split; quotes are not otherwise interpreted.
 */
export async function completeLine(line: string, root: CommandSpec, ids: IdSource): Promise<Completion> {
  const complete = line.match(WORD) ?? [];
  const current = /[ \t]$/.test(line) ? "" : complete.pop() ?? "";
  const position = positionAfter(root, complete);
  const given = lineGlobals(complete);
  let capped = false;
  const someIds: IdSource = async (kind, prefix, _line, command) => {
    const answer = await ids(kind, prefix, given, command);
    capped ||= answer.length >= COMPLETION_IDS;
    return answer;
  };
  const candidates = [...new Set(await candidatesFor(position, current, root, someIds))].filter((word) => word.startsWith(current)).sort();
  // A single match is completed with a space after it, ready for the next word.
  if (candidates.length === 1 && !capped) return [[`${candidates[0]} `], current];
  if (candidates.length <= MAX_LISTED && !capped) return [candidates, current];
  // Thousands of ids would flood the screen: complete what they share, or list the first ones and
  // say how many more (a line readline shares no prefix with, so it never completes past the ids).
  // Ids the store left out may not share it: then the first ones are only listed.
  const shared = sharedPrefix(candidates);
  if (shared.length > current.length && !capped) return [[shared], current];
  const more = candidates.length - Math.min(MAX_LISTED, candidates.length);
  return [[...candidates.slice(0, MAX_LISTED), capped ? `(more than ${more}: type more of it)` : `(${more} more: type more of it)`], current];
}

/** A word as a line is split: unquoted text and quoted parts (the last one may be still open). */
const WORD = /(?:[^ \t"']+|"[^"]*"?|'[^']*'?)+/g;

/** Candidates listed at most on a Tab: about a screen of ids. */
export const MAX_LISTED = 60;

function sharedPrefix(words: readonly string[]): string {
  // Sorted: what the first and the last share, all share.
  const first = words[0]!;
  const last = words[words.length - 1]!;
  let length = 0;
  while (length < first.length && first[length] === last[length]) length += 1;
  return first.slice(0, length);
}

async function candidatesFor(position: Position, current: string, root: CommandSpec, ids: IdSource): Promise<string[]> {
  const { command, pendingOption, positionals } = position;
  // `$event`… stand for ids wherever an id goes: an option's value (`ticket list --event $event`) too.
  if (current.startsWith("$") && (pendingOption === undefined || pendingOption.ids !== undefined)) return VARIABLES;
  if (pendingOption) return pendingOption.ids ? ids(pendingOption.ids, current) : [];
  if (current.startsWith("-")) return [...command.options, ...(command === root ? [] : globalOptions(root))].flatMap((option) => option.names);
  if (positionals > 0) return [];
  const words = [...command.subcommands.map((child) => child.name), ...command.argumentChoices];
  if (command === root) words.push(...SESSION_WORDS);
  if (command.argumentIds) words.push(...(await ids(command.argumentIds, current, undefined, command.path.join(" "))));
  return words;
}
