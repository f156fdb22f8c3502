import { marksFor, type Globals } from "../globals.js";
import type { CliIo } from "../io.js";
import { counted, markShortened, plural, type EventRow, type EventView, type LogEntryView, type TicketView } from "../../core/index.js";
import type { CommandResult } from "../result.js";
import { logList, voucherList, waitlistJoined, waitlistList } from "./box-office.js";
import { renderImport } from "./import-summary.js";
import { jsonChunks, streamedJson, successEnvelope } from "./envelope.js";
import { updateLines } from "./changes.js";
import { eventList, eventRecord } from "./event-view.js";
import { listFooter } from "./list-window.js";
import type { PagerOutcome } from "./pager.js";
import type { Rendered } from "./rendered.js";
import { reportView } from "./report-view.js";
import { fitToStderr } from "./screen.js";
import { renderSeatsPage } from "./seat-map.js";
import { UNICODE_MARKS, type Marks, type Style } from "./style.js";
import type { OutputMode } from "./table.js";
import { orderRecord, shortAnswer, ticketListPieces, ticketRecord } from "./ticket-view.js";
import { escapeControl, wrapLines } from "./text.js";
import { TimeFormat } from "./time.js";
import type { View } from "./view.js";

export interface RenderOptions {
  mode: OutputMode;
  style: Style;
  /**
   * The marks of the warnings, which go to stderr in every mode: ASCII when stderr is a terminal
   * whose locale is not UTF-8 (asciiMarks), whatever stdout is. The style's when not given.
   */
  warningMarks?: Marks | undefined;
  now: number;
  /** The terminal's width: tables and records fit it (piped output is never cut). */
  width: number;
}

/**
 * Prints a command's result: data on stdout (on a terminal, through the pager when it is longer
 * than the screen); warnings and notes on stderr in every mode, --json too (stdout keeps the data
 * alone); on a terminal the chatter on stderr too.
 */
export async function printResult(result: CommandResult, globals: Globals, io: CliIo, now: number, options: { paging: boolean }): Promise<void> {
  // stderr's marks, under --json too: stderr is not the JSON.
  const warningMarks = marksFor({ stdout: io.stderr, env: io.env }, false);
  const rendered = render(result, { mode: globals.mode, style: globals.style, warningMarks, now, width: globals.width });
  const { stdout, warnings = [], more } = rendered;
  // Messages may quote what a user typed: escaped like every other value (their line breaks kept),
  // and when stderr is a terminal laid out to its width (between words), as errors are.
  const fitted = (text: string): string => fitToStderr(text.split("\n").map(escapeControl).join("\n"), io);
  // A warning may quote a value cut by shorten (an import row's): its … in the warnings' marks too.
  for (const warning of warnings) io.stderr.write(`${fitted(markShortened(warning, warningMarks.ellipsis))}\n`);
  const pager = options.paging && globals.mode === "tty" ? globals.pager : undefined;
  const whole = more ? inPieces(stdout, more) : stdout;
  const data = globals.mode === "plain" && globals.style.enabled && !inFileFormat(result) ? withLeadsBold(whole, globals.style) : whole;
  if (pager === undefined) await writeAll(io.stdout, data);
  else await printPaged(io, data, pager, globals.rows);
  // Read once the data is out: a streamed export knows only then what it left out.
  const { note } = rendered;
  if (note && globals.mode === "tty") io.stderr.write(`${fitted(checked(note, globals.style))}\n`);
}

/** Output in a file format (an export, a report as CSV or JSON): its bytes are the format's, colour or not. */
function inFileFormat(result: CommandResult): boolean {
  return result.type === "export" || result.type === "export-events" || (result.type === "report" && result.format === "json");
}

/**
 * Piped output with colour forced (`--color`, `FORCE_COLOR`): the same lines, each one's first
 * field — a list's id, a record's `field:` — in bold, as a terminal's table shows its ids and
 * labels apart. The shape never changes (tabs and lines where they were); unforced, no piped line
 * has colour.
 */
