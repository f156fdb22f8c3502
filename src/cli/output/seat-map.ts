import type { EventView, SeatMapView, SeatRowView, SeatSectionView, SeatView, SeatViewState } from "../../core/index.js";
import type { CliIo } from "../io.js";
import type { Style } from "./style.js";
import { escapeControl, truncate, wrapWords } from "./text.js";

/** The width to draw at: COLUMNS when set, else the terminal's, else 80 (a pipe). */
export function terminalColumns(io: Pick<CliIo, "stdout" | "env">): number {
  for (const value of [io.env.COLUMNS, (io.stdout as { columns?: number }).columns]) {
    const columns = Number(value);
    if (value !== undefined && value !== "" && Number.isInteger(columns) && columns > 0) return columns;
  }
  return 80;
}

/** `tix seats`: the event's name, then its map. */
export function renderSeatsPage(event: EventView, view: SeatMapView, width: number, style: Style): string {
  const title = wrapWords(`${escapeControl(event.name)} (${event.id})`, Math.max(width, 1)).map((line) => style.chalk.bold(line));
  return `${title.join("\n")}\n${renderSeatMap(view, { width, style })}`;
}

/** One character a seat, distinct without colour too (and for readers who cannot tell the colours apart). */
export const SEAT_GLYPHS: Readonly<Record<SeatViewState, string>> = { free: "o", held: "h", sold: "x", yours: "@" };
const LEGEND_ORDER: readonly SeatViewState[] = ["free", "held", "sold", "yours"];

export interface SeatMapRenderOptions {
  /** The terminal's columns: no line is wider. Below the narrowest drawable, the narrowest is used. */
  width: number;
  style: Style;
}

/**
 * The map as a person sees it from above: the stage on top, sections in map order, rows front
 * first, each section centred. A section wider than the terminal is drawn in parts (cut at an
 * aisle where one falls in the second half of a part), each part under its own heading (wrapped
 * between words on a narrow terminal) and with its row labels, so a line never wraps. A legend with the counts ends it.
 */
export function renderSeatMap(view: SeatMapView, options: SeatMapRenderOptions): string {
  const { style } = options;
  const labelWidth = Math.max(1, ...view.sections.flatMap((section) => section.rows.map((row) => row.row.length)));
  const width = Math.max(options.width, labelWidth + 2);
  const columns = width - labelWidth - 1;
  const blocks = view.sections.flatMap((section) => sectionParts(section, columns, style.marks.dot));
  const drawWidth = Math.min(width, Math.max(...blocks.map((block) => labelWidth + 1 + block.width)));
  const lines: string[] = [center(stage(drawWidth, style), drawWidth, stageWidth(drawWidth))];
  for (const block of blocks) {
    const indent = " ".repeat(Math.floor((drawWidth - labelWidth - 1 - block.width) / 2));
    // Wrapped between words, never cut: cut, a long section's parts all read `Balcony … · p…`.
    lines.push("", ...wrapWords(block.heading, width).map((line) => style.chalk.bold(line)));
    block.section.rows.forEach((row, depth) => {
      for (let gap = 0; gap < row.gapBefore; gap++) lines.push("");
      const cells = block.cells[depth]!.map((seat) => (seat ? paint(seat.state, style) : " ")).join("");
      lines.push(`${indent}${row.row.padStart(labelWidth)} ${cells}`.trimEnd());
    });
  }
  lines.push("", ...legend(view, width, style));
  return `${lines.join("\n")}\n`;
}

interface Part {
  section: SeatSectionView;
  heading: string;
  width: number;
  /** Per row, per column of the part: the seat there, or undefined. */
  cells: Array<Array<SeatView | undefined>>;
}

