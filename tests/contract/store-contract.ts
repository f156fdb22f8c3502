import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, WAITLIST_BATCH, type TixError, type TixStore } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { rebuildCounts } from "../helpers/audit-rebuild.js";
import { expectCode } from "../helpers/expect-code.js";
import { salesContract } from "./sales-contract.js";

import type { StoreFactory } from "../helpers/store-factories.js";
import { seatingContract } from "./seating-contract.js";
import { pagedReadsContract } from "./paged-reads-contract.js";
import { snapshotContract } from "./snapshot-contract.js";

export type { StoreFactory };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export { expectCode };

/**
 * The behaviour every store adapter must have. Each adapter's test file calls this with its
 * factory and nothing else: the suite runs unchanged against memory, SQLite and PostgreSQL.
 */
export function storeContract(adapter: string, factory: StoreFactory): void {
  describe(`store contract: ${adapter}`, () => {
    let clock: ManualClock;
    let tix: Tix;
    let dispose: (() => Promise<void>) | undefined;
    let another: (() => Promise<TixStore>) | undefined;

    beforeEach(async () => {
      clock = new ManualClock("2025-05-01T12:00:00Z");
      const opened = await factory(clock);
      dispose = opened.dispose;
      another = opened.another;
      tix = createTix(opened.store, clock);
    });

    afterEach(async () => {
      await tix.close();
      await dispose?.();
    });

    const newEvent = async (capacity = 10, hold = "10m") =>
      (await tix.events.create({ name: "Test Concert", capacity, hold, price: "45.00", venue: "Hall" })).event;

    describe("events", () => {
      it("creates an event with zero counts and reads it back", async () => {
        const { event, created } = await tix.events.create({
          name: "Rock Night", capacity: 5000, venue: "Seattle Dome", startsAt: "2025-06-15T20:00Z", hold: "1h30m", price: "89.50",
        });
        expect(created).toBe(true);
        expect(event).toMatchObject({
          name: "Rock Night", venue: "Seattle Dome", startsAt: "2025-06-15T20:00:00.000Z", capacity: 5000,
          held: 0, sold: 0, available: 5000, holdSeconds: 5400, price: "89.50", priceMinor: 8950, currency: "USD",
        });
        expect(event.id).toMatch(/^evt_/);
        expect(await tix.events.get(event.id)).toEqual(event);
        expect(await tix.events.list()).toEqual([event]);
      });

      it("create with an existing id updates that event instead of adding one", async () => {
        await tix.events.create({ id: "evt_fixed", name: "First", capacity: 10 });
        const { event, created } = await tix.events.create({ id: "evt_fixed", name: "Second", capacity: 20 });
        expect(created).toBe(false);
        expect(event).toMatchObject({ id: "evt_fixed", name: "Second", capacity: 20 });
        expect(await tix.events.list()).toHaveLength(1);
      });

      it("seeds the sample events once; a second seed adds nothing and changes nothing", async () => {
        const first = await tix.events.seed();
        expect(first.every((result) => result.created)).toBe(true);
        const names = first.map((result) => result.event.name);
        expect(names).toEqual(expect.arrayContaining(["Rock Night 2025", "Jazz Evening"]));
        await tix.events.update({ id: "evt_jazz_evening", capacity: 1600 });
        const second = await tix.events.seed();
        expect(second.some((result) => result.created)).toBe(false);
        expect(await tix.events.list()).toHaveLength(first.length);
        expect((await tix.events.get("evt_jazz_evening")).capacity).toBe(1600);
      });

      it("updates fields and keeps the counts", async () => {
        const event = await newEvent(10);
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        const { event: updated } = await tix.events.update({ id: event.id, name: "Renamed", capacity: 12, price: "50.00", hold: "15m" });
        expect(updated).toMatchObject({ name: "Renamed", capacity: 12, held: 1, available: 11, price: "50.00", holdSeconds: 900 });
      });

      it("refuses capacity below held + sold, and changes nothing", async () => {
        const event = await newEvent(3);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
        await expectCode(tix.events.update({ id: event.id, capacity: 1 }), "CAPACITY_BELOW_COMMITTED");
        expect((await tix.events.get(event.id)).capacity).toBe(3);
        expect((await tix.events.update({ id: event.id, capacity: 2 })).event.available).toBe(0);
      });

      it("create with an existing id changes only the fields given, and says what changed", async () => {
        await tix.events.create({ id: "evt_rock", name: "Rock Night 2025", capacity: 5000, venue: "Seattle Dome", startsAt: "2025-06-15T20:00Z", price: "89.00", hold: "15m" });
        const merged = await tix.events.create({ id: "evt_rock", name: "Rock Night", capacity: 6000, actor: "ops" });
        expect(merged.event).toMatchObject({ name: "Rock Night", capacity: 6000, venue: "Seattle Dome", startsAt: "2025-06-15T20:00:00.000Z", price: "89.00", holdSeconds: 900 });
        expect(merged.changes).toEqual([{ field: "name", from: "Rock Night 2025", to: "Rock Night" }, { field: "capacity", from: 5000, to: 6000 }]);
        const replaced = await tix.events.create({ id: "evt_rock", name: "Rock Night", capacity: 6000, actor: "ops", mode: "replace" });
        expect(replaced.event).toMatchObject({ venue: null, startsAt: null, price: "0.00", holdSeconds: 600 });
        expect(replaced.changes.map((change) => change.field)).toEqual(["venue", "startsAt", "price", "holdSeconds"]);
        const updated = await tix.events.update({ id: "evt_rock", price: "45.00", actor: "ops" });
        expect(updated.changes).toEqual([{ field: "price", from: "0.00", to: "45.00" }]);
        const log = await tix.log.list({ eventId: "evt_rock" });
        expect(log.map((entry) => [entry.action, entry.actor, entry.details.changes])).toEqual([
          ["event.created", "library", undefined], ["event.updated", "ops", merged.changes], ["event.updated", "ops", replaced.changes], ["event.updated", "ops", updated.changes],
        ]);
      });

      it("lists events a page at a time, oldest first, after a given id", async () => {
        const ids: string[] = [];
        for (let index = 0; index < 5; index++) ids.push((await tix.events.create({ id: `evt_${9 - index}`, name: `Show ${index}`, capacity: 1 })).event.id);
        const first = await tix.events.page({ limit: 2 });
        expect([first.events.map((event) => event.id), first.next]).toEqual([ids.slice(0, 2), ids[1]]);
        const second = await tix.events.page({ limit: 2, after: first.next! });
        expect([second.events.map((event) => event.id), second.next]).toEqual([ids.slice(2, 4), ids[3]]);
        const last = await tix.events.page({ limit: 2, after: second.next! });
        expect([last.events.map((event) => event.id), last.next]).toEqual([ids.slice(4), null]);
        expect((await tix.events.page({ limit: 1000, after: ids[4] })).events).toEqual([]);
        // An update keeps an event's place.
        await tix.events.update({ id: ids[0]!, capacity: 2 });
        expect((await tix.events.page({ limit: 5 })).events.map((event) => event.id)).toEqual(ids);
        expect((await tix.events.page({ limit: 2 })).events[0]).toEqual(await tix.events.get(ids[0]!));
        await expectCode(tix.events.page({ limit: 2, after: "evt_missing" }), "INVALID_ARGUMENT");
        await expectCode(tix.events.page({ limit: 0 }), "INVALID_ARGUMENT");
        await expectCode(tix.events.page({ limit: 100_001 }), "INVALID_ARGUMENT");
      });

      it("lists events as a person plans — ahead soonest first, then undated, then started latest first — reading only the first N", async () => {
        // The clock reads 2025-05-01T12:00:00Z; ties keep the order of creation.
        const made = [["past_old", "2024-01-01T00:00Z"], ["later", "2025-09-01T00:00Z"], ["undated", undefined], ["tie_a", "2025-06-02T00:00Z"],
          ["past_recent", "2025-04-01T00:00Z"], ["soon", "2025-05-02T00:00Z"], ["now", "2025-05-01T12:00Z"], ["tie_b", "2025-06-02T00:00Z"],
          ["undated_2", undefined], ["past_tie_a", "2025-03-01T00:00Z"], ["past_tie_b", "2025-03-01T00:00Z"]] as const;
        for (const [id, startsAt] of made) await tix.events.create({ id: `evt_${id}`, name: id, capacity: 1, ...(startsAt ? { startsAt } : {}) });
        const planned = ["now", "soon", "tie_a", "tie_b", "later", "undated", "undated_2", "past_recent", "past_tie_a", "past_tie_b", "past_old"].map((id) => `evt_${id}`);
        const all = await tix.events.upcomingFirst();
        expect([all.events.map((event) => event.id), all.total]).toEqual([planned, made.length]);
        expect(all.events[1]).toEqual(await tix.events.get("evt_soon"));
        for (const limit of [1, 3, 5, 6, 7, 8, 11, 12]) {
          const shown = await tix.events.upcomingFirst({ limit });
          expect([shown.events.map((event) => event.id), shown.total]).toEqual([planned.slice(0, limit), made.length]);
        }
        clock.advance(24 * HOUR);
        expect((await tix.events.upcomingFirst({ limit: 2 })).events.map((event) => event.id)).toEqual(["evt_tie_a", "evt_tie_b"]);
        expect(await tix.events.upcomingFirst({ limit: 1 })).toMatchObject({ total: made.length });
        await expectCode(tix.events.upcomingFirst({ limit: 0 }), "INVALID_ARGUMENT");
      });

      it("answers EVENT_NOT_FOUND for unknown ids", async () => {
        await expectCode(tix.events.get("evt_missing"), "EVENT_NOT_FOUND");
        await expectCode(tix.events.update({ id: "evt_missing", capacity: 5 }), "EVENT_NOT_FOUND");
        await expectCode(tix.tickets.reserve({ eventId: "evt_missing", userId: "alice", key: "k" }), "EVENT_NOT_FOUND");
      });
    });

    describe("reserve", () => {
      it("holds one ticket for the event's hold time", async () => {
        const event = await newEvent(10, "10m");
        const { ticket, replayed, key } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        expect(replayed).toBe(false);
        expect(key).toBe("k1");
        expect(ticket).toMatchObject({
          eventId: event.id, userId: "alice", status: "reserved", reservedAt: "2025-05-01T12:00:00.000Z",
          expiresAt: "2025-05-01T12:10:00.000Z", purchasedAt: null, cancelledAt: null, price: "45.00", cardLast4: null,
        });
        expect(ticket.id).toMatch(/^tkt_/);
        expect(await tix.events.get(event.id)).toMatchObject({ held: 1, sold: 0, available: 9 });
        expect(await tix.tickets.get(ticket.id)).toEqual(ticket);
      });

      it("replays the same key and request: the original ticket, nothing created", async () => {
        const event = await newEvent(10);
        const first = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        clock.advance(MINUTE);
        const again = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        expect(again.replayed).toBe(true);
        expect(again.ticket).toEqual(first.ticket);
        expect(await tix.events.get(event.id)).toMatchObject({ held: 1 });
        expect(await tix.tickets.list({ userId: "alice" })).toHaveLength(1);
      });

      it("replays even after the ticket was purchased, returning it as it is now", async () => {
        const event = await newEvent(10);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        const again = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        expect(again).toMatchObject({ replayed: true, ticket: { id: ticket.id, status: "purchased" } });
      });

      it("refuses the same key for another event with IDEMPOTENCY_KEY_REUSED", async () => {
        const one = await newEvent(10);
        const two = await newEvent(10);
        await tix.tickets.reserve({ eventId: one.id, userId: "alice", key: "k1" });
        await expectCode(tix.tickets.reserve({ eventId: two.id, userId: "alice", key: "k1" }), "IDEMPOTENCY_KEY_REUSED");
        expect((await tix.events.get(two.id)).held).toBe(0);
      });

      it("scopes keys per user: another user's identical key makes their own ticket", async () => {
        const event = await newEvent(10);
        const alice = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "shared" });
        const bob = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "shared" });
        expect(bob.replayed).toBe(false);
        expect(bob.ticket.id).not.toBe(alice.ticket.id);
        expect(bob.ticket.userId).toBe("bob");
        expect(await tix.idempotency.lookup({ userId: "bob", key: "shared" })).toMatchObject({ ticket: { id: bob.ticket.id } });
        expect(await tix.idempotency.lookup({ userId: "carol", key: "shared" })).toBeUndefined();
      });

      it("allows one live hold per user per event: DUPLICATE_RESERVATION on a new key", async () => {
        const event = await newEvent(10);
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k2" }), "DUPLICATE_RESERVATION");
        expect((await tix.events.get(event.id)).held).toBe(1);
      });

      it("lets a user hold again once the first ticket is purchased", async () => {
        const event = await newEvent(10);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        const second = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k2" });
        expect(second.replayed).toBe(false);
      });

      it("never oversells: SOLD_OUT when every place is held or sold", async () => {
        const event = await newEvent(2);
        const a = await tix.tickets.reserve({ eventId: event.id, userId: "a", key: "k" });
        await tix.tickets.purchase({ ticketId: a.ticket.id, userId: "a" });
        await tix.tickets.reserve({ eventId: event.id, userId: "b", key: "k" });
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "c", key: "k" }), "SOLD_OUT");
        expect(await tix.events.get(event.id)).toMatchObject({ held: 1, sold: 1, available: 0 });
      });

      it("binds a key only on success: a failed reservation can be retried with the same key", async () => {
        const event = await newEvent(1);
        await tix.tickets.reserve({ eventId: event.id, userId: "a", key: "k" });
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "b", key: "retry-me" }), "SOLD_OUT");
        expect(await tix.idempotency.lookup({ userId: "b", key: "retry-me" })).toBeUndefined();
        await tix.events.update({ id: event.id, capacity: 2 });
        const retried = await tix.tickets.reserve({ eventId: event.id, userId: "b", key: "retry-me" });
        expect(retried.replayed).toBe(false);
      });

      it("generates a key when none is given", async () => {
        const event = await newEvent(10);
        const { key } = await tix.tickets.reserve({ eventId: event.id, userId: "alice" });
        expect(key).toMatch(/^key_/);
        expect(await tix.idempotency.lookup({ userId: "alice", key })).toBeDefined();
      });

      it("keeps keys for 24 hours, then forgets them", async () => {
        const event = await newEvent(10, "1m");
        const first = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "daily" });
        clock.advance(24 * HOUR - 1);
        expect((await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "daily" })).replayed).toBe(true);
        clock.advance(1);
        const fresh = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "daily" });
        expect(fresh.replayed).toBe(false);
        expect(fresh.ticket.id).not.toBe(first.ticket.id);
      });

      it("serialises concurrent reservations: exactly capacity succeed", async () => {
        const event = await newEvent(7);
        const attempts = Array.from({ length: 30 }, (_, index) =>
          tix.tickets.reserve({ eventId: event.id, userId: `user${index}`, key: "k" }));
        const outcomes = await Promise.allSettled(attempts);
        const won = outcomes.filter((outcome) => outcome.status === "fulfilled");
        expect(won).toHaveLength(7);
        for (const outcome of outcomes) {
          if (outcome.status === "rejected") expect((outcome.reason as TixError).code).toBe("SOLD_OUT");
        }
        expect(await tix.events.get(event.id)).toMatchObject({ held: 7, available: 0 });
      });

      it("answers one key sent many times at once with one ticket", async () => {
        const event = await newEvent(10);
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, () => tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "same" })));
        expect(new Set(outcomes.map((outcome) => outcome.ticket.id)).size).toBe(1);
        expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
        expect((await tix.events.get(event.id)).held).toBe(1);
      });
    });

    describe("holds expire", () => {
      it("releases the place at expiresAt; purchase answers HOLD_EXPIRED", async () => {
        const event = await newEvent(1, "10m");
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        clock.advance(10 * MINUTE - 1);
        expect((await tix.tickets.get(ticket.id)).status).toBe("reserved");
        expect((await tix.events.get(event.id)).available).toBe(0);
        clock.advance(1);
        expect((await tix.tickets.get(ticket.id)).status).toBe("expired");
        expect(await tix.events.get(event.id)).toMatchObject({ held: 0, available: 1 });
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" }), "HOLD_EXPIRED");
        await expectCode(tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" }), "HOLD_EXPIRED");
      });

      it("gives an expired place to the next buyer, and lets the first user hold again", async () => {
        const event = await newEvent(1, "45s");
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" }), "SOLD_OUT");
        clock.advance(45_000);
        await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
        await tix.events.update({ id: event.id, capacity: 2 });
        const again = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k2" });
        expect(again.replayed).toBe(false);
        expect(await tix.tickets.list({ eventId: event.id, status: "expired" })).toHaveLength(1);
      });

      it("counts expired holds out of capacity checks on update", async () => {
        const event = await newEvent(2, "1m");
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
        clock.advance(MINUTE);
        expect((await tix.events.update({ id: event.id, capacity: 1 })).event.held).toBe(0);
      });
    });

    describe("purchase", () => {
      it("turns a hold into a sale, keeping only the card's last four digits", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        clock.advance(MINUTE);
        const { ticket: bought } = await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", card: "4242 4242 4242 4242" });
        expect(bought).toMatchObject({ status: "purchased", purchasedAt: "2025-05-01T12:01:00.000Z", cardLast4: "4242" });
        expect(JSON.stringify(await tix.tickets.get(ticket.id))).not.toContain("424242424242");
        expect(await tix.events.get(event.id)).toMatchObject({ held: 0, sold: 1, available: 4 });
        // A purchased ticket never expires.
        clock.advance(HOUR);
        expect((await tix.tickets.get(ticket.id)).status).toBe("purchased");
      });

      it("never charges twice: ALREADY_PURCHASED on a retry", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" }), "ALREADY_PURCHASED");
        expect((await tix.events.get(event.id)).sold).toBe(1);
      });

      it("leaves the hold in place when the card is declined", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", card: "4000000000000002" }), "PAYMENT_DECLINED");
        expect(await tix.tickets.get(ticket.id)).toMatchObject({ status: "reserved", cardLast4: null });
        expect(await tix.events.get(event.id)).toMatchObject({ held: 1, sold: 0 });
        expect((await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" })).ticket.status).toBe("purchased");
      });

      it("refuses a card failing the Luhn check as INVALID_ARGUMENT", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", card: "4242424242424241" }), "INVALID_ARGUMENT");
        expect((await tix.tickets.get(ticket.id)).status).toBe("reserved");
      });

      it("lets only the owner pay: NOT_TICKET_OWNER", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "mallory" }), "NOT_TICKET_OWNER");
        await expectCode(tix.tickets.cancel({ ticketId: ticket.id, userId: "mallory" }), "NOT_TICKET_OWNER");
        expect((await tix.tickets.get(ticket.id)).status).toBe("reserved");
      });

      it("with a key: replays a success (charged once), refuses the key for another request, and keeps it 24 h", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "r1" });
        const first = await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay-1" });
        expect(first).toMatchObject({ replayed: false, key: "pay-1", ticket: { status: "purchased" } });
        clock.advance(MINUTE);
        const again = await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay-1" });
        expect(again).toEqual({ ...first, replayed: true });
        expect((await tix.events.get(event.id)).sold).toBe(1);
        expect((await tix.log.list({ ticketId: ticket.id })).filter((entry) => entry.action === "ticket.purchased")).toHaveLength(1);
        expect(await tix.idempotency.lookup({ userId: "alice", key: "pay-1" })).toMatchObject({ ticket: { id: ticket.id } });

        // Another ticket, another card, or a reservation's key: another request.
        const other = await tix.tickets.reserve({ eventId: (await newEvent(5)).id, userId: "alice", key: "r2" });
        await expectCode(tix.tickets.purchase({ ticketId: other.ticket.id, userId: "alice", key: "pay-1" }), "IDEMPOTENCY_KEY_REUSED");
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay-1", card: "5555555555554444" }), "IDEMPOTENCY_KEY_REUSED");
        await expectCode(tix.tickets.purchase({ ticketId: other.ticket.id, userId: "alice", key: "r1" }), "IDEMPOTENCY_KEY_REUSED");
        expect((await tix.tickets.get(other.ticket.id)).status).toBe("reserved");

        // Scoped to the user: bob's key of the same name is his own.
        const bobs = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "r1" });
        expect((await tix.tickets.purchase({ ticketId: bobs.ticket.id, userId: "bob", key: "pay-1" })).replayed).toBe(false);

        // Kept at least 24 h, then forgotten: the ticket is simply already purchased.
        clock.advance(23 * HOUR);
        expect((await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay-1" })).replayed).toBe(true);
        clock.advance(HOUR);
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay-1" }), "ALREADY_PURCHASED");
      });

      it("with a key: a declined card or a failure binds nothing, so the same key may be retried", async () => {
        const event = await newEvent(5);
        const { ticket, orderId } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "r1" });
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay", card: "4000000000000002" }), "PAYMENT_DECLINED");
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "mallory", key: "pay" }), "NOT_TICKET_OWNER");
        expect(await tix.idempotency.lookup({ userId: "alice", key: "pay" })).toBeUndefined();
        const paid = await tix.tickets.purchase({ ticketId: orderId, userId: "alice", key: "pay" });
        expect(paid).toMatchObject({ replayed: false, ticket: { id: ticket.id, status: "purchased" } });
        expect((await tix.tickets.purchase({ ticketId: orderId, userId: "alice", key: "pay" })).replayed).toBe(true);
        // The order and its ticket are two requests: the key names the first.
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "pay" }), "IDEMPOTENCY_KEY_REUSED");
      });

      it("with a key sent many times at once: one charge, every answer the same ticket", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "r1" });
        const answers = await Promise.all(Array.from({ length: 8 }, () => tix.tickets.purchase({ ticketId: ticket.id, userId: "alice", key: "rush" })));
        expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
        expect(new Set(answers.map((answer) => JSON.stringify(answer.ticket))).size).toBe(1);
        expect((await tix.events.get(event.id)).sold).toBe(1);
      });

      it("answers TICKET_NOT_FOUND for unknown tickets", async () => {
        await expectCode(tix.tickets.purchase({ ticketId: "tkt_missing", userId: "alice" }), "TICKET_NOT_FOUND");
        await expectCode(tix.tickets.cancel({ ticketId: "tkt_missing", userId: "alice" }), "TICKET_NOT_FOUND");
        await expectCode(tix.tickets.get("tkt_missing"), "TICKET_NOT_FOUND");
      });
    });

    describe("cancel", () => {
      it("releases a hold: the place goes back on sale", async () => {
        const event = await newEvent(1);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        const { ticket: cancelled } = await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
        expect(cancelled).toMatchObject({ status: "cancelled", cancelledAt: "2025-05-01T12:00:00.000Z", purchasedAt: null });
        expect(await tix.events.get(event.id)).toMatchObject({ held: 0, available: 1 });
        await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
      });

      it("cancels and refunds a purchase", async () => {
        const event = await newEvent(1);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        const { ticket: cancelled } = await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
        expect(cancelled).toMatchObject({ status: "cancelled", cardLast4: "4242" });
        expect(cancelled.purchasedAt).not.toBeNull();
        expect(await tix.events.get(event.id)).toMatchObject({ sold: 0, available: 1 });
        await expectCode(tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" }), "ALREADY_CANCELLED");
        await expectCode(tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" }), "ALREADY_CANCELLED");
      });
    });

    describe("box office: tiers, orders, limits, waiting list, check-in, audit log", () => {
      const gala = async (options: { limitPerUser?: number } = {}) =>
        (await tix.events.create({ name: "Gala", tiers: ["VIP:2:120.00", "GA:3:45.00"], hold: "10m", ...options })).event;

      it("sells each tier against its own capacity and price; the event's counts are their sums", async () => {
        const event = await gala();
        expect(event).toMatchObject({ capacity: 5, price: "45.00", tiers: [{ name: "VIP", capacity: 2, price: "120.00" }, { name: "GA", capacity: 3 }] });
        const vip = await tix.tickets.reserve({ eventId: event.id, userId: "a", key: "k", tier: "VIP", quantity: 2 });
        expect(vip.tickets.map((t) => [t.tier, t.price])).toEqual([["VIP", "120.00"], ["VIP", "120.00"]]);
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "b", key: "k", tier: "VIP" }), "SOLD_OUT");
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "b", key: "k" }), "INVALID_ARGUMENT");
        await tix.tickets.reserve({ eventId: event.id, userId: "b", key: "k", tier: "GA" });
        expect(await tix.events.get(event.id)).toMatchObject({ held: 3, available: 2, tiers: [{ held: 2, available: 0 }, { held: 1, available: 2 }] });
      });

      it("holds an order of N tickets all or none, pays and cancels it by its id, and replays it whole", async () => {
        const event = await newEvent(4);
        const order = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "party", quantity: 3 });
        expect(order.tickets).toHaveLength(3);
        expect(new Set(order.tickets.map((t) => t.orderId))).toEqual(new Set([order.orderId]));
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", quantity: 2 }), "SOLD_OUT");
        expect((await tix.events.get(event.id)).held).toBe(3);
        const replay = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "party", quantity: 3 });
        expect(replay).toMatchObject({ replayed: true, orderId: order.orderId });
        expect(replay.tickets.map((t) => t.id)).toEqual(order.tickets.map((t) => t.id));
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "party", quantity: 2 }), "IDEMPOTENCY_KEY_REUSED");
        const paid = await tix.tickets.purchase({ ticketId: order.orderId, userId: "alice" });
        expect(paid.tickets.map((t) => t.status)).toEqual(["purchased", "purchased", "purchased"]);
        expect(await tix.events.get(event.id)).toMatchObject({ held: 0, sold: 3 });
        await expectCode(tix.tickets.purchase({ ticketId: order.orderId, userId: "alice" }), "ALREADY_PURCHASED");
        await expectCode(tix.tickets.purchase({ ticketId: order.orderId, userId: "bob" }), "NOT_TICKET_OWNER");
        const cancelled = await tix.tickets.cancel({ ticketId: order.orderId, userId: "alice" });
        expect(cancelled.tickets.every((t) => t.status === "cancelled")).toBe(true);
        expect((await tix.events.get(event.id)).available).toBe(4);
        await expectCode(tix.tickets.purchase({ ticketId: "ord_missing", userId: "alice" }), "TICKET_NOT_FOUND");
      });

      it("enforces a per-user limit over held and purchased tickets instead of the one-hold rule", async () => {
        const event = (await tix.events.create({ name: "Limited", capacity: 10, limitPerUser: 3 })).event;
        expect(event.limitPerUser).toBe(3);
        const first = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "1", quantity: 2 });
        await tix.tickets.purchase({ ticketId: first.orderId, userId: "alice" });
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "2" });
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "3" }), "LIMIT_EXCEEDED");
        await tix.events.update({ id: event.id, limitPerUser: "none" });
        await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "3" }), "DUPLICATE_RESERVATION");
      });

      it("tells a joining user their place in line, counted in the line's order, and 0 for a user not in it", async () => {
        const event = await newEvent(1, "10m");
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" });
        const places = [];
        for (const userId of ["bob", "carol", "dan"]) places.push((await tix.waitlist.join({ eventId: event.id, userId })).entry.position);
        expect(places).toEqual([1, 2, 3]);
        // The same moment for all three (a ManualClock): the order they joined decides.
        expect(await tix.store.waitlistPosition({ eventId: event.id, userId: "carol" })).toBe(2);
        await tix.waitlist.leave({ eventId: event.id, userId: "bob" });
        expect(await tix.store.waitlistPosition({ eventId: event.id, userId: "carol" })).toBe(1);
        expect(await tix.store.waitlistPosition({ eventId: event.id, userId: "bob" })).toBe(0);
        clock.advance(1000);
        expect((await tix.waitlist.join({ eventId: event.id, userId: "erin" })).entry.position).toBe(3);
        // Joining again keeps the place.
        expect((await tix.waitlist.join({ eventId: event.id, userId: "carol" })).entry.position).toBe(1);
      });

      it("gives a released place to the first waiting user: on cancel, on expiry, on a capacity raise", async () => {
        const event = await newEvent(1, "10m");
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" });
        const bob = await tix.waitlist.join({ eventId: event.id, userId: "bob" });
        expect(bob).toMatchObject({ joined: true, ticket: null, entry: { position: 1 } });
        await tix.waitlist.join({ eventId: event.id, userId: "carol" });
        await tix.waitlist.join({ eventId: event.id, userId: "dan" });
        expect((await tix.waitlist.show(event.id)).map((entry) => entry.userId)).toEqual(["bob", "carol", "dan"]);

        await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
        const [bobHold] = await tix.tickets.list({ userId: "bob" });
        expect(bobHold).toMatchObject({ status: "reserved", expiresAt: "2025-05-01T12:10:00.000Z" });

        clock.advance(10 * MINUTE);
        expect(await tix.tickets.list({ userId: "carol", status: "reserved" })).toHaveLength(1);
        expect((await tix.tickets.get(bobHold!.id)).status).toBe("expired");

        await tix.events.update({ id: event.id, capacity: 2 });
        expect(await tix.tickets.list({ userId: "dan", status: "reserved" })).toHaveLength(1);
        expect(await tix.waitlist.show(event.id)).toEqual([]);
        expect(await tix.events.get(event.id)).toMatchObject({ held: 2, available: 0 });
      });

      it("takes off the line the waiting users a changed per-user limit no longer admits", async () => {
        const event = (await tix.events.create({ name: "Pairs", tiers: ["VIP:1:10", "GA:1:10"], limitPerUser: 2 })).event;
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k", tier: "VIP" });
        const bobs = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", tier: "GA" });
        await tix.waitlist.join({ eventId: event.id, userId: "alice", tier: "GA" });
        const { leftWaitlist } = await tix.events.update({ id: event.id, limitPerUser: "none" });
        expect(leftWaitlist).toEqual([{ userId: "alice", tier: "GA", reason: "per-user limit changed" }]);
        expect(await tix.waitlist.show(event.id)).toEqual([]);
        await tix.tickets.cancel({ ticketId: bobs.ticket.id, userId: "bob" });
        expect(await tix.tickets.list({ userId: "alice", status: "reserved" })).toHaveLength(1);
        expect((await tix.events.get(event.id)).tiers[1]).toMatchObject({ name: "GA", held: 0, available: 1 });
        expect((await tix.log.list({ eventId: event.id })).some((entry) => entry.action === "waitlist.left" && entry.actor === "system")).toBe(true);
      });

      it("logs a waiting user who reserves on their own leaving the line, by that user", async () => {
        const event = (await tix.events.create({ name: "Two tiers", tiers: ["VIP:1:100", "GA:5:20"] })).event;
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k", tier: "VIP" });
        await tix.waitlist.join({ eventId: event.id, userId: "bob", tier: "VIP" });
        await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", tier: "GA" });
        expect(await tix.waitlist.show(event.id)).toEqual([]);
        const left = (await tix.log.list({ eventId: event.id })).filter((entry) => entry.action.startsWith("waitlist."));
        expect(left.map((entry) => [entry.action, entry.actor, entry.details])).toEqual([
          ["waitlist.joined", "bob", { tier: "VIP" }],
          ["waitlist.left", "bob", { tier: "VIP", reason: "reserved" }],
        ]);
      });

      it("gives a place freed in one tier to its first waiting user, however many wait ahead for another tier", async () => {
        const event = (await tix.events.create({ name: "Two lines", tiers: ["VIP:1:10", "GA:1:10"] })).event;
        await tix.tickets.reserve({ eventId: event.id, userId: "vip", key: "k", tier: "VIP" });
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", tier: "GA" });
        // More waiting for VIP than one operation considers, then carol, first in GA's line.
        for (let index = 0; index <= WAITLIST_BATCH; index += 1) await tix.waitlist.join({ eventId: event.id, userId: `w${index}`, tier: "VIP" });
        await tix.waitlist.join({ eventId: event.id, userId: "carol", tier: "GA" });
        await tix.tickets.cancel({ ticketId: ticket.id, userId: "bob" });
        const carols = await tix.tickets.list({ userId: "carol", eventId: event.id });
        expect(carols.map((held) => [held.tier, held.status])).toEqual([["GA", "reserved"]]);
        expect((await tix.waitlist.show(event.id)).some((entry) => entry.userId === "carol")).toBe(false);
      });

      it("checks every waiting user against a changed per-user limit, however long the line", async () => {
        const event = (await tix.events.create({ name: "Long line", tiers: ["VIP:1:10", "GA:1:10"], limitPerUser: 2 })).event;
        await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k", tier: "VIP" });
        await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", tier: "GA" });
        // More waiting users than one operation promotes, then alice last: the new limit refuses only her.
        for (let index = 0; index <= WAITLIST_BATCH; index += 1) await tix.waitlist.join({ eventId: event.id, userId: `w${index}`, tier: "GA" });
        await tix.waitlist.join({ eventId: event.id, userId: "alice", tier: "GA" });
        const { leftWaitlist } = await tix.events.update({ id: event.id, limitPerUser: "none" });
        expect(leftWaitlist).toEqual([{ userId: "alice", tier: "GA", reason: "per-user limit changed" }]);
        const line = await tix.waitlist.show(event.id);
        expect(line).toHaveLength(WAITLIST_BATCH + 1);
        expect(line.some((entry) => entry.userId === "alice")).toBe(false);
      });

      it("holds a free place at once for a user who joins; leaving takes a user off the list", async () => {
        const event = await newEvent(1);
        const joined = await tix.waitlist.join({ eventId: event.id, userId: "bob" });
        expect(joined.ticket).toMatchObject({ userId: "bob", status: "reserved" });
        await tix.waitlist.join({ eventId: event.id, userId: "carol" });
        await tix.waitlist.leave({ eventId: event.id, userId: "carol" });
        await expectCode(tix.waitlist.leave({ eventId: event.id, userId: "carol" }), "NOT_WAITING");
        await expectCode(tix.waitlist.join({ eventId: "evt_missing", userId: "carol" }), "EVENT_NOT_FOUND");
      });

      it("checks a purchased ticket in once; a checked-in ticket cannot be cancelled", async () => {
        const event = await newEvent(5);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" });
        await expectCode(tix.tickets.checkIn({ ticketId: ticket.id, actor: "door" }), "TICKET_NOT_PURCHASED");
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        clock.advance(MINUTE);
        expect((await tix.tickets.checkIn({ ticketId: ticket.id, actor: "door" })).checkedInAt).toBe("2025-05-01T12:01:00.000Z");
        await expectCode(tix.tickets.checkIn({ ticketId: ticket.id, actor: "door" }), "ALREADY_CHECKED_IN");
        await expectCode(tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" }), "ALREADY_CHECKED_IN");
        expect((await tix.events.report(event.id)).total).toMatchObject({ sold: 1, revenue: "45.00", checkedIn: 1 });
      });

      it("logs every change, declined payments included, and the counts can be rebuilt from the log alone", async () => {
        const event = await gala();
        const plain = await newEvent(2, "1m");
        const order = await tix.tickets.reserve({ eventId: event.id, userId: "a", key: "1", tier: "VIP", quantity: 2 });
        await expectCode(tix.tickets.purchase({ ticketId: order.orderId, userId: "a", card: "4000000000000002" }), "PAYMENT_DECLINED");
        await tix.tickets.purchase({ ticketId: order.orderId, userId: "a" });
        await tix.tickets.cancel({ ticketId: order.tickets[0]!.id, userId: "a" });
        await tix.tickets.checkIn({ ticketId: order.tickets[1]!.id, actor: "door" });
        const ga = await tix.tickets.reserve({ eventId: event.id, userId: "b", key: "1", tier: "GA" });
        await tix.tickets.cancel({ ticketId: ga.ticket.id, userId: "b" });
        await tix.tickets.reserve({ eventId: plain.id, userId: "c", key: "1" });
        await tix.tickets.reserve({ eventId: plain.id, userId: "d", key: "1" });
        await tix.waitlist.join({ eventId: plain.id, userId: "e" });
        clock.advance(MINUTE);
        await tix.events.update({ id: plain.id, capacity: 3 });

        const log = await tix.log.list();
        expect(new Set(log.map((entry) => entry.action))).toEqual(new Set([
          "event.created", "event.updated", "ticket.reserved", "payment.declined", "ticket.purchased", "ticket.refunded",
          "ticket.checked_in", "ticket.cancelled", "ticket.expired", "waitlist.joined", "waitlist.promoted",
        ]));
        // Strictly increasing (PostgreSQL identities may skip numbers after a retried transaction).
        expect(log.every((entry, index) => index === 0 || entry.seq > log[index - 1]!.seq)).toBe(true);
        expect(log.find((entry) => entry.action === "payment.declined")).toMatchObject({ actor: "a", details: { cardLast4: "0002" } });
        expect(JSON.stringify(log)).not.toContain("4000000000000002");

        for (const current of await tix.events.list()) {
          expect(rebuildCounts(log.filter((entry) => entry.eventId === current.id))).toEqual(
            Object.fromEntries(current.tiers.map((tier) => [tier.name, { capacity: tier.capacity, held: tier.held, sold: tier.sold }])));
        }
        expect((await tix.log.list({ ticketId: order.tickets[1]!.id })).map((entry) => entry.action))
          .toEqual(["ticket.reserved", "payment.declined", "ticket.purchased", "ticket.checked_in"]);
      });

      it("reads the latest entries of the log alone, with how many there are, for the whole log, an event and a ticket", async () => {
        const event = await newEvent(10);
        const other = await newEvent(10);
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" });
        await tix.tickets.reserve({ eventId: other.id, userId: "bob", key: "k2" });
        await tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" });
        for (const filter of [{}, { eventId: event.id }, { ticketId: ticket.id }]) {
          const all = await tix.log.list(filter);
          for (const limit of [1, 2, all.length, all.length + 5]) {
            const { entries, total } = await tix.log.latest({ ...filter, limit });
            expect(entries, `${JSON.stringify(filter)}, ${limit}`).toEqual(all.slice(Math.max(0, all.length - limit)));
            expect(total).toBe(all.length);
          }
        }
        await expectCode(tix.log.latest({ eventId: "evt_none", limit: 5 }), "EVENT_NOT_FOUND");
        await expectCode(tix.log.latest({ limit: 0 }), "INVALID_ARGUMENT");
      });

      it("creates many events in one transaction: all, or none when one fails", async () => {
        await tix.events.create({ id: "evt_eur", name: "Euro Night", capacity: 5, currency: "EUR" });
        await expectCode(tix.events.createMany({ events: [{ id: "evt_new", name: "New", capacity: 5 }, { id: "evt_eur", name: "Now in USD", capacity: 5, currency: "USD" }] }), "INVALID_ARGUMENT");
        await expectCode(tix.events.get("evt_new"), "EVENT_NOT_FOUND");
        const results = await tix.events.createMany({ events: [{ id: "evt_new", name: "New", capacity: 5 }, { name: "Another", capacity: 7 }] });
        expect(results.map((result) => result.created)).toEqual([true, true]);
      });
    });

    salesContract(() => ({ tix, clock }));
    seatingContract(() => ({ tix, clock }));
    pagedReadsContract(() => ({ tix, clock }));

    snapshotContract(adapter, () => ({ tix, clock, another }));

    describe("ticket lists", () => {
      it("filters by user, event and status, oldest first", async () => {
        const one = await newEvent(10);
        const two = await newEvent(10);
        const a1 = await tix.tickets.reserve({ eventId: one.id, userId: "alice", key: "1" });
        clock.advance(1000);
        const a2 = await tix.tickets.reserve({ eventId: two.id, userId: "alice", key: "2" });
        clock.advance(1000);
        const b1 = await tix.tickets.reserve({ eventId: one.id, userId: "bob", key: "1" });
        await tix.tickets.purchase({ ticketId: a2.ticket.id, userId: "alice" });
        const ids = (tickets: Array<{ id: string }>) => tickets.map((ticket) => ticket.id);
        expect(ids(await tix.tickets.list({ userId: "alice" }))).toEqual([a1.ticket.id, a2.ticket.id]);
        expect(ids(await tix.tickets.list({ eventId: one.id }))).toEqual([a1.ticket.id, b1.ticket.id]);
        expect(ids(await tix.tickets.list({ userId: "alice", status: "purchased" }))).toEqual([a2.ticket.id]);
        expect(ids(await tix.tickets.list({}))).toEqual([a1.ticket.id, a2.ticket.id, b1.ticket.id]);
        // @ts-expect-error a program in JavaScript may pass any text
        await expectCode(tix.tickets.list({ status: "lost" }), "INVALID_ARGUMENT");
      });
    });
  });
}
