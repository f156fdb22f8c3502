import { describe, expect, it } from "vitest";
import {
  buildReport,
  tierTotalsOf,
  decideCancel,
  decideCheckIn,
  decidePurchase,
  decideExpiry,
  decideJoinWaitlist,
  decideReserve,
  decideUpdateEvent,
  promoteWaiting,
  plainChanges,
  type Change,
  type DecidedChange,
} from "../../../src/core/index.js";
import { NOW, codeOf, event, messageOf, sequentialIds, ticket, tier, waiting } from "../../helpers/core-fixtures.js";

const gala = (vip = tier({ name: "VIP", capacity: 2, priceMinor: 12_000 }), ga = tier({ name: "GA", capacity: 5 })) => event({ id: "evt_1" }, [vip, ga]);
const standing = { liveHolds: 0, committed: 0 };
const reserveSnapshot = (ev = gala()) => ({ event: ev, keyRecord: undefined, keyTickets: [], standing, waitlistEntry: undefined });
const saved = (changes: readonly DecidedChange[], type: Change["type"]) => plainChanges(changes).filter((change) => change.type === type);

describe("tiers", () => {
  it("keep the event's totals as their sums, and price tickets per tier", () => {
    const ev = gala();
    expect(ev).toMatchObject({ capacity: 7, held: 0, sold: 0, priceMinor: 4500 });
    const { result, changes } = decideReserve(reserveSnapshot(), { eventId: "evt_1", userId: "a", key: "k", tier: "VIP", quantity: 1 }, NOW, sequentialIds());
    expect(result.tickets[0]).toMatchObject({ tier: "VIP", priceMinor: 12_000 });
    expect(saved(changes, "saveEvent")[0]).toMatchObject({ event: { held: 1, tiers: [{ name: "VIP", held: 1 }, { name: "GA", held: 0 }] } });
  });

  it("need a tier named when there are several, and refuse unknown ones", () => {
    const base = { eventId: "evt_1", userId: "a", key: "k", quantity: 1 };
    expect(codeOf(() => decideReserve(reserveSnapshot(), base, NOW, sequentialIds()))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decideReserve(reserveSnapshot(), { ...base, tier: "Balcony" }, NOW, sequentialIds()))).toBe("INVALID_ARGUMENT");
  });

  it("sell out one by one: a full tier is SOLD_OUT while another still has places", () => {
    const ev = gala(tier({ name: "VIP", capacity: 2, held: 1, sold: 1 }));
    expect(codeOf(() => decideReserve(reserveSnapshot(ev), { eventId: "evt_1", userId: "a", key: "k", tier: "VIP", quantity: 1 }, NOW, sequentialIds()))).toBe("SOLD_OUT");
    expect(decideReserve(reserveSnapshot(ev), { eventId: "evt_1", userId: "a", key: "k", tier: "GA", quantity: 1 }, NOW, sequentialIds()).result.tickets).toHaveLength(1);
  });

  it("change one at a time on update, never below what is committed", () => {
    const ev = gala(tier({ name: "VIP", capacity: 2, held: 1, sold: 1 }));
    const update = (patch: object) => decideUpdateEvent(ev, { id: "evt_1", actor: "a", patch }, [], NOW, sequentialIds());
    expect(update({ tiers: [{ name: "VIP", capacity: 4, price: "150.00" }] }).result.event).toMatchObject({ capacity: 9, tiers: [{ name: "VIP", capacity: 4, priceMinor: 15_000 }, { name: "GA" }] });
    expect(update({ tiers: [{ name: "Balcony", capacity: 3, price: "20" }] }).result.event.tiers.map((t) => t.name)).toEqual(["VIP", "GA", "Balcony"]);
    expect(codeOf(() => update({ tiers: [{ name: "VIP", capacity: 1, price: "1" }] }))).toBe("CAPACITY_BELOW_COMMITTED");
    expect(codeOf(() => update({ capacity: 10 }))).toBe("INVALID_ARGUMENT");
  });

  it("an update that changes nothing writes nothing: no log entry, no new updatedAt", () => {
    const ev = gala(tier({ name: "VIP", capacity: 2, held: 1, sold: 1 }));
    const same = decideUpdateEvent(ev, { id: "evt_1", actor: "a", patch: { name: ev.name, holdSeconds: ev.holdSeconds } }, [], NOW + 60_000, sequentialIds());
    expect(same.changes).toEqual([]);
    expect(same.result).toEqual({ event: ev, changes: [], leftWaitlist: [] });
    const renamed = decideUpdateEvent(ev, { id: "evt_1", actor: "a", patch: { name: "Renamed" } }, [], NOW + 60_000, sequentialIds());
    expect(renamed.changes.map((change) => change.type)).toEqual(["saveEvent", "appendLog"]);
    expect(renamed.result.event.updatedAt).toBe(NOW + 60_000);
  });
});

