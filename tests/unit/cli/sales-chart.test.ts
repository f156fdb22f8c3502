import { describe, expect, it } from "vitest";
import { salesBucketing, salesChart } from "../../../src/cli/output/charts.js";
import { createStyle } from "../../../src/cli/output/style.js";
import { fitLine, padding } from "../../../src/cli/output/text.js";
import { TimeFormat } from "../../../src/cli/output/time.js";
import type { View } from "../../../src/cli/output/view.js";
import type { LogTimeCounts } from "../../../src/core/index.js";

// The sales chart is drawn from purchases counted per period by the store (countLogByTime), not
// from every purchase's time: it must be the very chart the times drew. `oldSalesChart` is the
// chart as it was drawn from the times (before the store counted them), kept here as the reference.

/** What the store answers: the purchases counted per bucket of the chart's choosing. */
function counted(purchases: readonly number[], width: number): LogTimeCounts | undefined {
  if (purchases.length === 0) return undefined;
  const span = { first: Math.min(...purchases), last: Math.max(...purchases), count: purchases.length };
  const { size, offset } = salesBucketing(span, width);
  const counts = new Map<number, number>();
  for (const at of purchases) counts.set(Math.floor((at + offset) / size), (counts.get(Math.floor((at + offset) / size)) ?? 0) + 1);
  return { span, size, offset, buckets: [...counts].sort(([a], [b]) => a - b).map(([bucket, count]) => ({ bucket, count })) };
}

describe("the sales chart from counts per period", () => {
  const HOUR = 3_600_000;
  const start = Date.parse("2025-03-28T09:17:00Z");
  // Spans from one hour to a year, purchases bunched and spread.
  const cases: Array<[name: string, purchases: number[]]> = [
    ["none", []],
    ["one", [start]],
    ["an afternoon", Array.from({ length: 40 }, (_, index) => start + (index * index * 97_000) % (5 * HOUR))],
    ["a fortnight", Array.from({ length: 300 }, (_, index) => start + ((index * 7919) % 337) * HOUR + index * 1000)],
    ["three months", Array.from({ length: 500 }, (_, index) => start + ((index * 104_729) % (90 * 24)) * HOUR)],
    ["a year and more", Array.from({ length: 200 }, (_, index) => start + index * 2 * 24 * HOUR + (index % 5) * HOUR)],
  ];
  for (const [name, purchases] of cases) {
    for (const width of [40, 80, 120]) {
      for (const colour of [false, true]) {
        it(`${name}, ${width} columns${colour ? ", colour" : ""}`, () => {
          const view: View = { mode: "tty", style: createStyle(colour), width, time: new TimeFormat(start + 400 * 24 * HOUR) };
          expect(salesChart(counted(purchases, width), view)).toBe(oldSalesChart(purchases, view));
        });
      }
    }
  }
});

const UNITS: ReadonlyArray<[name: string, milliseconds: number]> = [
  ["hour", 3_600_000],
  ["day", 86_400_000],
  ["week", 7 * 86_400_000],
  ["30 days", 30 * 86_400_000],
];
const CHART_HEIGHT = 4;
const EIGHTHS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

/**
 * Tickets sold over time as a small column chart: one column per hour, day, week or 30 days
 * (the finest that fits), the tallest scaled to four lines (fewer when it sold fewer).
 */
function oldSalesChart(purchases: readonly number[], view: View): string {
  const { style, time } = view;
  if (purchases.length === 0) return `${style.chalk.bold("Sales")}  none yet\n`;
  const first = Math.min(...purchases);
  const last = Math.max(...purchases);
  const peakLabelWidth = String(purchases.length).length;
  const room = Math.max(4, Math.min(60, view.width - peakLabelWidth - 2));
  // Buckets start at midnight (or the hour) in the user's time zone.
  const offset = time.offsetAt(first);
  const [unitName, unit] = UNITS.find(([, size]) => bucketOf(last, first, size, offset) < room) ?? UNITS.at(-1)!;
  const counts = new Array<number>(bucketOf(last, first, unit, offset) + 1).fill(0);
  for (const at of purchases) counts[bucketOf(at, first, unit, offset)]! += 1;
  const peak = Math.max(...counts);
  const columnWidth = Math.max(1, Math.min(3, Math.floor(room / counts.length)));
  // As many lines as the busiest period sold, up to four: one sale is not drawn as a tower.
  const height = Math.min(CHART_HEIGHT, peak);
  const rows: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    // Columns three wide or more keep a space between them, so each reads as a bar.
    const cells = counts.map((count) => chartCell(count, peak, row, height, style.enabled).repeat(columnWidth > 2 ? columnWidth - 1 : columnWidth) + (columnWidth > 2 ? " " : ""));
    const label = row === height - 1 ? String(peak) : "";
    rows.push(`${padding(label.length, peakLabelWidth)}${label} ${style.enabled ? "│" : "|"}${style.chalk.green(cells.join("").trimEnd())}`.trimEnd());
  }
  const axis = `${" ".repeat(peakLabelWidth)} ${style.enabled ? "└" : "+"}${(style.enabled ? "─" : "-").repeat(counts.length * columnWidth)}`;
  const busiest = counts.indexOf(peak);
  const span = time.day(first) === time.day(last) ? `on ${time.day(first)}` : `${time.day(first)} – ${time.day(last)}`;
  const title = `${style.chalk.bold("Sales")}  tickets sold per ${unitName}, ${span}`;
  const busiestStart = bucketStart(busiest, first, unit, offset);
  const when = unitName === "hour" ? time.date(new Date(busiestStart).toISOString()) : unitName === "day" ? time.day(busiestStart) : `from ${time.day(busiestStart)}`;
  const summary = `${purchases.length} sold; busiest ${unitName}: ${when} (${peak})`;
  return [title, ...rows, axis, summary].map((line) => fitLine(line, view.width)).join("\n") + "\n";
}

function bucketStart(index: number, first: number, unit: number, offset: number): number {
  return Math.floor((first + offset) / unit) * unit - offset + index * unit;
}

function bucketOf(at: number, first: number, unit: number, offset: number): number {
  return Math.floor((at + offset) / unit) - Math.floor((first + offset) / unit);
}

/** One cell of a column `row` lines above the axis: eighths of a block with colour, else # and a half-step ".". */
function chartCell(count: number, peak: number, row: number, lines: number, blocks: boolean): string {
  if (count === 0) return " ";
  const steps = blocks ? 8 : 2;
  const height = Math.max(1, Math.round((count / peak) * lines * steps));
  const fill = Math.min(steps, Math.max(0, height - row * steps));
  if (fill === 0) return " ";
  return blocks ? EIGHTHS[fill - 1]! : fill === 2 ? "#" : ".";
}
