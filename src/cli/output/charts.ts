import type { LogTimeCounts, LogTimeSpan } from "../../core/index.js";
import type { Style } from "./style.js";
import { displayWidth, escapeControl, fitLine, padding, truncate, wrapWords } from "./text.js";
import type { View } from "./view.js";

// Pictures for a terminal: occupancy bars per tier and sales over time. With colour in a UTF-8
// locale, block characters; else plain ASCII (a terminal without colour may not draw blocks well
// either, and one in the C locale shows their bytes as garbage).

interface Glyphs {
  sold: string;
  held: string;
  free: string;
  paint: { sold: (text: string) => string; held: (text: string) => string; free: (text: string) => string };
}

function glyphs(style: Style): Glyphs {
  const { chalk } = style;
  const paint = { sold: chalk.green, held: chalk.yellow, free: chalk.dim };
  return style.blocks ? { sold: "█", held: "▓", free: "░", paint } : { sold: "#", held: "=", free: ".", paint };
}

export interface Occupancy {
  name: string;
  capacity: number;
  sold: number;
  held: number;
}

const MAX_BAR = 40;
const MAX_NAME = 14;

/** A legend line, then per tier: name, a bar of sold / held / free, and the counts. */
export function occupancyBars(title: string, tiers: readonly Occupancy[], view: View): string {
  const g = glyphs(view.style);
  const legend = (["sold", "held", "free"] as const).map((part) => ({ width: displayWidth(`${g[part]} ${part}`), painted: `${g.paint[part](g[part])} ${part}` }));
  const names = tiers.map((tier) => truncate(escapeControl(tier.name), MAX_NAME, view.style.marks.ellipsis));
  const nameWidth = Math.max(displayWidth(title), ...names.map(displayWidth));
  const counts = tiers.map((tier) => `${tier.sold} sold ${view.style.marks.dot} ${tier.held} held ${view.style.marks.dot} ${tier.capacity - tier.sold - tier.held} free`);
  const countWidth = Math.max(...counts.map((count) => count.length));
  // The counts beside the bar when there is room for a bar of 10 or more, else on the line below it.
  const beside = view.width - nameWidth - countWidth - 4 >= 10;
  const barWidth = Math.max(1, Math.min(MAX_BAR, beside ? view.width - nameWidth - countWidth - 4 : view.width - nameWidth - 2));
  // Below the bar, the counts start under it when they fit there, else further left (a 14-column
  // tier name and 10000 sold · 10000 held · 0 free are wider than 40 columns together).
  const under = " ".repeat(Math.max(0, Math.min(nameWidth + 2, view.width - countWidth)));
  const fit = (line: string): string => fitLine(line, view.width, view.style.marks.ellipsis);
  let out = `${legendLines(view.style.chalk.bold(title) + padding(displayWidth(title), nameWidth), nameWidth, legend, view.width).map(fit).join("\n")}\n`;
  tiers.forEach((tier, index) => {
    const [sold, held, free] = apportion([tier.sold, tier.held, tier.capacity - tier.sold - tier.held], barWidth);
    const bar = g.paint.sold(g.sold.repeat(sold!)) + g.paint.held(g.held.repeat(held!)) + g.paint.free(g.free.repeat(free!));
    const name = names[index]!;
    const head = `${name}${padding(displayWidth(name), nameWidth)}  ${bar}`;
    // Too wide even from the line's start (20 columns): the counts wrap between words, never cut.
    const below = under.length + counts[index]!.length <= view.width ? `${under}${counts[index]}` : wrapWords(counts[index]!, view.width).join("\n");
    out += beside ? `${head}  ${counts[index]}\n` : `${fit(head)}\n${below}\n`;
  });
  return out;
}

/**
 * The title and the legend's items (`█ sold`, `▓ held`, `░ free`, painted; each six columns) on
 * one line, or, too wide for it (20 columns), the items that do not fit on lines of their own,
 * under the first: cut, the legend lost what `▓` and `░` meant.
 */
