import { parse as parseCsv } from "csv-parse/sync";
import { invalidArgument, parseVenueCsv, parseVenueJson, type SeatMap } from "../core/index.js";

/**
 * A venue file's text (`--seat-map FILE`) as a seat map: JSON when the name ends in .json or the
 * text starts with `{`, else CSV (see src/core/seating/venue.ts for both formats).
 */
export function parseVenueFile(text: string, fileName: string): SeatMap {
  const json = /\.json$/i.test(fileName) || (!/\.csv$/i.test(fileName) && text.trimStart().replace(/^\ufeff/, "").startsWith("{"));
  if (json) return parseVenueJson(text.replace(/^\ufeff/, ""));
  let records: string[][];
  try {
    // Blank lines are kept (and skipped by the parser of rows) so that errors name the right line.
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    throw invalidArgument("seat-map", `is not valid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  return parseVenueCsv(records);
}
