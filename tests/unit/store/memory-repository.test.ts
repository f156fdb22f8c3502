import { describe, expect, it } from "vitest";
import { SeatIndex, compileSeatMap, parseSeatSpecs, reservationChanges, type Change, type EventRecord, type ReserveChange, type TicketRecord } from "../../../src/core/index.js";
import { MemoryRepository } from "../../../src/store/memory/memory-repository.js";

const event: EventRecord = {
  id: "evt_a", name: "A", venue: null, startsAt: null, capacity: 10, held: 0, sold: 0,
  tiers: [{ name: "GA", capacity: 10, priceMinor: 100, held: 0, sold: 0, salesStart: null, salesEnd: null, accessCode: null }], holdSeconds: 60, priceMinor: 100,
  currency: "EUR", limitPerUser: null, seatMap: null, salesStart: null, salesEnd: null, createdAt: 0, updatedAt: 0,
};
const hold = (id: string, userId: string, orderId = `ord_${id}`): TicketRecord => ({
  id, eventId: event.id, tier: "GA", orderId, userId, status: "reserved", reservedAt: 1, expiresAt: 1000, purchasedAt: null,
  cancelledAt: null, checkedInAt: null, priceMinor: 100, currency: "EUR", cardLast4: null, seat: null, voucher: null, discountMinor: 0,
});
const reserveChanges = (ticket: TicketRecord, held: number): Change[] => [
  { type: "saveTicket", ticket },
  { type: "appendLog", entry: { at: 1, actor: ticket.userId, action: "ticket.reserved", eventId: event.id, ticketId: ticket.id, orderId: ticket.orderId, details: {} } },
  { type: "saveEvent", event: { ...event, held } },
  { type: "bindKey", record: { userId: ticket.userId, key: "k", request: "r", ticketId: ticket.id, orderId: ticket.orderId, createdAt: 1 } },
];

/** Everything a reader can see, to compare before and after an undone transaction. */
function state(repository: MemoryRepository) {
  return {
    events: repository.listEvents(),
    eventIds: repository.listEventIds("evt_", 10),
    tickets: repository.listTickets({}),
    byUser: repository.listTickets({ userId: "ann" }),
    order: repository.findOrder("ord_1"),
    key: repository.findKey("bob", "k"),
    standing: [repository.userStanding("ann", event.id), repository.userStanding("bob", event.id)],
    log: repository.listLog({}),
    due: repository.mayHaveDueHolds(2000),
  };
}

