import type { EventEmitter } from "node:events";
import type { Command, Option } from "commander";
import { invalidArgument } from "../core/index.js";

/**
 * The parser of an option that may be given more than once (`--tier A --tier B`, `--cors-origin`):
 * every value, in order. Only such options (and variadic ones) may be repeated on a line.
 */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * An option that takes one value refuses to be given twice on one command line (`--key a --key b`,
 * `--user x --user y`), which commander would answer with the last value in silence: a usage
 * error naming it, exit 2, before anything runs. A switch (`--json`, `--yes`) said twice means
 * what it says once and is let be; options that collect their values (`collect`, variadic) repeat.
 *
 * Commander sets a value's source to `cli` when the command line gives it: heard first (before
 * commander's own listener sets the value), an option already from `cli` is given again.
 * `mayOverride(name)`: whether this once the earlier value may be replaced — a session's own
 * global options (`tix --user alice`) come before each line's words, and a line's own overrides them.
 */
export function refuseRepeats(command: Command, option: Option, mayOverride: (name: string) => boolean): void {
  if (!(option.required || option.optional) || option.variadic || option.parseArg === collect) return;
  const name = option.attributeName();
  // A Command is Node's EventEmitter (commander's typings name only `on`).
  (command as unknown as EventEmitter).prependListener(`option:${option.name()}`, () => {
    if (command.getOptionValueSource(name) !== "cli" || mayOverride(name)) return;
    throw invalidArgument(option.long ?? option.flags, "given twice; it takes one value: give it once");
  });
}
