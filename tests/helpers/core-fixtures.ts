import { reserveFingerprint, withTotals, type EventRecord, type IdSource, type KeyRecord, type TicketRecord, type TierRecord, type WaitlistEntry } from "../../src/core/index.js";

export const NOW = Date.UTC(2025, 4, 1, 12);

export const tier = (overrides: Partial<TierRecord> = {}): TierRecord => ({
  name: "GA", capacity: 2, priceMinor: 4500, held: 0, sold: 0, salesStart: null, salesEnd: null, accessCode: null, ...overrides,
});

/** An event whose totals follow its tiers (one GA tier of 2 unless given). */
export const event = (overrides: Partial<EventRecord> = {}, tiers: TierRecord[] = [tier()]): EventRecord => withTotals({
  id: "evt_1", name: "Gig", venue: null, startsAt: null, holdSeconds: 600, currency: "USD", limitPerUser: null,
  salesStart: null, salesEnd: null, seatMap: null, createdAt: NOW, updatedAt: NOW, ...overrides,
}, overrides.tiers ?? tiers);

export const ticket = (overrides: Partial<TicketRecord> = {}): TicketRecord => ({
  id: "tkt_1", eventId: "evt_1", tier: "GA", orderId: "ord_1", userId: "alice", status: "reserved", reservedAt: NOW,
  expiresAt: NOW + 600_000, purchasedAt: null, cancelledAt: null, checkedInAt: null, priceMinor: 4500, currency: "USD",
  cardLast4: null, voucher: null, discountMinor: 0, seat: null, ...overrides,
});

export const binding = (overrides: Partial<KeyRecord> = {}): KeyRecord => ({
  userId: "alice", key: "k1", request: reserveFingerprint({ eventId: "evt_1", tier: "GA", quantity: 1 }), ticketId: "tkt_1", orderId: "ord_1", createdAt: NOW, ...overrides,
});

export const waiting = (userId: string, overrides: Partial<WaitlistEntry> = {}): WaitlistEntry => ({ eventId: "evt_1", userId, tier: "GA", joinedAt: NOW - 1000, ...overrides });

/** Predictable ids: tkt_new1, tkt_new2…, ord_new1… */
export function sequentialIds(): IdSource {
  let tickets = 0;
  let orders = 0;
  return { ticket: () => `tkt_new${++tickets}`, order: () => `ord_new${++orders}` };
}

export function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "no error";
}

/** The message of the error `work` throws. */
export function messageOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as Error).message;
  }
  return "no error";
}
