import type { Argument, Command, Option } from "commander";

/** Which kind of id a value stands for, so completion can offer the ids in the store. */
export type IdKind = "event" | "ticket";

export interface OptionSpec {
  /** `--key`, `-V`…: every spelling. */
  names: string[];
  takesValue: boolean;
  ids: IdKind | undefined;
  description: string;
}

export interface CommandSpec {
  name: string;
  /** Words from the root: `["event", "create"]`; the root's is empty. */
  path: string[];
  description: string;
  subcommands: CommandSpec[];
  /** Its own options; the root's options (global) apply everywhere and are not repeated. */
  options: OptionSpec[];
  /** What its first argument is an id of, if it is one. */
  argumentIds: IdKind | undefined;
  /** The values its first argument may take, when commander lists them (`completion <shell>`). */
  argumentChoices: string[];
}

/**
 * The command tree as completion sees it, read from the commander program itself (visible
 * commands and options only), so completion never falls behind the commands.
 */
export function describeCommands(command: Command, path: string[] = []): CommandSpec {
  const help = command.createHelp();
  const first: Argument | undefined = help.visibleArguments(command)[0];
  return {
    name: command.name(),
    path,
    description: command.description(),
    subcommands: help.visibleCommands(command)
      .filter((child) => child.name() !== "help")
      .map((child) => describeCommands(child, [...path, child.name()])),
    options: help.visibleOptions(command).map((option) => describeOption(option, command)),
    argumentIds: first ? idKindOf(first.name(), command) : undefined,
    argumentChoices: first?.argChoices ?? [],
  };
}

function describeOption(option: Option, command: Command): OptionSpec {
  const takesValue = option.required || option.optional;
  return {
    names: [option.long, option.short].filter((name): name is string => name !== undefined),
    takesValue,
    ids: takesValue ? idKindOf(option.attributeName(), command) : undefined,
    description: option.description,
  };
}

/** `eventId`, `--event`, and `id` under `event …` name events; `ticketId` names tickets. */
function idKindOf(name: string, command: Command): IdKind | undefined {
  const lower = name.toLowerCase();
  if (lower.startsWith("ticket")) return "ticket";
  if (lower.startsWith("event")) return "event";
  if (lower === "id" && command.parent?.name() === "event") return "event";
  return undefined;
}

/** The root's options that work after any command: all but --help and --version, which each command has or lacks itself. */
export function globalOptions(root: CommandSpec): OptionSpec[] {
  return root.options.filter((option) => !option.names.includes("--help") && !option.names.includes("--version"));
}

/** Every command of the tree, root first. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}

/** Where a line stands after its complete words: which command, and whether an option's value is due. */
export interface Position {
  command: CommandSpec;
  /** The option whose value the next word is. */
  pendingOption: OptionSpec | undefined;
  /** How many arguments (not commands, not options) came already. */
  positionals: number;
}

export function positionAfter(root: CommandSpec, words: readonly string[]): Position {
  let command = root;
  let pendingOption: OptionSpec | undefined;
  let positionals = 0;
  for (const word of words) {
    if (pendingOption) {
      pendingOption = undefined;
    } else if (word.startsWith("-")) {
      const option = findOption(root, command, word.split("=")[0]!);
      if (option?.takesValue && !word.includes("=")) pendingOption = option;
    } else {
      const child = positionals === 0 ? command.subcommands.find((candidate) => candidate.name === word) : undefined;
      if (child) command = child;
      else positionals += 1;
    }
  }
  return { command, pendingOption, positionals };
}

export function findOption(root: CommandSpec, command: CommandSpec, name: string): OptionSpec | undefined {
  return [...command.options, ...root.options].find((option) => option.names.includes(name));
}
