import { beforeEach, describe, expect, it } from "vitest";
import type { ManualClock, SeatMapView } from "../../src/core/index.js";
import type { Tix } from "../../src/app/open-tix.js";
import { rebuildCounts } from "../helpers/audit-rebuild.js";
import { expectCode } from "./store-contract.js";

const MINUTE = 60_000;

/** Each seat's state, by name: what a test compares. */
export function statesOf(view: SeatMapView): Record<string, string> {
  return Object.fromEntries(view.sections.flatMap((section) => section.rows.flatMap((row) => row.seats.map((seat) => [seat.seat, seat.state]))));
}

/**
 * Reserved seating, the same on every store: a seated event's capacity is its seats; best
 * available, named seats and a split hold exactly the seats the core chose; purchase, cancel,
 * refund and expiry move a seat's state; a replay returns the same seats; waiting users are given
 * seats; a new map keeps every seat held or sold; and a seat is never held or sold twice.
 */
export function seatingContract(current: () => { tix: Tix; clock: ManualClock }): void {
  describe("reserved seating", () => {
    let clock: ManualClock;
    let tix: Tix;
    // The store of the case, opened (and closed) by the store contract around it.
    beforeEach(() => ({ tix, clock } = current()));

    /** Two rows of 8 with an aisle after seat 4 (tier Stalls), and a box of 2 (tier VIP): 18 seats. */
    const HALL = ["Stalls:A-B:1-4|5-8", "Box@VIP:1:1-2"];
    const hall = async (fields: { limitPerUser?: number; hold?: string } = {}) =>
      (await tix.events.create({ id: "evt_hall", name: "Small Hall", seats: HALL, tiers: ["Stalls:30.00", "VIP:80.00"], hold: "10m", ...fields })).event;
    const states = async (userId?: string) => statesOf((await tix.events.seats({ eventId: "evt_hall", userId })).seats);
    const seatsOf = (tickets: ReadonlyArray<{ seat: string | null }>) => tickets.map((ticket) => ticket.seat);

    it("a seated event's capacity is its seats, each tier's its sections'; every seat starts free", async () => {
      const event = await hall();
      expect(event).toMatchObject({
        capacity: 18, available: 18, seated: true,
        tiers: [{ name: "Stalls", capacity: 16, price: "30.00" }, { name: "VIP", capacity: 2, price: "80.00" }],
      });
      const { seats } = await tix.events.seats({ eventId: "evt_hall" });
      expect(seats).toMatchObject({ capacity: 18, free: 18, held: 0, sold: 0, yours: 0 });
      expect(seats.sections.map((section) => [section.name, section.tier, section.rows.length])).toEqual([["Stalls", "Stalls", 2], ["Box", "VIP", 1]]);
      expect(seats.sections[0]!.rows[0]!.seats.map((seat) => seat.gapBefore)).toEqual([0, 0, 0, 0, 1, 0, 0, 0]);
      const plain = (await tix.events.create({ name: "Standing", capacity: 5 })).event;
      expect(plain.seated).toBe(false);
      await expectCode(tix.events.seats({ eventId: plain.id }), "SEAT_MAP_NOT_FOUND");
      await expectCode(tix.events.seats({ eventId: "evt_none" }), "EVENT_NOT_FOUND");
    });

    it("best available holds seats side by side, nearest the stage and the centre; the tickets show them", async () => {
      await hall({ limitPerUser: 4 });
      const first = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", tier: "Stalls", quantity: 2 });
      expect(seatsOf(first.tickets)).toEqual(["Stalls:A3", "Stalls:A4"]);
      expect(first).toMatchObject({ blocks: 1, replayed: false });
      expect(first.tickets.every((ticket) => ticket.tier === "Stalls" && ticket.price === "30.00" && ticket.status === "reserved")).toBe(true);
      const second = await tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", tier: "Stalls", quantity: 2 });
      expect(seatsOf(second.tickets)).toEqual(["Stalls:A5", "Stalls:A6"]);
      expect(await tix.events.get("evt_hall")).toMatchObject({ held: 4, tiers: [{ name: "Stalls", held: 4 }, { name: "VIP", held: 0 }] });
      expect(await states("alice")).toMatchObject({ "Stalls:A3": "yours", "Stalls:A4": "yours", "Stalls:A5": "held", "Stalls:A2": "free" });
      const { seats } = await tix.events.seats({ eventId: "evt_hall", userId: "alice" });
      expect(seats).toMatchObject({ free: 14, held: 2, sold: 0, yours: 2 });
      expect((await tix.tickets.get(first.ticket.id)).seat).toBe("Stalls:A3");
      const box = await tix.tickets.reserve({ eventId: "evt_hall", userId: "carol", key: "k1", tier: "VIP" });
      expect(seatsOf(box.tickets)).toEqual(["Box:1-1"]);
      expect(box.ticket.price).toBe("80.00");
    });

    it("named seats are held all or none: a taken one is SEAT_TAKEN and changes nothing", async () => {
      await hall({ limitPerUser: 4 });
      const alice = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: "A1,a2" });
      expect(seatsOf(alice.tickets)).toEqual(["Stalls:A1", "Stalls:A2"]);
      expect(alice.blocks).toBe(1);
      const before = await states();
      const taken = await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", seats: ["A2", "A3"] }), "SEAT_TAKEN");
      expect(taken.message).toContain("Stalls:A2");
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", seats: ["Z9"] }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", seats: ["A3", "stalls:a3"] }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", seats: ["A3"], tier: "VIP" }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", seats: ["A3"], quantity: 2 }), "INVALID_ARGUMENT");
      expect(await states()).toEqual(before);
      expect(await tix.tickets.list({ userId: "bob" })).toEqual([]);
      // A failure binds nothing: the key is free for bob's next request. Seats of two tiers, apart.
      const bob = await tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", seats: ["Box:1-2", "B8"] });
      expect(bob.tickets.map((ticket) => [ticket.seat, ticket.tier, ticket.price])).toEqual([["Stalls:B8", "Stalls", "30.00"], ["Box:1-2", "VIP", "80.00"]]);
      expect(bob.blocks).toBe(2);
      expect(await tix.events.get("evt_hall")).toMatchObject({ held: 4, tiers: [{ name: "Stalls", held: 3 }, { name: "VIP", held: 1 }] });
      const plain = (await tix.events.create({ name: "Standing", capacity: 5 })).event;
      await expectCode(tix.tickets.reserve({ eventId: plain.id, userId: "bob", key: "k2", seats: ["A1"] }), "INVALID_ARGUMENT");
    });

    it("splits an order only when asked: SOLD_OUT without, the fewest blocks with", async () => {
      await tix.events.create({ id: "evt_row", name: "One Row", seats: ["Hall:A:1-4"], limitPerUser: 9 });
      await tix.tickets.reserve({ eventId: "evt_row", userId: "bob", key: "k1", seats: ["A2"] });
      const refused = await expectCode(tix.tickets.reserve({ eventId: "evt_row", userId: "alice", key: "k1", quantity: 3 }), "SOLD_OUT");
      expect(refused.message).toContain("side by side");
      await expectCode(tix.tickets.reserve({ eventId: "evt_row", userId: "alice", key: "k1", quantity: 5, allowSplit: true }), "SOLD_OUT");
      const split = await tix.tickets.reserve({ eventId: "evt_row", userId: "alice", key: "k1", quantity: 3, allowSplit: true });
      expect(seatsOf(split.tickets)).toEqual(["Hall:A3", "Hall:A4", "Hall:A1"]);
      expect(split.blocks).toBe(2);
      await expectCode(tix.tickets.reserve({ eventId: "evt_row", userId: "carol", key: "k1", quantity: 1 }), "SOLD_OUT");
    });

    it("purchase sells the seats; cancel and refund free them, and best available offers them again", async () => {
      await hall({ limitPerUser: 4 });
      const order = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", tier: "VIP", quantity: 2 });
      await tix.tickets.purchase({ ticketId: order.orderId, userId: "alice" });
      expect(await states("bob")).toMatchObject({ "Box:1-1": "sold", "Box:1-2": "sold" });
      expect(await states("alice")).toMatchObject({ "Box:1-1": "yours", "Box:1-2": "yours" });
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", tier: "VIP" }), "SOLD_OUT");
      await tix.tickets.cancel({ ticketId: order.tickets[1]!.id, userId: "alice" }); // a refund
      expect(await states()).toMatchObject({ "Box:1-1": "sold", "Box:1-2": "free" });
      const bob = await tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", tier: "VIP" });
      expect(bob.ticket.seat).toBe("Box:1-2");
      await tix.tickets.cancel({ ticketId: bob.ticket.id, userId: "bob" }); // a released hold
      expect(await states()).toMatchObject({ "Box:1-2": "free" });
      const carol = await tix.tickets.reserve({ eventId: "evt_hall", userId: "carol", key: "k1", seats: ["Box:1-2"] });
      expect(carol.ticket.seat).toBe("Box:1-2");
      expect(await tix.events.get("evt_hall")).toMatchObject({ tiers: [{ name: "Stalls", held: 0, sold: 0 }, { name: "VIP", held: 1, sold: 1 }] });
    });

    it("an expired hold frees its seat, which is offered again", async () => {
      await hall();
      const alice = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: ["Box:1-1"] });
      clock.advance(10 * MINUTE);
      expect(await states()).toMatchObject({ "Box:1-1": "free" });
      expect((await tix.tickets.get(alice.ticket.id)).status).toBe("expired");
      const bob = await tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", tier: "VIP" });
      expect(bob.ticket.seat).toBe("Box:1-1");
      await expectCode(tix.tickets.purchase({ ticketId: alice.ticket.id, userId: "alice" }), "HOLD_EXPIRED");
    });

    it("a replay returns the same seats, whatever is best now; the seats asked for are part of the request", async () => {
      await hall({ limitPerUser: 6 });
      const named = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "named", seats: ["a1"] });
      const again = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "named", seats: ["Stalls:A1"] });
      expect(again).toMatchObject({ replayed: true, orderId: named.orderId, blocks: 1 });
      expect(seatsOf(again.tickets)).toEqual(["Stalls:A1"]);
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "named", seats: ["A2"] }), "IDEMPOTENCY_KEY_REUSED");
      const best = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "best", tier: "Stalls", quantity: 2 });
      expect(seatsOf(best.tickets)).toEqual(["Stalls:A3", "Stalls:A4"]);
      await tix.tickets.cancel({ ticketId: best.orderId, userId: "alice" });
      const replay = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "best", tier: "Stalls", quantity: 2 });
      expect(replay.replayed).toBe(true);
      expect(replay.tickets.map((ticket) => [ticket.seat, ticket.status])).toEqual([["Stalls:A3", "cancelled"], ["Stalls:A4", "cancelled"]]);
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "best", tier: "Stalls", quantity: 2, allowSplit: true }), "IDEMPOTENCY_KEY_REUSED");
    });

    it("a seat named without its section is found in the tier asked for; its replay is the same request as the full name", async () => {
      await tix.events.create({ id: "evt_rows", name: "Rows", seats: ["Stalls:A:1-4", "Circle@VIP:A:1-4"], tiers: ["Stalls:30.00", "VIP:80.00"], limitPerUser: 6 });
      await expectCode(tix.tickets.reserve({ eventId: "evt_rows", userId: "alice", key: "bare", seats: ["A1"] }), "INVALID_ARGUMENT");
      const bare = await tix.tickets.reserve({ eventId: "evt_rows", userId: "alice", key: "bare", seats: ["A1", "A2"], tier: "stalls" });
      expect(seatsOf(bare.tickets)).toEqual(["Stalls:A1", "Stalls:A2"]);
      const full = await tix.tickets.reserve({ eventId: "evt_rows", userId: "alice", key: "bare", seats: ["Stalls:A2", "Stalls:A1"] });
      expect(full).toMatchObject({ replayed: true, orderId: bare.orderId });
      const vip = await tix.tickets.reserve({ eventId: "evt_rows", userId: "bob", key: "v", seats: ["A1"], tier: "VIP" });
      expect(seatsOf(vip.tickets)).toEqual(["Circle:A1"]);
    });

    it("gives a freed seat to the first waiting user of its tier, on cancel and on expiry", async () => {
      await hall({ limitPerUser: 2 });
      const alice = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", tier: "VIP", quantity: 2 });
      const joined = await tix.waitlist.join({ eventId: "evt_hall", userId: "bob", tier: "VIP" });
      expect(joined.ticket).toBeNull();
      await tix.waitlist.join({ eventId: "evt_hall", userId: "carol", tier: "VIP" });
      await tix.tickets.cancel({ ticketId: alice.tickets[1]!.id, userId: "alice" });
      const [bobs] = await tix.tickets.list({ userId: "bob" });
      expect(bobs).toMatchObject({ seat: "Box:1-2", status: "reserved", tier: "VIP" });
      clock.advance(10 * MINUTE); // alice's other hold and bob's both expire: carol gets the best of the two
      const [carols] = await tix.tickets.list({ userId: "carol" });
      expect(carols).toMatchObject({ seat: "Box:1-1", status: "reserved" });
      expect(await states("carol")).toMatchObject({ "Box:1-1": "yours", "Box:1-2": "free" });
    });

    it("counts seats against the per-user limit, as tickets", async () => {
      await hall({ limitPerUser: 2 });
      await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: ["A1"] });
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k2", seats: ["A2", "A3"] }), "LIMIT_EXCEEDED");
      await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k2", tier: "Stalls", quantity: 2 }), "LIMIT_EXCEEDED");
      await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k2", seats: ["A2"] });
    });

    it("a new map keeps every seat held or sold, in its tier; capacities follow the map", async () => {
      await hall({ limitPerUser: 4 });
      const alice = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: ["B8", "Box:1-1"] });
      await tix.tickets.purchase({ ticketId: alice.tickets[1]!.id, userId: "alice" });
      const grown = await tix.events.create({ id: "evt_hall", name: "Small Hall", seats: ["Stalls:A-C:1-4|5-8", "Box@VIP:1:1-3"] });
      expect(grown.created).toBe(false);
      expect(grown.event).toMatchObject({ capacity: 27, held: 1, sold: 1, tiers: [{ name: "Stalls", capacity: 24, price: "30.00", held: 1 }, { name: "VIP", capacity: 3, price: "80.00", sold: 1 }] });
      expect(grown.changes).toContainEqual({ field: "seats", from: "18 seats in 2 sections", to: "27 seats in 2 sections" });
      expect(await states("alice")).toMatchObject({ "Stalls:B8": "yours", "Box:1-1": "yours", "Stalls:C1": "free", "Box:1-3": "free" });
      const lost = await expectCode(tix.events.create({ id: "evt_hall", name: "Small Hall", seats: ["Stalls:A-C:1-7", "Box@VIP:1:1-3"] }), "CAPACITY_BELOW_COMMITTED");
      expect(lost.message).toContain("Stalls:B8");
      await expectCode(tix.events.create({ id: "evt_hall", name: "Small Hall", seats: ["Stalls:A-C:1-8"] }), "INVALID_ARGUMENT");
      await expectCode(tix.events.update({ id: "evt_hall", capacity: 40 }), "INVALID_ARGUMENT");
      await expectCode(tix.events.update({ id: "evt_hall", tiers: ["VIP:9:80.00"] }), "INVALID_ARGUMENT");
      const repriced = await tix.events.update({ id: "evt_hall", tiers: ["VIP:3:90.00"] });
      expect(repriced.event.tiers[1]).toMatchObject({ name: "VIP", capacity: 3, price: "90.00" });
      expect(await states("alice")).toMatchObject({ "Stalls:B8": "yours", "Box:1-1": "yours" });
      const plain = (await tix.events.create({ name: "Standing", capacity: 5 })).event;
      await expectCode(tix.events.update({ id: plain.id, seats: ["Floor:A:1-5"] }), "INVALID_ARGUMENT");
      const next = await tix.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k1", tier: "VIP" });
      expect(next.ticket.seat).toBe("Box:1-2");
    });

    it("reservations at once of overlapping seats: each seat is held at most once", async () => {
      await tix.events.create({ id: "evt_row", name: "One Row", seats: ["Hall:A:1-20"], limitPerUser: 20 });
      const attempts = Array.from({ length: 40 }, (_, index) => {
        const request = index % 3 === 0
          ? { quantity: 2 }
          : { seats: [`A${(index % 19) + 1}`, `A${(index % 19) + 2}`] };
        return tix.tickets.reserve({ eventId: "evt_row", userId: `user${index}`, key: "k", ...request }).then(
          (outcome) => ({ ok: true as const, seats: seatsOf(outcome.tickets) }),
          (error: { code: string }) => ({ ok: false as const, code: error.code }));
      });
      const outcomes = await Promise.all(attempts);
      const held = outcomes.flatMap((outcome) => (outcome.ok ? outcome.seats : []));
      expect(new Set(held).size, "a seat was held twice").toBe(held.length);
      expect(held.length).toBeLessThanOrEqual(20);
      for (const outcome of outcomes) if (!outcome.ok) expect(["SEAT_TAKEN", "SOLD_OUT"]).toContain(outcome.code);
      const view = statesOf((await tix.events.seats({ eventId: "evt_row" })).seats);
      expect(Object.entries(view).filter(([, state]) => state === "held").map(([seat]) => seat).sort()).toEqual([...held].sort());
      expect((await tix.events.get("evt_row")).held).toBe(held.length);
    });

    it("the audit log names each ticket's seat, and rebuilds the counts", async () => {
      await hall({ limitPerUser: 4 });
      const order = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: ["A1", "Box:1-1"] });
      await tix.tickets.purchase({ ticketId: order.orderId, userId: "alice" });
      const log = await tix.log.list({ eventId: "evt_hall" });
      expect(log[0]).toMatchObject({ action: "event.created", details: { seatMap: "Stalls:A-B:1-4|5-8\nBox@VIP:1:1-2" } });
      expect(log.filter((entry) => entry.action === "ticket.purchased").map((entry) => entry.details.seat)).toEqual(["Stalls:A1", "Box:1-1"]);
      const event = await tix.events.get("evt_hall");
      expect(rebuildCounts(log)).toEqual(Object.fromEntries(event.tiers.map((tier) => [tier.name, { capacity: tier.capacity, held: tier.held, sold: tier.sold }])));
    });
  });
}
