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
  parseEventPatch,
  plainChanges,
  purchaseFingerprint,
  reserveFingerprint,
  type CreateMode,
  type EventPatch,
} from "../../../src/core/index.js";
import { NOW, binding, codeOf, event, messageOf, sequentialIds, ticket, tier } from "../../helpers/core-fixtures.js";

const request = { eventId: "evt_1", userId: "alice", key: "k1", quantity: 1 };
const standing = { liveHolds: 0, committed: 0 };
const empty = { event: event(), keyRecord: undefined, keyTickets: [], standing, waitlistEntry: undefined };

describe("decideReserve", () => {
  it("creates a hold for the event's hold time, counts it, and binds the key", () => {
    const { changes, result } = decideReserve(empty, request, NOW, sequentialIds());
    expect(result.replayed).toBe(false);
    expect(result.tickets).toEqual([expect.objectContaining({ id: "tkt_new1", orderId: "ord_new1", tier: "GA", status: "reserved", expiresAt: NOW + 600_000, priceMinor: 4500 })]);
    expect(plainChanges(changes)).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 1 }) });
    expect(plainChanges(changes)).toContainEqual({ type: "bindKey", record: expect.objectContaining({ key: "k1", ticketId: "tkt_new1", orderId: "ord_new1", request: reserveFingerprint({ eventId: "evt_1", tier: "GA", quantity: 1 }) }) });
  });

  it("gives its writes as one record, which stands for each ticket and its log entry, the event, the binding and the waitlist entry removed", () => {
    const waitlistEntry = { eventId: "evt_1", userId: "alice", tier: "GA", joinedAt: NOW - 1 };
    const { changes, result } = decideReserve({ ...empty, waitlistEntry }, { ...request, quantity: 2 }, NOW, sequentialIds());
    const [first, second] = result.tickets;
    const fingerprint = reserveFingerprint({ eventId: "evt_1", tier: "GA", quantity: 2 });
    expect(changes).toEqual([{ type: "reserve", tickets: result.tickets, event: expect.objectContaining({ held: 2 }), key: "k1", request: fingerprint, leavesWaitlist: "GA" }]);
    const entry = (ticketId: string) => ({ at: NOW, actor: "alice", action: "ticket.reserved", eventId: "evt_1", ticketId, orderId: first!.orderId, details: { tier: "GA", key: "k1" } });
    expect(plainChanges(changes)).toEqual([
      { type: "saveTicket", ticket: first }, { type: "appendLog", entry: entry(first!.id) },
      { type: "saveTicket", ticket: second }, { type: "appendLog", entry: entry(second!.id) },
      { type: "saveEvent", event: expect.objectContaining({ held: 2 }) },
      { type: "bindKey", record: { userId: "alice", key: "k1", request: fingerprint, ticketId: first!.id, orderId: first!.orderId, createdAt: NOW } },
      { type: "removeWaitlistEntry", eventId: "evt_1", userId: "alice" },
      { type: "appendLog", entry: { at: NOW, actor: "alice", action: "waitlist.left", eventId: "evt_1", ticketId: null, orderId: null, details: { tier: "GA", reason: "reserved" } } },
    ]);
  });

  it("replays a live key before looking at anything else, even when sold out", () => {
    const snapshot = { ...empty, event: event({}, [tier({ name: "GA", capacity: 2, priceMinor: 4500, held: 2, sold: 0 })]), keyRecord: binding(), keyTickets: [ticket()], standing: { liveHolds: 1, committed: 1 } };
    const { changes, result } = decideReserve(snapshot, request, NOW + 1000, sequentialIds());
    expect(changes).toEqual([]);
    expect(result).toEqual({ tickets: [ticket()], orderId: "ord_1", replayed: true });
  });

  it("refuses a live key bound to another request: another event, tier or quantity", () => {
    const changedTo = (changed: object) => reserveFingerprint({ eventId: "evt_1", tier: "GA", quantity: 1, ...changed });
    for (const other of [changedTo({ eventId: "evt_2" }), changedTo({ tier: "VIP" }), changedTo({ quantity: 2 })]) {
      const snapshot = { ...empty, keyRecord: binding({ request: other }), keyTickets: [ticket()] };
      expect(codeOf(() => decideReserve(snapshot, request, NOW, sequentialIds()))).toBe("IDEMPOTENCY_KEY_REUSED");
    }
    // The message sets what the key holds beside the request, so a different quantity or tier of the same event reads as one.
    const snapshot = { ...empty, keyRecord: binding({ request: changedTo({ quantity: 2 }) }), keyTickets: [ticket(), ticket({ id: "tkt_2" })] };
    expect(() => decideReserve(snapshot, request, NOW, sequentialIds())).toThrow('key "k1" was already used for a different request (it holds 2 GA tickets of event evt_1); use a new key');
  });

  it("a key a purchase bound is refused saying what it paid for, not that it holds its order's tickets", () => {
    // `purchase tkt_1 --key k1` bound the key to ticket tkt_1's order: its tickets are keyTickets.
    const paid = binding({ request: purchaseFingerprint("tkt_1", "4242424242424242") });
    for (const keyTickets of [[ticket({ status: "purchased" })], []]) {
      expect(() => decideReserve({ ...empty, keyRecord: paid, keyTickets }, request, NOW, sequentialIds()))
        .toThrow('key "k1" was already used for a different request (it paid for tkt_1 with the card ending 4242); use a new key');
    }
  });

  it("takes the resolved request as the same request: the event's only tier named or left out, quantity 1 given or not", () => {
    const replays = (stored: string, asked: { tier?: string }) =>
      decideReserve({ ...empty, keyRecord: binding({ request: stored }), keyTickets: [ticket()] }, { ...request, ...asked }, NOW, sequentialIds()).result.replayed;
    const resolved = reserveFingerprint({ eventId: "evt_1", tier: "GA", quantity: 1 });
    // Bound with the tier left out (an older tix wrote no tier), retried naming it, and the other way round.
    expect(replays(JSON.stringify({ op: "reserve", eventId: "evt_1" }), { tier: "GA" })).toBe(true);
    expect(replays(JSON.stringify({ op: "reserve", eventId: "evt_1", tier: "GA" }), {})).toBe(true);
    expect(replays(resolved, {})).toBe(true);
    expect(replays(resolved, { tier: "GA" })).toBe(true);
    expect(codeOf(() => replays(resolved, { tier: "VIP" }))).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("forgets a key after the retention period", () => {
    const snapshot = { ...empty, keyRecord: binding(), keyTickets: [ticket({ status: "purchased" })] };
    expect(decideReserve(snapshot, request, NOW + KEY_RETENTION_MS - 1, sequentialIds()).result.replayed).toBe(true);
    expect(decideReserve(snapshot, request, NOW + KEY_RETENTION_MS, sequentialIds()).result.replayed).toBe(false);
  });

  it("refuses a second live hold without a per-user limit", () => {
    expect(codeOf(() => decideReserve({ ...empty, standing: { liveHolds: 1, committed: 1 } }, request, NOW, sequentialIds()))).toBe("DUPLICATE_RESERVATION");
    expect(decideReserve({ ...empty, standing: { liveHolds: 0, committed: 1 } }, request, NOW, sequentialIds()).result.replayed).toBe(false);
  });

  it("answers SOLD_OUT when held + sold reach capacity, and EVENT_NOT_FOUND without an event", () => {
    const full = event({}, [tier({ name: "GA", capacity: 2, priceMinor: 4500, held: 1, sold: 1 })]);
    expect(codeOf(() => decideReserve({ ...empty, event: full }, request, NOW, sequentialIds()))).toBe("SOLD_OUT");
    expect(codeOf(() => decideReserve({ ...empty, event: undefined }, request, NOW, sequentialIds()))).toBe("EVENT_NOT_FOUND");
  });
});