function legendLines(head: string, headWidth: number, items: ReadonlyArray<{ width: number; painted: string }>, width: number): string[] {
  const lines = [head];
  let lineWidth = headWidth;
  for (const { width: itemWidth, painted: item } of items) {
    if (lineWidth + 2 + itemWidth <= width) {
      lines[lines.length - 1] += `  ${item}`;
      lineWidth += 2 + itemWidth;
    } else {
      // Under the first item when it fits there.
      const indent = headWidth + 2 + itemWidth <= width ? headWidth + 2 : 0;
      lines.push(" ".repeat(indent) + item);
      lineWidth = indent + itemWidth;
    }
  }
  return lines;
}

/**
 * Cells for each count, summing to `width`: in proportion (largest remainder), and at least one
 * for a count that is not zero, so a single held ticket still shows.
 */
export function apportion(counts: readonly number[], width: number): number[] {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total === 0) return counts.map(() => 0);
  const exact = counts.map((count) => (count / total) * width);
  const cells = exact.map((value, index) => (counts[index]! > 0 ? Math.max(1, Math.floor(value)) : 0));
  let left = width - cells.reduce((sum, value) => sum + value, 0);
  const byRemainder = counts.map((_, index) => index).sort((a, b) => (exact[b]! - cells[b]!) - (exact[a]! - cells[a]!));
  for (let i = 0; left > 0; i = (i + 1) % byRemainder.length) {
    const index = byRemainder[i]!;
    if (counts[index]! > 0) {
      cells[index]! += 1;
      left -= 1;
    }
  }
  // Raising small counts to one cell may overshoot: take it back from the largest.
  while (left < 0) {
    const largest = cells.indexOf(Math.max(...cells));
    cells[largest]! -= 1;
    left += 1;
  }
  return cells;
}

const UNITS: ReadonlyArray<[name: string, milliseconds: number]> = [
  ["hour", 3_600_000],
  ["day", 86_400_000],
  ["week", 7 * 86_400_000],
  ["30 days", 30 * 86_400_000],
];
const CHART_HEIGHT = 4;
const EIGHTHS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * The buckets of a sales chart for purchases spanning `span`, `width` columns wide: one per
 * hour, day, week or 30 days (the finest that fits), starting at midnight (or the hour) in the
 * user's time zone. The store counts the purchases per bucket (countLogByTime).
 */
export function salesBucketing(span: LogTimeSpan, width: number): { size: number; offset: number } {
  const room = chartRoom(span, width);
  const offset = -new Date(span.first).getTimezoneOffset() * 60_000;
  const [, size] = UNITS.find(([, unit]) => bucketOf(span.last, span.first, unit, offset) < room) ?? UNITS.at(-1)!;
  return { size, offset };
}

function chartRoom(span: LogTimeSpan, width: number): number {
  return Math.max(4, Math.min(60, width - String(span.count).length - 2));
}

/**
 * Tickets sold over time as a small column chart: one column per bucket (salesBucketing), the
 * tallest scaled to four lines (fewer when it sold fewer). `sales`: undefined when none were sold.
 * `refunded`: how many of those purchases were refunded since (the report's refunds).
 */