describe("orders", () => {
  it("hold N tickets at once, all or none, as one order bound to the key", () => {
    const { result, changes } = decideReserve(reserveSnapshot(event()), { eventId: "evt_1", userId: "a", key: "k", quantity: 2 }, NOW, sequentialIds());
    expect(result.tickets.map((t) => t.orderId)).toEqual(["ord_new1", "ord_new1"]);
    expect(saved(changes, "bindKey")).toEqual([{ type: "bindKey", record: expect.objectContaining({ orderId: "ord_new1", ticketId: "tkt_new1" }) }]);
    expect(codeOf(() => decideReserve(reserveSnapshot(event()), { eventId: "evt_1", userId: "a", key: "k", quantity: 3 }, NOW, sequentialIds()))).toBe("SOLD_OUT");
    // Counted in words that fit the count: "only 1 ticket left", not "1 tickets".
    const one = event({ limitPerUser: 5 }, [tier({ capacity: 2, held: 1 })]);
    expect(() => decideReserve(reserveSnapshot(one), { eventId: "evt_1", userId: "a", key: "k", quantity: 2 }, NOW, sequentialIds())).toThrow("event evt_1 has only 1 ticket left");
  });

  it("cancel together: every live ticket of the order", () => {
    const ev = event({}, [tier({ capacity: 2, held: 2 })]);
    const order = [ticket({ id: "t1" }), ticket({ id: "t2" })];
    const { result } = decideCancel({ tickets: order, event: ev, waiting: [] }, { targetId: "ord_1", userId: "alice" }, NOW, sequentialIds());
    expect(result.map((t) => t.status)).toEqual(["cancelled", "cancelled"]);
  });
});

describe("per-user limit", () => {
  const limited = event({ limitPerUser: 3 }, [tier({ capacity: 10 })]);
  const reserve = (committed: number, liveHolds: number, quantity: number) => () =>
    decideReserve({ ...reserveSnapshot(limited), standing: { liveHolds, committed } }, { eventId: "evt_1", userId: "a", key: "k", quantity }, NOW, sequentialIds());

  it("counts held and purchased tickets, replacing the one-hold rule", () => {
    expect(reserve(1, 1, 2)().result.tickets).toHaveLength(2);
    expect(codeOf(reserve(2, 1, 2))).toBe("LIMIT_EXCEEDED");
    expect(codeOf(reserve(3, 0, 1))).toBe("LIMIT_EXCEEDED");
  });

  it("says the limit in words: 1 ticket, 3 tickets", () => {
    expect(messageOf(reserve(3, 0, 1))).toBe("event evt_1 allows 3 tickets per user; user a has 3 and asked for 1 more");
    const one = event({ limitPerUser: 1 }, [tier({ capacity: 10 })]);
    const refused = () => decideReserve({ ...reserveSnapshot(one), standing: { liveHolds: 0, committed: 1 } }, { eventId: "evt_1", userId: "a", key: "k", quantity: 1 }, NOW, sequentialIds());
    expect(messageOf(refused)).toBe("event evt_1 allows 1 ticket per user; user a has 1 and asked for 1 more");
  });
});