function withLeadsBold(data: Rendered["stdout"], style: Style): Rendered["stdout"] {
  const bold = (text: string): string => text.replace(/^([^\t\n]+)(?=\t)/gm, (lead) => style.chalk.bold(lead));
  if (typeof data === "string") return bold(data);
  return (async function* bolded() {
    for await (const piece of data) yield bold(piece);
  })();
}

/** A success note starts with tix's ✓ (↺ for a replay): shown in the style's marks (`OK` on a terminal that is not UTF-8). */
function checked(note: string, style: Style): string {
  if (style.marks === UNICODE_MARKS) return note;
  for (const mark of ["check", "replayed"] as const) {
    if (note.startsWith(UNICODE_MARKS[mark])) return `${style.marks[mark]}${note.slice(UNICODE_MARKS[mark].length)}`;
  }
  return note;
}

/**
 * On a terminal, output as long as the screen goes through the pager, and shorter output is
 * printed as it is. Output in pieces is read until it has filled a screen (no more is held) or
 * has ended: a streamed list pages like any other. (--help goes through here too, run.ts.)
 *
 * A pager that cannot start (not installed) has shown nothing: the output is printed instead, all
 * of it. So is the output of one that fails (`TIX_PAGER=false`, `less --bogus`: an exit status
 * other than 0), after a warning naming it on stderr — the user asked to see it. (git shows
 * nothing then; a user who wants nothing shown can say `>/dev/null`.)
 */
export async function printPaged(io: CliIo, data: Rendered["stdout"], pager: string[], rows: number): Promise<void> {
  if (typeof data === "string") {
    if (lineCount(data) < rows) {
      io.stdout.write(data);
      return;
    }
    const outcome = await page(data, pager, io.env);
    if (outcome !== "shown") {
      pagerFailed(io, pager, outcome);
      io.stdout.write(data);
    }
    return;
  }
  const pieces = inPieces(data);
  let screen = "";
  while (lineCount(screen) < rows) {
    const next = await pieces.next();
    if (next.done) {
      io.stdout.write(screen);
      return;
    }
    screen += next.value;
  }
  // What the pager read is kept, to print it after all should the pager fail.
  const rest = inPieces(screen, pieces);
  const read: string[] = [];
  const reading: AsyncIterable<string> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const next = await rest.next();
        if (!next.done) read.push(next.value);
        return next;
      },
    }),
  };
  const outcome = await page(reading, pager, io.env);
  if (outcome === "shown") return;
  pagerFailed(io, pager, outcome);
  await writeAll(io.stdout, inPieces(read.join(""), rest));
}

/** Says on stderr that the pager failed (nothing is said when it is not installed: the output simply follows). */
function pagerFailed(io: CliIo, pager: string[], outcome: Exclude<PagerOutcome, "shown">): void {
  if (outcome === "not started") return;
  const warning = `warning: the pager (${escapeControl(pager.join(" "))}) failed (${outcome.failed}); printed without it (TIX_PAGER chooses one, --no-pager none)`;
  io.stderr.write(`${fitToStderr(warning, io)}\n`);
}

/**
 * A result as its view renders it for the output mode. What a person must not miss — a result's
 * `warnings` (`note: …`, `warning: …`) — is in `warnings` in every mode, --json included: one
 * rule for every command, whatever its view (printResult writes them to stderr).
 */
export function render(result: CommandResult, options: RenderOptions): Rendered {
  const rendered = renderView(result, options);
  if (rendered.warnings === undefined && "warnings" in result && result.warnings !== undefined && result.warnings.length > 0) rendered.warnings = result.warnings;
  return rendered;
}