describe("the memory store's transactions", () => {
  it("undo every write of a transaction that throws, newest first: records, indexes, standings, log, keys", () => {
    const repository = new MemoryRepository();
    repository.transaction(() => repository.apply([{ type: "saveEvent", event }, ...reserveChanges(hold("tkt_1", "ann", "ord_1"), 1)]));
    const before = state(repository);
    expect(before.standing).toEqual([{ liveHolds: 1, committed: 1 }, { liveHolds: 0, committed: 0 }]);

    expect(() => repository.transaction(() => {
      // A purchase of ann's hold, bob's new hold, then a failure: all of it is undone.
      repository.apply([{ type: "saveTicket", ticket: { ...hold("tkt_1", "ann", "ord_1"), status: "purchased", purchasedAt: 2 } }]);
      repository.apply(reserveChanges(hold("tkt_2", "bob"), 2));
      // A new event, found by its id's prefix until the undo.
      repository.apply([{ type: "saveEvent", event: { ...event, id: "evt_0_new" } }]);
      expect(repository.listEventIds("evt_", 10)).toEqual(["evt_0_new", "evt_a"]);
      expect(repository.userStanding("ann", event.id)).toEqual({ liveHolds: 0, committed: 1 });
      expect(repository.userStanding("bob", event.id)).toEqual({ liveHolds: 1, committed: 1 });
      throw new Error("refused");
    })).toThrow("refused");
    expect(state(repository)).toEqual(before);
    expect(repository.findTicket("tkt_2")).toBeUndefined();
  });

  it("undo the release of due holds: they are due again", () => {
    const repository = new MemoryRepository();
    repository.transaction(() => repository.apply([{ type: "saveEvent", event }, ...reserveChanges(hold("tkt_1", "ann", "ord_1"), 1)]));
    expect(() => repository.transaction(() => {
      expect(repository.findDueHolds(2000).map((ticket) => ticket.id)).toEqual(["tkt_1"]);
      expect(repository.mayHaveDueHolds(2000)).toBe(false);
      throw new Error("refused");
    })).toThrow("refused");
    expect(repository.transaction(() => repository.findDueHolds(2000)).map((ticket) => ticket.id)).toEqual(["tkt_1"]);
  });

  it("undo a write of seats: the seats before it, or none", () => {
    const repository = new MemoryRepository();
    const seated = { ...event, seatMap: "{}" };
    const first = SeatIndex.open(compileSeatMap(parseSeatSpecs(["HALL:A:1-4"])));
    const second = SeatIndex.open(compileSeatMap(parseSeatSpecs(["HALL:A:1-6"])));
    expect(() => repository.transaction(() => {
      repository.apply([{ type: "saveEvent", event: seated }, { type: "saveSeats", eventId: event.id, seats: first }]);
      throw new Error("refused");
    })).toThrow("refused");
    expect(repository.findEvent(event.id)).toBeUndefined();
    expect(repository.findSeats(seated)).toBeUndefined();

    repository.transaction(() => repository.apply([{ type: "saveEvent", event: seated }, { type: "saveSeats", eventId: event.id, seats: first }]));
    expect(() => repository.transaction(() => {
      repository.apply([{ type: "saveSeats", eventId: event.id, seats: second }]);
      expect(repository.findSeats(seated)).toBe(second);
      throw new Error("refused");
    })).toThrow("refused");
    expect(repository.findSeats(seated)).toBe(first);
  });

  it("keep an order's tickets in creation order through a move to another order and back, and its undo (as SQLite's rowid)", () => {
    const repository = new MemoryRepository();
    const [a, b, c] = [hold("tkt_a", "ann", "ord_1"), hold("tkt_b", "ann", "ord_1"), hold("tkt_c", "ann", "ord_1")];
    repository.transaction(() => repository.apply([{ type: "saveEvent", event }, ...[a, b, c].map((ticket): Change => ({ type: "saveTicket", ticket }))]));
    const ids = (orderId: string) => repository.findOrder(orderId).map((ticket) => ticket.id);
    const moved = { ...b, userId: "bob", orderId: "ord_2" };

    expect(() => repository.transaction(() => {
      repository.apply([{ type: "saveTicket", ticket: moved }]);
      expect(ids("ord_1")).toEqual(["tkt_a", "tkt_c"]);
      throw new Error("refused");
    })).toThrow("refused");
    expect(ids("ord_1")).toEqual(["tkt_a", "tkt_b", "tkt_c"]);
    expect(ids("ord_2")).toEqual([]);

    repository.transaction(() => repository.apply([{ type: "saveTicket", ticket: moved }]));
    expect(ids("ord_2")).toEqual(["tkt_b"]);
    repository.transaction(() => repository.apply([{ type: "saveTicket", ticket: b }]));
    expect(ids("ord_1")).toEqual(["tkt_a", "tkt_b", "tkt_c"]);
    expect(repository.listTickets({ userId: "bob" })).toEqual([]);
  });

  it("read a reservation's log entry and key binding back as given, kept as its ticket's row or not, and undo them", () => {
    const repository = new MemoryRepository();
    const reserved = (ticket: TicketRecord, key: string, details: Record<string, unknown>): Change[] => [
      { type: "saveTicket", ticket },
      { type: "appendLog", entry: { at: ticket.reservedAt, actor: ticket.userId, action: "ticket.reserved", eventId: event.id, ticketId: ticket.id, orderId: ticket.orderId, details } },
      { type: "bindKey", record: { userId: ticket.userId, key, request: "r", ticketId: ticket.id, orderId: ticket.orderId, createdAt: ticket.reservedAt } },
    ];
    const seated = { ...hold("tkt_s", "cy"), seat: "Stalls:A1" };
    repository.transaction(() => repository.apply([
      { type: "saveEvent", event },
      ...reserved(hold("tkt_1", "ann"), "k", { tier: "GA", key: "k" }), // as the core writes it
      ...reserved(hold("tkt_2", "bob"), "k", { key: "k", tier: "GA" }), // not: another order of details
      ...reserved(seated, "s", { tier: "GA", seat: "Stalls:A1", key: "s" }),
    ]));
    const log = repository.listLog({});
    expect(log.map((entry) => JSON.stringify(entry.details))).toEqual(['{"tier":"GA","key":"k"}', '{"key":"k","tier":"GA"}', '{"tier":"GA","seat":"Stalls:A1","key":"s"}']);
    expect(log.map((entry) => [entry.seq, entry.at, entry.actor, entry.action, entry.ticketId, entry.orderId])).toEqual([
      [1, 1, "ann", "ticket.reserved", "tkt_1", "ord_tkt_1"], [2, 1, "bob", "ticket.reserved", "tkt_2", "ord_tkt_2"], [3, 1, "cy", "ticket.reserved", "tkt_s", "ord_tkt_s"],
    ]);
    expect(repository.findKey("ann", "k")).toEqual({ userId: "ann", key: "k", request: "r", ticketId: "tkt_1", orderId: "ord_tkt_1", createdAt: 1 });
    expect(repository.findKey("cy", "s")).toEqual({ userId: "cy", key: "s", request: "r", ticketId: "tkt_s", orderId: "ord_tkt_s", createdAt: 1 });
    expect(repository.findKey("ann", "other")).toBeUndefined();

    // A second key of ann's, then undone: her first binding stays as it was.
    expect(() => repository.transaction(() => {
      repository.apply(reserved(hold("tkt_3", "ann"), "k2", { tier: "GA", key: "k2" }));
      expect(repository.findKey("ann", "k2")?.ticketId).toBe("tkt_3");
      throw new Error("refused");
    })).toThrow("refused");
    expect(repository.findKey("ann", "k2")).toBeUndefined();
    expect(repository.findKey("ann", "k")?.ticketId).toBe("tkt_1");
    expect(repository.listLog({})).toHaveLength(3);
  });

  it("apply a reservation's record as the changes it stands for, and undo it alike", () => {
    const record = (tickets: TicketRecord[], key: string, held: number, leavesWaitlist: string | null = null): ReserveChange =>
      ({ type: "reserve", tickets, event: { ...event, held }, key, request: `r-${key}`, leavesWaitlist });
    const reservations = [
      record([hold("tkt_1", "ann", "ord_1"), hold("tkt_2", "ann", "ord_1")], "k", 2, "GA"), // an order of two, off the waiting list
      record([hold("tkt_3", "bob", "ord_3")], "k", 3),
      record([hold("tkt_4", "ann", "ord_4")], "k2", 4), // ann's second order
      record([{ ...hold("tkt_5", "bob", "ord_5"), seat: "Stalls:A1" }], "s", 5),
    ];
    const asRecords = new MemoryRepository();
    const asChanges = new MemoryRepository();
    for (const repository of [asRecords, asChanges]) {
      repository.transaction(() => repository.apply([{ type: "saveEvent", event }, { type: "saveWaitlistEntry", entry: { eventId: event.id, userId: "ann", tier: "GA", joinedAt: 0 } }]));
    }
    for (const reservation of reservations) {
      asRecords.transaction(() => asRecords.apply([reservation]));
      asChanges.transaction(() => asChanges.apply(reservationChanges(reservation)));
    }
    const seen = (repository: MemoryRepository) => ({
      ...state(repository), bob: repository.listTickets({ userId: "bob" }), orders: ["ord_1", "ord_3", "ord_4", "ord_5"].map((id) => repository.findOrder(id)),
      keys: [repository.findKey("ann", "k"), repository.findKey("ann", "k2"), repository.findKey("bob", "k"), repository.findKey("bob", "s")],
      waiting: repository.listWaitlist(event.id, 10),
    });
    const after = seen(asRecords);
    expect(after).toEqual(seen(asChanges));
    expect(after.log.map((entry) => [entry.ticketId, entry.details])).toEqual([
      ["tkt_1", { tier: "GA", key: "k" }], ["tkt_2", { tier: "GA", key: "k" }], [null, { tier: "GA", reason: "reserved" }], ["tkt_3", { tier: "GA", key: "k" }], ["tkt_4", { tier: "GA", key: "k2" }],
      ["tkt_5", { tier: "GA", seat: "Stalls:A1", key: "s" }],
    ]);
    expect(after.keys.map((key) => key && [key.ticketId, key.orderId, key.request])).toEqual([["tkt_1", "ord_1", "r-k"], ["tkt_4", "ord_4", "r-k2"], ["tkt_3", "ord_3", "r-k"], ["tkt_5", "ord_5", "r-s"]]);
    expect(after.waiting).toEqual([]);

    // Another of ann's orders and a new user's, then a failure: all of it undone.
    expect(() => asRecords.transaction(() => {
      asRecords.apply([record([hold("tkt_6", "ann", "ord_6")], "k3", 6), record([hold("tkt_7", "cy", "ord_7")], "k", 7)]);
      expect(asRecords.findKey("ann", "k3")?.ticketId).toBe("tkt_6");
      throw new Error("refused");
    })).toThrow("refused");
    expect(seen(asRecords)).toEqual(after);
    expect([asRecords.findKey("ann", "k3"), asRecords.findKey("cy", "k"), asRecords.findTicket("tkt_7")]).toEqual([undefined, undefined, undefined]);
  });

  it("keep a user's tickets, standing and binding through a transfer of their one ticket, a second ticket and undone creations", () => {
    const repository = new MemoryRepository();
    const reserved = (ticket: TicketRecord, key: string): Change[] => [
      { type: "saveTicket", ticket },
      { type: "appendLog", entry: { at: ticket.reservedAt, actor: ticket.userId, action: "ticket.reserved", eventId: event.id, ticketId: ticket.id, orderId: ticket.orderId, details: { tier: "GA", key } } },
      { type: "bindKey", record: { userId: ticket.userId, key, request: "r", ticketId: ticket.id, orderId: ticket.orderId, createdAt: ticket.reservedAt } },
    ];
    const ids = (userId: string) => repository.listTickets({ userId }).map((ticket) => ticket.id);
    repository.transaction(() => repository.apply([{ type: "saveEvent", event }, ...reserved(hold("tkt_1", "ann"), "k")]));
    expect([ids("ann"), repository.userStanding("ann", event.id), repository.userStanding("ann", "evt_other")]).toEqual([["tkt_1"], { liveHolds: 1, committed: 1 }, { liveHolds: 0, committed: 0 }]);

    // A new user's reservation undone: nothing of theirs is left.
    expect(() => repository.transaction(() => {
      repository.apply(reserved(hold("tkt_2", "bob"), "k"));
      expect(ids("bob")).toEqual(["tkt_2"]);
      throw new Error("refused");
    })).toThrow("refused");
    expect([ids("bob"), repository.findKey("bob", "k"), repository.userStanding("bob", event.id)]).toEqual([[], undefined, { liveHolds: 0, committed: 0 }]);

    // Purchased, then given to bob: ann keeps her binding and nothing else; bob owns it.
    const bought = { ...hold("tkt_1", "ann"), status: "purchased" as const, purchasedAt: 2 };
    repository.transaction(() => repository.apply([{ type: "saveTicket", ticket: bought }]));
    expect(repository.userStanding("ann", event.id)).toEqual({ liveHolds: 0, committed: 1 });
    repository.transaction(() => repository.apply([{ type: "saveTicket", ticket: { ...bought, userId: "bob", orderId: "ord_b" } }]));
    expect([ids("ann"), repository.userStanding("ann", event.id), repository.findKey("ann", "k")?.ticketId]).toEqual([[], { liveHolds: 0, committed: 0 }, "tkt_1"]);
    expect([ids("bob"), repository.userStanding("bob", event.id)]).toEqual([["tkt_1"], { liveHolds: 0, committed: 1 }]);

    // A second ticket of cy's, and its undo: the first, its standing and its binding stay.
    repository.transaction(() => repository.apply(reserved(hold("tkt_3", "cy"), "k")));
    expect(() => repository.transaction(() => {
      repository.apply(reserved({ ...hold("tkt_4", "cy"), status: "purchased" }, "k2"));
      expect([ids("cy"), repository.userStanding("cy", event.id)]).toEqual([["tkt_3", "tkt_4"], { liveHolds: 1, committed: 2 }]);
      throw new Error("refused");
    })).toThrow("refused");
    expect([ids("cy"), repository.userStanding("cy", event.id), repository.findKey("cy", "k")?.ticketId, repository.findKey("cy", "k2")]).toEqual([["tkt_3"], { liveHolds: 1, committed: 1 }, "tkt_3", undefined]);
  });

  it("index tickets and orders made with the store's own ids (written without a lookup) as any others", () => {
    const repository = new MemoryRepository();
    const orderId = repository.ids.order();
    const [a, b] = [repository.ids.ticket(), repository.ids.ticket()];
    const first = hold(a, "ann", orderId);
    repository.transaction(() => repository.apply([
      { type: "saveEvent", event },
      { type: "saveTicket", ticket: first },
      { type: "saveTicket", ticket: hold(b, "ann", orderId) },
      { type: "saveTicket", ticket: { ...first, status: "purchased", purchasedAt: 2 } }, // saved twice in one write
    ]));
    expect(repository.findOrder(orderId).map((ticket) => [ticket.id, ticket.status])).toEqual([[a, "purchased"], [b, "reserved"]]);
    expect(repository.listTickets({ userId: "ann" }).map((ticket) => ticket.id).sort()).toEqual([a, b].sort());
    expect(repository.userStanding("ann", event.id)).toEqual({ liveHolds: 1, committed: 2 });

    // An existing ticket moved to a new order of the store's.
    const moved = repository.ids.order();
    repository.transaction(() => repository.apply([{ type: "saveTicket", ticket: { ...hold(b, "ann", orderId), orderId: moved } }]));
    expect([repository.findOrder(orderId).map((ticket) => ticket.id), repository.findOrder(moved).map((ticket) => ticket.id)]).toEqual([[a], [b]]);
  });
});
