import { describe, expect, it } from "vitest";
import {
  KEY_RETENTION_MS,
  decideCancel,
  decideCreateEvent,
  decideExpiry,
  decidePurchase,
  decideReserve,
  decideUpdateEvent,
  effectiveStatus,
  parseEventDraft,
  reserveFingerprint,
  type EventRecord,
  type KeyRecord,
  type TicketRecord,
} from "../../../src/core/index.js";

const NOW = Date.UTC(2025, 4, 1, 12);
const event = (overrides: Partial<EventRecord> = {}): EventRecord => ({
  id: "evt_1", name: "Gig", venue: null, startsAt: null, capacity: 2, held: 0, sold: 0, holdSeconds: 600,
  priceMinor: 4500, currency: "USD", createdAt: NOW, updatedAt: NOW, ...overrides,
});
const ticket = (overrides: Partial<TicketRecord> = {}): TicketRecord => ({
  id: "tkt_1", eventId: "evt_1", userId: "alice", status: "reserved", reservedAt: NOW, expiresAt: NOW + 600_000,
  purchasedAt: null, cancelledAt: null, priceMinor: 4500, currency: "USD", cardLast4: null, ...overrides,
});
const binding = (overrides: Partial<KeyRecord> = {}): KeyRecord => ({
  userId: "alice", key: "k1", request: reserveFingerprint("evt_1"), ticketId: "tkt_1", createdAt: NOW, ...overrides,
});
const request = { eventId: "evt_1", userId: "alice", key: "k1", ticketId: "tkt_new" };
const empty = { event: event(), keyRecord: undefined, keyTicket: undefined, activeHold: undefined };
const code = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "no error";
};

describe("decideReserve", () => {
  it("creates a hold for the event's hold time, counts it, and binds the key", () => {
    const { changes, result } = decideReserve(empty, request, NOW);
    expect(result.replayed).toBe(false);
    expect(result.ticket).toMatchObject({ id: "tkt_new", status: "reserved", expiresAt: NOW + 600_000, priceMinor: 4500 });
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 1 }) });
    expect(changes).toContainEqual({ type: "bindKey", record: expect.objectContaining({ key: "k1", ticketId: "tkt_new", request: reserveFingerprint("evt_1") }) });
  });

  it("replays a live key before looking at anything else, even when sold out", () => {
    const snapshot = { event: event({ held: 2 }), keyRecord: binding(), keyTicket: ticket(), activeHold: ticket() };
    const { changes, result } = decideReserve(snapshot, request, NOW + 1000);
    expect(changes).toEqual([]);
    expect(result).toEqual({ ticket: ticket(), replayed: true });
  });

  it("refuses a live key bound to another request", () => {
    const snapshot = { ...empty, keyRecord: binding({ request: reserveFingerprint("evt_2") }), keyTicket: ticket({ eventId: "evt_2" }) };
    expect(code(() => decideReserve(snapshot, request, NOW))).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("forgets a key after the retention period", () => {
    const snapshot = { ...empty, keyRecord: binding(), keyTicket: ticket({ status: "purchased" }) };
    expect(decideReserve(snapshot, request, NOW + KEY_RETENTION_MS - 1).result.replayed).toBe(true);
    expect(decideReserve(snapshot, request, NOW + KEY_RETENTION_MS).result.replayed).toBe(false);
  });

  it("refuses a second live hold, but not one that has expired", () => {
    expect(code(() => decideReserve({ ...empty, activeHold: ticket() }, request, NOW))).toBe("DUPLICATE_RESERVATION");
    expect(decideReserve({ ...empty, activeHold: ticket() }, request, NOW + 600_000).result.replayed).toBe(false);
  });

  it("answers SOLD_OUT when held + sold reach capacity, and EVENT_NOT_FOUND without an event", () => {
    expect(code(() => decideReserve({ ...empty, event: event({ held: 1, sold: 1 }) }, request, NOW))).toBe("SOLD_OUT");
    expect(code(() => decideReserve({ ...empty, event: undefined }, request, NOW))).toBe("EVENT_NOT_FOUND");
  });
});

describe("holds", () => {
  it("expire exactly at expiresAt", () => {
    expect(effectiveStatus(ticket(), NOW + 599_999)).toBe("reserved");
    expect(effectiveStatus(ticket(), NOW + 600_000)).toBe("expired");
    expect(effectiveStatus(ticket({ status: "purchased" }), NOW + 10 ** 9)).toBe("purchased");
  });

  it("release their places when expired, once per hold, adjusting each event once", () => {
    const events = new Map([["evt_1", event({ held: 2 })], ["evt_2", event({ id: "evt_2", held: 1 })]]);
    const due = [ticket({ id: "a" }), ticket({ id: "b", userId: "bob" }), ticket({ id: "c", eventId: "evt_2" }), ticket({ id: "d", expiresAt: NOW + 10 ** 9 })];
    const changes = decideExpiry(due, events, NOW + 600_000);
    expect(changes.filter((change) => change.type === "saveTicket")).toHaveLength(3);
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ id: "evt_1", held: 0 }) });
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ id: "evt_2", held: 0 }) });
  });
});