/** The section's grid (rows centred on the widest), cut into parts of at most `columns`; `dot` between the heading's parts. */
function sectionParts(section: SeatSectionView, columns: number, dot: string): Part[] {
  const rows = section.rows.map(placesOf);
  const sectionWidth = Math.max(...rows.map((row) => row.length));
  const grid = rows.map((row) => {
    const offset = Math.floor((sectionWidth - row.length) / 2);
    return Array.from({ length: sectionWidth }, (_, column) => row[column - offset]);
  });
  const empty = (column: number) => grid.every((row) => row[column] === undefined);
  const cuts: Array<[start: number, end: number]> = [];
  for (let start = 0; start < sectionWidth;) {
    let end = Math.min(start + columns, sectionWidth);
    // Cut at an aisle when one falls in the second half of the part.
    for (let column = end; end < sectionWidth && column > start + columns / 2; column--) {
      if (empty(column)) {
        end = column;
        break;
      }
    }
    cuts.push([start, end]);
    for (start = end; start < sectionWidth && empty(start);) start++;
  }
  const name = section.tier === section.name ? section.name : `${section.name} (${section.tier})`;
  const seats = section.rows.flatMap((row) => row.seats);
  const free = seats.filter((seat) => seat.state === "free").length;
  return cuts.map(([start, end], part): Part => {
    const cells = grid.map((row) => row.slice(start, end));
    const numbers = cells.flat().flatMap((seat) => (seat ? [seat.number] : []));
    // The part comes before the counts (on a narrow terminal the heading wraps, the part first).
    const where = cuts.length === 1 ? "" : ` ${dot} part ${part + 1} of ${cuts.length}, seats ${Math.min(...numbers)}-${Math.max(...numbers)}`;
    return { section, heading: `${escapeControl(name)}${where} ${dot} ${free} of ${seats.length} free`, width: end - start, cells };
  });
}

/** A row's places, left to right: the seat, or undefined in an aisle. */
export function placesOf(row: SeatRowView): Array<SeatView | undefined> {
  const places: Array<SeatView | undefined> = [];
  for (const seat of row.seats) {
    for (let gap = 0; gap < seat.gapBefore; gap++) places.push(undefined);
    places.push(seat);
  }
  return places;
}

export function paint(state: SeatViewState, style: Style): string {
  const { chalk } = style;
  const glyph = SEAT_GLYPHS[state];
  switch (state) {
    case "free":
      return chalk.green(glyph);
    case "held":
      return chalk.yellow(glyph);
    case "sold":
      return chalk.dim(glyph);
    case "yours":
      return chalk.cyan.bold(glyph);
  }
}

function stageWidth(drawWidth: number): number {
  return drawWidth < 9 ? Math.min(5, drawWidth) : Math.min(drawWidth, Math.max(9, Math.round(drawWidth * 0.6)));
}

/** `[====== STAGE ======]`, about three fifths of the drawing wide (just `STAGE` when very narrow). */
function stage(drawWidth: number, style: Style): string {
  const wide = stageWidth(drawWidth);
  if (wide < 9) return style.chalk.bold("STAGE".slice(0, wide));
  const fill = wide - 9;
  return style.chalk.bold(`[${"=".repeat(Math.floor(fill / 2))} STAGE ${"=".repeat(Math.ceil(fill / 2))}]`);
}

function center(painted: string, width: number, visible: number): string {
  return `${" ".repeat(Math.floor((width - visible) / 2))}${painted}`;
}

/** `o free 540   h held 12   x sold 40   @ yours 2`, wrapped between items to fit. */
function legend(view: SeatMapView, width: number, style: Style): string[] {
  const lines: Array<{ plain: string; painted: string }> = [];
  for (const state of LEGEND_ORDER) {
    const plain = `${SEAT_GLYPHS[state]} ${state} ${view[state]}`;
    const painted = `${paint(state, style)} ${state} ${view[state]}`;
    const last = lines.at(-1);
    if (last && last.plain.length + 3 + plain.length <= width) {
      last.plain += `   ${plain}`;
      last.painted += `   ${painted}`;
    } else {
      lines.push({ plain, painted });
    }
  }
  return lines.map((line) => (line.plain.length > width ? fit(line.plain, width, style.marks.ellipsis) : line.painted));
}

/**
 * The text cut to `width` columns, ending in `ellipsis` when cut (the style's: `…`, or `...` on a
 * terminal whose locale is not UTF-8); the cut text and its ellipsis together fit. Widths are
 * text.ts's, as every other view's (an emoji such as 🚀 is two columns); narrower than the
 * ellipsis, as much of it as fits (one character at the least, as ever).
 */
export function fit(text: string, width: number, ellipsis = "…"): string {
  return truncate(text, Math.max(1, width), ellipsis);
}
