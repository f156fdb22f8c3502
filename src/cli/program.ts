import { Command, CommanderError, type Option } from "commander";
import { cancelCommand } from "./commands/cancel.js";
import { checkinCommand } from "./commands/checkin.js";
import { completeIdsCommand, completionCommand } from "./commands/completion.js";
import { exportCommand } from "./commands/export.js";
import { importCommand } from "./commands/import.js";
import { logCommand } from "./commands/log.js";
import { reportCommand } from "./commands/report.js";
import { waitlistCommand } from "./commands/waitlist.js";
import { EVENT_SUBCOMMANDS, eventCommand } from "./commands/event.js";
import { purchaseCommand } from "./commands/purchase.js";
import { replCommand } from "./commands/repl.js";
import { reserveCommand } from "./commands/reserve.js";
import { seatsCommand } from "./commands/seats.js";
import { seedCommand } from "./commands/seed.js";
import { serveCommand } from "./commands/serve.js";
import { ticketCommand } from "./commands/ticket.js";
import { tokenCommand } from "./commands/token.js";
import { transferCommand } from "./commands/transfer.js";
import { voucherCommand } from "./commands/voucher.js";
import { TixError, closestMatches } from "../core/index.js";
import type { CommandContext } from "./command-context.js";
import { fitHelpText, formatHelpItem } from "./output/help-text.js";
import { refuseRepeats } from "./option-values.js";
import { terminalSize } from "./output/screen.js";
import { addGlobalOptions, commandWords, isBareInvocation, marksFor, pagerOf, type RawGlobals } from "./globals.js";
import { VERSION } from "./version.js";

/**
 * The commands, in the order `--help` lists them, each built by its own function. A group that
 * lists its subcommands here is given the one a line names, and builds it alone (see createProgram).
 */
const COMMANDS: ReadonlyArray<readonly [name: string, build: (ctx: CommandContext, only?: string) => Command, subcommands?: readonly string[]]> = [
  ["event", eventCommand, EVENT_SUBCOMMANDS], ["seed", seedCommand], ["reserve", reserveCommand], ["seats", seatsCommand],
  ["purchase", purchaseCommand], ["cancel", cancelCommand], ["ticket", ticketCommand],
  ["checkin", checkinCommand], ["transfer", transferCommand], ["voucher", voucherCommand], ["waitlist", waitlistCommand], ["report", reportCommand], ["export", exportCommand],
  ["log", logCommand], ["import", importCommand], ["serve", serveCommand], ["token", tokenCommand],
  ["repl", replCommand], ["completion", completionCommand],
];

/** Commands that read the whole tree (a session's completion, the shell completion script): never built alone. */
const NEEDS_WHOLE_TREE = new Set(["repl", "completion"]);

/**
 * The command tree a command line is parsed with (a session parses its later lines with it
 * again, see run.ts), so the REPL and batch mode parse with exactly the parser the shell uses.
 * Nothing here exits the process. Given the command line, a line that names one of the commands
 * gets that command alone under the root (a batch or REPL line then costs ~20 % less), and a
 * group given one of its subcommands (`event show`) builds that one alone; any other line — no
 * command, `help`, a name to suggest for — gets them all.
 */
export function createProgram(ctx: CommandContext, argv?: readonly string[]): Command {
  const program = addGlobalOptions(new Command("tix")
    .description("Reserve, purchase and cancel event tickets: never oversold, safe to retry.")
    .version(VERSION, "-V, --version"))
    .showSuggestionAfterError()
    .addHelpText("after", `
Examples:
  $ tix seed
  $ tix event list
  $ tix reserve evt_rock_night_2025 --key order-1001
  $ tix purchase tkt_8n2k4m6p9q1r3s5t
  $ tix ticket list --json

Exit codes: 0 ok, 1 internal, 2 bad input, 3 not found, 4 conflict, 5 hold expired,
6 payment declined, 7 not the owner, 8 store unavailable, 130 interrupted,
141 a batch's output closed (tix < script | head -1).`);

  const [named, subcommand] = argv ? wordsBuiltAlone(argv, program) : [];
  const alone = named === undefined ? undefined : COMMANDS.find(([name]) => name === named);
  if (alone) {
    program.addCommand(alone[1](ctx, subcommand));
  } else {
    for (const [, build] of COMMANDS) program.addCommand(build(ctx));
    program.addCommand(completeIdsCommand(ctx), { hidden: true });
    program.helpCommand(false).addCommand(helpCommand(program));
  }
  configureTree(program, ctx);
  // `--no-color` wins over `--color` whatever their order (commander keeps the last): heard after
  // commander's own listener has set the value.
  for (const [name, value] of [["color", true], ["no-color", false]] as const) {
    program.on(`option:${name}`, () => program.setOptionValueWithSource("color", ctx.parsing.colorGiven(value), "cli"));
  }
  program.hook("preAction", (_root, action) => {
    const line = ctx.parsing;
    line.commandPath = commandPath(action);
    // A server never returns, and a session in a session makes no sense: neither is a line.
    if (line.session && SESSION_REFUSED.has(line.commandPath)) {
      throw new TixError("INVALID_ARGUMENT", `${line.commandPath}: runs only as a command of its own (tix ${line.commandPath}), not as a line of a session`);
    }
  });
  return program;
}