describe("holds", () => {
  it("expire exactly at expiresAt", () => {
    expect(effectiveStatus(ticket(), NOW + 599_999)).toBe("reserved");
    expect(effectiveStatus(ticket(), NOW + 600_000)).toBe("expired");
    expect(effectiveStatus(ticket({ status: "purchased" }), NOW + 10 ** 9)).toBe("purchased");
  });

  it("release their places when expired, once per hold, adjusting each event once", () => {
    const events = new Map([
      ["evt_1", event({}, [tier({ name: "GA", capacity: 2, priceMinor: 1, held: 2, sold: 0 })])],
      ["evt_2", event({ id: "evt_2" }, [tier({ name: "GA", capacity: 2, priceMinor: 1, held: 1, sold: 0 })])],
    ]);
    const due = [ticket({ id: "a" }), ticket({ id: "b", userId: "bob" }), ticket({ id: "c", eventId: "evt_2" }), ticket({ id: "d", expiresAt: NOW + 10 ** 9 })];
    const changes = decideExpiry(due, events, new Map(), NOW + 600_000, sequentialIds());
    expect(changes.filter((change) => change.type === "saveTicket")).toHaveLength(3);
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ id: "evt_1", held: 0 }) });
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ id: "evt_2", held: 0 }) });
    expect(changes.filter((change) => change.type === "appendLog")).toHaveLength(3);
    // Logged when handled (later than the lapse), the hold's own end in the details, as ISO text.
    const logged = changes.find((change) => change.type === "appendLog");
    expect(logged).toMatchObject({ entry: { action: "ticket.expired", at: NOW + 600_000, details: { expiresAt: new Date(due[0]!.expiresAt).toISOString() } } });
  });
});

