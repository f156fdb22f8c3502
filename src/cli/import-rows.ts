import { parse as parseCsv } from "csv-parse/sync";
import { closestMatches, invalidArgument, namePath, plural, quote, repeatedNames } from "../core/index.js";
import { EVENT_COLUMNS, LIST_COLUMNS, readCsvCell, splitListCell, type EventColumn } from "./event-columns.js";
import { readTextFile, TextChunks, type TextLimits } from "./text-file.js";
import type { EventInput } from "../app/events.js";
import type { ImportRow } from "../app/import-events.js";

/** Import files larger than this are refused before they are read whole (`tix import /dev/zero`). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const IMPORT_LIMITS: TextLimits = { field: "file", maxBytes: MAX_IMPORT_BYTES, tooLargeHint: "; split it into several imports" };

/** The columns (CSV header, JSON keys) an import understands, as the fields they fill: those export writes. */
const KNOWN = EVENT_COLUMNS;
type Known = EventColumn;
/** Error fields that a column other than their own name fills (a tier's code and window are written in its spec). */
const FIELD_COLUMN: Readonly<Record<string, Known>> = {
  tier: "tiers", "tier price": "tiers", code: "tiers", "event id": "id",
};

/**
 * Reads standard input whole, under the same rules as a file (see TextChunks). Read from the
 * stream: a pipe may be non-blocking, where a synchronous read would fail.
 */
