import { TixError } from "./errors.js";
import type { EventRecord, TicketRecord, TicketStatus, TierRecord } from "./model.js";
import { counted } from "./plural.js";

/** A hold lasts until its expiry instant, exclusive: at `expiresAt` it no longer holds a place. */
export function holdHasExpired(ticket: TicketRecord, now: number): boolean {
  return ticket.status === "reserved" && now >= ticket.expiresAt;
}

export function effectiveStatus(ticket: TicketRecord, now: number): TicketStatus {
  return holdHasExpired(ticket, now) ? "expired" : ticket.status;
}

/** What a user already has for an event, as far as the per-user rules care. */
export interface UserStanding {
  /** Unexpired holds. */
  liveHolds: number;
  /** Unexpired holds plus purchased tickets. */
  committed: number;
}

/**
 * Without a per-user limit, a user holds one order at a time (DUPLICATE_RESERVATION); with one,
 * holds and purchases together stay within it (LIMIT_EXCEEDED).
 */
export function checkUserMayHold(event: EventRecord, standing: UserStanding, userId: string, quantity: number): void {
  const refusal = holdRefusal(event, standing, userId, quantity);
  if (refusal) throw refusal;
}

/** Why the user may not hold `quantity` more tickets of the event, or undefined when they may. */
export function holdRefusal(event: EventRecord, standing: UserStanding, userId: string, quantity: number): TixError | undefined {
  if (event.limitPerUser === null) {
    return standing.liveHolds > 0
      ? new TixError("DUPLICATE_RESERVATION", `user ${userId} already holds a ticket for event ${event.id}; purchase or cancel it first`)
      : undefined;
  }
  return standing.committed + quantity > event.limitPerUser
    ? new TixError(
      "LIMIT_EXCEEDED",
      `event ${event.id} allows ${counted(event.limitPerUser, "ticket")} per user; user ${userId} has ${standing.committed} and asked for ${quantity} more`,
    )
    : undefined;
}

/** A new hold of one ticket (of one seat, on a seated event). */
export function newHold(event: EventRecord, tier: TierRecord, userId: string, ticketId: string, orderId: string, now: number, seat: string | null = null): TicketRecord {
  return {
    id: ticketId, eventId: event.id, tier: tier.name, orderId, userId, status: "reserved", reservedAt: now,
    expiresAt: now + event.holdSeconds * 1000, purchasedAt: null, cancelledAt: null, checkedInAt: null,
    priceMinor: tier.priceMinor, currency: event.currency, cardLast4: null, voucher: null, discountMinor: 0, seat,
  };
}
