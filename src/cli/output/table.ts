import type { Style } from "./style.js";
import { displayWidth, escapeControl, fitLine, padding, truncate, wrapWords } from "./text.js";

export type OutputMode = "json" | "tty" | "plain";
export type HumanMode = Exclude<OutputMode, "json">;

/** A value as shown on a terminal: its text (escaped when laid out) and, with colour on, its colour. */
export interface Cell {
  value: string;
  color?: ((text: string) => string) | undefined;
}

/** One form a column can take: its header (which may depend on the rows) and how it shows an item. */
export interface ColumnForm<T> {
  header: string | ((items: readonly T[]) => string);
  cell: (item: T) => Cell;
}

export interface Column<T> {
  /** Widest first; a narrow terminal takes a later one (see `TableSpec.giveWay`). */
  forms: ReadonlyArray<ColumnForm<T>>;
  /** Names and venues: cut with … down to this many columns before anything gives way. */
  shrinkTo?: number;
  align?: "left" | "right";
}

/**
 * A table for a terminal. When it is wider than the terminal, first the `shrinkTo` columns are
 * cut; then, one step at a time, what `giveWay` names gives way: `"venue"` drops the column,
 * `"starts>"` moves it to its next, shorter form; then the columns on the right are dropped, the
 * last first, down to the first. Only then, on a terminal too narrow for the first column, are
 * lines cut (with …). A row is never wider than the terminal, and never wraps.
 */
export interface TableSpec<T> {
  columns: Readonly<Record<string, Column<T>>>;
  giveWay: readonly string[];
  /** A colour for a whole row (an event that has started: dimmed). */
  rowColor?: ((item: T) => ((text: string) => string) | undefined) | undefined;
}

/** How narrow the last resort cuts a `shrinkTo` column (a name) rather than drop it: `Indie F…`. */
const SQUEEZED_WIDTH = 8;

/** Between the columns of a table or a record, and of any line laid out in columns. */
export const GAP = "  ";

/** Column cells of one form, laid out once and kept while the table looks for its fit. */
interface Laid {
  header: string;
  headerWidth: number;
  texts: string[];
  widths: number[];
  colors: Array<Cell["color"]>;
  natural: number;
}

export function renderTable<T>(spec: TableSpec<NoInfer<T>>, items: readonly T[], width: number, style: Style): string {
  let out = "";
  for (const piece of tablePieces(spec, items, width, style)) out += piece;
  return out;
}

/** Lines a piece of a long table holds: each piece is written and let go before the next is made. */
const PIECE_ROWS = 512;

/**
 * The table as renderTable lays it out, in pieces of PIECE_ROWS lines: 20,000 rows are never one
 * string, nor are all their lines alive at once.
 */
export function* tablePieces<T>(spec: TableSpec<NoInfer<T>>, items: readonly T[], width: number, style: Style): Generator<string, void, undefined> {
  // No rows: the command's note says so ("No tickets match."); a header over nothing says nothing.
  if (items.length === 0) return;
  const keys = Object.keys(spec.columns);
  const form: Record<string, number> = Object.fromEntries(keys.map((key) => [key, 0]));
  const visible = new Set(keys);
  const laidOut = new Map<string, Laid>();
  const lay = (key: string): Laid => {
    const id = `${key}>${form[key]}`;
    let laid = laidOut.get(id);
    if (!laid) {
      laid = layColumn(spec.columns[key]!.forms[form[key]!]!, items);
      laidOut.set(id, laid);
    }
    return laid;
  };
  // Columns the last resort below lets be cut further than their shrinkTo, before it drops them.
  const squeezed = new Set<string>();
  const minimum = (key: string): number => {
    const { natural } = lay(key);
    const shrinkTo = spec.columns[key]!.shrinkTo;
    if (shrinkTo === undefined) return natural;
    return Math.min(natural, Math.max(squeezed.has(key) ? Math.min(shrinkTo, SQUEEZED_WIDTH) : shrinkTo, lay(key).headerWidth));
  };
  const needed = (): number => [...visible].reduce((sum, key) => sum + minimum(key), 0) + GAP.length * (visible.size - 1);

  for (const step of spec.giveWay) {
    if (needed() <= width) break;
    const key = step.endsWith(">") ? step.slice(0, -1) : step;
    if (!visible.has(key)) continue;
    if (step.endsWith(">")) {
      if (form[key]! + 1 < spec.columns[key]!.forms.length) form[key]! += 1;
    } else if (visible.size > 1) {
      visible.delete(key);
    }
  }

  // Still too wide: the columns on the right give way, the last first, before any line is cut: a
  // line cut to the width showed a column's header as … over values cut to …, or an id (the
  // first column) missing its end, which a person could copy as it stood (20 columns).
  // A column that may be cut (a name) is first cut further, down to SQUEEZED_WIDTH, and stays if
  // that is enough: at 40 columns the event list was its ids alone, where an id and a name cut to
  // 14 columns fit.
  const kept = keys.filter((key) => visible.has(key));
  for (let index = kept.length - 1; index > 0 && needed() > width; index--) {
    const key = kept[index]!;
    if (spec.columns[key]!.shrinkTo !== undefined) {
      squeezed.add(key);
      if (needed() <= width) break;
    }
    visible.delete(key);
  }

  const shown = keys.filter((key) => visible.has(key));
  const widths = fitWidths(shown.map((key) => ({ natural: lay(key).natural, min: minimum(key) })), width - GAP.length * (shown.length - 1));
  const columns: Placed[] = shown.map((key, index) => ({ ...lay(key), width: widths[index]!, right: spec.columns[key]!.align === "right" }));
  const tooWide = widths.reduce((sum, value) => sum + value, 0) + GAP.length * (columns.length - 1) > width;
  const ellipsis = style.marks.ellipsis;
  const fit = (text: string): string => (tooWide ? fitLine(text, width, ellipsis) : text);

  const bold = style.chalk.bold;
  // Joined from an array: one flat string a piece (built with +=, a piece was a tree of thousands
  // of parts that writing it had to flatten first).
  let lines: string[] = [fit(joinCells(columns.map((column) => ({ ...column, texts: [column.header], widths: [column.headerWidth], colors: [bold] })), 0, ellipsis))];
  for (let row = 0; row < items.length; row++) {
    const text = fit(joinCells(columns, row, ellipsis));
    const color = spec.rowColor?.(items[row]!);
    lines.push(color ? color(text) : text);
    if (lines.length === PIECE_ROWS || row === items.length - 1) {
      lines.push("");
      yield lines.join("\n");
      lines = [];
    }
  }
}

