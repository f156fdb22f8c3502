/** The stored shapes of the domain. Times are epoch milliseconds; money is integer minor units. */

export interface EventRecord {
  id: string;
  name: string;
  venue: string | null;
  startsAt: number | null;
  capacity: number;
  /** Unexpired holds, kept exact in the same transaction as every ticket change. */
  held: number;
  sold: number;
  holdSeconds: number;
  priceMinor: number;
  currency: string;
  createdAt: number;
  updatedAt: number;
}

export const TICKET_STATUSES = ["reserved", "purchased", "cancelled", "expired"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketRecord {
  id: string;
  eventId: string;
  userId: string;
  /** As stored; a `reserved` ticket past `expiresAt` reads as `expired` (see effectiveStatus). */
  status: TicketStatus;
  reservedAt: number;
  expiresAt: number;
  purchasedAt: number | null;
  cancelledAt: number | null;
  priceMinor: number;
  currency: string;
  cardLast4: string | null;
}

/** One bound idempotency key: (userId, key) → the ticket its first successful request made. */
export interface KeyRecord {
  userId: string;
  key: string;
  /** Fingerprint of the request that bound the key; another request with this key is refused. */
  request: string;
  ticketId: string;
  createdAt: number;
}

/** What a decision asks the store to write, all in one transaction. */
export type Change =
  | { type: "saveEvent"; event: EventRecord }
  | { type: "saveTicket"; ticket: TicketRecord }
  | { type: "bindKey"; record: KeyRecord };

export interface Decision<T> {
  changes: Change[];
  result: T;
}

export function available(event: EventRecord): number {
  return event.capacity - event.held - event.sold;
}