describe("waiting list", () => {
  const full = event({}, [tier({ capacity: 1, held: 1 })]);

  it("gives a released place to the first waiting user, with the normal hold time", () => {
    const { changes, result } = decideCancel({ tickets: [ticket()], event: full, waiting: [waiting("bob"), waiting("carol")] }, { targetId: "tkt_1", userId: "alice" }, NOW, sequentialIds());
    expect(result[0]!.status).toBe("cancelled");
    const holds = saved(changes, "saveTicket").map((change) => (change as { ticket: { userId: string; status: string; expiresAt: number } }).ticket);
    expect(holds).toContainEqual(expect.objectContaining({ userId: "bob", status: "reserved", expiresAt: NOW + 600_000 }));
    expect(holds.some((hold) => hold.userId === "carol")).toBe(false);
    expect(changes).toContainEqual({ type: "removeWaitlistEntry", eventId: "evt_1", userId: "bob" });
    expect(changes.at(-1)).toMatchObject({ type: "saveEvent" });
  });

  it("promotes when holds expire and when capacity is raised", () => {
    const expiry = decideExpiry([ticket()], new Map([["evt_1", full]]), new Map([["evt_1", [waiting("bob")]]]), NOW + 600_000, sequentialIds());
    expect(expiry).toContainEqual({ type: "removeWaitlistEntry", eventId: "evt_1", userId: "bob" });
    const raised = decideUpdateEvent(full, { id: "evt_1", actor: "a", patch: { capacity: 3 } }, [waiting("bob"), waiting("carol"), waiting("dan")].map((entry) => ({ ...entry, standing })), NOW, sequentialIds());
    expect(raised.result.event).toMatchObject({ held: 3, capacity: 3 });
  });

  it("holds a free place at once for a user who joins, and queues otherwise", () => {
    const base = { entry: undefined, standing, waiting: [] };
    const free = decideJoinWaitlist({ ...base, event: event() }, { eventId: "evt_1", userId: "bob" }, NOW, sequentialIds());
    expect(free.result.ticket).toMatchObject({ userId: "bob", status: "reserved" });
    const queued = decideJoinWaitlist({ ...base, event: full }, { eventId: "evt_1", userId: "bob" }, NOW, sequentialIds());
    expect(queued.result).toMatchObject({ joined: true, ticket: undefined, entry: { userId: "bob", tier: "GA" } });
    const again = decideJoinWaitlist({ ...base, event: full, entry: waiting("bob") }, { eventId: "evt_1", userId: "bob" }, NOW, sequentialIds());
    expect(again).toMatchObject({ changes: [], result: { joined: false } });
    expect(codeOf(() => decideJoinWaitlist({ ...base, event: full, standing: { liveHolds: 1, committed: 1 } }, { eventId: "evt_1", userId: "bob" }, NOW, sequentialIds()))).toBe("DUPLICATE_RESERVATION");
  });

  it("refuses a join for another tier than the one the user waits for, instead of answering as if it had joined it", () => {
    const ev = event({}, [tier({ name: "VIP", capacity: 1, held: 0 }), tier({ name: "GA", capacity: 1, held: 1 })]);
    const base = { standing, waiting: [waiting("bob")], entry: waiting("bob") };
    expect(() => decideJoinWaitlist({ ...base, event: ev }, { eventId: "evt_1", userId: "bob", tier: "VIP" }, NOW, sequentialIds()))
      .toThrow("tier: user bob is already waiting for tier GA of event evt_1 (one place in line per event); leave the waiting list first to wait for VIP");
    expect(decideJoinWaitlist({ ...base, event: ev }, { eventId: "evt_1", userId: "bob", tier: "GA" }, NOW, sequentialIds())).toMatchObject({ changes: [], result: { joined: false } });
  });

  it("takes off the line, without a promotion, waiting users a changed per-user limit no longer admits", () => {
    // VIP and GA both held; alice holds VIP and waits for GA under a limit of 2.
    const ev = event({ limitPerUser: 2 }, [tier({ name: "VIP", capacity: 1, held: 1 }), tier({ name: "GA", capacity: 1, held: 1 })]);
    const alice = { ...waiting("alice"), standing: { liveHolds: 1, committed: 1 } };
    const bob = { ...waiting("bob", { joinedAt: NOW }), standing: { liveHolds: 0, committed: 0 } };
    for (const patch of [{ limitPerUser: null }, { limitPerUser: 1 }]) {
      const { changes } = decideUpdateEvent(ev, { id: "evt_1", actor: "a", patch: { ...patch, capacity: undefined, tiers: [{ name: "GA", capacity: 2, price: "1" }] } }, [alice, bob], NOW, sequentialIds());
      expect(changes).toContainEqual({ type: "removeWaitlistEntry", eventId: "evt_1", userId: "alice" });
      const holders = changes.flatMap((change) => (change.type === "saveTicket" ? [change.ticket.userId] : []));
      expect(holders).toEqual(["bob"]);
    }
    const same = decideUpdateEvent(ev, { id: "evt_1", actor: "a", patch: { tiers: [{ name: "GA", capacity: 2, price: "1" }] } }, [alice, bob], NOW, sequentialIds());
    expect(same.changes.flatMap((change) => (change.type === "saveTicket" ? [change.ticket.userId] : []))).toEqual(["alice"]);
  });

  it("takes off the line those waiting for a tier whose access code is set or changed: a promotion held them a place the code guards, joined without it", () => {
    const ev = event({}, [tier({ name: "VIP", capacity: 1, held: 1, accessCode: "OLD" }), tier({ name: "GA", capacity: 1, held: 1 })]);
    const line = [waiting("bob", { tier: "GA" }), waiting("carol", { tier: "VIP" }), waiting("dan", { tier: "GA" })].map((entry) => ({ ...entry, standing }));
    const update = (tiers: { name: string; capacity?: number; price: string; code?: string | null }[]) =>
      decideUpdateEvent(ev, { id: "evt_1", actor: "a", patch: { tiers } }, line, NOW, sequentialIds());
    const holders = (changes: readonly DecidedChange[]) => plainChanges(changes).flatMap((change) => (change.type === "saveTicket" ? [change.ticket.userId] : []));
    // A code set on GA, with a place freed there: bob and dan leave; nobody is given GA's place; VIP's line stays.
    const guarded = update([{ name: "GA", capacity: 2, price: "", code: "FANS" }]);
    expect(guarded.result.leftWaitlist).toEqual([{ userId: "bob", tier: "GA", reason: "access code changed" }, { userId: "dan", tier: "GA", reason: "access code changed" }]);
    expect(holders(guarded.changes)).toEqual([]);
    expect(guarded.changes).toContainEqual(expect.objectContaining({ type: "appendLog", entry: expect.objectContaining({ action: "waitlist.left", actor: "system", details: { userId: "bob", tier: "GA", reason: "access code changed" } }) }));
    // VIP's code changed: carol leaves; the same code again (any case), a code removed, or a code left out keeps everyone.
    expect(update([{ name: "VIP", price: "", code: "NEW" }]).result.leftWaitlist).toEqual([{ userId: "carol", tier: "VIP", reason: "access code changed" }]);
    for (const kept of [{ name: "VIP", price: "", code: "OLD" }, { name: "VIP", price: "", code: null }, { name: "VIP", capacity: 2, price: "" }]) {
      const { result, changes } = update([kept]);
      expect(result.leftWaitlist).toEqual([]);
      if ("capacity" in kept) expect(holders(changes)).toEqual(["carol"]);
    }
  });

  it("never stamps a join before those already waiting when the clock stepped back (SQLite and PostgreSQL, which order the line by joinedAt, put the later user first; memory did not)", () => {
    const line = [waiting("bob", { joinedAt: NOW + 5000 }), waiting("carol", { joinedAt: NOW - 1000 })];
    const joined = decideJoinWaitlist({ event: full, entry: undefined, standing, waiting: line }, { eventId: "evt_1", userId: "dan" }, NOW, sequentialIds());
    expect(joined.result.entry.joinedAt).toBe(NOW + 5000);
    expect(joined.changes).toContainEqual({ type: "saveWaitlistEntry", entry: { eventId: "evt_1", userId: "dan", tier: "GA", joinedAt: NOW + 5000 } });
    // A clock that runs forwards is taken as it is; a promotion in the same moment waited no negative time.
    const later = decideJoinWaitlist({ event: full, entry: undefined, standing, waiting: line }, { eventId: "evt_1", userId: "dan" }, NOW + 9000, sequentialIds());
    expect(later.result.entry.joinedAt).toBe(NOW + 9000);
    const { changes } = promoteWaiting(event(), [waiting("bob", { joinedAt: NOW + 5000 })], NOW, sequentialIds());
    expect(changes).toContainEqual(expect.objectContaining({ type: "appendLog", entry: expect.objectContaining({ action: "waitlist.promoted", details: expect.objectContaining({ userId: "bob", waitedMs: 0 }) }) }));
  });

  it("skips users waiting for a tier that has no place", () => {
    const ev = event({}, [tier({ name: "VIP", capacity: 1, held: 1 }), tier({ name: "GA", capacity: 1 })]);
    const { promoted } = promoteWaiting(ev, [waiting("bob", { tier: "VIP" }), waiting("carol", { tier: "GA" })], NOW, sequentialIds());
    expect(promoted.map((hold) => hold.userId)).toEqual(["carol"]);
  });
});

