import { globalOptions, positionAfter, type CommandSpec, type IdKind, type Position } from "./tree.js";

type Completion = [candidates: string[], completing: string];
type ReadlineCompleter = (line: string, callback: (error: null, result: Completion) => void) => void;

const SESSION_WORDS = ["exit", "quit", "help"];
const VARIABLES = ["$event", "$ticket"];

/** Tab in the REPL: commands, options, `$event`/`$ticket`, and ids read from the open store. */
export function replCompleter(root: CommandSpec, ids: (kind: IdKind) => Promise<string[]>): ReadlineCompleter {
  return (line, callback) => {
    completeLine(line, root, ids).then(
      (result) => callback(null, result),
      () => callback(null, [[], ""]), // a store that cannot be read just offers nothing
    );
  };
}

/** Completes the last word of `line` (the text before the cursor). Quotes are not interpreted. */
export async function completeLine(line: string, root: CommandSpec, ids: (kind: IdKind) => Promise<string[]>): Promise<Completion> {
  const words = line.split(/[ \t]+/);
  const current = words.pop() ?? "";
  const position = positionAfter(root, words.filter((word) => word !== ""));
  const candidates = [...new Set(await candidatesFor(position, current, root, ids))].filter((word) => word.startsWith(current)).sort();
  // A single match is completed with a space after it, ready for the next word.
  return [candidates.length === 1 ? [`${candidates[0]} `] : candidates, current];
}

async function candidatesFor(position: Position, current: string, root: CommandSpec, ids: (kind: IdKind) => Promise<string[]>): Promise<string[]> {
  const { command, pendingOption, positionals } = position;
  if (pendingOption) return pendingOption.ids ? ids(pendingOption.ids) : [];
  if (current.startsWith("$")) return VARIABLES;
  if (current.startsWith("-")) return [...command.options, ...(command === root ? [] : globalOptions(root))].flatMap((option) => option.names);
  if (positionals > 0) return [];
  const words = [...command.subcommands.map((child) => child.name), ...command.argumentChoices];
  if (command === root) words.push(...SESSION_WORDS);
  if (command.argumentIds) words.push(...(await ids(command.argumentIds)));
  return words;
}
