import type { Change, LogAction, TicketRecord } from "./model.js";

/** Who acts when nobody does: holds expiring, waiting users being given a place. */
export const SYSTEM_ACTOR = "system";

export function logChange(
  action: LogAction,
  at: number,
  actor: string,
  subject: { eventId: string; ticketId?: string | null; orderId?: string | null },
  details: Record<string, unknown> = {},
): Change {
  return {
    type: "appendLog",
    entry: { at, actor, action, eventId: subject.eventId, ticketId: subject.ticketId ?? null, orderId: subject.orderId ?? null, details },
  };
}

/** Every entry about a ticket names its tier (and seat). */
export function logTicket(action: LogAction, at: number, actor: string, ticket: TicketRecord, details?: Record<string, unknown>): Change {
  return ticketEntry(action, at, actor, ticket, ticket.seat === null ? { tier: ticket.tier, ...details } : { tier: ticket.tier, seat: ticket.seat, ...details });
}

/** logTicket's `ticket.reserved` with the key reserved under, its details made as one literal (each reservation keeps one). */
export function logReserved(at: number, actor: string, ticket: TicketRecord, key: string): Change {
  return ticketEntry("ticket.reserved", at, actor, ticket, ticket.seat === null ? { tier: ticket.tier, key } : { tier: ticket.tier, seat: ticket.seat, key });
}

function ticketEntry(action: LogAction, at: number, actor: string, ticket: TicketRecord, details: Record<string, unknown>): Change {
  return { type: "appendLog", entry: { at, actor, action, eventId: ticket.eventId, ticketId: ticket.id, orderId: ticket.orderId, details } };
}