function renderView(result: CommandResult, options: RenderOptions): Rendered {
  const formatIsJson = result.type === "export" || (result.type === "report" && result.format === "json");
  if (result.type === "import") return renderImport(result, options.mode, options.style, options.width, options.warningMarks ?? options.style.marks);
  if (result.type === "events" && result.pages) return { stdout: streamedEvents(result.events, result.pages, options) };
  if (result.type === "export-events") {
    const { counts } = result;
    return {
      stdout: eventPieces(result.pages, result.csv),
      get note() {
        const hidden = counts.hiddenCodes;
        const them = plural(hidden, "it", "them");
        return hidden === 0 ? undefined : `${counted(hidden, "access code")} shown as (hidden): --codes shows ${them} on a terminal; a file or a pipe always gets ${them}`;
      },
    };
  }
  if ((result.type === "tickets" || result.type === "export" || result.type === "log") && result.pages) return { stdout: streamedList(result, result.pages, options) };
  if (options.mode === "json" || formatIsJson) return { stdout: jsonChunks(successEnvelope(result)) };
  const view: View = { mode: options.mode, style: options.style, width: options.width, time: new TimeFormat(options.now, options.style.marks.dot) };
  const footer = (shown: number, total: number | undefined, noun: string, latest = false): string => {
    const line = view.mode === "tty" && total !== undefined ? listFooter(shown, total, noun, latest) : undefined;
    // Wrapped between words on a terminal narrower than it (the log's is 51 columns at 34,802 entries).
    return line ? `${wrapLines(line, view.width).split("\n").map((part) => view.style.chalk.dim(part)).join("\n")}\n` : "";
  };
  switch (result.type) {
    case "event":
      return { stdout: eventRecord(result.event, view) + plainChanges(result, view), note: result.message };
    case "events":
      return {
        stdout: followedBy(eventList(result.events, view), footer(result.events.length, result.total, "events")),
        note: result.message ?? (result.events.length === 0 ? "No events. Create one with `tix event create` or load samples with `tix seed`." : undefined),
      };
    case "ticket": {
      const tickets = result.order?.tickets ?? [result.ticket];
      if (view.mode === "tty" && result.action) {
        const answer = { action: result.action, tickets, orderId: result.order?.orderId ?? result.ticket.orderId, event: result.event, reservation: result.reservation };
        return { stdout: shortAnswer(answer, view), note: result.message };
      }
      return {
        stdout: result.order && tickets.length > 1 ? orderRecord(result.order, view, result.reservation) : ticketRecord(result.ticket, view, result.reservation),
        note: result.message,
      };
    }
    case "tickets":
      return { stdout: followedBy(ticketListPieces(result.tickets, view, undefined, result.everyone), footer(result.tickets.length, result.total, "tickets")), note: result.tickets.length === 0 ? "No tickets match." : undefined };
    case "seats":
      return { stdout: renderSeatsPage(result.event, result.seats, result.width, options.style) };
    case "token":
      // Alone on stdout, so that `TOKEN=$(tix token create)` just works.
      return { stdout: `${result.token}\n`, note: result.message };
    case "report":
      return { stdout: reportView(result.report, view, result.sales) };
    case "text":
      return { stdout: result.text };
    case "waitlist":
      return {
        stdout: waitlistList(result.entries, view) + footer(result.entries.length, result.total, "waiting"),
        note: result.entries.length === 0 ? `Nobody is waiting for ${result.eventId}.` : undefined,
      };
    case "waitlist-join":
      return { stdout: waitlistJoined(result.outcome, view), note: result.message };
    case "log":
      return {
        stdout: logList(result.entries, view) + footer(result.entries.length, result.total, "entries", true),
        note: result.entries.length !== 0 ? undefined
          : result.filtered ? "The log has no entries for this event or ticket." : "The log is empty: nothing has changed in this store yet.",
      };
    case "done":
      return { stdout: "", note: result.message };
    case "voucher":
      return { stdout: voucherList([result.voucher], view), note: result.message };
    case "vouchers":
      return { stdout: voucherList(result.vouchers, view) + footer(result.vouchers.length, result.total, "vouchers"), note: result.vouchers.length === 0 ? "No vouchers. Create one with `tix voucher create`." : undefined };
  }
}

/** Loaded only when output is long (child_process costs every other run start-up time). */
async function page(text: string | AsyncIterable<string>, pager: string[], env: CliIo["env"]): Promise<PagerOutcome> {
  const { showInPager } = await import("./pager.js");
  return showInPager(text, pager, env);
}

