import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { salesBucketing, salesChart } from "../../../src/cli/output/charts.js";
import { createStyle } from "../../../src/cli/output/style.js";
import { displayWidth } from "../../../src/cli/output/text.js";
import { TimeFormat } from "../../../src/cli/output/time.js";
import type { View } from "../../../src/cli/output/view.js";
import type { LogTimeCounts } from "../../../src/core/index.js";

// The sales chart is drawn from purchases counted per period by the store (countLogByTime), not
// from every purchase's time: it must be the very chart the times drew. The snapshots were written
// while the chart drawn from every purchase's time (before the store counted them) was still here
// and equal to them, case by case; they now keep the picture from changing unnoticed.

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
  // Buckets start at the user's midnight: a zone with a summer-time change inside "a fortnight".
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "Europe/Berlin";
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
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
  it("uses the width it has: 20 days at 40 columns fill the room, not 20 of its 36 columns", () => {
    // Every column was the same whole width (36 / 20 → 1), so the chart took 20 columns.
    const purchases = Array.from({ length: 20 }, (_, index) => start + index * 24 * HOUR);
    const view: View = { mode: "tty", style: createStyle(false), width: 40, time: new TimeFormat(start + 400 * 24 * HOUR) };
    const lines = salesChart(counted(purchases, 40), view).split("\n");
    const axis = lines.find((line) => line.includes("+-"))!;
    expect(displayWidth(axis), lines.join("\n")).toBeGreaterThanOrEqual(38);
    expect(displayWidth(axis)).toBeLessThanOrEqual(40);
    expect(lines.find((line) => /\|#/.test(line))!.replace(/^.*\|/, "")).toMatch(/^#{36}$/);
  });
  for (const [name, purchases] of cases) {
    for (const width of [40, 80, 120]) {
      for (const colour of [false, true]) {
        it(`${name}, ${width} columns${colour ? ", colour" : ""}`, () => {
          const view: View = { mode: "tty", style: createStyle(colour), width, time: new TimeFormat(start + 400 * 24 * HOUR) };
          const chart = salesChart(counted(purchases, width), view);
          expect(chart).toMatchSnapshot();
          // Every line fits; the title's span and the busiest period's time are words, wrapped, never cut
          // (at 40 columns they lost their ends to a …: "busiest hour: 28 Mar 2025 10…").
          // eslint-disable-next-line no-control-regex
          for (const line of chart.replace(/\x1b\[[0-9;]*m/g, "").trimEnd().split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
          expect(chart).not.toContain("…");
          // The span's dash stays after its first day: a line starting "– 11 Apr 2025" read as a bullet.
          // eslint-disable-next-line no-control-regex
          for (const line of chart.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) expect(line, chart).not.toMatch(/^[–-] /);
          expect(chart).not.toContain("\u00a0");
        });
      }
    }
  }
});
