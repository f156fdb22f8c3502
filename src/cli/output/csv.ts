import { stringify } from "csv-stringify/sync";
import type { EventReport, ReportLine, TicketView } from "../../core/index.js";

// Loaded only by `report --format csv` and `export tickets`, so csv-stringify costs other commands nothing.

export const REPORT_COLUMNS = ["tier", "capacity", "sold", "held", "available", "revenue", "refunds", "refunded", "checkedIn"] as const;

export function reportRows(report: EventReport): ReportLine[] {
  return [...report.tiers, report.total];
}

export function reportCsv(report: EventReport): string {
  return stringify(reportRows(report).map((line) => ({ ...line, currency: report.currency })), {
    header: true,
    columns: [...REPORT_COLUMNS, "currency", "discounts"],
  });
}

const EXPORT_COLUMNS = ["id", "eventId", "tier", "orderId", "userId", "status", "reservedAt", "expiresAt", "purchasedAt",
  "cancelledAt", "checkedInAt", "price", "currency", "cardLast4", "voucher", "discount"] as const;

/** CSV for spreadsheets: a header row, one ticket a row, empty cells for nulls. */
export function ticketsCsv(tickets: readonly TicketView[]): string {
  return stringify(tickets.map((ticket) => ({ ...ticket })), { header: true, columns: [...EXPORT_COLUMNS] });
}
