import type { KeyRecord, LogEntry, TicketRecord } from "../../core/index.js";

/**
 * A ticket as the memory store keeps it: its record (replaced as it changes), its place in
 * creation order (SQLite's rowid), and the record as first saved. What a reservation writes
 * besides the ticket — its `ticket.reserved` log entry and its key binding — is made of that first
 * record, the key and the request's fingerprint: when the entry and the binding a decision gives
 * are exactly that, the row stands for them (one object kept where four were) and they are made
 * again when read. Anything else is kept as given.
 */
export class TicketRow {
  readonly first: TicketRecord;
  /** The reservation's key, when the row stands for its log entry or its binding. */
  key: string | undefined = undefined;
  /** The fingerprint the key is bound to, when the row stands for the binding. */
  request: string | undefined = undefined;

  constructor(
    public record: TicketRecord,
    readonly rank: number,
  ) {
    this.first = record;
  }

  /** Whether `entry` is this ticket's `ticket.reserved` entry as the core writes it (see logReserved); then the row stands for it. */
  takeLogEntry(entry: LogEntry): boolean {
    const ticket = this.first;
    if (entry.action !== "ticket.reserved" || entry.ticketId !== ticket.id || entry.at !== ticket.reservedAt || entry.actor !== ticket.userId ||
      entry.eventId !== ticket.eventId || entry.orderId !== ticket.orderId) return false;
    const key = reservedKey(entry.details, ticket);
    if (key === undefined || (this.key !== undefined && this.key !== key)) return false;
    this.key = key;
    return true;
  }

  logEntry(): LogEntry {
    const ticket = this.first;
    const details = ticket.seat === null ? { tier: ticket.tier, key: this.key } : { tier: ticket.tier, seat: ticket.seat, key: this.key };
    return { at: ticket.reservedAt, actor: ticket.userId, action: "ticket.reserved", eventId: ticket.eventId, ticketId: ticket.id, orderId: ticket.orderId, details };
  }

  /** Whether `record` binds its key to this ticket's order as it was first saved; then the row stands for it. */
  takeKey(record: KeyRecord): boolean {
    const ticket = this.first;
    if (record.ticketId !== ticket.id || record.orderId !== ticket.orderId || record.userId !== ticket.userId || record.createdAt !== ticket.reservedAt ||
      (this.key !== undefined && this.key !== record.key) || this.request !== undefined) return false;
    this.key = record.key;
    this.request = record.request;
    return true;
  }

  keyRecord(): KeyRecord {
    const ticket = this.first;
    return { userId: ticket.userId, key: this.key!, request: this.request!, ticketId: ticket.id, orderId: ticket.orderId, createdAt: ticket.reservedAt };
  }
}

const GENERAL_DETAILS = ["tier", "key"];
const SEATED_DETAILS = ["tier", "seat", "key"];

/** The key of a `ticket.reserved` entry's details, when they are exactly `{ tier, key }` (or `{ tier, seat, key }`) of `ticket`. */
function reservedKey(details: Record<string, unknown>, ticket: TicketRecord): string | undefined {
  const names = ticket.seat === null ? GENERAL_DETAILS : SEATED_DETAILS;
  let count = 0;
  for (const name in details) {
    if (name !== names[count]) return undefined;
    count++;
  }
  if (count !== names.length || details.tier !== ticket.tier || (ticket.seat !== null && details.seat !== ticket.seat)) return undefined;
  return typeof details.key === "string" ? details.key : undefined;
}
