import { createHash } from "node:crypto";
import { TixError, counted, invalidArgument, isTixError, quote, renameField, type FieldChange, type LeftWaitlist } from "../core/index.js";
import { eventExists, prepareCreate, prepareWholeEvent, type EventInput, type EventUseCases } from "./events.js";
import { describeProblem, type RowProblem } from "./row-problem.js";

export type { RowProblem } from "./row-problem.js";

/** How many invalid rows an answer names; past that it gives their count. */
export const MAX_ROWS_NAMED = 50;

/** One row of an import file, as its reader found it. */
export interface ImportRow {
  /** The file's own line number where the row starts. */
  line: number;
  /** Its place in a JSON list (1 for the first), given when another row starts on the same line. */
  item?: number | undefined;
  fields: EventInput;
  /** Each field's column (or key) as the file spells it, so that errors name what the file says. */
  columns: Readonly<Record<string, string>>;
  /** A row the reader could not make into fields at all (a JSON `null`, a name given as an object). */
  problem?: TixError | undefined;
}

/** What a row did to its event: made it, changed some of its fields, or found it as the row says. */
export type ImportOutcome = "created" | "updated" | "unchanged";

export interface ImportSummary {
  created: number;
  /** Existing events the file changed (at least one field). */
  updated: number;
  /** Existing events the file named and left as they were: every field given already had that value. */
  unchanged: number;
  /** For each field the file changed, on how many events (a tier's price on two tiers of one event counts once). */
  changedFields: Partial<Record<FieldChange["field"], number>>;
  /** The invalid rows left out (with skipInvalid), the first MAX_ROWS_NAMED of them. */
  skipped: RowProblem[];
  skippedCount: number;
  /** The events written, in the file's order, each with what changed: kept only when asked for (`keepIds`). */
  events: Array<{ id: string; created: boolean; outcome: ImportOutcome; changes: FieldChange[] }> | undefined;
  /**
   * The waiting users the file's updates took off their events' lines (a changed per-user limit,
   * sales moved later), the first MAX_ROWS_NAMED of them; `leftWaitlistCount` counts them all.
   */
  leftWaitlist: Array<LeftWaitlist & { eventId: string }>;
  leftWaitlistCount: number;
}

export interface ImportOptions {
  skipInvalid: boolean;
  actor: string;
  /** Calls for each row checked, then each written: (phase, done, total). */
  onProgress?: ((phase: "check" | "write", done: number, total: number) => void) | undefined;
  /** Ctrl-C: checked between rows while checking; once writing has begun, the one transaction finishes. */
  signal?: AbortSignal | undefined;
  /** How the caller's input skips invalid rows, said when rows are refused (each face words its own). */
  skipHint?: string | undefined;
  /** Keep the written events' ids (for `--rows`); otherwise the answer is a summary only. */
  keepIds?: boolean | undefined;
}

/** The rows refused, each with its line and column, and nothing imported. */
export class InvalidRows extends TixError {
  constructor(readonly rows: RowProblem[], readonly count: number, source: string, hint = "") {
    const more = count > rows.length ? [`… and ${counted(count - rows.length, "more invalid row")}`] : [];
    super("INVALID_ARGUMENT", `${source}: ${counted(count, "invalid row")}; nothing was imported${hint}`, {
      field: "file",
      details: [...rows.map(describeProblem), ...more],
    });
  }

  override toJSON() {
    return { ...super.toJSON(), invalidRows: this.count, rows: this.rows };
  }
}

/** Rows are checked in slices of this many, letting Ctrl-C and the progress bar in between. */
const SLICE = 1000;

/**
 * Checks every row, then writes the valid ones in one transaction: all or nothing, unless
 * skipping invalid rows. A row without an id gets one derived from its name, venue and start (and
 * how many identical rows came before it), so importing the same file again updates its events
 * instead of adding them twice. The answer is a summary: its size does not grow with the file.
 */
