import { stringify } from "csv-stringify/sync";
import type { EventReport, ReportLine, TicketView } from "../../core/index.js";

// Loaded only by `report --format csv` and `export tickets`, so csv-stringify costs other commands nothing.

export const REPORT_COLUMNS = ["tier", "capacity", "sold", "held", "available", "revenue", "refunds", "refunded", "checkedIn"] as const;

// A cell a spreadsheet would read as a formula (=, +, -, @; tab and carriage return too, as OWASP's
// "CSV Injection" page advises) gets a leading ' so it stays text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet shows as it is, never runs. */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

const stringifySafely = (records: Array<Record<string, unknown>>, columns: string[], header = true): string =>
  stringify(records, { header, columns, cast: { string: spreadsheetSafe } });

export function reportRows(report: EventReport): ReportLine[] {
  return [...report.tiers, report.total];
}

export function reportCsv(report: EventReport): string {
  return stringifySafely(reportRows(report).map((line) => ({ ...line, currency: report.currency })), [...REPORT_COLUMNS, "currency", "discounts"]);
}

const EXPORT_COLUMNS = ["id", "eventId", "tier", "orderId", "userId", "status", "reservedAt", "expiresAt", "purchasedAt",
  "cancelledAt", "checkedInAt", "price", "currency", "cardLast4", "voucher", "discount", "seat"] as const;

/** CSV for spreadsheets: a header row, one ticket a row, empty cells for nulls. */
export function ticketsCsv(tickets: readonly TicketView[]): string {
  return stringifySafely(tickets.map((ticket) => ({ ...ticket })), [...EXPORT_COLUMNS]);
}

/** The same, a page at a time as they are read: the header with the first page only. */
export async function* ticketsCsvPieces(pages: AsyncIterable<readonly TicketView[]>): AsyncIterable<string> {
  let header = true;
  for await (const page of pages) {
    if (page.length === 0 && !header) continue;
    yield stringifySafely(page.map((ticket) => ({ ...ticket })), [...EXPORT_COLUMNS], header);
    header = false;
  }
}
