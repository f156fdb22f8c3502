import { formatAmount } from "./money.js";
import { available, tierAvailable, type EventRecord, type LogEntry, type TicketRecord, type TicketStatus, type TierRecord, type WaitlistEntry } from "./model.js";
import { eventWindow } from "./sales.js";
import { toIso, toIsoOrNull } from "./time.js";

export interface TierView {
  name: string;
  capacity: number;
  held: number;
  sold: number;
  available: number;
  price: string;
  priceMinor: number;
  /** The tier's own sales window, within the event's (null: the event's). */
  salesStart: string | null;
  salesEnd: string | null;
  /** Whether reserving it takes an access code (the code itself is never shown). */
  requiresCode: boolean;
}

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
  /** Decimal text in `currency`, e.g. "45.00": the lowest tier's price. */
  price: string;
  /** The same price in integer minor units (cents), for arithmetic. */
  priceMinor: number;
  currency: string;
  tiers: TierView[];
  /** Tickets one user may hold and own; null: one hold at a time. */
  limitPerUser: number | null;
  /** When sales open (null: since the event was created) and close (the event's start unless set; null: never). */
  salesStart: string | null;
  salesEnd: string | null;
  /** True when the event sells seats from a seat map (`tix seats`); false: general admission. */
  seated: boolean;
}

/** The contract's JSON shape of a ticket. */
export interface TicketView {
  id: string;
  eventId: string;
  tier: string;
  orderId: string;
  userId: string;
  status: TicketStatus;
  reservedAt: string;
  expiresAt: string;
  purchasedAt: string | null;
  cancelledAt: string | null;
  checkedInAt: string | null;
  price: string;
  priceMinor: number;
  currency: string;
  cardLast4: string | null;
  /** The voucher the purchase used, and what it took off (`price` is what was charged). */
  voucher: string | null;
  discount: string;
  discountMinor: number;
  /** The seat (`Stalls:A12`) on a seated event; null for general admission. */
  seat: string | null;
}

export interface WaitlistEntryView {
  eventId: string;
  userId: string;
  tier: string;
  joinedAt: string;
  /** 1 for the next user to be given a place. */
  position: number;
}

export interface LogEntryView {
  seq: number;
  at: string;
  actor: string;
  action: LogEntry["action"];
  eventId: string;
  ticketId: string | null;
  orderId: string | null;
  details: Record<string, unknown>;
}

export function toTierView(tier: TierRecord, currency: string): TierView {
  return {
    name: tier.name, capacity: tier.capacity, held: tier.held, sold: tier.sold, available: tierAvailable(tier),
    price: formatAmount(tier.priceMinor, currency), priceMinor: tier.priceMinor,
    salesStart: toIsoOrNull(tier.salesStart), salesEnd: toIsoOrNull(tier.salesEnd), requiresCode: tier.accessCode !== null,
  };
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
    tiers: event.tiers.map((tier) => toTierView(tier, event.currency)),
    limitPerUser: event.limitPerUser,
    salesStart: toIsoOrNull(event.salesStart),
    salesEnd: toIsoOrNull(eventWindow(event).end),
    seated: event.seatMap !== null,
  };
}

/**
 * Stores release due holds at the start of every operation, by their own clock (PostgreSQL: the
 * server's), so a record fresh from the store already carries its current status; recomputing it
 * with this host's clock would contradict the store when clocks are skewed.
 */
export function toTicketView(ticket: TicketRecord): TicketView {
  return {
    id: ticket.id,
    eventId: ticket.eventId,
    tier: ticket.tier,
    orderId: ticket.orderId,
    userId: ticket.userId,
    status: ticket.status,
    reservedAt: toIso(ticket.reservedAt),
    expiresAt: toIso(ticket.expiresAt),
    purchasedAt: toIsoOrNull(ticket.purchasedAt),
    cancelledAt: toIsoOrNull(ticket.cancelledAt),
    checkedInAt: toIsoOrNull(ticket.checkedInAt),
    price: formatAmount(ticket.priceMinor, ticket.currency),
    priceMinor: ticket.priceMinor,
    currency: ticket.currency,
    cardLast4: ticket.cardLast4,
    voucher: ticket.voucher,
    discount: formatAmount(ticket.discountMinor, ticket.currency),
    discountMinor: ticket.discountMinor,
    seat: ticket.seat,
  };
}

export function toWaitlistView(entries: readonly WaitlistEntry[]): WaitlistEntryView[] {
  return entries.map((entry, index) => ({ eventId: entry.eventId, userId: entry.userId, tier: entry.tier, joinedAt: toIso(entry.joinedAt), position: index + 1 }));
}

export function toLogEntryView(entry: LogEntry & { seq: number }): LogEntryView {
  return { seq: entry.seq, at: toIso(entry.at), actor: entry.actor, action: entry.action, eventId: entry.eventId, ticketId: entry.ticketId, orderId: entry.orderId, details: entry.details };
}
