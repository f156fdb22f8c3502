import type { KeyRecord, LogEntry, TicketRecord } from "../../core/index.js";
import type { TicketTable } from "./ticket-table.js";

/*
 * What a reservation writes besides its ticket — its `ticket.reserved` log entry and its key
 * binding — is made of the ticket as first saved, the key and the request's fingerprint: when the
 * entry and the binding a decision gives are exactly that, the ticket's row stands for them (its
 * number kept where they were) and they are made again when read. Anything else is kept as given.
 */

/** Whether `entry` is the `ticket.reserved` entry of `ticket` (row `row`, just saved) as the core writes it (see logReserved); then the row stands for it. */
export function takeLogEntry(tickets: TicketTable, row: number, ticket: TicketRecord, entry: LogEntry): boolean {
  if (entry.action !== "ticket.reserved" || entry.ticketId !== ticket.id || entry.at !== ticket.reservedAt || entry.actor !== ticket.userId ||
    entry.eventId !== ticket.eventId || entry.orderId !== ticket.orderId) return false;
  const key = reservedKey(entry.details, ticket);
  const own = tickets.keyOf(row);
  if (key === undefined || (own !== undefined && own !== key)) return false;
  tickets.setKey(row, key);
  return true;
}

/** The `ticket.reserved` entry row `row` stands for. */
export function logEntryOf(tickets: TicketTable, row: number): LogEntry {
  const ticket = tickets.first(row);
  const key = tickets.keyOf(row);
  const details = ticket.seat === null ? { tier: ticket.tier, key } : { tier: ticket.tier, seat: ticket.seat, key };
  return { at: ticket.reservedAt, actor: ticket.userId, action: "ticket.reserved", eventId: ticket.eventId, ticketId: ticket.id, orderId: ticket.orderId, details };
}

/** Whether `record` binds its key to the order of `ticket` (row `row`, just saved); then the row stands for it. */
export function takeKey(tickets: TicketTable, row: number, ticket: TicketRecord, record: KeyRecord): boolean {
  const own = tickets.keyOf(row);
  if (record.ticketId !== ticket.id || record.orderId !== ticket.orderId || record.userId !== ticket.userId || record.createdAt !== ticket.reservedAt ||
    (own !== undefined && own !== record.key) || tickets.requestOf(row) !== undefined) return false;
  tickets.setKey(row, record.key);
  tickets.setRequest(row, record.request);
  return true;
}

/** The binding row `row` stands for. */
export function keyRecordOf(tickets: TicketTable, row: number): KeyRecord {
  const ticket = tickets.first(row);
  return { userId: ticket.userId, key: tickets.keyOf(row)!, request: tickets.requestOf(row)!, ticketId: ticket.id, orderId: ticket.orderId, createdAt: ticket.reservedAt };
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
