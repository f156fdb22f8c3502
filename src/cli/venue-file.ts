import { parse as parseCsv } from "csv-parse/sync";
import { formatSeatSpecs, invalidArgument, parseVenueCsv, parseVenueJson, quote, type SeatMap } from "../core/index.js";
import { readTextFile } from "./text-file.js";

/** The largest venue file read: a 200,000-seat map as CSV is about 6 MB. */
const MAX_VENUE_FILE_BYTES = 32 * 1024 * 1024;

/** `--seat-map FILE`: the file read and parsed, as the compact specs the engine takes. */
export function readVenueFile(path: string): string[] {
  // Quoted as every other file's path is (`file: cannot read "e.csv"`, `cannot write "out.csv"`).
  const text = readTextFile(path, quote(path), { field: "seat-map", maxBytes: MAX_VENUE_FILE_BYTES });
  return formatSeatSpecs(parseVenueFile(text, path));
}

/**
 * A venue file's text (`--seat-map FILE`) as a seat map: JSON when the name ends in .json or the
 * text starts with `{`, else CSV (see src/core/seating/venue.ts for both formats).
 */
export function parseVenueFile(text: string, fileName: string): SeatMap {
  const json = /\.json$/i.test(fileName) || (!/\.csv$/i.test(fileName) && text.trimStart().replace(/^\ufeff/, "").startsWith("{"));
  if (json) return parseVenueJson(text.replace(/^\ufeff/, ""), "seat-map");
  let records: string[][];
  try {
    // Blank lines are kept (and skipped by the parser of rows) so that errors name the right line.
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: false });
  } catch (error) {
    throw invalidArgument("seat-map", `is not valid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  return parseVenueCsv(records, "seat-map");
}