describe("decidePurchase", () => {
  const held = event({}, [tier({ name: "GA", capacity: 2, priceMinor: 4500, held: 1, sold: 0 })]);
  const snapshot = { tickets: [ticket()], event: held };
  const buy = { targetId: "tkt_1", userId: "alice", card: "4242424242424242" };

  it("moves a hold to a sale, keeping the last four digits", () => {
    const { changes, result } = decidePurchase(snapshot, buy, NOW + 1000);
    expect(result.tickets[0]).toMatchObject({ status: "purchased", purchasedAt: NOW + 1000, cardLast4: "4242" });
    expect(changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 0, sold: 1 }) });
  });

  it("records a declined card in the log only", () => {
    const { changes, result } = decidePurchase(snapshot, { ...buy, card: "4000000000000002" }, NOW);
    expect(result.declined).toMatchObject({ cardLast4: "0002" });
    expect(changes.map((change) => change.type)).toEqual(["appendLog"]);
  });

  it.each([
    [{ tickets: [], event: undefined }, buy, NOW, "TICKET_NOT_FOUND"],
    [snapshot, { ...buy, userId: "bob" }, NOW, "NOT_TICKET_OWNER"],
    [snapshot, buy, NOW + 600_000, "HOLD_EXPIRED"],
    [{ tickets: [ticket({ status: "purchased" })], event: held }, buy, NOW, "ALREADY_PURCHASED"],
    [{ tickets: [ticket({ status: "cancelled" })], event: held }, buy, NOW, "ALREADY_CANCELLED"],
  ] as const)("refuses case %#", (given, purchase, now, expected) => {
    expect(codeOf(() => decidePurchase({ tickets: [...given.tickets], event: given.event }, purchase, now))).toBe(expected);
  });

  describe("with an idempotency key", () => {
    const keyed = { ...buy, key: "pay-1" };
    const bound = binding({ key: "pay-1", request: purchaseFingerprint("tkt_1", buy.card) });

    it("binds the key in the same decision as the sale; a declined card binds nothing", () => {
      const { changes, result } = decidePurchase(snapshot, keyed, NOW);
      expect(result.replayed).toBe(false);
      expect(changes).toContainEqual({
        type: "bindKey",
        record: { userId: "alice", key: "pay-1", request: purchaseFingerprint("tkt_1", buy.card), ticketId: "tkt_1", orderId: "ord_1", createdAt: NOW },
      });
      const declined = decidePurchase(snapshot, { ...keyed, card: "4000000000000002" }, NOW);
      expect(declined.changes.map((change) => change.type)).toEqual(["appendLog"]);
    });

    it("replays the same request: nothing charged again, the ticket as it is now", () => {
      const sold = { tickets: [ticket({ status: "purchased", cardLast4: "4242" })], event: held, keyRecord: bound };
      expect(decidePurchase(sold, keyed, NOW + 1000)).toEqual({ changes: [], result: { tickets: sold.tickets, replayed: true } });
    });

    it("refuses the key for another request: another ticket, another card, or a key a reservation bound", () => {
      const sold = { tickets: [ticket({ status: "purchased" })], event: held };
      expect(codeOf(() => decidePurchase({ ...sold, keyRecord: bound }, { ...keyed, targetId: "ord_1" }, NOW))).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(codeOf(() => decidePurchase({ ...sold, keyRecord: bound }, { ...keyed, card: "5555555555554444" }, NOW))).toBe("IDEMPOTENCY_KEY_REUSED");
      expect(codeOf(() => decidePurchase({ ...snapshot, keyRecord: binding({ key: "pay-1" }) }, keyed, NOW))).toBe("IDEMPOTENCY_KEY_REUSED");
      // The refusal says what the key paid for, as a reserve's says what its key holds.
      expect(() => decidePurchase({ ...sold, keyRecord: bound }, { ...keyed, voucher: "SPRING" }, NOW))
        .toThrow(`key "pay-1" was already used for a different request (it paid for tkt_1 with the card ending ${buy.card.slice(-4)}); use a new key`);
      const withVoucher = { ...bound, request: purchaseFingerprint("tkt_1", buy.card, "SPRING") };
      expect(() => decidePurchase({ ...sold, keyRecord: withVoucher }, keyed, NOW)).toThrow(/\(it paid for tkt_1 with the card ending \d{4} and voucher SPRING\)/);
      // A key a reservation bound says what it reserved (it said nothing).
      const reserved = binding({ key: "pay-1", request: reserveFingerprint({ eventId: "evt_1", tier: "GA", quantity: 2 }) });
      expect(() => decidePurchase({ ...sold, keyRecord: reserved }, keyed, NOW))
        .toThrow('key "pay-1" was already used for a different request (it reserved 2 GA tickets of event evt_1); use a new key');
    });

    it("forgets a binding past the retention: the key is free, and the sold ticket is ALREADY_PURCHASED", () => {
      const sold = { tickets: [ticket({ status: "purchased" })], event: held, keyRecord: bound };
      expect(codeOf(() => decidePurchase(sold, keyed, NOW + KEY_RETENTION_MS))).toBe("ALREADY_PURCHASED");
    });
  });
});