export async function readImportInput(stdin: NodeJS.ReadableStream): Promise<string> {
  const text = new TextChunks("standard input", IMPORT_LIMITS);
  for await (const chunk of stdin) text.add(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return text.toString();
}

/**
 * Reads a file of at most MAX_IMPORT_BYTES as UTF-8 text; a file with NUL bytes is not text (an
 * image, `/dev/zero`) and is refused at its first read.
 */
export function readImportFile(file: string): string {
  return readTextFile(file, quote(file), IMPORT_LIMITS);
}

/** `Starts At`, `starts_at`, `starts-at`, `startsAt` → `startsAt` (matched without case: `ID`, `STARTS AT` too). */
function camelCase(header: string): string {
  return header.trim().replace(/[-_ ]+(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toLowerCase());
}

/** Every column must be one tix knows: a typo (`prise`) would otherwise import price 0.00 without a word. */
function knownColumns(headers: readonly string[], what: "column" | "key"): Map<string, Known> {
  const columns = new Map<string, Known>();
  const unknown: string[] = [];
  for (const header of headers) {
    const name = camelCase(header).toLowerCase();
    const field = KNOWN.find((known) => known.toLowerCase() === name);
    if (field) columns.set(header, field);
    else unknown.push(header);
  }
  if (unknown.length > 0) {
    const described = unknown.map((header) => {
      const [nearest] = closestMatches(camelCase(header), KNOWN);
      return nearest === undefined ? quote(header) : `${quote(header)} (did you mean ${nearest}?)`;
    });
    throw invalidArgument("file", `unknown ${plural(unknown.length, what)} ${described.join(", ")}; the ${what}s are ${KNOWN.join(", ")}`);
  }
  return columns;
}

/**
 * Two columns (or keys of one JSON row) for one field, `name,…,name` or `startsAt` and
 * `Starts At`: the last one's value was imported in silence. Described, or undefined when none.
 */
function fillsTwice(headers: readonly string[]): string | undefined {
  const seen = new Map<string, string>();
  for (const header of headers) {
    const name = camelCase(header).toLowerCase();
    const first = seen.get(name);
    if (first === undefined) seen.set(name, header);
    else if (first === header) return `${quote(header)} is given twice`;
    else return `${quote(first)} and ${quote(header)} both give ${KNOWN.find((known) => known.toLowerCase() === name) ?? name}`;
  }
  return undefined;
}

/** A delimiter as given: `;`, `|`, `tab` or `\t`. */
export function parseDelimiter(text: string): string {
  const delimiter = text === "tab" || text === "\\t" ? "\t" : text;
  if ([...delimiter].length !== 1 || /[\r\n"]/.test(delimiter)) throw invalidArgument("delimiter", `${quote(text)} must be one character, such as ';' or tab`);
  return delimiter;
}

/**
 * A header without the delimiter in use, but with `;` or tabs, is the sign of a file written for
 * another locale; with commas, of a `--delimiter` the file does not use (csv-parse then refused it
 * as "Invalid Opening Quote", or read each line as one column).
 */
function checkDelimiter(text: string, delimiter: string, given: boolean): void {
  const header = text.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0] ?? "";
  if (header.includes(delimiter)) return;
  const field = given ? "delimiter" : "file";
  for (const [candidate, shown] of [[",", "','"], [";", "';'"], ["\t", "tab"], ["|", "'|'"]] as const) {
    if (candidate === delimiter || !header.includes(candidate)) continue;
    if (candidate === ",") throw invalidArgument(field, "this looks like a ','-separated file; leave out --delimiter (',' is the default)");
    throw invalidArgument(field, `this looks like a ${shown}-separated file; use --delimiter ${candidate === "\t" ? "tab" : `'${candidate}'`}`);
  }
}

/** The rows of a CSV file with a header row, each with the line it starts on. */
export function parseCsvRows(text: string, delimiter?: string): ImportRow[] {
  checkDelimiter(text, delimiter ?? ",", delimiter !== undefined);
  let headers: string[] = [];
  let records: Array<{ record: Record<string, string>; raw: string; info: { lines: number } }>;
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => (headers = header.map((name) => name.trim())),
      delimiter: delimiter ?? ",",
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
      raw: true,
    });
  } catch (error) {
    throw invalidArgument("file", `is not valid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  const columns = knownColumns(headers, "column");
  const twice = fillsTwice(headers);
  if (twice) throw invalidArgument("file", `${twice}; keep one column for it`);
  const names = columnNames(columns);
  return records.map(({ record, raw, info }) => {
    // info.lines is where the record ends; a quoted field may span lines.
    const spans = (raw.replace(/^[\r\n]+/, "").replace(/\r?\n$/, "").match(/\n/g) ?? []).length;
    const fields: Partial<Record<Known, unknown>> = {};
    // A cell export made spreadsheet-safe ('=…) is read as it was.
    for (const [header, field] of columns) fields[field] = record[header] === undefined ? undefined : readCsvCell(record[header]);
    return toRow(info.lines - spans, fields, names, true);
  });
}

/**
 * The rows of a JSON file: an array of events, or `{ "events": [...] }`; a UTF-8 BOM is read past.
 * An empty file (or blanks only) has no rows, as an empty CSV file has none.
 */
export function parseJsonRows(text: string): ImportRow[] {
  const body = text.replace(/^\uFEFF/, "");
  if (body.trim() === "") return [];
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw invalidArgument("file", `is not valid JSON: ${(error as Error).message}`);
  }
  const rows = Array.isArray(data) ? data : (data as { events?: unknown } | null)?.events;
  if (!Array.isArray(rows)) throw invalidArgument("file", "must hold a JSON array of events, or { \"events\": [...] }");
  const lines = elementLines(body, Array.isArray(data));
  const repeated = repeatedInRows(body, Array.isArray(data));
  const keys = new Set<string>();
  for (const row of rows) if (isObject(row)) for (const key of Object.keys(row)) keys.add(key);
  const columns = knownColumns([...keys], "key");
  const names = columnNames(columns);
  const rowsOnLine = new Map<number, number>();
  for (let index = 0; index < rows.length; index++) rowsOnLine.set(lines[index] ?? 1, (rowsOnLine.get(lines[index] ?? 1) ?? 0) + 1);
  return rows.map((row: unknown, index) => {
    const line = lines[index] ?? 1;
    // An export's JSON is one line: there the event's place in the list tells the rows apart.
    const item = rowsOnLine.get(line)! > 1 ? index + 1 : undefined;
    const twice = repeated.get(index);
    const parsed = twice === undefined ? jsonRow(row, line, columns, names) : refused(line, names, "row", `${quote(twice)} is given twice; keep one key for it`);
    return { ...parsed, ...(item === undefined ? {} : { item }) };
  });
}

/**
 * The first key given twice within each row (by the row's index), as its path in the row
 * (`capacity`, `tiers[1].price`): JSON.parse keeps the last of two in silence, so the row would
 * be imported with a value the file also contradicts. A repeated `events` at the top is the file's.
 */
function repeatedInRows(body: string, rootIsArray: boolean): Map<number, string> {
  const rows = new Map<number, string>();
  for (const { path, name } of repeatedNames(body)) {
    const [index, ...within] = rootIsArray ? path : path[0] === "events" ? path.slice(1) : [];
    if (typeof index !== "number") {
      if (!rootIsArray && path.length === 0 && name === "events") throw invalidArgument("file", `"events" is given twice; keep one list of events`);
      continue;
    }
    if (!rows.has(index)) rows.set(index, namePath([...within, name]));
  }
  return rows;
}

function jsonRow(row: unknown, line: number, columns: ReadonlyMap<string, Known>, names: Record<string, string>): ImportRow {
  if (!isObject(row)) return { line, fields: { name: "" }, columns: names, problem: invalidArgument("row", `is ${row === null ? "null" : Array.isArray(row) ? "an array" : `a ${typeof row}`}, not an event (an object with a name)`) };
  const twice = fillsTwice(Object.keys(row));
  if (twice) return { line, fields: { name: "" }, columns: names, problem: invalidArgument("row", `${twice}; keep one key for it`) };
  const fields: Partial<Record<Known, unknown>> = {};
  for (const [key, value] of Object.entries(row)) fields[columns.get(key)!] = value;
  return toRow(line, fields, names, false);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function columnNames(columns: ReadonlyMap<string, Known>): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [header, field] of columns) names[field] = header;
  for (const [errorField, field] of Object.entries(FIELD_COLUMN)) if (names[field] !== undefined) names[errorField] = names[field];
  return names;
}

/**
 * A row's values as the fields they fill: text stays text; an object or array where text belongs
 * is refused. An empty CSV cell is a value left out; JSON says so with null or no key.
 */
function toRow(line: number, values: Partial<Record<Known, unknown>>, columns: Record<string, string>, emptyIsAbsent: boolean): ImportRow {
  const fields: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values) as Array<[Known, unknown]>) {
    if (value === undefined || value === null || (value === "" && emptyIsAbsent)) continue;
    if (LIST_COLUMNS.has(field)) {
      const list = Array.isArray(value) ? value : typeof value === "string" ? splitListCell(value) : undefined;
      if (list === undefined) {
        return field === "tiers"
          ? refused(line, columns, "tier", "must be NAME:CAPACITY:PRICE texts separated by ';', or a JSON array")
          : refused(line, columns, "seats", "must be SECTION[@TIER]:ROWS:SEATS texts separated by ';', or a JSON array of them");
      }
      if (field === "seats" && list.some((spec) => typeof spec !== "string")) return refused(line, columns, "seats", "must be a JSON array of SECTION[@TIER]:ROWS:SEATS texts");
      fields[field] = list;
      continue;
    }
    if (typeof value === "object") return refused(line, columns, field, `must be ${field === "capacity" || field === "limitPerUser" ? "a number" : "text"}, not ${Array.isArray(value) ? "an array" : "an object"}`);
    fields[field] = String(value);
  }
  return { line, fields: fields as EventInput, columns };
}

function refused(line: number, columns: Record<string, string>, field: string, message: string): ImportRow {
  return { line, fields: { name: "" }, columns, problem: invalidArgument(field, message) };
}

/**
 * The line on which each element of the rows array starts: JSON.parse keeps no positions, so the
 * text is walked once (strings and nesting only) to find them.
 */
function elementLines(text: string, rootIsArray: boolean): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  /** Depth of the rows array's elements, once found; at the root's `events` key otherwise. */
  let rowsDepth = rootIsArray ? 1 : -1;
  let lastKey = "";
  let keyStart = -1;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i]!;
    if (char === "\n") line += 1;
    if (inString) {
      if (char === "\\") i += 1;
      else if (char === '"') {
        inString = false;
        if (keyStart >= 0) lastKey = text.slice(keyStart, i);
      }
      continue;
    }
    if (char === " " || char === "\t" || char === "\r" || char === "\n") continue;
    if (expectValue && depth === rowsDepth && char !== "]") lines.push(line);
    expectValue = false;
    if (char === '"') {
      inString = true;
      keyStart = depth === 1 && !rootIsArray ? i + 1 : -1;
    } else if (char === "[" || char === "{") {
      depth += 1;
      if (char === "[" && rowsDepth === -1 && depth === 2 && lastKey === "events") rowsDepth = 2;
      if (char === "[" && depth === rowsDepth) expectValue = true;
    } else if (char === "]" || char === "}") {
      depth -= 1;
    } else if (char === "," && depth === rowsDepth) {
      expectValue = true;
    }
  }
  return lines;
}
