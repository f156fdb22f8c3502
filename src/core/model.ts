/** The stored shapes of the domain. Times are epoch milliseconds; money is integer minor units. */
import type { SeatIndex } from "./seating/free-index.js";

/** A class of ticket within an event ("GA", "VIP"), with its own capacity, price and counts. */
export interface TierRecord {
  name: string;
  capacity: number;
  priceMinor: number;
  /** Unexpired holds, kept exact in the same transaction as every ticket change. */
  held: number;
  sold: number;
  /** The tier's own sales window, within the event's (null: the event's start or end). */
  salesStart: number | null;
  salesEnd: number | null;
  /** A presale code reserving this tier requires (upper-case), or null: anyone may reserve it. */
  accessCode: string | null;
}

export interface EventRecord {
  id: string;
  name: string;
  venue: string | null;
  startsAt: number | null;
  /** Totals over `tiers`, kept equal to their sums by the core (see `withTotals`). */
  capacity: number;
  held: number;
  sold: number;
  /** At least one; the first is the default for reservations that name none. */
  tiers: TierRecord[];
  holdSeconds: number;
  /** The lowest tier price: what the event costs "from". */
  priceMinor: number;
  currency: string;
  /** Tickets one user may hold and own for this event; null: the one-hold-at-a-time rule. */
  limitPerUser: number | null;
  /** When sales open (null: from the start) and close (null: when the event starts; see sales.ts). */
  salesStart: number | null;
  salesEnd: number | null;
  /**
   * A seated event's map in its stored form (the compact specs, one a line; see seating/spec.ts);
   * null for general admission. Each tier's capacity is then its number of seats.
   */
  seatMap: string | null;
  createdAt: number;
  updatedAt: number;
}

export const TICKET_STATUSES = ["reserved", "purchased", "cancelled", "expired"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketRecord {
  id: string;
  eventId: string;
  tier: string;
  /** Tickets reserved together share an order; purchase and cancel accept the order's id. */
  orderId: string;
  userId: string;
  /** As stored; a `reserved` ticket past `expiresAt` reads as `expired` (see effectiveStatus). */
  status: TicketStatus;
  reservedAt: number;
  expiresAt: number;
  purchasedAt: number | null;
  cancelledAt: number | null;
  checkedInAt: number | null;
  /** What the ticket costs: the tier's price, less a voucher's discount once purchased with one. */
  priceMinor: number;
  currency: string;
  cardLast4: string | null;
  /** The voucher the purchase used (its code), and what it took off the tier's price. */
  voucher: string | null;
  discountMinor: number;
  /** The seat it holds or held (`Stalls:A12`), on a seated event; null for general admission. */
  seat: string | null;
}

/** A discount code of one event: a percentage or an amount off each ticket, used at most `maxUses` times. */
export interface VoucherRecord {
  eventId: string;
  /** Upper-case: codes are matched case-insensitively. */
  code: string;
  kind: "percent" | "amount";
  /** Percent (1–100), or minor units off each ticket. */
  value: number;
  /** Null: no limit. */
  maxUses: number | null;
  /** Tickets purchased with it and not refunded; kept exact in the same transaction as each of them. */
  uses: number;
  /** Null: valid as long as the event sells. */
  validUntil: number | null;
  /** Null: any tier. */
  tier: string | null;
  createdAt: number;
}

/** One bound idempotency key: (userId, key) → the order its first successful request made. */
export interface KeyRecord {
  userId: string;
  key: string;
  /** Fingerprint of the request that bound the key; another request with this key is refused. */
  request: string;
  /** The order's first ticket. */
  ticketId: string;
  orderId: string;
  createdAt: number;
}

/** A user waiting for a place in one tier of an event; first come, first served. */
export interface WaitlistEntry {
  eventId: string;
  userId: string;
  tier: string;
  joinedAt: number;
}

export const LOG_ACTIONS = [
  "event.created", "event.updated", "ticket.reserved", "ticket.purchased", "payment.declined",
  "ticket.cancelled", "ticket.refunded", "ticket.expired", "ticket.checked_in",
  "waitlist.joined", "waitlist.left", "waitlist.promoted", "ticket.transferred", "voucher.created",
] as const;
export type LogAction = (typeof LOG_ACTIONS)[number];

/** One line of the audit log: who did what, when. Appended, never changed. */
export interface LogEntry {
  at: number;
  actor: string;
  action: LogAction;
  eventId: string;
  ticketId: string | null;
  orderId: string | null;
  /** What changed: counts, tiers, amounts, card's last four digits (never more). */
  details: Record<string, unknown>;
}

/** What a decision asks the store to write, all in one transaction. */
export type Change =
  | { type: "saveEvent"; event: EventRecord }
  | { type: "saveTicket"; ticket: TicketRecord }
  | { type: "bindKey"; record: KeyRecord }
  | { type: "saveWaitlistEntry"; entry: WaitlistEntry }
  | { type: "removeWaitlistEntry"; eventId: string; userId: string }
  | { type: "appendLog"; entry: LogEntry }
  | { type: "saveVoucher"; voucher: VoucherRecord }
  /**
   * A seated event's seats after the decision: a new index (the decision's own copy, never
   * changed after), which the store keeps and writes in the same transaction.
   */
  | { type: "saveSeats"; eventId: string; seats: SeatIndex };

/**
 * A reservation's writes as one record: its new tickets (one order, one user; the first ticket's
 * order, user and reservation instant are the order's), each with its `ticket.reserved` log
 * entry, the event with its new counts, the key bound to the order under the request's
 * fingerprint (`request`), and the user's waitlist entry on the event removed (with its
 * `waitlist.left` entry, by the user) when `leavesWaitlist` names the tier they waited for. Exactly what reservationChanges lists one change at a time: a store applies
 * either, and the memory store keeps the entry and the binding as the ticket's row (no objects
 * made for them).
 */
export interface ReserveChange {
  type: "reserve";
  tickets: readonly TicketRecord[];
  event: EventRecord;
  key: string;
  request: string;
  /** The tier the user was waiting for, whose place in line this reservation ends; null: not waiting. */
  leavesWaitlist: string | null;
}

/** What a decision gives its store: changes, or a reservation's as one record (see plainChanges). */
export type DecidedChange = Change | ReserveChange;

export interface Decision<T> {
  changes: DecidedChange[];
  result: T;
}

/** Fresh ids for what a decision creates; injected so decisions stay deterministic in tests. */
export interface IdSource {
  ticket(): string;
  order(): string;
}

export function available(event: EventRecord): number {
  return event.capacity - event.held - event.sold;
}

export function tierAvailable(tier: TierRecord): number {
  return tier.capacity - tier.held - tier.sold;
}
