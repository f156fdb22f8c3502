import type { EventReport, LogEntryView, VoucherView } from "../../core/index.js";
import type { CommandResult } from "../result.js";
import type { Rendered } from "./rendered.js";
import type { Style } from "./style.js";
import { renderFields, renderList, type Cell, type HumanMode } from "./table.js";
import { relativeTime } from "./text.js";

const cell = (value: string | number | null | undefined): Cell => ({ value: value === null || value === undefined ? "" : String(value) });

/** Human (and CSV) output of the box-office commands: reports, exports, waiting lists, the log, imports. */
export function renderBoxOffice(result: CommandResult, mode: HumanMode, style: Style, now: number): Rendered {
  const time = (iso: string) => (mode === "plain" ? iso : relativeTime(iso, now));
  switch (result.type) {
    case "report":
      return { stdout: reportTable(result.report, mode, style) };
    case "text":
      return { stdout: result.text };
    case "waitlist":
      return {
        stdout: renderList(mode, ["position", "user", "tier", "joined"],
          result.entries.map((entry) => [cell(entry.position), cell(entry.userId), cell(entry.tier), cell(time(entry.joinedAt))]), style),
        note: result.entries.length === 0 ? `Nobody is waiting for ${result.eventId}.` : undefined,
      };
    case "waitlist-join": {
      const { entry, ticket } = result.outcome;
      const fields: Array<[string, string, Cell]> = ticket
        ? [["ticketId", "Ticket", cell(ticket.id)], ["status", "Status", cell(ticket.status)], ["expiresAt", "Expires", cell(time(ticket.expiresAt))]]
        : [["eventId", "Event", cell(entry.eventId)], ["tier", "Tier", cell(entry.tier)], ["position", "Position", cell(entry.position)]];
      return { stdout: renderFields(mode, fields, style), note: result.message };
    }
    case "log":
      return {
        stdout: renderList(mode, ["seq", "at", "actor", "action", "event", "ticket", "details"],
          result.entries.map((entry) => [cell(entry.seq), cell(time(entry.at)), cell(entry.actor), cell(entry.action),
            cell(entry.eventId), cell(entry.ticketId), cell(describeDetails(entry))]), style),
        note: result.entries.length === 0 ? "The log has no entries for this." : undefined,
      };
    case "done":
      return { stdout: "", note: result.message };
    case "voucher":
      return { stdout: voucherTable([result.voucher], mode, style, time), note: result.message };
    case "vouchers":
      return { stdout: voucherTable(result.vouchers, mode, style, time), note: result.vouchers.length === 0 ? "No vouchers. Create one with `tix voucher create`." : undefined };
    default:
      throw new Error(`no human rendering for ${result.type}`);
  }
}

/** Revenue is after discounts; what vouchers took off is its own column (the last, so piped columns keep their places). */
function reportTable(report: EventReport, mode: HumanMode, style: Style): string {
  const rows = [...report.tiers, report.total].map((line) =>
    [line.tier, line.capacity, line.sold, line.held, line.available, line.revenue, line.refunds, line.refunded, line.checkedIn, line.discounts].map(cell));
  const title = mode === "tty" ? `${style.chalk.bold(report.name)} (${report.eventId}), amounts in ${report.currency}\n` : "";
  return title + renderList(mode, ["tier", "capacity", "sold", "held", "available", "revenue", "refunds", "refunded", "checked in", "discounts"], rows, style);
}

/** Piped: event, code, discount, uses, max uses, valid until, tier, created. */
function voucherTable(vouchers: readonly VoucherView[], mode: HumanMode, style: Style, time: (iso: string) => string): string {
  return renderList(mode, ["event", "code", "discount", "uses", "valid until", "tier"], vouchers.map((voucher) => mode === "plain"
    ? [voucher.eventId, voucher.code, voucher.discount, voucher.uses, voucher.maxUses, voucher.validUntil, voucher.tier, voucher.createdAt].map(cell)
    : [cell(voucher.eventId), cell(voucher.code), cell(voucher.discount), cell(voucher.maxUses === null ? voucher.uses : `${voucher.uses}/${voucher.maxUses}`),
      cell(voucher.validUntil === null ? "—" : time(voucher.validUntil)), cell(voucher.tier ?? "any")]), style);
}

function describeDetails(entry: LogEntryView): string {
  return Object.entries(entry.details)
    .filter(([, value]) => typeof value !== "object" || value === null)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(" ");
}