/**
 * What a line's tree is built for (see createProgram), as one key — `reserve`, `event show` —, or
 * undefined when it gets every command: lines with the same key are parsed with the same tree.
 * `root`: any program with the global options, to find where they end.
 */
export function commandBuiltAlone(argv: readonly string[], root: Command): string | undefined {
  const words = wordsBuiltAlone(argv, root);
  return words.length === 0 ? undefined : words.join(" ");
}

/** The command a line's tree holds alone and, for a group that builds one alone, the subcommand it names; or none. */
function wordsBuiltAlone(argv: readonly string[], root: Command): string[] {
  const [named, next] = commandWords(argv, root);
  const command = named === undefined || NEEDS_WHOLE_TREE.has(named) ? undefined : COMMANDS.find(([name]) => name === named);
  if (!command) return [];
  return next !== undefined && command[2]?.includes(next) ? [named!, next] : [named!];
}

/** Commands that cannot be a line of a REPL or batch. */
const SESSION_REFUSED = new Set(["serve", "repl"]);
/** What a line of a REPL or batch may say besides the commands (repl/line.ts). */
const SESSION_WORDS = ["help", "exit", "clear"];

/**
 * The command a line that failed before its action names, for what it would have printed
 * (SessionState.forget): `event show`, a group alone (`ticket`) or with a subcommand it lacks;
 * "" when it is global options alone (`tix`, `tix --json`), so could have printed nothing; undefined
 * when its first word is no command (a typo, an unknown option: it could have been any).
 */
export function commandTried(argv: readonly string[], program: Command): string | undefined {
  if (isBareInvocation(argv, program)) return "";
  const [first, second] = commandWords(argv, program);
  // `--bogus event show X`: the command is past an unknown option, so could be any.
  if (first === undefined) return undefined;
  const command = program.commands.find((candidate) => candidate.name() === first || candidate.aliases().includes(first));
  if (!command) return undefined;
  const sub = second === undefined ? undefined : command.commands.find((candidate) => candidate.name() === second || candidate.aliases().includes(second));
  return sub ? `${command.name()} ${sub.name()}` : command.name();
}

/** `ticket show`: the command's names below the root. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent; at = at.parent) names.unshift(at.name());
  return names.join(" ");
}

/**
 * A missing argument that takes one of a few words (`tix completion` alone) says which: commander
 * names only the argument ("missing required argument 'shell'").
 */
function withChoices(error: CommanderError, command: Command): CommanderError {
  if (error.code !== "commander.missingArgument") return error;
  const name = /'([^']+)'/.exec(error.message)?.[1];
  const choices = command.registeredArguments.find((argument) => argument.name() === name)?.argChoices;
  if (choices === undefined) return error;
  return new CommanderError(error.exitCode, error.code, `${error.message}; give one of ${choices.join(", ")}`);
}

/** exitOverride and output routing must be set on every command, not just the root. */
function configureTree(command: Command, ctx: CommandContext): void {
  command
    .exitOverride((error: CommanderError) => {
      throw withChoices(error, command);
    })
    .configureOutput({
      // Help fits the terminal: commander wraps its own part to this width, fitHelpText the rest.
      getOutHelpWidth: () => terminalSize(ctx.parsing.f.io).columns,
      // Under --json stdout carries JSON alone: the help (written in parts) is kept for one document (run.ts).
      // On a terminal it is kept whole too, to go through the pager when longer than the screen,
      // as other long output does (never a session's line: the session owns the terminal).
      writeOut: (text) => {
        const line = ctx.parsing;
        if (line.json) {
          line.helpText = (line.helpText ?? "") + text;
          return;
        }
        const fitted = fitHelpText(text, terminalSize(line.f.io).columns);
        const pager = line.session === undefined ? pagerOf(command.optsWithGlobals<RawGlobals>(), line.f.io) : undefined;
        if (pager) line.heldHelp = { text: (line.heldHelp?.text ?? "") + fitted, pager };
        else line.f.io.stdout.write(fitted);
      },
      // Commander writes to stderr only the help it shows for a command group given without its
      // command (`tix event`): that is a usage error like any other, reported in one line.
      writeErr: () => {
        throw missingCommand(command, ctx.parsing.session !== undefined);
      },
      // Usage errors are reported once, in tix's own format, by run.ts.
      outputError: () => {},
    })
    // Each option, command and argument laid out by tix (a term never broken, see formatHelpItem).
    .configureHelp({
      formatItem: (term, termWidth, description, helper) =>
        formatHelpItem(term, termWidth, description, helper.helpWidth ?? 80, marksFor(ctx.parsing.f.io, false).ellipsis),
    });
  for (const option of command.options) {
    fixNames(option);
    refuseRepeats(command, option, (name) => ctx.parsing.overridesSession(name));
  }
  for (const child of command.commands) configureTree(child, ctx);
}

