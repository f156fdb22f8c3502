import { parse as parseCsv } from "csv-parse/sync";
import { TixError, invalidArgument, isTixError } from "../core/index.js";
import { prepareCreate, type EventInput, type EventService, type EventWriteResult } from "./event-service.js";

export interface RowProblem {
  /** 1-based, counting data rows (a CSV header is not a row). */
  row: number;
  field: string | undefined;
  message: string;
}

export interface ImportOutcome {
  events: EventWriteResult[];
  skipped: RowProblem[];
}

/** Reads events from CSV (with a header row) or JSON (an array, or `{ "events": [...] }`). */
export function parseEventRows(text: string, format: "csv" | "json"): EventInput[] {
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw invalidArgument("file", `is not valid JSON: ${(error as Error).message}`);
    }
    const rows = Array.isArray(data) ? data : (data as { events?: unknown })?.events;
    if (!Array.isArray(rows)) throw invalidArgument("file", "must hold a JSON array of events, or { \"events\": [...] }");
    return rows.map((row: Record<string, unknown>) => normaliseRow(row));
  }
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: (header: string[]) => header.map(camelCase), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw invalidArgument("file", `is not valid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  return records.map((record) => normaliseRow(record));
}

/** Validates every row, then writes the valid ones in one transaction: all or nothing, unless skipping. */
export async function importEvents(
  events: EventService,
  rows: readonly EventInput[],
  options: { skipInvalid: boolean; actor: string; onProgress?: (done: number, total: number) => void },
): Promise<ImportOutcome> {
  const valid: EventInput[] = [];
  const skipped: RowProblem[] = [];
  rows.forEach((row, index) => {
    const problem = checkRow(row, index + 1);
    if (problem) skipped.push(problem);
    else valid.push(row);
    options.onProgress?.(index + 1, rows.length);
  });
  if (skipped.length > 0 && !options.skipInvalid) {
    const [first] = skipped;
    const more = skipped.length > 1 ? ` (and ${skipped.length - 1} more invalid rows)` : "";
    throw new TixError("INVALID_ARGUMENT", `row ${first!.row}: ${first!.message}${more}; nothing was imported (use --skip-invalid to import the valid rows)`, { field: first!.field });
  }
  return { events: valid.length > 0 ? await events.createMany(valid, options.actor) : [], skipped };
}

function checkRow(row: EventInput, number: number): RowProblem | undefined {
  try {
    prepareCreate(row, "import");
    return undefined;
  } catch (error) {
    if (!isTixError(error)) throw error;
    return { row: number, field: error.field, message: error.message };
  }
}

function camelCase(header: string): string {
  return header.trim().replace(/[-_ ]+(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toLowerCase());
}

/** CSV columns (and JSON keys) an import understands. Tiers in CSV: `VIP:50:120.00;GA:500:45.00`. */
function normaliseRow(row: Record<string, unknown>): EventInput {
  const text = (value: unknown) => (value === undefined || value === null || value === "" ? undefined : String(value));
  const tiers = row.tiers;
  return {
    id: text(row.id),
    name: text(row.name) ?? "",
    capacity: text(row.capacity),
    venue: text(row.venue),
    startsAt: text(row.startsAt),
    hold: text(row.hold),
    price: text(row.price),
    currency: text(row.currency),
    tiers: Array.isArray(tiers) ? tiers.map(String) : text(tiers)?.split(";").map((tier) => tier.trim()).filter(Boolean),
    limitPerUser: text(row.limitPerUser),
  };
}
