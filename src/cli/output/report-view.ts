import type { EventReport, LogTimeCounts, ReportLine } from "../../core/index.js";
import { occupancyBars, salesChart } from "./charts.js";
import { renderTable, renderTsv } from "./table.js";
import { escapeControl, wrapWords } from "./text.js";
import { column, numberColumn, text, type View } from "./view.js";

/**
 * An event's sales. Piped: a tab-separated line per tier, then the total. On a terminal: a
 * title, the table, a bar per tier of what is sold, held and free, and (given its purchases
 * counted per period; null: none) sales over time.
 */
export function reportView(report: EventReport, view: View, sales?: LogTimeCounts | null): string {
  const lines = [...report.tiers, report.total];
  if (view.mode === "plain") {
    return renderTsv(lines.map((line) => [line.tier, line.capacity, line.sold, line.held, line.available, line.revenue, line.refunds, line.refunded, line.checkedIn, line.discounts]));
  }
  const { chalk } = view.style;
  // The title wraps between words: the event's id stays whole.
  const heading = `${escapeControl(report.name)} (${escapeControl(report.eventId)}), amounts in ${report.currency}`;
  const title = wrapWords(heading, view.width).map((line) => chalk.bold(line)).join("\n");
  const table = renderTable<ReportLine>({
    columns: {
      tier: column("TIER", (line) => text(line.tier), { shrinkTo: 8 }),
      capacity: numberColumn("CAPACITY", (line) => line.capacity),
      sold: numberColumn("SOLD", (line) => line.sold),
      held: numberColumn("HELD", (line) => line.held),
      available: numberColumn("AVAILABLE", (line) => line.available),
      revenue: column("REVENUE", (line) => text(line.revenue), { align: "right" }),
      refunds: numberColumn("REFUNDS", (line) => line.refunds),
      refunded: column("REFUNDED", (line) => text(line.refunded), { align: "right" }),
      checkedIn: numberColumn("CHECKED IN", (line) => line.checkedIn),
      // Revenue is after discounts; what vouchers took off is its own column (piped: always, the last),
      // on a terminal only when there is any, kept before the refunds' columns.
      ...(report.total.discountsMinor > 0 ? { discounts: column("DISCOUNTS", (line) => text(line.discounts), { align: "right" }) } : {}),
    },
    giveWay: ["refunded", "refunds", "capacity", "checkedIn", "held", "discounts"],
  }, lines, view.width, view.style);
  const occupancy = occupancyBars("Occupancy", report.tiers.map((line) => ({ name: line.tier, capacity: line.capacity, sold: line.sold, held: line.held })), view);
  const chart = sales === undefined ? "" : `\n${salesChart(sales ?? undefined, view, report.total.refunds)}`;
  return `${title}\n${table}\n${occupancy}${chart}`;
}