interface Placed extends Laid {
  width: number;
  right: boolean;
}

const SPACES = " ".repeat(256);
const spaces = (count: number): string => (count <= 0 ? "" : count <= SPACES.length ? SPACES.slice(0, count) : " ".repeat(count));

/** One line of the table: each cell cut to its column (with the style's …), padded, coloured. Hot: 20,000 rows must stay fast. */
function joinCells(columns: readonly Placed[], row: number, ellipsis: string): string {
  let line = "";
  const last = columns.length - 1;
  for (let index = 0; index <= last; index++) {
    const column = columns[index]!;
    let text = column.texts[row]!;
    let textWidth = column.widths[row]!;
    if (textWidth > column.width) {
      text = truncate(text, column.width, ellipsis);
      textWidth = displayWidth(text);
    }
    const color = column.colors[row];
    const painted = color ? color(text) : text;
    if (index > 0) line += GAP;
    if (column.right) line += spaces(column.width - textWidth) + painted;
    else line += index === last ? painted : painted + spaces(column.width - textWidth);
  }
  return line;
}

function layColumn<T>(form: ColumnForm<T>, items: readonly T[]): Laid {
  const header = typeof form.header === "string" ? form.header : form.header(items);
  const headerWidth = displayWidth(header);
  const texts: string[] = new Array(items.length);
  const widths: number[] = new Array(items.length);
  const colors: Array<Cell["color"]> = new Array(items.length);
  let natural = headerWidth;
  for (let index = 0; index < items.length; index++) {
    const cell = form.cell(items[index]!);
    const text = escapeControl(cell.value);
    const width = displayWidth(text);
    texts[index] = text;
    widths[index] = width;
    colors[index] = cell.color;
    if (width > natural) natural = width;
  }
  return { header, headerWidth, texts, widths, colors, natural };
}

/**
 * Widths for columns sharing `room`: each at least its minimum, the narrowest first raised
 * towards its natural width (as gh's table printer shares the width among long columns).
 */
function fitWidths(columns: ReadonlyArray<{ natural: number; min: number }>, room: number): number[] {
  const widths = columns.map((column) => column.min);
  let left = room - widths.reduce((sum, value) => sum + value, 0);
  while (left > 0) {
    let narrowest = -1;
    columns.forEach((column, index) => {
      if (widths[index]! < column.natural && (narrowest < 0 || widths[index]! < widths[narrowest]!)) narrowest = index;
    });
    if (narrowest < 0) break;
    widths[narrowest]! += 1;
    left -= 1;
  }
  return widths;
}

/** Piped lists in pieces of PIECE_ROWS lines (renderTsv's): each piece's rows are made only when it is written. */
export function* tsvPieces<T>(items: readonly T[], row: (item: T) => ReadonlyArray<string | number | null>): Generator<string, void, undefined> {
  for (let start = 0; start < items.length; start += PIECE_ROWS) yield renderTsv(items.slice(start, start + PIECE_ROWS).map(row));
}

/** Piped lists: tab-separated lines, no header (as gh does). Every value is escaped, so it can never break a line or a column. */
export function renderTsv(rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  let out = "";
  for (const row of rows) out += `${row.map((value) => (value === null ? "" : escapeControl(String(value)))).join("\t")}\n`;
  return out;
}

/** One record on a terminal: `Label  value` lines; a long value wraps between words under itself. */
export function renderRecord(fields: ReadonlyArray<[label: string, cell: Cell]>, width: number, style: Style): string {
  const labelWidth = Math.max(...fields.map(([label]) => displayWidth(label)));
  const room = Math.max(1, width - labelWidth - GAP.length);
  let out = "";
  for (const [label, cell] of fields) {
    const lines = wrapWords(escapeControl(cell.value), room);
    lines.forEach((text, index) => {
      const head = index === 0 ? style.chalk.bold(label) + padding(displayWidth(label), labelWidth) : " ".repeat(labelWidth);
      out += `${head}${GAP}${cell.color ? cell.color(text) : text}\n`;
    });
  }
  return out;
}

/** One record piped: `field:<TAB>value` lines. */
export function renderFieldLines(fields: ReadonlyArray<[field: string, value: string | number | null]>): string {
  return fields.map(([field, value]) => `${field}:\t${value === null ? "" : escapeControl(String(value))}\n`).join("");
}
