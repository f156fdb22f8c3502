import { formatAmount } from "./money.js";
import { available, type EventRecord, type TicketRecord, type TicketStatus } from "./model.js";
import { effectiveStatus } from "./tickets.js";
import { toIso, toIsoOrNull } from "./time.js";

/** The contract's JSON shape of an event: what `--json` prints and what the library returns. */
export interface EventView {
  id: string;
  name: string;
  venue: string | null;
  startsAt: string | null;
  capacity: number;
  held: number;
  sold: number;
  available: number;
  holdSeconds: number;
  /** Decimal text in `currency`, e.g. "45.00". */
  price: string;
  /** The same price in integer minor units (cents), for arithmetic. */
  priceMinor: number;
  currency: string;
}

/** The contract's JSON shape of a ticket. */
export interface TicketView {
  id: string;
  eventId: string;
  userId: string;
  status: TicketStatus;
  reservedAt: string;
  expiresAt: string;
  purchasedAt: string | null;
  cancelledAt: string | null;
  price: string;
  priceMinor: number;
  currency: string;
  cardLast4: string | null;
}

export function toEventView(event: EventRecord): EventView {
  return {
    id: event.id,
    name: event.name,
    venue: event.venue,
    startsAt: toIsoOrNull(event.startsAt),
    capacity: event.capacity,
    held: event.held,
    sold: event.sold,
    available: available(event),
    holdSeconds: event.holdSeconds,
    price: formatAmount(event.priceMinor, event.currency),
    priceMinor: event.priceMinor,
    currency: event.currency,
  };
}

export function toTicketView(ticket: TicketRecord, now: number): TicketView {
  return {
    id: ticket.id,
    eventId: ticket.eventId,
    userId: ticket.userId,
    status: effectiveStatus(ticket, now),
    reservedAt: toIso(ticket.reservedAt),
    expiresAt: toIso(ticket.expiresAt),
    purchasedAt: toIsoOrNull(ticket.purchasedAt),
    cancelledAt: toIsoOrNull(ticket.cancelledAt),
    price: formatAmount(ticket.priceMinor, ticket.currency),
    priceMinor: ticket.priceMinor,
    currency: ticket.currency,
    cardLast4: ticket.cardLast4,
  };
}
