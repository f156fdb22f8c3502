import type { Command } from "commander";

/**
 * True when argv holds nothing but the root's global options (`tix`, `tix --store memory`): no
 * command, no --help or --version. Read from the program's own option list, so it never drifts.
 */
export function isBareInvocation(argv: readonly string[], program: Command): boolean {
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = splitInline(argv[index]!);
    const option = program.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (!option || option.long === "--version") return false;
    if ((option.required || option.optional) && inline === undefined) index += 1;
  }
  return true;
}

function splitInline(arg: string): [flag: string, inline: string | undefined] {
  const equals = arg.indexOf("=");
  return arg.startsWith("--") && equals > 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
}

/** The global options of a parsed command line, as argv again: a session's defaults for every line. */
export function globalArgs(raw: { store?: string; user?: string; json?: boolean; color?: boolean; input?: boolean }): string[] {
  return [
    ...(raw.store === undefined ? [] : ["--store", raw.store]),
    ...(raw.user === undefined ? [] : ["--user", raw.user]),
    ...(raw.json === true ? ["--json"] : []),
    ...(raw.color === true ? ["--color"] : raw.color === false ? ["--no-color"] : []),
    ...(raw.input === false ? ["--no-input"] : []),
  ];
}