/**
 * An option's names follow from its flags, which never change, but commander works them out
 * again (a regular expression, a camel-casing) each time it needs one — several times an option
 * a parse, and a session parses hundreds of lines with one tree: each is worked out once.
 */
function fixNames(option: Option): void {
  const name = option.name();
  const attributeName = option.attributeName();
  option.name = () => name;
  option.attributeName = () => attributeName;
}

/**
 * `tix help event update`: the help of the command the words name, however deep (commander's own
 * help command reads only its first word, and showed the event group's help here); an unknown
 * word is a usage error naming the commands there are.
 */
function helpCommand(program: Command): Command {
  return new Command("help")
    .description("display help for command")
    .argument("[command...]", "a command, and a subcommand of it: tix help event update")
    .action((words: string[]) => {
      const { command, unknown } = commandAlong(program, words);
      if (unknown) throw unknown;
      command.help();
    });
}

/**
 * commander's "unknown command 'bogus'" when it has no "Did you mean" to add: the same usage
 * error naming the commands there are, as `tix help bogus` answers. Any other error as it is.
 */
export function withCommandsNamed(error: unknown, argv: readonly string[], program: Command, inSession = false): unknown {
  if (!(error instanceof CommanderError) || error.code !== "commander.unknownCommand") return error;
  const { command, unknown } = commandAlong(program, commandWords(argv, program), inSession);
  // commander's guess stands, but for a session's line, never told of serve or repl, which it cannot run (see unknownLineCommand).
  if (error.message.includes("Did you mean") && !(inSession && command.parent === null)) return error;
  return unknown ?? error;
}

/**
 * `tix order --help`, `tix event nosuch -h`: commander answers a help flag before it looks for the
 * command, so it printed the help of the group above the unknown word and exited 0, as if the
 * command were there; the same usage error as `tix order` (exit 2) instead. Words after a command
 * that has no subcommands are its arguments (`tix reserve evt_x --help` is reserve's help).
 */
export function unknownCommandAskedForHelp(argv: readonly string[], program: Command, inSession = false): TixError | undefined {
  const end = argv.indexOf("--");
  const flags = end < 0 ? argv : argv.slice(0, end);
  if (!flags.includes("--help") && !flags.includes("-h")) return undefined;
  return commandAlong(program, commandWords(argv, program), inSession).unknown;
}

/** The command `words` name from `program` down; a word that names none stops there, as `unknown`. */
function commandAlong(program: Command, words: readonly string[], inSession = false): { command: Command; unknown?: TixError } {
  let command = program;
  for (const word of words) {
    // The rest are the command's arguments, or words for a group's own help command.
    if (command.commands.length === 0 || word === "help") break;
    const child = command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word));
    if (!child) return { command, unknown: inSession && command.parent === null ? unknownLineCommand(command, word) : unknownCommand(command, word) };
    command = child;
  }
  return { command };
}

function unknownCommand(command: Command, word: string): TixError {
  // `tix help evnt` says what `tix evnt` says (commander's own "Did you mean"), then what there is.
  const [nearest] = closestMatches(word, commandNames(command), 1);
  const guess = nearest === undefined ? "" : ` (Did you mean ${nearest}?)`;
  return new TixError("INVALID_ARGUMENT", `unknown command '${word}'${guess}: ${pathOf(command)} has ${commandNames(command).join(", ")} (see \`${pathOf(command)} --help\`)`);
}

/**
 * A session's line that names no command: the guess and the list are of what a line can run
 * (help and exit too, never serve or repl); a word that is nearest serve or repl is told why not.
 */
function unknownLineCommand(program: Command, word: string): TixError {
  const runnable = [...commandNames(program, true), ...SESSION_WORDS];
  const [nearest] = closestMatches(word, [...runnable, ...SESSION_REFUSED], 1);
  if (nearest !== undefined && !SESSION_REFUSED.has(nearest)) return new TixError("INVALID_ARGUMENT", `unknown command '${word}' (Did you mean ${nearest}?)`);
  const why = nearest === undefined ? "" : `${nearest} runs only as a command of its own (tix ${nearest}), not as a line; `;
  return new TixError("INVALID_ARGUMENT", `unknown command '${word}': ${why}a line runs ${runnable.join(", ")} (see \`help\`)`);
}

/** `tix event`, or a bare `tix` line of a session: the commands it could have named (a session's lines never serve or repl). */
function missingCommand(command: Command, inSession: boolean): TixError {
  const names = commandNames(command, inSession);
  return new TixError("INVALID_ARGUMENT", `${pathOf(command)} needs a command: one of ${names.join(", ")} (see \`${inSession && command.parent === null ? "help" : `${pathOf(command)} --help`}\`)`);
}

/** `tix event`: the command's names from the root. */
function pathOf(command: Command): string {
  const path: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) path.unshift(at.name());
  return path.join(" ");
}

/** The command's subcommands; `inSession`: at the root, only those a line of a session can run. */
function commandNames(command: Command, inSession = false): string[] {
  const refused = inSession && command.parent === null ? SESSION_REFUSED : undefined;
  return command.createHelp().visibleCommands(command).map((child) => child.name()).filter((name) => name !== "help" && !refused?.has(name));
}
