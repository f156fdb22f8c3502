import { allCommands, globalOptions, type CommandSpec, type IdKind, type OptionSpec } from "./tree.js";

/**
 * What every shell script needs, flattened from the command tree: how a word moves from one
 * command path to the next, which options swallow a value, and what each path offers.
 */
export interface ScriptModel {
  /** `path:word` pairs, e.g. `:event`, `event:create`: the word is a subcommand at that path. */
  transitions: string[];
  /** Every option spelling that takes a value (its value is not a command word). */
  valueOptions: string[];
  /** `path:--option` pairs whose value is an id, by kind. */
  idOptions: Record<IdKind, string[]>;
  commands: CommandSpec[];
  /** The root's options that are offered at every path. */
  globals: OptionSpec[];
}

export function scriptModel(root: CommandSpec): ScriptModel {
  const commands = allCommands(root);
  const idOptions: Record<IdKind, string[]> = { event: [], ticket: [] };
  for (const command of commands) {
    for (const option of command.options) {
      if (option.ids) idOptions[option.ids].push(...option.names.map((name) => `${command.path.join(" ")}:${name}`));
    }
  }
  return {
    transitions: commands.flatMap((command) => command.subcommands.map((child) => `${command.path.join(" ")}:${child.name}`)),
    valueOptions: [...new Set(commands.flatMap((command) => command.options.filter((option) => option.takesValue).flatMap((option) => option.names)))],
    idOptions,
    commands,
    globals: globalOptions(root),
  };
}

/** The options to offer at a command: its own, then the global ones (once, at the root). */
export function optionsAt(command: CommandSpec, model: ScriptModel): OptionSpec[] {
  return command.path.length === 0 ? command.options : [...command.options, ...model.globals];
}

/** The words a command path offers before its arguments: subcommands, then the argument's choices. */
export const wordsAt = (command: CommandSpec): string[] => [...command.subcommands.map((child) => child.name), ...command.argumentChoices];

/** The long spelling (or the short one when there is no long one). */
export const mainName = (option: OptionSpec): string => option.names[0]!;

/** A case pattern matching any of `words` (a never-matching one when there are none): bash and zsh. */
export const alternatives = (words: readonly string[]): string =>
  words.length === 0 ? `"__tix_none__"` : words.map((word) => `"${word}"`).join("|");