describe("check-in", () => {
  it("marks a purchased ticket once", () => {
    const bought = ticket({ status: "purchased", purchasedAt: NOW });
    const { result } = decideCheckIn({ ticket: bought }, { ticketId: "tkt_1", actor: "door" }, NOW + 5);
    expect(result.checkedInAt).toBe(NOW + 5);
    expect(codeOf(() => decideCheckIn({ ticket: result }, { ticketId: "tkt_1", actor: "door" }, NOW))).toBe("ALREADY_CHECKED_IN");
    expect(codeOf(() => decideCheckIn({ ticket: ticket() }, { ticketId: "tkt_1", actor: "door" }, NOW))).toBe("TICKET_NOT_PURCHASED");
    expect(codeOf(() => decideCheckIn({ ticket: undefined }, { ticketId: "tkt_x", actor: "door" }, NOW))).toBe("TICKET_NOT_FOUND");
  });
});

describe("a clock stepped back", () => {
  it("never makes a ticket's times run backwards: each step is at least the step before (it stored purchasedAt before reservedAt)", () => {
    const ev = gala(tier({ name: "VIP", capacity: 2, held: 1 }));
    const hold = ticket({ tier: "VIP", reservedAt: NOW, expiresAt: NOW + 600_000 });
    const bought = decidePurchase({ tickets: [hold], event: ev }, { targetId: "tkt_1", userId: "alice", card: "4242424242424242" }, NOW - 5000);
    expect(bought.result.tickets[0]).toMatchObject({ status: "purchased", reservedAt: NOW, purchasedAt: NOW });
    const sold = gala(tier({ name: "VIP", capacity: 2, sold: 1 }));
    const paid = ticket({ tier: "VIP", status: "purchased", reservedAt: NOW - 9000, purchasedAt: NOW });
    expect(decideCheckIn({ ticket: paid }, { ticketId: "tkt_1", actor: "door" }, NOW - 1000).result.checkedInAt).toBe(NOW);
    const refunded = decideCancel({ tickets: [paid], event: sold, waiting: [] }, { targetId: "tkt_1", userId: "alice" }, NOW - 1000, sequentialIds());
    expect(refunded.result[0]).toMatchObject({ status: "cancelled", cancelledAt: NOW });
    const released = decideCancel({ tickets: [hold], event: ev, waiting: [] }, { targetId: "tkt_1", userId: "alice" }, NOW - 1000, sequentialIds());
    expect(released.result[0]).toMatchObject({ status: "cancelled", cancelledAt: NOW });
    // A clock that runs forwards is taken as it is; the log keeps the clock's reading either way.
    expect(decideCheckIn({ ticket: paid }, { ticketId: "tkt_1", actor: "door" }, NOW + 7).result.checkedInAt).toBe(NOW + 7);
    expect(saved(bought.changes, "appendLog").map((entry) => (entry as { entry: { at: number } }).entry.at)).toEqual([NOW - 5000]);
  });
});

