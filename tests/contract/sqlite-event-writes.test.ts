import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock, type TixError } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A SQLite write transaction writes each event it changed once, as its last operation left it
 * (sqlite-repository.ts, EventWrites): what a group commit's batch stores and answers must be what
 * the same operations one by one would — read here from the file by another connection.
 */
let dir: { path: string; remove: () => void };
let tix: Tix;
let side: Database.Database;
const clock = new ManualClock("2030-01-01T12:00:00Z");

beforeEach(async () => {
  dir = tempDir("tix-event-writes-");
  const path = join(dir.path, "tix.db");
  tix = createTix(await openStore(`sqlite:${path}`, { clock, groupCommit: true }), clock);
  side = new Database(path, { readonly: true });
});
afterEach(async () => {
  side.close();
  await tix.close();
  dir.remove();
});

const storedTiers = (eventId: string) =>
  side.prepare("SELECT name, capacity, held, sold FROM tiers WHERE event_id = ? ORDER BY position").all(eventId);

it("one batch creates an event, reserves it past its capacity and changes it: the file holds the event as the last operation left it", async () => {
  // Nothing awaited between them: all go in one batch, decided in this order.
  const created = tix.events.create({ id: "evt_one_batch", name: "Batch", tiers: ["GA:3:10.00", "VIP:1:50.00"] });
  const reserves = Array.from({ length: 5 }, (_, index) => tix.tickets.reserve({ eventId: "evt_one_batch", userId: `fan${index}`, key: `k${index}`, tier: "GA" }));
  const renamed = tix.events.update({ id: "evt_one_batch", name: "Renamed" });
  const more = tix.tickets.reserve({ eventId: "evt_one_batch", userId: "vip", key: "kv", tier: "VIP" });
  const outcomes = await Promise.allSettled([created, ...reserves, renamed, more]);
  const codes = outcomes.map((outcome) => (outcome.status === "fulfilled" ? "ok" : (outcome.reason as TixError).code));
  expect(codes).toEqual(["ok", "ok", "ok", "ok", "SOLD_OUT", "SOLD_OUT", "ok", "ok"]);
  expect(side.prepare("SELECT name FROM events WHERE id = 'evt_one_batch'").pluck().get()).toBe("Renamed");
  expect(storedTiers("evt_one_batch")).toEqual([
    { name: "GA", capacity: 3, held: 3, sold: 0 },
    { name: "VIP", capacity: 1, held: 1, sold: 0 },
  ]);
  expect(side.prepare("SELECT count(*) FROM tickets WHERE event_id = 'evt_one_batch'").pluck().get()).toBe(4);
  expect(await tix.events.get("evt_one_batch")).toMatchObject({ name: "Renamed", held: 4, tiers: [{ held: 3 }, { held: 1 }] });
});

it("a batch's reserves of two events, and a cancel, leave each event's stored counts as their tickets say", async () => {
  await tix.events.create({ id: "evt_a", name: "A", capacity: 10 });
  await tix.events.create({ id: "evt_b", name: "B", capacity: 10 });
  const first = await tix.tickets.reserve({ eventId: "evt_a", userId: "early", key: "k" });
  const batch = await Promise.all([
    tix.tickets.reserve({ eventId: "evt_a", userId: "u1", key: "k" }),
    tix.tickets.reserve({ eventId: "evt_b", userId: "u1", key: "k2" }),
    tix.tickets.cancel({ ticketId: first.ticket.id, userId: "early" }),
    tix.tickets.reserve({ eventId: "evt_b", userId: "u2", key: "k" }),
  ]);
  expect(batch.map((answer) => answer.ticket.status)).toEqual(["reserved", "reserved", "cancelled", "reserved"]);
  expect(storedTiers("evt_a")).toEqual([{ name: "GA", capacity: 10, held: 1, sold: 0 }]);
  expect(storedTiers("evt_b")).toEqual([{ name: "GA", capacity: 10, held: 2, sold: 0 }]);
});

it("a batch writes the rows that differ from the stored event, whatever went between: a tier moved and moved back, one changed, the event's own row", async () => {
  await tix.events.create({ id: "evt_rows", name: "Rows", tiers: ["GA:10:10.00", "VIP:2:50.00"] });
  const held = await tix.tickets.reserve({ eventId: "evt_rows", userId: "u0", key: "k", tier: "VIP" });
  // VIP's counts move and come back to what is stored (skipped); GA's move (written).
  await Promise.all([
    tix.tickets.reserve({ eventId: "evt_rows", userId: "u1", key: "k", tier: "GA" }),
    tix.tickets.cancel({ ticketId: held.ticket.id, userId: "u0" }),
    tix.tickets.reserve({ eventId: "evt_rows", userId: "u2", key: "k", tier: "VIP" }),
  ]);
  expect(storedTiers("evt_rows")).toEqual([
    { name: "GA", capacity: 10, held: 1, sold: 0 },
    { name: "VIP", capacity: 2, held: 1, sold: 0 },
  ]);
  // The event's own row changes after a reserve read it, in the same batch; then a batch changes the name and changes it back.
  await Promise.all([
    tix.tickets.reserve({ eventId: "evt_rows", userId: "u3", key: "k", tier: "GA" }),
    tix.events.update({ id: "evt_rows", name: "Renamed" }),
  ]);
  expect(side.prepare("SELECT name FROM events WHERE id = 'evt_rows'").pluck().get()).toBe("Renamed");
  await Promise.all([
    tix.events.update({ id: "evt_rows", name: "Again" }),
    tix.tickets.reserve({ eventId: "evt_rows", userId: "u4", key: "k", tier: "VIP" }),
    tix.events.update({ id: "evt_rows", name: "Renamed" }),
  ]);
  expect(side.prepare("SELECT name FROM events WHERE id = 'evt_rows'").pluck().get()).toBe("Renamed");
  expect(storedTiers("evt_rows")).toEqual([
    { name: "GA", capacity: 10, held: 2, sold: 0 },
    { name: "VIP", capacity: 2, held: 2, sold: 0 },
  ]);
  expect(await tix.events.get("evt_rows")).toMatchObject({ name: "Renamed", held: 4, capacity: 12 });
});
