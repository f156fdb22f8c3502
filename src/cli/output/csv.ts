import { stringify } from "csv-stringify/sync";
import { formatTierSpec, type EventReport, type EventRow, type ReportLine, type TicketView } from "../../core/index.js";
import { EVENT_COLUMNS, joinListCell, spreadsheetSafe } from "../event-columns.js";

// Loaded only by `report --format csv` and `export`, so csv-stringify costs other commands nothing.

export const REPORT_COLUMNS = ["tier", "capacity", "sold", "held", "available", "revenue", "refunds", "refunded", "checkedIn"] as const;

export { spreadsheetSafe };

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

/**
 * Events as `tix import` reads them, a page at a time: the header with the first page only; a list
 * (tiers, seats) in one cell, `; `-separated. A cell with spaces at either end is quoted, so that
 * import (which trims unquoted cells) reads the name back as it is.
 */
export async function* eventsCsvPieces(pages: AsyncIterable<readonly EventRow[]>): AsyncIterable<string> {
  let header = true;
  for await (const page of pages) {
    if (page.length === 0 && !header) continue;
    const records = page.map((row) => ({
      ...row,
      tiers: row.tiers === null ? null : joinListCell(row.tiers.map(formatTierSpec)),
      seats: row.seats === null ? null : joinListCell(row.seats),
    }));
    yield stringify(records, { header, columns: [...EVENT_COLUMNS], cast: { string: spreadsheetSafe }, quoted_match: /^\s|\s$/ });
    header = false;
  }
}