describe("report", () => {
  it("sums revenue, refunds and check-ins per tier", () => {
    const ev = gala(tier({ name: "VIP", capacity: 2, priceMinor: 12_000, sold: 1 }), tier({ name: "GA", capacity: 5, held: 1 }));
    const tickets = [
      ticket({ id: "a", tier: "VIP", priceMinor: 12_000, status: "purchased", purchasedAt: NOW, checkedInAt: NOW }),
      ticket({ id: "b", tier: "GA", status: "cancelled", purchasedAt: NOW, cancelledAt: NOW }),
      ticket({ id: "c", tier: "GA" }),
    ];
    const report = buildReport(ev, tierTotalsOf(tickets));
    expect(report.tiers[0]).toMatchObject({ tier: "VIP", sold: 1, revenue: "120.00", checkedIn: 1, refunds: 0 });
    expect(report.tiers[1]).toMatchObject({ tier: "GA", held: 1, revenue: "0.00", refunds: 1, refunded: "45.00" });
    expect(report.total).toMatchObject({ capacity: 7, sold: 1, held: 1, available: 5, revenueMinor: 12_000, refundedMinor: 4500 });
  });

  it("sums money exactly past 2^53 minor units (905,001 tickets at 99,999,999.99 drifted by whole dollars as numbers)", () => {
    const price = 9_999_999_999;
    const count = 905_001;
    const ev = event({ id: "evt_big" }, [tier({ name: "GA", capacity: 1_000_000, priceMinor: price, sold: count })]);
    const bought = ticket({ id: "a", priceMinor: price, status: "purchased", purchasedAt: NOW });
    const refunded = ticket({ id: "b", priceMinor: price, status: "cancelled", purchasedAt: NOW, cancelledAt: NOW });
    const totals = tierTotalsOf([...Array.from({ length: count }, () => bought), ...Array.from({ length: count }, () => refunded)]);
    const exact = (BigInt(count) * BigInt(price)).toString(); // 9050009999094999
    expect(totals[0]).toMatchObject({ revenueMinor: BigInt(exact), refundedMinor: BigInt(exact) });
    const report = buildReport(ev, totals);
    const text = `${exact.slice(0, -2)}.${exact.slice(-2)}`;
    expect(report.total).toMatchObject({ revenue: text, refunded: text });
    expect(report.tiers[0]).toMatchObject({ revenue: text, refunded: text });
  });
});
