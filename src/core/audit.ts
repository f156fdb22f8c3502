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

/** Every entry about a ticket names its tier (and seat); built with no intermediate object, as each reservation makes one. */
export function logTicket(action: LogAction, at: number, actor: string, ticket: TicketRecord, details?: Record<string, unknown>): Change {
  const all = ticket.seat === null ? { tier: ticket.tier, ...details } : { tier: ticket.tier, seat: ticket.seat, ...details };
  return { type: "appendLog", entry: { at, actor, action, eventId: ticket.eventId, ticketId: ticket.id, orderId: ticket.orderId, details: all } };
}
