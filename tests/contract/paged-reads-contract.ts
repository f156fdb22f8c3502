import { beforeEach, describe, expect, it } from "vitest";
import { tierTotalsOf, type ManualClock, type TierTotals, type TixStore } from "../../src/core/index.js";
import type { Tix } from "../../src/app/open-tix.js";
import { expectCode } from "../helpers/expect-code.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Long reads, bounded, the same on every store: a ticket list, the log and an event's vouchers a
 * page at a time (keyset: after the last of the page before), never more rows than asked for; a
 * log's entries counted per bucket of time by the store; event ids by prefix.
 */
export function pagedReadsContract(current: () => { tix: Tix; clock: ManualClock }): void {
  describe("paged and bounded reads", () => {
    let clock: ManualClock;
    let tix: Tix;
    beforeEach(() => ({ tix, clock } = current()));

    /** Every page of `read`, `size` at a time, each checked to hold at most `size` rows. */
    async function allPages<T, C>(read: (after: C | undefined) => Promise<{ items: T[]; next: C | null }>, size: number): Promise<T[]> {
      const items: T[] = [];
      let after: C | undefined;
      for (;;) {
        const page = await read(after);
        expect(page.items.length).toBeLessThanOrEqual(size);
        items.push(...page.items);
        if (page.next === null) return items;
        after = page.next;
      }
    }

    /** Two events; orders of several tickets (one reservation time, so ties ordered by id), some bought. */
    async function someTickets() {
      const one = (await tix.events.create({ id: "evt_one", name: "One", capacity: 40, price: "10.00", limitPerUser: 20 })).event;
      const two = (await tix.events.create({ id: "evt_two", name: "Two", capacity: 40, price: "10.00", limitPerUser: 20 })).event;
      let n = 0;
      for (const [userId, eventId, quantity] of [["alice", one.id, 3], ["bob", one.id, 1], ["alice", two.id, 4], ["carol", two.id, 2], ["alice", one.id, 2], ["bob", two.id, 3]] as const) {
        const order = await tix.tickets.reserve({ eventId, userId, quantity, key: `k${n++}` });
        if (n % 2 === 0) await tix.tickets.purchase({ ticketId: order.orderId, userId });
        clock.advance(n % 3 === 0 ? 0 : 1000);
      }
      return { one, two };
    }

    it("sums an event's tickets per tier as the core's rule does over them (a report is not read ticket by ticket)", async () => {
      const { event } = await tix.events.create({ id: "evt_sums", name: "Sums", tiers: [{ name: "VIP", capacity: 10, price: "120.00" }, { name: "GA", capacity: 30, price: "45.50" }], limitPerUser: 10 });
      await tix.vouchers.create({ eventId: event.id, code: "SPRING", percent: 10 });
      const bought = await tix.tickets.reserve({ eventId: event.id, userId: "ann", tier: "VIP", quantity: 3 });
      await tix.tickets.purchase({ ticketId: bought.orderId, userId: "ann", voucher: "SPRING" });
      const ga = await tix.tickets.reserve({ eventId: event.id, userId: "ben", tier: "GA", quantity: 4 });
      await tix.tickets.purchase({ ticketId: ga.orderId, userId: "ben" });
      await tix.tickets.cancel({ ticketId: ga.tickets[0]!.id, userId: "ben" });
      await tix.tickets.checkIn({ ticketId: ga.tickets[1]!.id, actor: "door-1" });
      await tix.tickets.reserve({ eventId: event.id, userId: "cat", tier: "GA", quantity: 2 });
      const byTier = (lines: TierTotals[]) => [...lines].sort((a, b) => a.tier.localeCompare(b.tier));
      const summed = byTier(await tix.store.ticketTotals(event.id));
      expect(summed).toEqual(byTier(tierTotalsOf(await tix.store.listTickets({ eventId: event.id }))));
      expect(summed).toEqual([
        { tier: "GA", revenueMinor: 3n * 4550n, discountsMinor: 0n, refunds: 1, refundedMinor: 4550n, checkedIn: 1 },
        { tier: "VIP", revenueMinor: 3n * 10_800n, discountsMinor: 3n * 1200n, refunds: 0, refundedMinor: 0n, checkedIn: 0 },
      ]);
      expect(await tix.store.ticketTotals("evt_none")).toEqual([]);
    });

    it("reads a ticket list a page at a time, in the list's order (reservation time, then id), after a given ticket", async () => {
      const { one, two } = await someTickets();
      const filters = [{}, { userId: "alice" }, { eventId: one.id }, { status: "purchased" as const }, { userId: "alice", eventId: two.id }, { userId: "nobody" }];
      for (const filter of filters) {
        const whole = await tix.tickets.list(filter);
        for (const size of [1, 2, 3, 1000]) {
          const paged = await allPages(async (after: string | undefined) => {
            const { tickets, next } = await tix.tickets.page({ ...filter, limit: size, after });
            return { items: tickets, next };
          }, size);
          expect(paged, `${JSON.stringify(filter)} by ${size}`).toEqual(whole);
        }
      }
      // The port answers no more rows than the page asks for.
      expect(await tix.store.listTickets({}, { limit: 4 })).toHaveLength(4);
      const [first, second] = await tix.store.listTickets({ userId: "alice" }, { limit: 2 });
      expect(await tix.store.listTickets({ userId: "alice" }, { limit: 1, after: first!.id })).toEqual([second]);
      expect(await tix.store.listTickets({}, { limit: 5, after: "tkt_none" })).toEqual([]);
      await expectCode(tix.tickets.page({ limit: 2, after: "tkt_none" }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.page({ limit: 0 }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.page({ limit: 100_001 }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.page({ eventId: "evt_none", limit: 5 }), "EVENT_NOT_FOUND");
      // No ticket of these has a seat: a streamed list has no seat column.
      expect(await tix.tickets.anySeated({})).toBe(false);
      expect(await tix.tickets.anySeated({ userId: "alice", limit: 2 })).toBe(false);
    });

    it("pages a user's list on after a ticket transferred away since (its place in the list), on a snapshot too; one never theirs is refused as an unknown id", async () => {
      await someTickets();
      const alices = await tix.tickets.list({ userId: "alice" });
      const at = 1;
      const bought = alices[at]!;
      await tix.tickets.purchase({ ticketId: bought.id, userId: "alice" });
      await tix.tickets.transfer({ ticketId: bought.id, userId: "alice", to: "dave" });
      const after = (await tix.tickets.page({ userId: "alice", limit: 100, after: bought.id })).tickets.map((ticket) => ticket.id);
      expect(after).toEqual(alices.slice(at + 1).map((ticket) => ticket.id));
      const view = await tix.snapshot();
      try {
        expect((await view.tickets.page({ userId: "alice", limit: 1, after: bought.id })).tickets.map((ticket) => ticket.id)).toEqual([alices[at + 1]!.id]);
      } finally {
        await view.close();
      }
      expect((await tix.tickets.page({ userId: "dave", limit: 5, after: bought.id })).tickets).toEqual([]);
      await expectCode(tix.tickets.page({ userId: "carol", limit: 5, after: bought.id }), "INVALID_ARGUMENT");
    });

    it("answers a ticket list's first N tickets with how many the filter matches (a terminal's window and its footer)", async () => {
      const { one, two } = await someTickets();
      const filters = [{}, { userId: "alice" }, { eventId: one.id }, { status: "purchased" as const }, { userId: "alice", eventId: two.id }, { userId: "nobody" }];
      for (const filter of filters) {
        const whole = await tix.tickets.list(filter);
        for (const limit of [1, 2, 3, whole.length, whole.length + 1, undefined].filter((limit) => limit !== 0)) {
          const { tickets, total } = await tix.tickets.first({ ...filter, limit });
          expect(tickets, `${JSON.stringify(filter)}, ${limit}`).toEqual(limit === undefined ? whole : whole.slice(0, limit));
          expect(total, `${JSON.stringify(filter)}, ${limit}`).toBe(whole.length);
        }
      }
      // More tickets than the window: the port answers the window's rows alone, and the count of all.
      const all = await tix.store.listTickets({});
      expect(all.length).toBeGreaterThan(4);
      expect(await tix.store.listFirstTickets({}, 4)).toEqual({ tickets: all.slice(0, 4), total: all.length });
      const alices = await tix.store.listTickets({ userId: "alice" });
      expect(await tix.store.listFirstTickets({ userId: "alice" }, 2)).toEqual({ tickets: alices.slice(0, 2), total: alices.length });
      await expectCode(tix.tickets.first({ limit: 0 }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.first({ eventId: "evt_none", limit: 5 }), "EVENT_NOT_FOUND");
    });

    it("tells whether any of a list's first N tickets has a seat, without reading them out", async () => {
      await tix.events.create({ id: "evt_ga", name: "GA", capacity: 10, price: "10.00" });
      await tix.events.create({ id: "evt_hall", name: "Hall", seats: ["Stalls:A:1-4"], tiers: ["Stalls:30.00"] });
      await tix.tickets.reserve({ eventId: "evt_ga", userId: "alice", key: "a" });
      clock.advance(1000);
      await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "b", seats: ["A2"] });
      expect(await tix.tickets.anySeated({ userId: "alice" })).toBe(true);
      expect(await tix.tickets.anySeated({ userId: "alice", limit: 1 })).toBe(false);
      expect(await tix.tickets.anySeated({ userId: "alice", limit: 2 })).toBe(true);
      expect(await tix.tickets.anySeated({ eventId: "evt_ga" })).toBe(false);
      expect(await tix.tickets.anySeated({ eventId: "evt_hall" })).toBe(true);
    });

    it("reads the log a page at a time after a given entry: the whole log, an event's, a ticket's", async () => {
      const { one } = await someTickets();
      const [ticket] = await tix.tickets.list({ eventId: one.id, status: "purchased" });
      await tix.tickets.cancel({ ticketId: ticket!.id, userId: ticket!.userId });
      for (const filter of [{}, { eventId: one.id }, { ticketId: ticket!.id }]) {
        const whole = await tix.log.list(filter);
        expect(whole.length).toBeGreaterThan(1);
        for (const size of [1, 3, 1000]) {
          const paged = await allPages(async (after: number | undefined) => {
            const { entries, next } = await tix.log.page({ ...filter, limit: size, after });
            return { items: entries, next };
          }, size);
          expect(paged, `${JSON.stringify(filter)} by ${size}`).toEqual(whole);
        }
      }
      const log = await tix.log.list();
      expect(await tix.store.listLog({}, { limit: 2, after: log[3]!.seq })).toEqual((await tix.store.listLog({})).slice(4, 6));
      await expectCode(tix.log.page({ limit: 0 }), "INVALID_ARGUMENT");
      await expectCode(tix.log.page({ eventId: "evt_none", limit: 5 }), "EVENT_NOT_FOUND");
    });

    it("counts an event's entries of one action per bucket of time, the counting done by the store", async () => {
      const event = (await tix.events.create({ id: "evt_sales", name: "Sales", capacity: 50, price: "10.00" })).event;
      const other = (await tix.events.create({ id: "evt_else", name: "Else", capacity: 50, price: "10.00" })).event;
      // Sales over three days, unevenly: some in the same hour, an hour with none.
      for (const [index, step] of [0, 5, 20, 61, 61, 180, 1440, 2000, 2001, 4000].entries()) {
        clock.advance(step * MINUTE);
        for (const eventId of index % 4 === 0 ? [event.id, other.id] : [event.id]) {
          const { ticket } = await tix.tickets.reserve({ eventId, userId: `u${index}`, key: `k${index}${eventId}` });
          await tix.tickets.purchase({ ticketId: ticket.id, userId: `u${index}` });
        }
      }
      const times = (await tix.log.list({ eventId: event.id })).filter((entry) => entry.action === "ticket.purchased").map((entry) => Date.parse(entry.at));
      for (const [size, offset] of [[HOUR, 0], [24 * HOUR, 2 * HOUR], [HOUR, -30 * MINUTE], [7 * 24 * HOUR, 5.5 * HOUR]] as const) {
        let seen: unknown;
        const counted = await tix.log.countByTime({
          eventId: event.id,
          action: "ticket.purchased",
          bucketing: (span) => {
            seen = span;
            return { size, offset };
          },
        });
        const expected = new Map<number, number>();
        for (const at of times) expected.set(Math.floor((at + offset) / size), (expected.get(Math.floor((at + offset) / size)) ?? 0) + 1);
        const span = { first: Math.min(...times), last: Math.max(...times), count: times.length };
        expect(seen).toEqual(span);
        expect(counted).toEqual({ span, size, offset, buckets: [...expected].sort(([a], [b]) => a - b).map(([bucket, count]) => ({ bucket, count })) });
      }
      const none = (await tix.events.create({ id: "evt_none_sold", name: "None", capacity: 5 })).event;
      expect(await tix.log.countByTime({ eventId: none.id, action: "ticket.purchased", bucketing: () => ({ size: HOUR, offset: 0 }) })).toBeUndefined();
      await expectCode(tix.log.countByTime({ eventId: "evt_missing", action: "ticket.purchased", bucketing: () => ({ size: HOUR, offset: 0 }) }), "EVENT_NOT_FOUND");
      // A bucketing that throws: INVALID_ARGUMENT naming it, inside the store's read, and the store counts on.
      await expect(tix.log.countByTime({ eventId: event.id, action: "ticket.purchased", bucketing: () => { throw new Error("mine"); } }))
        .rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: "bucketing: threw Error: mine" });
      expect((await tix.log.countByTime({ eventId: event.id, action: "ticket.purchased", bucketing: () => ({ size: HOUR, offset: 0 }) }))?.span.count).toBe(times.length);
    });

    it("lists event ids by prefix in id order, at most N, through the ids' index", async () => {
      for (const id of ["evt_b", "evt_ab", "evt_a", "evt_c", "evt_a_b", "show_a", "evt_b2"]) await tix.events.create({ id, name: id, capacity: 1 });
      expect(await tix.events.ids({ prefix: "evt_a", limit: 10 })).toEqual(["evt_a", "evt_a_b", "evt_ab"]);
      expect(await tix.events.ids({ prefix: "evt_", limit: 2 })).toEqual(["evt_a", "evt_a_b"]);
      expect(await tix.events.ids({ prefix: "", limit: 3 })).toEqual(["evt_a", "evt_a_b", "evt_ab"]);
      expect(await tix.events.ids({ limit: 100 })).toHaveLength(7);
      expect(await tix.events.ids({ prefix: "evt_b", limit: 10 })).toEqual(["evt_b", "evt_b2"]);
      expect(await tix.events.ids({ prefix: "zzz", limit: 10 })).toEqual([]);
      expect(await (tix.store as TixStore).listEventIds("evt_", 3)).toEqual(["evt_a", "evt_a_b", "evt_ab"]);
      await expectCode(tix.events.ids({ limit: 0 }), "INVALID_ARGUMENT");
    });

    it("lists a user's tickets by id prefix in id order, at most N, after a given id, through the index on the user's ids", async () => {
      const { event } = await tix.events.create({ id: "evt_many", name: "Many", capacity: 100, price: "10.00", limitPerUser: 80 });
      // More than the memory store looks through before it keeps a user's ids sorted (SORTED_FROM, 64).
      for (let i = 0; i < 3; i++) await tix.tickets.reserve({ eventId: event.id, userId: "alice", quantity: 25, key: `a${i}` });
      const bobs = await tix.tickets.reserve({ eventId: event.id, userId: "bob", quantity: 2, key: "b" });
      const ids = async (userId: string, prefix: string, limit = 1000, after?: string) =>
        (await tix.tickets.byIdPrefix({ userId, prefix, limit, after })).map((ticket) => ticket.id);
      const alices = (await tix.tickets.list({ userId: "alice" })).map((ticket) => ticket.id).sort();
      expect(alices).toHaveLength(75);
      expect(await ids("alice", "")).toEqual(alices);
      expect(await ids("alice", "tkt_", 10)).toEqual(alices.slice(0, 10));
      for (const id of [alices[0]!, alices[40]!, alices[74]!]) {
        for (const length of [5, 8, id.length]) {
          const prefix = id.slice(0, length);
          expect(await ids("alice", prefix), prefix).toEqual(alices.filter((each) => each.startsWith(prefix)));
        }
      }
      // After an id: a page on from the last of the one before, whether or not the id is the user's.
      expect(await ids("alice", "", 10, alices[9])).toEqual(alices.slice(10, 20));
      expect(await ids("alice", "tkt_", 1000, alices[73])).toEqual([alices[74]]);
      expect(await ids("alice", "", 1000, "tkt_")).toEqual(alices);
      const paged: string[] = [];
      for (let page = await ids("alice", "tkt_", 7); page.length > 0; page = await ids("alice", "tkt_", 7, paged.at(-1))) paged.push(...page);
      expect(paged).toEqual(alices);
      expect(await ids("bob", "")).toEqual(bobs.tickets.map((ticket) => ticket.id).sort());
      expect(await ids("carol", "")).toEqual([]);
      expect(await ids("alice", "zzz")).toEqual([]);
      // Each as the store has it: a purchase changes its status, a transfer its user.
      const moved = alices[3]!;
      await tix.tickets.purchase({ ticketId: moved, userId: "alice" });
      expect((await tix.tickets.byIdPrefix({ userId: "alice", prefix: moved, limit: 5 }))).toEqual([await tix.tickets.get(moved)]);
      await tix.tickets.transfer({ ticketId: moved, userId: "alice", to: "carol" });
      expect(await ids("alice", "")).toEqual(alices.filter((id) => id !== moved));
      expect(await ids("carol", "")).toEqual([moved]);
      expect(await (tix.store as TixStore).listTicketsByIdPrefix({ userId: "carol", prefix: "", limit: 1 })).toMatchObject([{ id: moved, userId: "carol", status: "purchased" }]);
      await expectCode(tix.tickets.byIdPrefix({ userId: "alice", limit: 0 }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.byIdPrefix({ userId: "", limit: 10 }), "INVALID_ARGUMENT");
    });

    it("reads an event's vouchers a page at a time after a given code", async () => {
      await tix.events.create({ id: "evt_v", name: "V", capacity: 10, price: "10.00" });
      await tix.events.create({ id: "evt_w", name: "W", capacity: 10, price: "10.00" });
      for (const code of ["ZED", "ALPHA", "MID", "BETA", "OMEGA"]) {
        await tix.vouchers.create({ eventId: "evt_v", code, percent: 10 });
        await tix.vouchers.create({ eventId: "evt_w", code, percent: 20 });
      }
      const whole = await tix.vouchers.list({ eventId: "evt_v" });
      for (const size of [1, 2, 5, 1000]) {
        const paged = await allPages(async (after: string | undefined) => {
          const { vouchers, next } = await tix.vouchers.page({ eventId: "evt_v", limit: size, after });
          return { items: vouchers, next };
        }, size);
        expect(paged, `by ${size}`).toEqual(whole);
      }
      expect((await tix.vouchers.page({ eventId: "evt_v", limit: 2, after: "ALPHA" })).vouchers.map((voucher) => voucher.code)).toEqual(["MID", "BETA"]);
      await expectCode(tix.vouchers.page({ eventId: "evt_v", limit: 2, after: "NOPE" }), "INVALID_ARGUMENT");
      await expectCode(tix.vouchers.page({ eventId: "evt_none", limit: 2 }), "EVENT_NOT_FOUND");
    });
  });
}
