import { TixError, isTixError } from "../core/index.js";
import { prepareCreate, type EventInput, type EventUseCases, type EventWriteResult } from "./events.js";

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

/** Validates every row, then writes the valid ones in one transaction: all or nothing, unless skipping. */
export async function importEvents(
  events: EventUseCases,
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
  return { events: valid.length > 0 ? await events.createMany({ events: valid, actor: options.actor }) : [], skipped };
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
