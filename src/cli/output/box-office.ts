import type { LogEntryView, VoucherView, WaitlistEntryView } from "../../core/index.js";
import type { JoinOutcome } from "../../app/waitlist.js";
import { renderFieldLines, renderRecord, renderTable, renderTsv, type Cell } from "./table.js";
import { column, numberColumn, orDash, text, timeColumn, type View } from "./view.js";

// Human output of the box-office lists and records: waiting lists, vouchers and the audit log.

export function waitlistList(entries: readonly WaitlistEntryView[], view: View): string {
  if (view.mode === "plain") return renderTsv(entries.map((entry) => [entry.position, entry.userId, entry.tier, entry.joinedAt]));
  return renderTable<WaitlistEntryView>({
    columns: {
      position: numberColumn("POSITION", (entry) => entry.position),
      user: column("USER", (entry) => text(entry.userId), { shrinkTo: 12 }),
      tier: column("TIER", (entry) => text(entry.tier), { shrinkTo: 8 }),
      joined: timeColumn("JOINED", (entry) => entry.joinedAt, view),
    },
    giveWay: ["joined>", "joined>"],
  }, entries, view.width, view.style);
}

export function waitlistJoined(outcome: JoinOutcome, view: View): string {
  const { entry, ticket } = outcome;
  if (view.mode === "plain") {
    // `joined`: false when the user was already waiting (nothing changed), as in --json.
    return renderFieldLines(ticket
      ? [["ticketId", ticket.id], ["status", ticket.status], ["expiresAt", ticket.expiresAt], ["joined", String(outcome.joined)]]
      : [["eventId", entry.eventId], ["tier", entry.tier], ["position", entry.position], ["joined", String(outcome.joined)]]);
  }
  const fields: Array<[string, Cell]> = ticket
    ? [["Ticket", text(ticket.id)], ["Status", text(ticket.status)], ["Expires", text(view.time.full(ticket.expiresAt))]]
    : [["Event", text(entry.eventId)], ["Tier", text(entry.tier)], ["Position", text(entry.position)]];
  return renderRecord(fields, view.width, view.style);
}

export function logList(entries: readonly LogEntryView[], view: View): string {
  if (view.mode === "plain") {
    return renderTsv(entries.map((entry) => [entry.seq, entry.at, entry.actor, entry.action, entry.eventId, entry.ticketId, describeDetails(entry)]));
  }
  return renderTable<LogEntryView>({
    columns: {
      seq: numberColumn("SEQ", (entry) => entry.seq),
      at: timeColumn("AT", (entry) => entry.at, view),
      actor: column("ACTOR", (entry) => text(entry.actor), { shrinkTo: 8 }),
      action: column("ACTION", (entry) => text(entry.action)),
      event: column("EVENT", (entry) => text(entry.eventId)),
      ticket: column("TICKET", (entry) => orDash(entry.ticketId, view)),
      details: column("DETAILS", (entry) => text(describeDetails(entry)), { shrinkTo: 12 }),
    },
    giveWay: ["at>", "ticket", "at>", "details", "seq", "event"],
  }, entries, view.width, view.style);
}

/** Piped: event, code, discount, uses, max uses, valid until, tier, created. */
export function voucherList(vouchers: readonly VoucherView[], view: View): string {
  if (view.mode === "plain") {
    return renderTsv(vouchers.map((voucher) => [voucher.eventId, voucher.code, voucher.discount, voucher.uses, voucher.maxUses, voucher.validUntil, voucher.tier, voucher.createdAt]));
  }
  return renderTable<VoucherView>({
    columns: {
      // Cut before anything gives way, so vouchers of two events never look alike (a code is never cut).
      event: column("EVENT", (voucher) => text(voucher.eventId), { shrinkTo: 16 }),
      code: column("CODE", (voucher) => text(voucher.code)),
      discount: column("DISCOUNT", (voucher) => text(voucher.discount), { align: "right" }),
      uses: column("USES", (voucher) => text(voucher.maxUses === null ? voucher.uses : `${voucher.uses}/${voucher.maxUses}`), { align: "right" }),
      validUntil: timeColumn("VALID UNTIL", (voucher) => voucher.validUntil, view),
      tier: column("TIER", (voucher) => text(voucher.tier ?? "any"), { shrinkTo: 8 }),
    },
    giveWay: ["validUntil>", "validUntil>", "tier", "validUntil", "event"],
  }, vouchers, view.width, view.style);
}

function describeDetails(entry: LogEntryView): string {
  return Object.entries(entry.details)
    .filter(([, value]) => typeof value !== "object" || value === null)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(" ");
}