describe("decidePurchase", () => {
  const snapshot = { ticket: ticket(), event: event({ held: 1 }) };
  const buy = { ticketId: "tkt_1", userId: "alice", card: "4242424242424242" };

  it("moves a hold to a sale, keeping the last four digits", () => {
    const { changes, result } = decidePurchase(snapshot, buy, NOW + 1000);
    expect(result).toMatchObject({ status: "purchased", purchasedAt: NOW + 1000, cardLast4: "4242" });
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 0, sold: 1 }) });
  });

  it.each([
    [{ ticket: undefined, event: undefined }, buy, NOW, "TICKET_NOT_FOUND"],
    [snapshot, { ...buy, userId: "bob" }, NOW, "NOT_TICKET_OWNER"],
    [snapshot, buy, NOW + 600_000, "HOLD_EXPIRED"],
    [{ ticket: ticket({ status: "purchased" }), event: event() }, buy, NOW, "ALREADY_PURCHASED"],
    [{ ticket: ticket({ status: "cancelled" }), event: event() }, buy, NOW, "ALREADY_CANCELLED"],
    [snapshot, { ...buy, card: "4000000000000002" }, NOW, "PAYMENT_DECLINED"],
  ] as const)("refuses case %#", (given, purchase, now, expected) => {
    expect(code(() => decidePurchase(given, purchase, now))).toBe(expected);
  });
});

describe("decideCancel", () => {
  it("releases a hold or refunds a sale", () => {
    const released = decideCancel({ ticket: ticket(), event: event({ held: 1 }) }, { ticketId: "tkt_1", userId: "alice" }, NOW);
    expect(released.changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 0, sold: 0 }) });
    const refunded = decideCancel({ ticket: ticket({ status: "purchased" }), event: event({ sold: 1 }) }, { ticketId: "tkt_1", userId: "alice" }, NOW);
    expect(refunded.changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 0, sold: 0 }) });
    expect(refunded.result).toMatchObject({ status: "cancelled", cancelledAt: NOW });
  });

  it("refuses twice, for strangers, and after expiry", () => {
    const mine = { ticketId: "tkt_1", userId: "alice" };
    expect(code(() => decideCancel({ ticket: ticket({ status: "cancelled" }), event: event() }, mine, NOW))).toBe("ALREADY_CANCELLED");
    expect(code(() => decideCancel({ ticket: ticket(), event: event() }, { ...mine, userId: "bob" }, NOW))).toBe("NOT_TICKET_OWNER");
    expect(code(() => decideCancel({ ticket: ticket(), event: event() }, mine, NOW + 600_000))).toBe("HOLD_EXPIRED");
  });
});

describe("event decisions", () => {
  const draft = parseEventDraft({ name: "New", capacity: 5, price: "10.00" });

  it("creates, upserts over an existing id, or leaves it alone in if-absent mode", () => {
    expect(decideCreateEvent(undefined, { id: "evt_1", draft, mode: "upsert" }, NOW).result.created).toBe(true);
    const upserted = decideCreateEvent(event({ held: 1 }), { id: "evt_1", draft, mode: "upsert" }, NOW);
    expect(upserted.result).toMatchObject({ created: false, event: { name: "New", capacity: 5, held: 1, priceMinor: 1000 } });
    expect(decideCreateEvent(event(), { id: "evt_1", draft, mode: "if-absent" }, NOW)).toEqual({ changes: [], result: { event: event(), created: false } });
  });

  it("never lets capacity drop below held + sold", () => {
    expect(code(() => decideUpdateEvent(event({ held: 1, sold: 1, capacity: 5 }), { id: "evt_1", patch: { capacity: 1 } }, NOW))).toBe("CAPACITY_BELOW_COMMITTED");
    expect(decideUpdateEvent(event({ held: 1, sold: 1, capacity: 5 }), { id: "evt_1", patch: { capacity: 2 } }, NOW).result.capacity).toBe(2);
    expect(code(() => decideUpdateEvent(undefined, { id: "evt_x", patch: {} }, NOW))).toBe("EVENT_NOT_FOUND");
  });

  it("prices an update in the event's own currency and refuses to change it", () => {
    const yen = event({ currency: "JPY", priceMinor: 1000 });
    expect(decideUpdateEvent(yen, { id: "evt_1", patch: { price: "1500" } }, NOW).result.priceMinor).toBe(1500);
    expect(code(() => decideUpdateEvent(yen, { id: "evt_1", patch: { price: "15.50" } }, NOW))).toBe("INVALID_ARGUMENT");
    expect(code(() => decideUpdateEvent(yen, { id: "evt_1", patch: { currency: "USD" } }, NOW))).toBe("INVALID_ARGUMENT");
  });
});
