import { CommanderError } from "commander";
import type { InvalidRows } from "../app/import-events.js";
import { TixError, isTixError, markShortened, renameField, shorten, type ErrorCode } from "../core/index.js";
import { EXIT_INTERRUPTED, EXIT_SUCCESS, EXIT_USAGE, exitCodeFor } from "./exit-codes.js";
import { errorOutputOf, marksFor } from "./globals.js";
import { colorEnabled, type CliIo } from "./io.js";
import { errorEnvelope } from "./output/envelope.js";
import { UNICODE_MARKS, createStyle, type Marks } from "./output/style.js";
import { fitToStderr } from "./output/screen.js";
import { escapeControl } from "./output/text.js";
import { Interrupted } from "./prompts/interrupted.js";

/**
 * The domain's field names that the command line spells otherwise (its flags' names, without
 * dashes; an argument's name: `tix reserve EVENT_ID`'s event id, `--user`'s user). A command whose
 * flag names one otherwise (`ticket list --event`) checks it first, in its own words.
 */
const FLAG_NAMES: Readonly<Record<string, string>> = {
  eventId: "event id", ticketId: "ticket id", userId: "user",
  startsAt: "starts-at", limitPerUser: "limit-per-user", salesStart: "sales-start", salesEnd: "sales-end", maxUses: "max-uses", validUntil: "valid-until", seatMap: "seat-map",
};

/** Longer messages are cut: they may quote what was typed, and a line on stderr stays a line. */
const MAX_MESSAGE_LENGTH = 400;

/**
 * Prints any failure as one line (or a JSON error with --json) and answers its exit code. In a
 * batch, `line` is the line that failed: the message starts `line N:`, and JSON carries `"line"`.
 * An error may add detail lines (an import's invalid rows): printed after it, or in its JSON.
 * `sessionColor`: argv starts with a session's own global options, a colour switch among them
 * (see errorOutputOf).
 */
export function reportError(error: unknown, io: CliIo, argv: readonly string[], line?: number, sessionColor = false): number {
  // The person already knows: they pressed Ctrl-C. Only the shell's next prompt should follow.
  if (error instanceof Interrupted) {
    if (error.note !== undefined) io.stderr.write(`${error.note}\n`);
    return EXIT_INTERRUPTED;
  }
  if (error instanceof CommanderError) {
    // --help and --version end the parse by "throwing" with exit code 0.
    if (error.exitCode === 0) return EXIT_SUCCESS;
    if (error.code === "commander.help" || error.code === "commander.helpDisplayed") return EXIT_USAGE;
    error = new TixError("INVALID_ARGUMENT", error.message.replace(/^error: /, "").replace(/\s*\n\s*/g, " ").trim());
  }
  const failure = forCommandLine(isTixError(error) ? error : new TixError("INTERNAL", internalMessage(error), { cause: error }));
  const output = errorOutputOf(argv, sessionColor);
  const where = line === undefined ? "" : `line ${line}: `;
  const message = where + shorten(failure.message.replace(/\s*\n\s*/g, " "), MAX_MESSAGE_LENGTH);
  if (output.json) {
    const envelope = errorEnvelope(failure);
    envelope.error = { ...(envelope.error as object), message, ...(line === undefined ? {} : { line }) };
    io.stdout.write(`${JSON.stringify(envelope)}\n`);
  } else {
    const style = createStyle(colorEnabled({ stdout: io.stderr, env: io.env }, output.color));
    // tix's own marks in the message (a long value's cut …) in ASCII on a terminal that is not UTF-8.
    const marks = marksFor({ stdout: io.stderr, env: io.env }, false);
    // Messages may quote what was typed: control characters are shown, never obeyed by the terminal.
    const details = detailsIn(failure, marks).map((detail) => `  ${escapeControl(detail)}\n`).join("");
    const text = `${where}error: ${escapeControl(markShortened(message.slice(where.length), marks.ellipsis))}`;
    // One line for a script; on a terminal, laid out between words to its width (not cut mid-word by it).
    const wrapped = fitToStderr(text, io);
    const shown = wrapped.startsWith(`${where}error: `) ? wrapped : text;
    io.stderr.write(`${where}${style.chalk.red("error:")}${shown.slice(where.length + "error:".length)}\n${details}`);
  }
  if (io.env.TIX_DEBUG === "1") io.stderr.write(`${debugTrace(error)}\n`);
  return exitCodeFor(failure);
}

/**
 * The error's detail lines in `marks`: a long value's cut (shorten's `…`), and an import's last
 * line, `… and N more invalid rows`. What the rows quote is shown as it is.
 */
function detailsIn(failure: TixError, marks: Marks): readonly string[] {
  if (marks === UNICODE_MARKS) return failure.details;
  // InvalidRows told by its fields: its module (the import's) is not loaded for every error.
  const invalid = failure as Partial<Pick<InvalidRows, "count" | "rows">>;
  const more = typeof invalid.count === "number" && Array.isArray(invalid.rows) && invalid.count > invalid.rows.length ? failure.details.length - 1 : -1;
  return failure.details.map((detail, index) => {
    const shown = markShortened(detail, marks.ellipsis);
    return index === more && shown.startsWith(UNICODE_MARKS.ellipsis) ? `${marks.ellipsis}${shown.slice(UNICODE_MARKS.ellipsis.length)}` : shown;
  });
}

/** The command that lists what an unknown id could have been. */
const LISTED_BY: Partial<Record<ErrorCode, string>> = { EVENT_NOT_FOUND: "tix event list", TICKET_NOT_FOUND: "tix ticket list" };

/** The error as the command line words it: its field named as typed, and where to look for a missing id. */
function forCommandLine(error: TixError): TixError {
  const flag = error.field === undefined ? undefined : FLAG_NAMES[error.field];
  if (flag !== undefined) return renameField(error, flag);
  const list = LISTED_BY[error.code];
  // Only an id that was looked up (`no event with id …`), not "there are no events yet".
  if (list !== undefined && /^no (event|ticket|order) with id /.test(error.message)) {
    return new TixError(error.code, `${error.message} (${list})`, { cause: error.cause });
  }
  return error;
}

function internalMessage(error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `internal error: ${detail.split("\n")[0]} (this is a bug in tix; run with TIX_DEBUG=1 for details)`;
}

function debugTrace(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `\nCaused by: ${error.cause.stack}` : "";
  return error instanceof Error ? `${error.stack}${cause}` : String(error);
}
