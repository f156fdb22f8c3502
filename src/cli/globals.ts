import type { Command } from "commander";
import { parseUserId } from "../core/index.js";
import { ColorSwitches } from "./color-switches.js";
import { defaultStoreUrl, defaultUser } from "./environment.js";
import { canPrompt, colorEnabled, utf8Locale, type CliIo } from "./io.js";
import { pagerCommand, terminalSize } from "./output/screen.js";
import { ASCII_MARKS, UNICODE_MARKS, createStyle, type Marks, type Style } from "./output/style.js";
import type { OutputMode } from "./output/table.js";

// The global options — defined, parsed, resolved against the environment and written back as
// argv — all here, in one place.

/**
 * Whether tix's own symbols (… · ✓ →) are shown in ASCII: human output on a terminal whose locale
 * is not UTF-8 (piped, they stay as they are). `io.stdout`: the stream written to (stderr's, for
 * errors and warnings).
 */
export function asciiMarks(io: { stdout: { isTTY?: boolean | undefined }; env: CliIo["env"] }, json: boolean): boolean {
  return !json && io.stdout.isTTY === true && !utf8Locale(io.env);
}

/** tix's own symbols for what is written to `io.stdout` (see asciiMarks). */
export function marksFor(io: { stdout: { isTTY?: boolean | undefined }; env: CliIo["env"] }, json: boolean): Marks {
  return asciiMarks(io, json) ? ASCII_MARKS : UNICODE_MARKS;
}

/** The global options of one command line, resolved against the environment. */
export interface Globals {
  storeUrl: string;
  user: string;
  json: boolean;
  mode: OutputMode;
  style: Style;
  canPrompt: boolean;
  /**
   * A list or seat map to pick from with the arrow keys may be offered: canPrompt, on a terminal
   * that can move its cursor (not TERM=dumb, as Emacs's shell is: the picker redraws in place).
   */
  canPick: boolean;
  /** The terminal's width and height (80 × 24 where there is none to ask). */
  width: number;
  rows: number;
  /** The pager for long output on a terminal, as argv; undefined: none. */
  pager: string[] | undefined;
}

/** The global options as commander parsed them. */
export interface RawGlobals {
  store?: string | undefined;
  user?: string | undefined;
  json?: boolean | undefined;
  color?: boolean | undefined;
  input?: boolean | undefined;
  pager?: boolean | undefined;
  bail?: boolean | undefined;
}

/** Defines the global options on the root command; every command takes them. */
export function addGlobalOptions(program: Command): Command {
  return program
    .option("--store <url>", "where state lives: sqlite:<path>, memory, postgres://… (env TIX_STORE)")
    .option("--user <id>", "who is acting (env TIX_USER; default: your login name)")
    .option("--json", "machine-readable output on stdout")
    .option("--color", "force colour on")
    .option("--no-color", "no colour (env NO_COLOR)")
    .option("--no-input", "never prompt (env TIX_NO_INPUT=1)")
    .option("--no-pager", "never page long output on a terminal (pager: env TIX_PAGER, PAGER; default less -FRX)")
    .option("--bail", "batch: stop at the first failed line, with its exit code");
}

/** The global options as parsed (`optsWithGlobals()`), resolved against the environment. */
export function resolveRawGlobals(raw: RawGlobals, io: CliIo): Globals {
  const json = raw.json === true;
  const size = terminalSize(io);
  const prompts = canPrompt(io, raw.input === false, json);
  return {
    storeUrl: raw.store ?? defaultStoreUrl(io.env),
    // A user refused that TIX_USER gave says so, as TIX_NOW's errors do: the script may not show it.
    user: parseUserId(raw.user ?? defaultUser(io.env), raw.user === undefined && io.env.TIX_USER ? "TIX_USER" : "user"),
    json,
    mode: json ? "json" : io.stdout.isTTY ? "tty" : "plain",
    style: createStyle(!json && colorEnabled(io, raw.color), utf8Locale(io.env), asciiMarks(io, json)),
    canPrompt: prompts,
    canPick: prompts && io.env.TERM !== "dumb",
    width: size.columns,
    rows: size.rows,
    pager: pagerOf(raw, io),
  };
}