export async function importEvents(events: EventUseCases, rows: readonly ImportRow[], source: string, options: ImportOptions): Promise<ImportSummary> {
  const valid: EventInput[] = [];
  /** The row each valid event came from, to name it when the store refuses it. */
  const validRows: ImportRow[] = [];
  const problems: RowProblem[] = [];
  let invalid = 0;
  const seen = new Map<string, number>();
  const idLines = new Map<string, number>();
  for (let index = 0; index < rows.length; index += 1) {
    if (index % SLICE === 0 && index > 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    const row = rows[index]!;
    let checked = checkRow(row, seen, idLines);
    // A row naming an id with cells left out updates that event: only a new one needs a name and capacity.
    if ("missing" in checked) checked = (await eventExists(events, checked.fields.id!)) ? { fields: checked.fields } : checked.missing;
    if ("problem" in checked) {
      invalid += 1;
      if (problems.length < MAX_ROWS_NAMED) problems.push(checked.problem);
    } else {
      valid.push(checked.fields);
      validRows.push(row);
    }
    options.onProgress?.("check", index + 1, rows.length);
  }
  options.signal?.throwIfAborted();
  if (invalid > 0 && !options.skipInvalid) throw new InvalidRows(problems, invalid, source, options.skipHint);
  // Events decided so far: when the store refuses one (what only the stored event tells: a seat map
  // for a general-admission event, a capacity below the tickets sold), it is the next.
  let decided = 0;
  const written = valid.length === 0 ? [] : await events.createMany({ events: valid, actor: options.actor,
    onProgress: (done, total) => {
      decided = done;
      options.onProgress?.("write", done, total);
    },
  }).catch((error: unknown) => {
    throw atRow(error, validRows[decided], valid[decided]?.id, source);
  });
  // Committed: from here on nothing may fail, and nothing here can.
  const outcomes: Record<ImportOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  const changedFields: ImportSummary["changedFields"] = {};
  const leftWaitlist: ImportSummary["leftWaitlist"] = [];
  let leftWaitlistCount = 0;
  for (const result of written) {
    outcomes[outcomeOf(result)] += 1;
    for (const field of new Set(result.changes.map((change) => change.field))) changedFields[field] = (changedFields[field] ?? 0) + 1;
    for (const user of result.leftWaitlist) {
      if (leftWaitlist.length < MAX_ROWS_NAMED) leftWaitlist.push({ eventId: result.event.id, ...user });
      leftWaitlistCount += 1;
    }
  }
  return {
    ...outcomes,
    changedFields,
    skipped: problems,
    skippedCount: invalid,
    events: options.keepIds ? written.map((result) => ({ id: result.event.id, created: result.created, outcome: outcomeOf(result), changes: result.changes })) : undefined,
    leftWaitlist,
    leftWaitlistCount,
  };
}

/**
 * A refusal of the store's, named by the row it came from (line and column, as a bad row is) when
 * its message names that row's event; any other failure (the store unavailable) as it is.
 */
function atRow(error: unknown, row: ImportRow | undefined, id: string | undefined, source: string): unknown {
  if (!isTixError(error) || row === undefined || id === undefined || !error.message.includes(id)) return error;
  const column = error.field === undefined ? undefined : row.columns[error.field];
  // Named by its column as a bad row's field is (`capacity: 1 is below …`), whatever the refusal's code.
  const named = column === undefined ? error : error.code === "INVALID_ARGUMENT" ? renameField(error, column) : new TixError(error.code, `${column}: ${error.detail}`);
  const item = row.item === undefined ? "" : `, item ${row.item}`;
  return new TixError(error.code, `${source}: line ${row.line}${item}: ${named.message}; nothing was imported`, { field: error.field, detail: error.detail, cause: error });
}

function outcomeOf(result: { created: boolean; changes: readonly FieldChange[] }): ImportOutcome {
  if (result.created) return "created";
  return result.changes.length > 0 ? "updated" : "unchanged";
}

/**
 * `seen`: how many rows so far had each derived identity; `idLines`: the line of each id given so
 * far, so an id given twice is refused (which row would win is a guess) rather than counted as a
 * creation and an update of one event.
 */
function checkRow(row: ImportRow, seen: Map<string, number>, idLines: Map<string, number>): { fields: EventInput } | { problem: RowProblem } | { fields: EventInput; missing: { problem: RowProblem } } {
  const refuse = (error: TixError): { problem: RowProblem } => {
    const column = error.field === undefined ? undefined : row.columns[error.field];
    const named = column === undefined ? error : renameField(error, column);
    return { problem: { line: row.line, ...(row.item === undefined ? {} : { item: row.item }), column, message: named.message } };
  };
  if (row.problem) return refuse(row.problem);
  try {
    if (row.fields.id !== undefined) {
      // As `event create --id`: the cells given are checked here, before anything is written; an
      // existing event keeps what the row leaves out, a new one needs the whole event (see importEvents).
      const { draft } = prepareCreate(row.fields, "import");
      const earlier = idLines.get(row.fields.id);
      if (earlier !== undefined) throw invalidArgument("id", `${quote(row.fields.id)} is given twice (also on line ${earlier}); give each event once`);
      idLines.set(row.fields.id, row.line);
      return "missing" in draft ? { fields: row.fields, missing: refuse(draft.missing) } : { fields: row.fields };
    }
    // A row without an id describes a whole new event.
    const { draft } = prepareWholeEvent(row.fields, "import", "merge");
    const identity = JSON.stringify([draft.name, draft.venue, draft.startsAt]);
    const occurrence = (seen.get(identity) ?? 0) + 1;
    seen.set(identity, occurrence);
    return { fields: { ...row.fields, id: derivedId(identity, occurrence) } };
  } catch (error) {
    if (!isTixError(error)) throw error;
    return refuse(error);
  }
}

/** `evt_` and 16 hex digits of a hash: the same row of the same file gets the same id on every import. */
function derivedId(identity: string, occurrence: number): string {
  return `evt_${createHash("sha256").update(`${identity}#${occurrence}`).digest("hex").slice(0, 16)}`;
}