/** A script's event list (piped or --json), printed page by page as the store gives it. */
function streamedEvents(first: EventView[], pages: AsyncIterable<EventView[]>, options: RenderOptions): AsyncIterable<string> {
  async function* all(): AsyncIterable<EventView[]> {
    yield first;
    yield* pages;
  }
  if (options.mode === "json") return streamedJson({ status: "success", events: [] }, "events", all());
  const view: View = { mode: "plain", style: options.style, width: options.width, time: new TimeFormat(options.now, options.style.marks.dot) };
  return (async function* lines() {
    for await (const page of all()) yield* eventList(page, view);
  })();
}

/** An export of tickets, CSV or JSON, page by page (standard output's, or `--output`'s file). */
export function ticketPieces(pages: AsyncIterable<readonly TicketView[]>, csv: boolean): AsyncIterable<string> {
  if (!csv) return streamedJson({ status: "success", tickets: [] }, "tickets", pages as AsyncIterable<unknown[]>);
  return (async function* rows() {
    const { ticketsCsvPieces } = await import("./csv.js");
    yield* ticketsCsvPieces(pages);
  })();
}

/**
 * `export events` as import reads it: CSV (a header, then a row an event), or the JSON envelope
 * `{"status":"success","events":[…]}`; printed, or written to `--output`, a page at a time.
 */
export function eventPieces(pages: AsyncIterable<EventRow[]>, csv: boolean): AsyncIterable<string> {
  if (!csv) return streamedJson({ status: "success", events: [] }, "events", pages);
  return (async function* rows() {
    const { eventsCsvPieces } = await import("./csv.js");
    yield* eventsCsvPieces(pages);
  })();
}

/**
 * A script's ticket list, export or log (piped or JSON), printed page by page as the store gives
 * it: the same text as the whole list printed at once.
 */
function streamedList(result: Extract<CommandResult, { type: "tickets" | "export" | "log" }>, pages: AsyncIterable<unknown[]>, options: RenderOptions): AsyncIterable<string> {
  const first = result.type === "log" ? result.entries : result.tickets;
  async function* all(): AsyncIterable<unknown[]> {
    yield first;
    yield* pages;
  }
  const key = result.type === "log" ? "entries" : "tickets";
  if (result.type === "export") return ticketPieces(all() as AsyncIterable<TicketView[]>, result.csv === true);
  if (options.mode === "json") return streamedJson({ status: "success", [key]: [] }, key, all());
  const view: View = { mode: "plain", style: options.style, width: options.width, time: new TimeFormat(options.now, options.style.marks.dot) };
  const seated = result.type === "tickets" ? result.seated : undefined;
  return (async function* lines() {
    for await (const page of all()) {
      if (result.type === "log") yield logList(page as LogEntryView[], view);
      else yield* ticketListPieces(page as TicketView[], view, seated ?? (page as TicketView[]).some((ticket) => ticket.seat !== null));
    }
  })();
}

function lineCount(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}

/** Pieces, made one at a time as they are written, then one more. */
function* followedBy(pieces: Iterable<string>, last: string): Generator<string, void, undefined> {
  yield* pieces;
  yield last;
}

/** Outputs, one after the other, as the pieces of one. */
async function* inPieces(...outputs: Array<Rendered["stdout"]>): AsyncGenerator<string, void, undefined> {
  for (const output of outputs) yield* typeof output === "string" ? [output] : output;
}

/** Writes text, or its pieces one after the other, waiting whenever a stream asks to. */
async function writeAll(out: CliIo["stdout"], text: Rendered["stdout"]): Promise<void> {
  if (typeof text === "string") {
    out.write(text);
    return;
  }
  const stream = out as Partial<NodeJS.WritableStream>;
  for await (const piece of text) {
    if (out.write(piece) === false && typeof stream.once === "function") {
      await new Promise((resolve) => stream.once!("drain", () => resolve(undefined)));
    }
  }
}

/**
 * A script reading an update's plain record learns what changed from one more field line,
 * `changes:` with each change as the terminal's note words it, `; `-separated (empty: nothing
 * did). The note itself is for a terminal only; a created event has no such line.
 */
function plainChanges(result: Extract<CommandResult, { type: "event" }>, view: View): string {
  if (view.mode !== "plain" || result.changes === undefined) return "";
  return `changes:\t${updateLines(result.changes, result.leftWaitlist, view.style.marks).join("; ")}\n`;
}
