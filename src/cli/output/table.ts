import type { Style } from "./style.js";
import { displayWidth, escapeControl, fitLine, padding, truncate, wrapWords } from "./text.js";

export type OutputMode = "json" | "tty" | "plain";
export type HumanMode = Exclude<OutputMode, "json">;

/** A value as shown on a terminal: its text (escaped when laid out) and, with colour on, its colour. */
export interface Cell {
  value: string;
  color?: ((text: string) => string) | undefined;
}

/** One form a column can take: its header and how it shows an item. */
export interface ColumnForm<T> {
  header: string;
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
 * `"starts>"` moves it to its next, shorter form. Only then, on a terminal too narrow for what
 * is left, are lines cut (with …). A row is never wider than the terminal, and never wraps.
 */
export interface TableSpec<T> {
  columns: Readonly<Record<string, Column<T>>>;
  giveWay: readonly string[];
  /** A colour for a whole row (an event that has started: dimmed). */
  rowColor?: ((item: T) => ((text: string) => string) | undefined) | undefined;
}

const GAP = "  ";

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
  const minimum = (key: string): number => {
    const { natural } = lay(key);
    const shrinkTo = spec.columns[key]!.shrinkTo;
    return shrinkTo === undefined ? natural : Math.min(natural, Math.max(shrinkTo, lay(key).headerWidth));
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

  const shown = keys.filter((key) => visible.has(key));
  const widths = fitWidths(shown.map((key) => ({ natural: lay(key).natural, min: minimum(key) })), width - GAP.length * (shown.length - 1));
  const columns = shown.map((key, index) => ({ laid: lay(key), width: widths[index]!, right: spec.columns[key]!.align === "right" }));
  const last = columns.length - 1;

  const line = (cell: (column: (typeof columns)[number]) => { text: string; width: number; color: Cell["color"] }): string => {
    let text = "";
    columns.forEach((column, index) => {
      const { text: raw, width: rawWidth, color } = cell(column);
      const fitted = rawWidth > column.width ? truncate(raw, column.width) : raw;
      const fittedWidth = fitted === raw ? rawWidth : displayWidth(fitted);
      const pad = padding(fittedWidth, column.width);
      const painted = color ? color(fitted) : fitted;
      if (index > 0) text += GAP;
      text += column.right ? pad + painted : index === last ? painted : painted + pad;
    });
    return text;
  };
  const tooWide = columns.reduce((sum, column) => sum + column.width, 0) + GAP.length * last > width;
  const fit = (text: string): string => (tooWide ? fitLine(text, width) : text);

  let out = `${fit(line((column) => ({ text: column.laid.header, width: column.laid.headerWidth, color: style.chalk.bold })))}\n`;
  items.forEach((item, row) => {
    const text = fit(line((column) => ({ text: column.laid.texts[row]!, width: column.laid.widths[row]!, color: column.laid.colors[row] })));
    const color = spec.rowColor?.(item);
    out += `${color ? color(text) : text}\n`;
  });
  return out;
}

function layColumn<T>(form: ColumnForm<T>, items: readonly T[]): Laid {
  const headerWidth = displayWidth(form.header);
  const texts: string[] = new Array(items.length);
  const widths: number[] = new Array(items.length);
  const colors: Array<Cell["color"]> = new Array(items.length);
  let natural = headerWidth;
  items.forEach((item, index) => {
    const cell = form.cell(item);
    const text = escapeControl(cell.value);
    const width = displayWidth(text);
    texts[index] = text;
    widths[index] = width;
    colors[index] = cell.color;
    if (width > natural) natural = width;
  });
  return { header: form.header, headerWidth, texts, widths, colors, natural };
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
