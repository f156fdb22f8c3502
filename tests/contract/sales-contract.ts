import { describe, expect, it } from "vitest";
import type { ManualClock, TixError } from "../../src/core/index.js";
import type { Tix } from "../../src/app/open-tix.js";
import { rebuildCounts } from "../helpers/audit-rebuild.js";
import { expectCode } from "../helpers/expect-code.js";
import { statesOf } from "./seating-contract.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;


/**
 * The box office's second round, as every store must keep it: sales windows by the clock,
 * upcoming samples, access codes, vouchers (their uses exact under concurrency) and transfers.
 * Part of the store contract: `storeContract` runs it over each adapter with its own tix and clock.
 */
export function salesContract(current: () => { tix: Tix; clock: ManualClock }): void {
  const iso = (time: number) => new Date(time).toISOString();

  describe("sales windows", () => {
    it("sells until the event starts by default; after the start, reserving and purchasing are SALES_CLOSED", async () => {
      const { tix, clock } = current();
      const startsAt = clock.now() + 2 * HOUR;
      const { event } = await tix.events.create({ name: "Soon", capacity: 5, startsAt, hold: "3h" });
      expect(event).toMatchObject({ salesStart: null, salesEnd: iso(startsAt) });
      const held = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
      const paidLater = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
      await tix.tickets.purchase({ ticketId: held.ticket.id, userId: "alice" });
      clock.advance(2 * HOUR - 1);
      await tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "k1" });
      clock.advance(1);
      const closed = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "dan", key: "k1" }), "SALES_CLOSED");
      expect(closed.message).toContain(iso(startsAt));
      // A hold still live at the start can no longer be paid for; nothing changes.
      await expectCode(tix.tickets.purchase({ ticketId: paidLater.ticket.id, userId: "bob" }), "SALES_CLOSED");
      expect(await tix.tickets.get(paidLater.ticket.id)).toMatchObject({ status: "reserved" });
      expect(await tix.events.get(event.id)).toMatchObject({ held: 2, sold: 1 });
      // A replay is not a new sale: the same key still answers its ticket.
      expect((await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" })).replayed).toBe(true);
      // Moving the start later opens sales again.
      await tix.events.update({ id: event.id, startsAt: clock.now() + DAY });
      await tix.tickets.reserve({ eventId: event.id, userId: "dan", key: "k1" });
    });

    it("opens at the sales start and closes at the sales end; holds made before the end may be paid until the start", async () => {
      const { tix, clock } = current();
      const t0 = clock.now();
      const { event } = await tix.events.create({ name: "Window", capacity: 5, startsAt: t0 + 3 * DAY, salesStart: t0 + HOUR, salesEnd: t0 + DAY, hold: "2d" });
      expect(event).toMatchObject({ salesStart: iso(t0 + HOUR), salesEnd: iso(t0 + DAY) });
      const early = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" }), "SALES_CLOSED");
      expect(early.message).toContain(`open at ${iso(t0 + HOUR)}`);
      clock.advance(HOUR);
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
      clock.advance(DAY - HOUR);
      const late = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" }), "SALES_CLOSED");
      expect(late.message).toContain(`closed at ${iso(t0 + DAY)}`);
      expect((await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" })).ticket.status).toBe("purchased");
      // Without a start time, an event sells until its sales end, if any; `none` restores the default.
      const open = (await tix.events.create({ name: "Always", capacity: 1 })).event;
      expect(open).toMatchObject({ salesStart: null, salesEnd: null });
      const { changes } = await tix.events.update({ id: event.id, salesEnd: "none" });
      expect(changes).toEqual([{ field: "salesEnd", from: iso(t0 + DAY), to: null }]);
      expect((await tix.events.get(event.id)).salesEnd).toBe(iso(t0 + 3 * DAY));
      await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
    });

    it("refuses a window that could never open, and changes nothing", async () => {
      const { tix, clock } = current();
      const t0 = clock.now();
      await expectCode(tix.events.create({ name: "Never", capacity: 1, salesStart: t0 + DAY, salesEnd: t0 + HOUR }), "INVALID_ARGUMENT");
      await expectCode(tix.events.create({ name: "Never", capacity: 1, startsAt: t0 + HOUR, salesStart: t0 + DAY }), "INVALID_ARGUMENT");
      const { event } = await tix.events.create({ name: "Show", capacity: 1, startsAt: t0 + DAY, salesStart: t0 + HOUR });
      await expectCode(tix.events.update({ id: event.id, startsAt: t0 + HOUR }), "INVALID_ARGUMENT");
      expect((await tix.events.get(event.id)).startsAt).toBe(iso(t0 + DAY));
    });

    it("lets a tier narrow the event's window (an early-bird tier), each refusal naming its tier", async () => {
      const { tix, clock } = current();
      const t0 = clock.now();
      const { event } = await tix.events.create({
        name: "Festival", startsAt: t0 + 10 * DAY,
        tiers: [`Early:5:20.00,sales-end=${iso(t0 + DAY)}`, { name: "Late", capacity: 5, price: "30.00", salesStart: t0 + DAY }],
      });
      expect(event.tiers).toMatchObject([{ name: "Early", salesStart: null, salesEnd: iso(t0 + DAY) }, { name: "Late", salesStart: iso(t0 + DAY), salesEnd: null }]);
      await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "Early" });
      const notYet = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1", tier: "Late" }), "SALES_CLOSED");
      expect(notYet.message).toContain("tier Late");
      clock.advance(DAY);
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k2", tier: "Early" }), "SALES_CLOSED");
      await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k3", tier: "Late" });
      const { changes } = await tix.events.update({ id: event.id, tiers: ["Early:5:20.00,sales-end=none"] });
      expect(changes).toEqual([{ field: "salesEnd", tier: "Early", from: iso(t0 + DAY), to: null }]);
    });

    it("closes the waiting list with sales: no joining, and no place given, once sales have closed", async () => {
      const { tix, clock } = current();
      const t0 = clock.now();
      const { event } = await tix.events.create({ name: "Small", capacity: 1, startsAt: t0 + DAY, salesEnd: t0 + HOUR, hold: "2d" });
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
      await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
      await tix.waitlist.join({ eventId: event.id, userId: "bob" });
      clock.advance(HOUR);
      await expectCode(tix.waitlist.join({ eventId: event.id, userId: "carol" }), "SALES_CLOSED");
      await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
      expect(await tix.tickets.list({ userId: "bob" })).toEqual([]);
      expect(await tix.events.get(event.id)).toMatchObject({ held: 0, sold: 0, available: 1 });
    });

    it("takes waiting users off the line when an update leaves their tier's sales not yet open: nobody waits for a place the clock opens", async () => {
      const { tix, clock } = current();
      const t0 = clock.now();
      const { event } = await tix.events.create({ name: "Postponed", tiers: ["GA:1:10.00", "VIP:1:50.00"], hold: "2d" });
      await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "GA" });
      const vip = await tix.tickets.reserve({ eventId: event.id, userId: "dan", key: "k1", tier: "VIP" });
      await tix.waitlist.join({ eventId: event.id, userId: "bob", tier: "GA" });
      await tix.waitlist.join({ eventId: event.id, userId: "carol", tier: "VIP" });
      // The VIP presale moves to tomorrow: its waiting user leaves the line; GA's keeps waiting.
      const postponed = await tix.events.update({ id: event.id, tiers: [`VIP:1:50.00,sales-start=${iso(t0 + DAY)}`] });
      // The update's answer says whom it took off the line, as it says what fields it changed.
      expect(postponed.leftWaitlist).toEqual([{ userId: "carol", tier: "VIP", reason: "sales not open yet" }]);
      expect((await tix.waitlist.show(event.id)).map((entry) => entry.userId)).toEqual(["bob"]);
      expect((await tix.log.list({ eventId: event.id })).filter((entry) => entry.action === "waitlist.left").map((entry) => entry.details))
        .toEqual([{ userId: "carol", tier: "VIP", reason: "sales not open yet" }]);
      await tix.tickets.cancel({ ticketId: vip.ticket.id, userId: "dan" });
      await expectCode(tix.waitlist.join({ eventId: event.id, userId: "carol", tier: "VIP" }), "SALES_CLOSED");
      // When the clock opens VIP sales, its free place is anyone's: carol joins and is given it at once.
      clock.advance(DAY);
      expect((await tix.waitlist.join({ eventId: event.id, userId: "carol", tier: "VIP" })).ticket).toMatchObject({ userId: "carol", tier: "VIP", status: "reserved" });
      // The event's sales start moved later: every waiting user leaves.
      expect((await tix.events.update({ id: event.id, salesStart: clock.now() + HOUR })).leftWaitlist).toEqual([{ userId: "bob", tier: "GA", reason: "sales not open yet" }]);
      expect(await tix.waitlist.show(event.id)).toEqual([]);
      expect((await tix.events.update({ id: event.id, name: "Postponed again" })).leftWaitlist).toEqual([]);
    });

    it("seeds the samples as upcoming events: the next date with their month and day still ahead, names kept", async () => {
      const { tix, clock } = current();
      clock.set("2026-11-29T10:00:00Z");
      const seeded = await tix.events.seed();
      expect(seeded.map(({ event }) => [event.id, event.name, event.startsAt])).toEqual(expect.arrayContaining([
        ["evt_rock_night_2025", "Rock Night 2025", "2027-06-15T20:00:00.000Z"],
        ["evt_jazz_evening", "Jazz Evening", "2027-07-10T19:30:00.000Z"],
        ["evt_string_quartet_night", "String Quartet Night", "2027-10-18T19:30:00.000Z"],
      ]));
      expect(seeded.every(({ event }) => Date.parse(event.startsAt!) > clock.now())).toBe(true);
      expect(seeded.find(({ event }) => event.id === "evt_string_quartet_night")!.event).toMatchObject({ venue: "Riverside Hall", seated: true, capacity: 328 });
      const seat = await tix.tickets.reserve({ eventId: "evt_string_quartet_night", userId: "alice", key: "s1", seats: ["Stalls:C11"] });
      expect(seat.ticket.seat).toBe("Stalls:C11");
      expect(seeded.find(({ event }) => event.id === "evt_rock_night_2025")!.event).toMatchObject({ venue: "Seattle Dome", capacity: 5000 });
      await tix.tickets.reserve({ eventId: "evt_rock_night_2025", userId: "alice", key: "k1" });
      // On the day itself, before the show, this year's date is still ahead.
      clock.set("2027-06-15T19:59:00Z");
      const later = await tix.events.seed();
      expect(later.every((result) => !result.created)).toBe(true);
    });
  });

  describe("access codes", () => {
    it("reserves a tier that requires a code only with it; a wrong code tells nothing about which codes exist", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Presale", tiers: ["Presale:2:39.00,code=FANS", "Crew:2:0,code=CREW", "GA:5:49.00"] });
      expect(event.tiers.map((tier) => [tier.name, tier.requiresCode])).toEqual([["Presale", true], ["Crew", true], ["GA", false]]);
      const missing = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "Presale" }), "ACCESS_CODE_INVALID");
      const wrong = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "Presale", code: "NOPE" }), "ACCESS_CODE_INVALID");
      const otherTiers = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "Presale", code: "CREW" }), "ACCESS_CODE_INVALID");
      expect(otherTiers.message).toBe(wrong.message);
      for (const error of [missing, wrong]) expect(error.message).not.toMatch(/FANS|CREW/i);
      await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "Presale", code: "fans" });
      await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1", tier: "GA", code: "whatever" });
      await expectCode(tix.waitlist.join({ eventId: event.id, userId: "carol", tier: "Crew" }), "ACCESS_CODE_INVALID");
      // No answer and no log entry ever shows a code.
      const shown = JSON.stringify([await tix.events.get(event.id), await tix.events.list(), await tix.log.list({ eventId: event.id })]);
      expect(shown).not.toMatch(/FANS|CREW/);
      const { changes } = await tix.events.update({ id: event.id, tiers: ["GA:5:49.00,code=MEMBERS", "Presale:2:39.00,code=none"] });
      expect(changes).toEqual([{ field: "accessCode", tier: "Presale", from: "hidden", to: null }, { field: "accessCode", tier: "GA", from: null, to: "hidden" }]);
      await tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "k1", tier: "Presale" });
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "dan", key: "k1", tier: "GA" }), "ACCESS_CODE_INVALID");
    });
  });

  describe("vouchers", () => {
    const paidFor = async (tix: Tix, eventId: string, userId: string, voucher?: string, tier?: string) => {
      const { orderId } = await tix.tickets.reserve({ eventId, userId, key: `r-${userId}`, tier });
      return tix.tickets.purchase({ ticketId: orderId, userId, voucher });
    };

    it("charges the discounted price, records the voucher on the ticket, counts its uses, and a refund gives one back", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Gig", capacity: 10, price: "40.00", limitPerUser: 5 });
      const spring = await tix.vouchers.create({ eventId: event.id, code: "spring", percent: 25, maxUses: 3 });
      expect(spring).toMatchObject({ code: "SPRING", discount: "25%", percent: 25, amount: null, maxUses: 3, uses: 0, validUntil: null, tier: null });
      await tix.vouchers.create({ eventId: event.id, code: "FIVE", amount: "5.00" });
      const { ticket } = await paidFor(tix, event.id, "alice", "Spring");
      expect(ticket).toMatchObject({ price: "30.00", priceMinor: 3000, discount: "10.00", discountMinor: 1000, voucher: "SPRING" });
      expect((await paidFor(tix, event.id, "bob", "FIVE")).ticket).toMatchObject({ price: "35.00", voucher: "FIVE" });
      const order = await tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "two", quantity: 2 });
      await tix.tickets.purchase({ ticketId: order.orderId, userId: "carol", voucher: "SPRING" });
      const used = await expectCode(paidFor(tix, event.id, "dan", "SPRING"), "VOUCHER_USED_UP");
      expect(used.message).toContain("3 of 3");
      expect((await tix.tickets.list({ userId: "dan" }))[0]).toMatchObject({ status: "reserved", voucher: null, price: "40.00" });
      expect((await tix.vouchers.list(event.id)).map((voucher) => [voucher.code, voucher.uses])).toEqual([["SPRING", 3], ["FIVE", 1]]);
      await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
      expect((await tix.vouchers.list(event.id))[0]!.uses).toBe(2);
      await tix.tickets.purchase({ ticketId: (await tix.tickets.list({ userId: "dan" }))[0]!.id, userId: "dan", voucher: "spring" });
      const report = await tix.events.report(event.id);
      // Kept: bob 35.00, carol 2 × 30.00, dan 30.00; alice's 30.00 refunded.
      expect(report.total).toMatchObject({ sold: 4, revenue: "125.00", discounts: "35.00", refunds: 1, refunded: "30.00" });
      const log = await tix.log.list({ eventId: event.id });
      expect(log.find((entry) => entry.action === "voucher.created")).toMatchObject({ actor: "library", details: { code: "SPRING", kind: "percent", value: 25, maxUses: 3 } });
      expect(log.find((entry) => entry.action === "ticket.purchased" && entry.ticketId === ticket.id)).toMatchObject({ details: { amountMinor: 3000, voucher: "SPRING", discountMinor: 1000 } });
      expect(log.find((entry) => entry.action === "ticket.refunded")).toMatchObject({ details: { amountMinor: 3000, voucher: "SPRING" } });
      expect(rebuildCounts(log)).toEqual({ GA: { capacity: 10, held: 0, sold: 4 } });
    });

    it("refuses unknown, expired and other-tier vouchers, never charging below zero, and changes nothing when refused", async () => {
      const { tix, clock } = current();
      const { event } = await tix.events.create({ name: "Gala", tiers: ["VIP:5:20.00", "GA:5:10.00"], limitPerUser: 5 });
      await tix.vouchers.create({ eventId: event.id, code: "BIG", amount: "15.00", tier: "GA", validUntil: new Date(clock.now() + HOUR) });
      await expectCode(tix.vouchers.create({ eventId: event.id, code: "big", percent: 10 }), "INVALID_ARGUMENT");
      await expectCode(tix.vouchers.create({ eventId: event.id, code: "X", percent: 10, tier: "Balcony" }), "INVALID_ARGUMENT");
      await expectCode(tix.vouchers.create({ eventId: event.id, code: "X", percent: 101 }), "INVALID_ARGUMENT");
      await expectCode(tix.vouchers.create({ eventId: event.id, code: "X", percent: 10, amount: "1" }), "INVALID_ARGUMENT");
      await expectCode(tix.vouchers.create({ eventId: "evt_missing", code: "X", percent: 10 }), "EVENT_NOT_FOUND");
      const unknown = await expectCode(paidFor(tix, event.id, "alice", "NOPE", "GA"), "VOUCHER_INVALID");
      expect(unknown.message).toContain("no voucher NOPE");
      expect((await tix.tickets.list({ userId: "alice" }))[0]).toMatchObject({ status: "reserved", voucher: null });
      const vip = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "v", tier: "VIP" });
      const wrongTier = await expectCode(tix.tickets.purchase({ ticketId: vip.ticket.id, userId: "bob", voucher: "BIG" }), "VOUCHER_INVALID");
      expect(wrongTier.message).toContain("only for tier GA");
      const free = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "g", tier: "GA" });
      expect((await tix.tickets.purchase({ ticketId: free.ticket.id, userId: "bob", voucher: "BIG" })).ticket).toMatchObject({ price: "0.00", discount: "10.00" });
      clock.advance(HOUR);
      const late = await tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "g", tier: "GA" });
      await expectCode(tix.tickets.purchase({ ticketId: late.ticket.id, userId: "carol", voucher: "BIG" }), "VOUCHER_INVALID");
      expect(await tix.tickets.get(late.ticket.id)).toMatchObject({ status: "reserved" });
      expect((await tix.vouchers.list(event.id))[0]!.uses).toBe(1);
    });

    it("with a key, a purchase with a voucher replays without counting a use again; another voucher is another request", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Gig", capacity: 5, price: "10.00" });
      await tix.vouchers.create({ eventId: event.id, code: "HALF", percent: 50, maxUses: 1 });
      await tix.vouchers.create({ eventId: event.id, code: "TENTH", percent: 10 });
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "r" });
      const first = await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", voucher: "HALF", key: "pay" });
      expect(await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", voucher: "HALF", key: "pay" })).toEqual({ ...first, replayed: true });
      await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", voucher: "TENTH", key: "pay" }), "IDEMPOTENCY_KEY_REUSED");
      expect((await tix.vouchers.list(event.id)).map((voucher) => voucher.uses)).toEqual([1, 0]);
    });

    it("never counts more uses than the maximum when many buyers redeem one voucher at once", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Rush", capacity: 30, price: "10.00" });
      await tix.vouchers.create({ eventId: event.id, code: "FIRST5", percent: 100, maxUses: 5 });
      const holds = await Promise.all(Array.from({ length: 20 }, (_, index) => tix.tickets.reserve({ eventId: event.id, userId: `u${index}`, key: "k" })));
      const outcomes = await Promise.allSettled(holds.map(({ ticket }) => tix.tickets.purchase({ ticketId: ticket.id, userId: ticket.userId, voucher: "FIRST5" })));
      expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(5);
      for (const outcome of outcomes) if (outcome.status === "rejected") expect((outcome.reason as TixError).code).toBe("VOUCHER_USED_UP");
      expect((await tix.vouchers.list(event.id))[0]!.uses).toBe(5);
      expect((await tix.tickets.list({ eventId: event.id, status: "purchased" })).every((ticket) => ticket.price === "0.00")).toBe(true);
    });
  });

  describe("seated events", () => {
    it("sell their seats within the sales window, named or best available; the waiting list closes with sales; purchase stops at the start", async () => {
      const { tix, clock } = current();
      const t0 = clock.now();
      const { event } = await tix.events.create({ name: "Hall", seats: ["Stalls:A:1-4"], startsAt: t0 + DAY, salesStart: t0 + HOUR, hold: "2d", limitPerUser: 4 });
      expect(event).toMatchObject({ seated: true, salesStart: iso(t0 + HOUR), salesEnd: iso(t0 + DAY) });
      const early = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["A1"] }), "SALES_CLOSED");
      expect(early.message).toContain(`open at ${iso(t0 + HOUR)}`);
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", quantity: 2 }), "SALES_CLOSED");
      await expectCode(tix.waitlist.join({ eventId: event.id, userId: "alice" }), "SALES_CLOSED");
      clock.advance(HOUR);
      const named = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["A1"] });
      const best = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1", quantity: 2 });
      expect(best.tickets).toHaveLength(2);
      await tix.tickets.purchase({ ticketId: best.orderId, userId: "bob" });
      clock.set(t0 + DAY);
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "k1", quantity: 1 }), "SALES_CLOSED");
      await expectCode(tix.tickets.purchase({ ticketId: named.ticket.id, userId: "alice" }), "SALES_CLOSED");
      // Refused, nothing moved: A1 is still alice's hold, bob's seats still sold.
      expect(statesOf((await tix.events.seats({ eventId: event.id, userId: "alice" })).seats)["Stalls:A1"]).toBe("yours");
      expect(await tix.events.get(event.id)).toMatchObject({ held: 1, sold: 2 });
    });

    it("guard a tier's seats with its access code, named or best available, and never show the code", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Hall", seats: ["Stalls:A:1-4", "Circle:A:1-2"], tiers: ["Stalls:30.00", "Circle:50.00,code=FANS"], limitPerUser: 4 });
      expect(event.tiers.map((tier) => [tier.name, tier.capacity, tier.price, tier.requiresCode])).toEqual([["Stalls", 4, "30.00", false], ["Circle", 2, "50.00", true]]);
      const missing = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["Circle:A1"] }), "ACCESS_CODE_INVALID");
      const wrong = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", tier: "Circle", quantity: 1, code: "NOPE" }), "ACCESS_CODE_INVALID");
      // Named seats in two tiers need every one's code: all or none.
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["Stalls:A1", "Circle:A1"] }), "ACCESS_CODE_INVALID");
      for (const error of [missing, wrong]) expect(error.message).not.toMatch(/FANS/i);
      expect(await tix.events.get(event.id)).toMatchObject({ held: 0 });
      const both = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["Stalls:A1", "Circle:A1"], code: "fans" });
      expect(both.tickets.map((ticket) => [ticket.seat, ticket.price])).toEqual([["Stalls:A1", "30.00"], ["Circle:A1", "50.00"]]);
      await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1", seats: ["Stalls:A2"] });
      await expectCode(tix.waitlist.join({ eventId: event.id, userId: "carol", tier: "Circle" }), "ACCESS_CODE_INVALID");
      const { changes } = await tix.events.update({ id: event.id, tiers: ["Stalls:4:30.00,code=CREW"] });
      expect(changes).toEqual([{ field: "accessCode", tier: "Stalls", from: null, to: "hidden" }]);
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "k1", seats: ["Stalls:A3"] }), "ACCESS_CODE_INVALID");
      const shown = JSON.stringify([await tix.events.get(event.id), await tix.log.list({ eventId: event.id })]);
      expect(shown).not.toMatch(/FANS|CREW/);
    });

    it("discount a seat with a voucher, counting its uses; a refund frees the seat and gives the use back", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Hall", seats: ["Stalls:A:1-4"], price: "40.00", limitPerUser: 4 });
      await tix.vouchers.create({ eventId: event.id, code: "HALF", percent: 50, maxUses: 2 });
      const pair = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["A1", "A2"] });
      const bought = await tix.tickets.purchase({ ticketId: pair.orderId, userId: "alice", voucher: "half" });
      expect(bought.tickets.map((ticket) => [ticket.seat, ticket.price, ticket.voucher])).toEqual([["Stalls:A1", "20.00", "HALF"], ["Stalls:A2", "20.00", "HALF"]]);
      const third = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1", seats: ["A3"] });
      await expectCode(tix.tickets.purchase({ ticketId: third.ticket.id, userId: "bob", voucher: "HALF" }), "VOUCHER_USED_UP");
      expect(statesOf((await tix.events.seats({ eventId: event.id })).seats)).toMatchObject({ "Stalls:A1": "sold", "Stalls:A3": "held" });
      await tix.tickets.cancel({ ticketId: pair.tickets[0]!.id, userId: "alice" });
      expect((await tix.vouchers.list(event.id))[0]!.uses).toBe(1);
      expect(statesOf((await tix.events.seats({ eventId: event.id })).seats)["Stalls:A1"]).toBe("free");
      expect((await tix.tickets.purchase({ ticketId: third.ticket.id, userId: "bob", voucher: "HALF" })).ticket).toMatchObject({ seat: "Stalls:A3", price: "20.00" });
      expect((await tix.events.report(event.id)).total).toMatchObject({ sold: 2, revenue: "40.00", discounts: "40.00", refunds: 1 });
    });

    it("transfer a ticket with its seat: the seat stays taken, shown as the new owner's, who checks in with it", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Hall", seats: ["Stalls:A:1-4"], price: "40.00", limitPerUser: 2 });
      const pair = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1", seats: ["A1", "A2"] });
      await tix.tickets.purchase({ ticketId: pair.orderId, userId: "alice" });
      const moved = await tix.tickets.transfer({ ticketId: pair.tickets[0]!.id, userId: "alice", to: "bob" });
      expect(moved.ticket).toMatchObject({ userId: "bob", seat: "Stalls:A1", status: "purchased" });
      expect(statesOf((await tix.events.seats({ eventId: event.id, userId: "bob" })).seats)).toMatchObject({ "Stalls:A1": "yours", "Stalls:A2": "sold" });
      expect(statesOf((await tix.events.seats({ eventId: event.id, userId: "alice" })).seats)).toMatchObject({ "Stalls:A1": "sold", "Stalls:A2": "yours" });
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "k1", seats: ["A1"] }), "SEAT_TAKEN");
      await expectCode(tix.tickets.checkIn({ ticketId: moved.ticket.id, actor: "door", holder: "alice" }), "NOT_TICKET_OWNER");
      await tix.tickets.checkIn({ ticketId: moved.ticket.id, actor: "door", holder: "bob" });
      // The rest of alice's order goes whole; bob's refund frees that seat for someone else.
      const rest = await tix.tickets.transfer({ ticketId: pair.orderId, userId: "alice", to: "bob" });
      expect(rest.tickets.map((ticket) => ticket.seat)).toEqual(["Stalls:A2"]);
      await tix.tickets.cancel({ ticketId: rest.orderId, userId: "bob" });
      expect((await tix.tickets.reserve({ eventId: event.id, userId: "carol", key: "k2", seats: ["A2"] })).ticket.seat).toBe("Stalls:A2");
      expect(await tix.events.get(event.id)).toMatchObject({ held: 1, sold: 1 });
    });
  });

  describe("transfer", () => {
    it("moves a purchased ticket to another user, once per call, logged: the new owner can check in and cancel, the old one can't", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Gig", capacity: 5, price: "10.00" });
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" });
      await expectCode(tix.tickets.transfer({ ticketId: ticket.id, userId: "alice", to: "bob" }), "TICKET_NOT_PURCHASED");
      await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
      await expectCode(tix.tickets.transfer({ ticketId: ticket.id, userId: "mallory", to: "mallory" }), "NOT_TICKET_OWNER");
      await expectCode(tix.tickets.transfer({ ticketId: ticket.id, userId: "alice", to: "alice" }), "INVALID_ARGUMENT");
      await expectCode(tix.tickets.transfer({ ticketId: ticket.id, userId: "alice", to: "has space" }), "INVALID_ARGUMENT");
      const moved = await tix.tickets.transfer({ ticketId: ticket.id, userId: "alice", to: "bob" });
      expect(moved).toMatchObject({ from: "alice", ticket: { id: ticket.id, userId: "bob", status: "purchased", price: "10.00" } });
      expect(moved.orderId).not.toBe(ticket.orderId);
      expect(await tix.tickets.list({ userId: "alice" })).toEqual([]);
      expect((await tix.tickets.list({ userId: "bob" })).map((mine) => mine.id)).toEqual([ticket.id]);
      await expectCode(tix.tickets.transfer({ ticketId: ticket.id, userId: "alice", to: "carol" }), "NOT_TICKET_OWNER");
      await expectCode(tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" }), "NOT_TICKET_OWNER");
      await expectCode(tix.tickets.checkIn({ ticketId: ticket.id, actor: "door", holder: "alice" }), "NOT_TICKET_OWNER");
      expect((await tix.tickets.checkIn({ ticketId: ticket.id, actor: "door", holder: "bob" })).checkedInAt).not.toBeNull();
      await expectCode(tix.tickets.transfer({ ticketId: ticket.id, userId: "bob", to: "carol" }), "ALREADY_CHECKED_IN");
      expect((await tix.log.list({ ticketId: ticket.id })).find((entry) => entry.action === "ticket.transferred"))
        .toMatchObject({ actor: "alice", orderId: moved.orderId, details: { from: "alice", to: "bob", fromOrderId: ticket.orderId } });
      // The key that reserved it can no longer be replayed, and never reserves again.
      await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" }), "IDEMPOTENCY_KEY_REUSED");
      expect(await tix.events.get(event.id)).toMatchObject({ held: 0, sold: 1 });
    });

    it("transfers an order whole (its purchased tickets), within the recipient's per-user limit", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Gig", capacity: 10, price: "10.00", limitPerUser: 3 });
      const order = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k", quantity: 3 });
      await tix.tickets.purchase({ ticketId: order.orderId, userId: "alice" });
      await tix.tickets.cancel({ ticketId: order.tickets[2]!.id, userId: "alice" });
      await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", quantity: 2 });
      await expectCode(tix.tickets.transfer({ ticketId: order.orderId, userId: "alice", to: "bob" }), "LIMIT_EXCEEDED");
      const moved = await tix.tickets.transfer({ ticketId: order.orderId, userId: "alice", to: "carol" });
      expect(moved.tickets.map((ticket) => [ticket.id, ticket.userId])).toEqual([[order.tickets[0]!.id, "carol"], [order.tickets[1]!.id, "carol"]]);
      expect((await tix.tickets.list({ userId: "alice" })).map((ticket) => ticket.status)).toEqual(["cancelled"]);
      const refunded = await tix.tickets.cancel({ ticketId: moved.orderId, userId: "carol" });
      expect(refunded.tickets.map((ticket) => ticket.status)).toEqual(["cancelled", "cancelled"]);
      await expectCode(tix.tickets.transfer({ ticketId: "ord_missing", userId: "alice", to: "bob" }), "TICKET_NOT_FOUND");
    });

    it("takes a waiting recipient off the waiting list when the tickets bring them to the per-user limit, and says so; below it they keep waiting", async () => {
      const { tix } = current();
      const { event } = await tix.events.create({ name: "Tiny", capacity: 1, limitPerUser: 1 });
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k" });
      await tix.tickets.purchase({ ticketId: ticket.id, userId: "bob" });
      await tix.waitlist.join({ eventId: event.id, userId: "alice" });
      const moved = await tix.tickets.transfer({ ticketId: ticket.id, userId: "bob", to: "alice" });
      expect(moved).toMatchObject({ leftWaitlist: true, ticket: { userId: "alice" } });
      expect(await tix.waitlist.show(event.id)).toEqual([]);
      expect((await tix.log.list({ eventId: event.id })).find((entry) => entry.action === "waitlist.left"))
        .toMatchObject({ actor: "system", details: { userId: "alice", tier: "GA", reason: "per-user limit reached by a transfer" } });
      // Her refund frees the place for nobody: she no longer waits, and could not hold it.
      await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
      expect(await tix.events.get(event.id)).toMatchObject({ held: 0, sold: 0, available: 1 });

      const { event: roomy } = await tix.events.create({ name: "Roomy", capacity: 1, limitPerUser: 2 });
      const other = await tix.tickets.reserve({ eventId: roomy.id, userId: "bob", key: "k2" });
      await tix.tickets.purchase({ ticketId: other.ticket.id, userId: "bob" });
      await tix.waitlist.join({ eventId: roomy.id, userId: "alice" });
      expect(await tix.tickets.transfer({ ticketId: other.ticket.id, userId: "bob", to: "alice" })).toMatchObject({ leftWaitlist: false });
      expect((await tix.waitlist.show(roomy.id)).map((entry) => entry.userId)).toEqual(["alice"]);
      // Reaching one event's limit keeps her place in another event's line.
      const third = await tix.tickets.reserve({ eventId: event.id, userId: "dan", key: "k3" });
      await tix.tickets.purchase({ ticketId: third.ticket.id, userId: "dan" });
      expect(await tix.tickets.transfer({ ticketId: third.ticket.id, userId: "dan", to: "alice" })).toMatchObject({ leftWaitlist: false });
      expect((await tix.waitlist.show(roomy.id)).map((entry) => entry.userId)).toEqual(["alice"]);
    });
  });
}