export function salesChart(sales: LogTimeCounts | undefined, view: View, refunded = 0): string {
  const { style, time } = view;
  if (sales === undefined || sales.span.count === 0) return `${style.chalk.bold("Sales")}  none yet\n`;
  const { span: { first, last, count: sold }, size: unit, offset } = sales;
  const peakLabelWidth = String(sold).length;
  const room = chartRoom(sales.span, view.width);
  const unitName = UNITS.find(([, size]) => size === unit)?.[0] ?? UNITS.at(-1)![0];
  const counts = new Array<number>(bucketOf(last, first, unit, offset) + 1).fill(0);
  const base = Math.floor((first + offset) / unit);
  for (const { bucket, count } of sales.buckets) counts[bucket - base]! += count;
  const peak = Math.max(...counts);
  const widths = columnWidths(counts.length, room);
  // Columns three wide or more (every one) keep a space between them, so each reads as a bar.
  const gaps = Math.min(...widths) > 2;
  // As many lines as the busiest period sold, up to four: one sale is not drawn as a tower.
  const height = Math.min(CHART_HEIGHT, peak);
  const rows: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    const cells = counts.map((count, index) => chartCell(count, peak, row, height, style.blocks).repeat(gaps ? widths[index]! - 1 : widths[index]!) + (gaps ? " " : ""));
    const label = row === height - 1 ? String(peak) : "";
    rows.push(`${padding(label.length, peakLabelWidth)}${label} ${style.blocks ? "│" : "|"}${style.chalk.green(cells.join("").trimEnd())}`.trimEnd());
  }
  const axis = `${" ".repeat(peakLabelWidth)} ${style.blocks ? "└" : "+"}${(style.blocks ? "─" : "-").repeat(widths.reduce((sum, width) => sum + width, 0))}`;
  const busiest = counts.indexOf(peak);
  // A day is never broken, and the range's dash stays on the line of the day before it (GLUE, a
  // space once laid out): a line starting "– 20 Nov 2026" read as a list's bullet.
  const day = (at: number): string => time.day(at).replaceAll(" ", GLUE);
  const span = time.day(first) === time.day(last) ? `on ${day(first)}` : `${day(first)}${GLUE}${style.marks.range} ${day(last)}`;
  const title = `tickets sold per ${unitName}, ${span}`;
  const busiestStart = bucketStart(busiest, first, unit, offset);
  const when = unitName === "hour" ? time.date(new Date(busiestStart).toISOString()) : unitName === "day" ? time.day(busiestStart) : `from ${time.day(busiestStart)}`;
  // The purchases counted include those refunded since, which the report's SOLD no longer counts: said,
  // so that "4 sold" under a table that says 2 reads as what it is.
  const since = Math.min(refunded, sold);
  const summary = `${sold} sold${since > 0 ? ` (${since} since refunded)` : ""}; busiest ${unitName}: ${when} (${peak})`;
  // The title and the summary are words: wrapped between them on a narrow terminal, not cut (the
  // busiest hour's time was lost to a … at 40 columns). The picture's lines are cut, a last resort.
  // Glued words wider than a line (20 columns) would be split between characters: then unglued.
  const glued = title.split(" ").every((word) => displayWidth(word) <= view.width) ? title : title.replaceAll(GLUE, " ");
  const [heading = "", ...more] = wrapWords(`Sales  ${glued}`, view.width).map((line) => line.replaceAll(GLUE, " "));
  const words = [`${style.chalk.bold("Sales")}${heading.slice("Sales".length)}`, ...more];
  return [...words, ...[...rows, axis].map((line) => fitLine(line, view.width, view.style.marks.ellipsis)), ...wrapWords(summary, view.width)].join("\n") + "\n";
}

/** The widest a period's column is drawn (one period alone is a bar, not a wall). */
const MAX_COLUMN = 6;

/**
 * Each period's column width: the chart's room shared out between them, as evenly as whole
 * columns allow (some one wider than others), at most MAX_COLUMN each; at least one. It was the
 * same whole width for every column, so 20 days at 40 columns took 20 of the 37 there were.
 */
function columnWidths(periods: number, room: number): number[] {
  const share = Math.min(MAX_COLUMN * periods, Math.max(periods, room));
  return Array.from({ length: periods }, (_, index) => Math.floor(((index + 1) * share) / periods) - Math.floor((index * share) / periods));
}

/** A space the heading is never broken at (wrapWords breaks at " " only). */
const GLUE = "\u00a0";

function bucketStart(index: number, first: number, unit: number, offset: number): number {
  return Math.floor((first + offset) / unit) * unit - offset + index * unit;
}

function bucketOf(at: number, first: number, unit: number, offset: number): number {
  return Math.floor((at + offset) / unit) - Math.floor((first + offset) / unit);
}

/** One cell of a column `row` lines above the axis: eighths of a block (Style.blocks), else # and a half-step ".". */
function chartCell(count: number, peak: number, row: number, lines: number, blocks: boolean): string {
  if (count === 0) return " ";
  const steps = blocks ? 8 : 2;
  const height = Math.max(1, Math.round((count / peak) * lines * steps));
  const fill = Math.min(steps, Math.max(0, height - row * steps));
  if (fill === 0) return " ";
  return blocks ? EIGHTHS[fill - 1]! : fill === 2 ? "#" : ".";
}
