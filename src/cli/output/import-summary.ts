import { describeProblem } from "../../app/row-problem.js";
import type { CommandResult } from "../result.js";
import type { ImportSummary } from "../../app/import-events.js";
import { describeChanges, fieldLabel, leftWaitlistLine } from "./changes.js";
import { successEnvelope } from "./envelope.js";
import type { Rendered } from "./rendered.js";
import { displayWidth, fitLine, padding, truncate } from "./text.js";
import type { Marks, Style } from "./style.js";
import { GAP, renderFieldLines, renderRecord, type Cell, type OutputMode } from "./table.js";
import { counted } from "../../core/index.js";

type ImportResult = Extract<CommandResult, { type: "import" }>;

/** Rows are written in pieces of this many lines: a million-row import never builds one string. */
const ROWS_PER_PIECE = 1000;

/**
 * An import's answer: a summary (created, updated, unchanged, the fields it changed on how many
 * events, skipped, time), never the events themselves; with `--rows`, each written event's id,
 * what the row did and what it changed, streamed. Skipped rows are warnings on stderr,
 * and waiting users the file's updates took off their events' lines are notes there, in
 * `warningMarks` (stderr's: ASCII when it is a terminal whose locale is not UTF-8).
 */
export function renderImport(result: ImportResult, mode: OutputMode, style: Style, width: number, warningMarks: Marks = style.marks): Rendered {
  const { summary } = result;
  const rows = summary.events;
  const more = summary.skippedCount > summary.skipped.length ? [`warning: ${warningMarks.ellipsis} and ${counted(summary.skippedCount - summary.skipped.length, "more row")} skipped`] : [];
  const left = summary.leftWaitlist.map((user) => `note: ${leftWaitlistLine(user, user.eventId)}`);
  if (summary.leftWaitlistCount > left.length) left.push(`note: ${warningMarks.ellipsis} and ${summary.leftWaitlistCount - left.length} more left waiting lists`);
  // An empty file (or a header alone) is most likely the wrong file: say so rather than "0 created".
  const empty = summary.created + summary.updated + summary.unchanged + summary.skippedCount === 0 ? [`warning: ${result.source} has no rows; nothing was imported`] : [];
  // On stderr whenever a person might read it, --json too (stdout keeps the data alone).
  const warnings = [...empty, ...summary.skipped.map((problem) => `warning: skipped ${describeProblem(problem)}`), ...more, ...left];
  if (mode === "json") {
    const head = JSON.stringify(successEnvelope(result));
    if (!rows) return { stdout: `${head}\n`, warnings };
    // The envelope, then its "events" array piece by piece.
    return { stdout: `${head.slice(0, -1)},"events":[`, more: pieces(rows, (row, index) => `${index === 0 ? "" : ","}${JSON.stringify(row)}`, "]}\n"), warnings };
  }
  const cell = (value: string | number): Cell => ({ value: String(value) });
  const fields: Array<[string, string, Cell]> = [
    ["file", "File", cell(result.file)],
    ["created", "Created", cell(summary.created)],
    ["updated", "Updated", cell(summary.updated)],
    ["unchanged", "Unchanged", cell(summary.unchanged)],
    ...(summary.updated > 0 || mode === "plain" ? [["changed", "Changed", cell(changedFieldsLine(summary.changedFields))] as [string, string, Cell]] : []),
    ["skipped", "Skipped", cell(summary.skippedCount)],
    ["seconds", "Time", cell(mode === "plain" ? result.seconds : `${result.seconds}s`)],
  ];
  return {
    stdout: mode === "plain"
      ? renderFieldLines(fields.map(([field, , value]) => [field, value.value]))
      : renderRecord(fields.map(([, label, value]) => [label, value]), width, style),
    note: result.message,
    warnings,
    more: rows ? pieces(rows, mode === "tty" ? terminalRowLines(rows, width, style) : plainRowLine, "") : undefined,
  };
}

type ImportedRow = NonNullable<ImportSummary["events"]>[number];

/** Piped: `id<TAB>outcome<TAB>change; change`, one line an event, for a script to split. */
function plainRowLine(row: ImportedRow): string {
  return `${row.id}\t${row.outcome}${row.changes.length > 0 ? `\t${describeChanges(row.changes).join("; ")}` : ""}\n`;
}

/**
 * On a terminal: the id and the outcome in columns, each change on a line of its own under the
 * first, every line cut to the terminal's width (with …) — never a line the terminal would wrap.
 */
function terminalRowLines(rows: readonly ImportedRow[], width: number, style: Style): (row: ImportedRow) => string {
  const { ellipsis } = style.marks;
  // A loop, not Math.max(...): a million rows are too many arguments for one call.
  let widest = 0;
  for (const row of rows) widest = Math.max(widest, displayWidth(row.id));
  const idWidth = Math.min(widest, Math.floor(width / 2));
  const lead = idWidth + GAP.length + OUTCOME_WIDTH + GAP.length;
  return (row) => {
    const id = truncate(row.id, idWidth, ellipsis);
    const head = `${id}${padding(displayWidth(id), idWidth)}${GAP}${row.outcome}`;
    const changes = describeChanges(row.changes, style.marks);
    if (changes.length === 0) return `${fitLine(head, width, ellipsis)}\n`;
    let out = `${fitLine(`${head}${padding(row.outcome.length, OUTCOME_WIDTH)}${GAP}${changes[0]}`, width, ellipsis)}\n`;
    for (const change of changes.slice(1)) out += `${fitLine(`${" ".repeat(lead)}${change}`, width, ellipsis)}\n`;
    return out;
  };
}

/** "unchanged", the longest outcome. */
const OUTCOME_WIDTH = 9;

/** `capacity on 2 events, price on 1` (the order fields first changed in the file); empty when none changed. */
function changedFieldsLine(changed: ImportSummary["changedFields"]): string {
  return Object.entries(changed).map(([field, count]) => `${fieldLabel(field as keyof ImportSummary["changedFields"])} on ${counted(count, "event")}`).join(", ");
}

function* pieces<T>(items: readonly T[], line: (item: T, index: number) => string, end: string): Iterable<string> {
  for (let start = 0; start < items.length; start += ROWS_PER_PIECE) {
    let piece = "";
    for (let index = start; index < Math.min(items.length, start + ROWS_PER_PIECE); index += 1) piece += line(items[index]!, index);
    yield piece;
  }
  if (end !== "") yield end;
}