describe("decideCancel", () => {
  const mine = { targetId: "tkt_1", userId: "alice" };

  it("releases a hold or refunds a sale", () => {
    const released = decideCancel({ tickets: [ticket()], event: event({}, [tier({ name: "GA", capacity: 2, priceMinor: 1, held: 1, sold: 0 })]), waiting: [] }, mine, NOW, sequentialIds());
    expect(released.changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 0, sold: 0 }) });
    const refunded = decideCancel({ tickets: [ticket({ status: "purchased" })], event: event({}, [tier({ name: "GA", capacity: 2, priceMinor: 1, held: 0, sold: 1 })]), waiting: [] }, mine, NOW, sequentialIds());
    expect(refunded.changes).toContainEqual({ type: "saveEvent", event: expect.objectContaining({ held: 0, sold: 0 }) });
    expect(refunded.result[0]).toMatchObject({ status: "cancelled", cancelledAt: NOW });
    expect(refunded.changes).toContainEqual({ type: "appendLog", entry: expect.objectContaining({ action: "ticket.refunded" }) });
  });

  it("refuses twice, for strangers, after expiry and after check-in", () => {
    const base = { event: event(), waiting: [] };
    expect(codeOf(() => decideCancel({ ...base, tickets: [ticket({ status: "cancelled" })] }, mine, NOW, sequentialIds()))).toBe("ALREADY_CANCELLED");
    expect(codeOf(() => decideCancel({ ...base, tickets: [ticket()] }, { ...mine, userId: "bob" }, NOW, sequentialIds()))).toBe("NOT_TICKET_OWNER");
    expect(codeOf(() => decideCancel({ ...base, tickets: [ticket()] }, mine, NOW + 600_000, sequentialIds()))).toBe("HOLD_EXPIRED");
    expect(codeOf(() => decideCancel({ ...base, tickets: [ticket({ status: "purchased", checkedInAt: NOW })] }, mine, NOW, sequentialIds()))).toBe("ALREADY_CHECKED_IN");
  });
});