/** The pager long output goes through (see Globals.pager): none with --no-pager, or off the process's own terminal. */
export function pagerOf(raw: Pick<RawGlobals, "pager">, io: Pick<CliIo, "stdout" | "env">): string[] | undefined {
  // Only the process's own terminal can be handed to a pager.
  return pagerCommand(io.env, raw.pager !== false && io.stdout.isTTY === true && io.stdout.fd === 1);
}

/** The global options of a parsed command line, as argv again: a session's defaults for every line. */
export function globalArgs(raw: RawGlobals): string[] {
  return [
    ...(raw.store === undefined ? [] : ["--store", raw.store]),
    ...(raw.user === undefined ? [] : ["--user", raw.user]),
    ...(raw.json === true ? ["--json"] : []),
    ...(raw.color === true ? ["--color"] : raw.color === false ? ["--no-color"] : []),
    ...(raw.input === false ? ["--no-input"] : []),
    ...(raw.pager === false ? ["--no-pager"] : []),
  ];
}

/**
 * The options of `args` — a session's own global options, as globalArgs writes them — that a line
 * of the session may give again, overriding them: those that take a value (`store`, `user`), and
 * the colour switch (`color`, for `--color` or `--no-color`: see LineContext.colorGiven).
 */
export function sessionGlobalsIn(args: readonly string[]): string[] {
  const names: string[] = [];
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === "--store" || args[index] === "--user") {
      names.push(args[index]!.slice(2));
      index += 1;
    } else if (args[index] === "--color" || args[index] === "--no-color") {
      names.push("color");
    }
  }
  return names;
}

/**
 * How an error is to be printed when the command line may not have parsed: read from argv itself.
 * Colour as the parse gives it (LineContext.colorGiven): `--no-color` wins over `--color`; with
 * `sessionColor`, argv's first colour switch is a session's own, which the line's overrides.
 */
export function errorOutputOf(argv: readonly string[], sessionColor = false): { json: boolean; color: boolean | undefined } {
  const switches = new ColorSwitches(sessionColor);
  let color: boolean | undefined;
  for (const word of argv) if (word === "--color" || word === "--no-color") color = switches.given(word === "--color");
  return { json: argv.includes("--json"), color };
}

/**
 * True when argv holds nothing but the root's global options (`tix`, `tix --store memory`): no
 * command, no --help or --version. Read from the program's own option list, so it never drifts.
 */
export function isBareInvocation(argv: readonly string[], program: Command): boolean {
  return globalOptionsEnd(argv, program) >= argv.length;
}

/** The words a line starts with after the root's global options, up to the first flag (`tix --json event show X --all` → event, show, X). */
export function commandWords(argv: readonly string[], program: Command): string[] {
  const words: string[] = [];
  for (let index = globalOptionsEnd(argv, program); index < argv.length && !argv[index]!.startsWith("-"); index += 1) words.push(argv[index]!);
  return words;
}

/** Where the root's global options end in argv: the index of the first argument that is not one of them. */
function globalOptionsEnd(argv: readonly string[], program: Command): number {
  for (let index = 0; index < argv.length; index += 1) {
    const [flag, inline] = splitInline(argv[index]!);
    const option = program.options.find((candidate) => candidate.long === flag || candidate.short === flag);
    if (!option || option.long === "--version") return index;
    if ((option.required || option.optional) && inline === undefined) {
      // `tix --store` is a value left out, for commander to name, not a bare `tix`.
      if (option.required && index + 1 >= argv.length) return index;
      index += 1;
    }
  }
  return argv.length;
}

function splitInline(arg: string): [flag: string, inline: string | undefined] {
  const equals = arg.indexOf("=");
  return arg.startsWith("--") && equals > 0 ? [arg.slice(0, equals), arg.slice(equals + 1)] : [arg, undefined];
}