describe("event decisions", () => {
  const fields = { name: "New", capacity: 5 };
  const draft = parseEventDraft(fields);
  const create = (mode: CreateMode) => ({ id: "evt_1", draft, patch: parseEventPatch(fields), mode, actor: "alice" });

  it("creates; over an existing id merges the fields given, replaces the whole event, or leaves it alone", () => {
    expect(decideCreateEvent(undefined, create("merge"), [], NOW, sequentialIds()).result).toMatchObject({ created: true, changes: [] });
    const existing = event({ name: "Old", venue: "Old Hall", holdSeconds: 900 }, [tier({ name: "GA", capacity: 2, priceMinor: 8900, held: 1, sold: 0 })]);

    const merged = decideCreateEvent(existing, create("merge"), [], NOW, sequentialIds()).result;
    expect(merged).toMatchObject({ created: false, event: { name: "New", capacity: 5, held: 1, priceMinor: 8900, venue: "Old Hall", holdSeconds: 900 } });
    expect(merged.changes).toEqual([{ field: "name", from: "Old", to: "New" }, { field: "capacity", from: 2, to: 5 }]);

    const replaced = decideCreateEvent(existing, create("replace"), [], NOW, sequentialIds()).result;
    expect(replaced).toMatchObject({ created: false, event: { name: "New", capacity: 5, held: 1, priceMinor: 0, venue: null, holdSeconds: 600 } });
    expect(replaced.changes).toEqual([
      { field: "name", from: "Old", to: "New" }, { field: "venue", from: "Old Hall", to: null }, { field: "capacity", from: 2, to: 5 },
      { field: "price", from: "89.00", to: "0.00" }, { field: "holdSeconds", from: 900, to: 600 },
    ]);

    expect(decideCreateEvent(existing, create("if-absent"), [], NOW, sequentialIds())).toEqual({ changes: [], result: { event: existing, created: false, changes: [], leftWaitlist: [] } });
  });

  it("an update lists every field it changed, tier by tier on an event with several, and logs them", () => {
    const gala = event({}, [tier({ name: "VIP", capacity: 2, priceMinor: 12_000, held: 0, sold: 0 }), tier({ name: "GA", capacity: 5, priceMinor: 4500, held: 0, sold: 0 })]);
    const update = (patch: EventPatch) => decideUpdateEvent(gala, { id: "evt_1", actor: "a", patch }, [], NOW, sequentialIds());
    const { changes, result } = update({ tiers: [{ name: "VIP", capacity: 3, price: "150.00" }, { name: "Balcony", capacity: 4, price: "20" }], startsAt: Date.parse("2030-06-01T20:00Z") });
    expect(result.changes).toEqual([
      { field: "startsAt", from: null, to: "2030-06-01T20:00:00.000Z" },
      { field: "capacity", from: 7, to: 12 },
      { field: "capacity", tier: "VIP", from: 2, to: 3 },
      { field: "price", tier: "VIP", from: "120.00", to: "150.00" },
      { field: "tier", tier: "Balcony", from: null, to: "Balcony:4:20.00" },
    ]);
    expect(changes.find((change) => change.type === "appendLog")).toMatchObject({ entry: { action: "event.updated", details: { changes: result.changes } } });
    expect(update({ tiers: [{ name: "GA", capacity: 5, price: "45.00" }] }).result.changes).toEqual([]);
  });

  it("checks a --capacity given with --tier against the sum the update makes, a tier named in another case being that tier", () => {
    const single = event({}, [tier({ name: "GA", capacity: 5, priceMinor: 0, held: 0, sold: 0 })]);
    const update = (patch: EventPatch) => () => decideUpdateEvent(single, { id: "evt_1", actor: "a", patch }, [], NOW, sequentialIds());
    // Before: `ga` was summed as a tier of its own beside GA (15), and the true sum refused.
    expect(update({ tiers: [{ name: "ga", capacity: 10, price: "" }], capacity: 10 })().result.event.tiers.map((t) => [t.name, t.capacity])).toEqual([["GA", 10]]);
    expect(messageOf(update({ tiers: [{ name: "ga", capacity: 10, price: "" }], capacity: 15 }))).toBe("capacity: 15 is not the sum of the tiers' capacities (10); leave it out");
    expect(messageOf(update({ tiers: [{ name: "B", capacity: 5, price: "" }], capacity: 9 }))).toBe("capacity: 9 is not the sum of the tiers' capacities (10, with GA (5), not given, kept as it is); leave it out");
  });

  it("never lets capacity drop below held + sold", () => {
    const busy = event({}, [tier({ name: "GA", capacity: 5, priceMinor: 1, held: 1, sold: 1 })]);
    const update = (capacity: number) => ({ id: "evt_1", actor: "a", patch: { capacity } });
    expect(codeOf(() => decideUpdateEvent(busy, update(1), [], NOW, sequentialIds()))).toBe("CAPACITY_BELOW_COMMITTED");
    expect(decideUpdateEvent(busy, update(2), [], NOW, sequentialIds()).result.event.capacity).toBe(2);
    expect(codeOf(() => decideUpdateEvent(undefined, { id: "evt_x", actor: "a", patch: {} }, [], NOW, sequentialIds()))).toBe("EVENT_NOT_FOUND");
  });

  it("prices an update in the event's own currency and refuses to change it", () => {
    const yen = event({ currency: "JPY" });
    const update = (patch: object) => ({ id: "evt_1", actor: "a", patch });
    expect(decideUpdateEvent(yen, update({ price: "1500" }), [], NOW, sequentialIds()).result.event.priceMinor).toBe(1500);
    expect(codeOf(() => decideUpdateEvent(yen, update({ price: "15.50" }), [], NOW, sequentialIds()))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decideUpdateEvent(yen, update({ currency: "USD" }), [], NOW, sequentialIds()))).toBe("INVALID_ARGUMENT");
  });
});
