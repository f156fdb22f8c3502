import { describe, expect, it } from "vitest";
import { ManualClock, isTixError, type Change, type EventRecord } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { prepareCreate } from "../../src/app/events.js";
import { openStore } from "../../src/store/open-store.js";
import {
  cancelOperation,
  createEventOperation,
  createVoucherOperation,
  joinWaitlistOperation,
  leaveWaitlistOperation,
  purchaseOperation,
  reserveOperation,
  transferOperation,
  updateEventOperation,
  type Operation,
} from "../../src/store/operations.js";
import type { Outcome } from "../../src/store/runner.js";
import { Database, type Statement } from "../../src/store/postgres/connection.js";
import { TransactionRunner } from "../../src/store/postgres/transaction-runner.js";
import { sequentialIds } from "../helpers/core-fixtures.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";

/**
 * A batch on PostgreSQL (group commit) reads every operation's snapshot in its first flight and
 * decides them one after another; an operation that may read what an earlier one wrote reads its
 * snapshot again. Each scenario runs the same operations as one batch in one database and one by
 * one in a copy of it, and asserts the same answers and the same rows — and how many round trips
 * the batch took.
 */
const skipReason = postgresUnavailableReason();
const T0 = Date.UTC(2030, 0, 1, 12);
const CARD = "4242 4242 4242 4242";

describe.skipIf(skipReason !== undefined)(`PostgreSQL: a batch of operations${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let copiesMade = 0;

  /** Two databases in the same state: what `setUp` made in the first, copied as the second. */
  async function twins<T>(setUp: (tix: Tix, clock: ManualClock) => Promise<T>): Promise<{ urls: [string, string]; made: T }> {
    const url = await server.createDatabase();
    const clock = new ManualClock(T0);
    const tix = createTix(await openStore(url, { clock }), clock);
    let made: T;
    try {
      made = await setUp(tix, clock);
    } finally {
      await tix.close();
    }
    const copy = `batch_copy_${++copiesMade}`;
    await server.query(`CREATE DATABASE ${copy} TEMPLATE ${databaseOf(url)}`);
    return { urls: [url, server.urlFor(copy)], made };
  }

  /** `operations()` as one batch in the first database, one by one in the second, at `at`: the answers, the same on both, and the batch's round trips. */
  async function compare(urls: [string, string], at: number, operations: () => Array<Operation<unknown>>) {
    const [batched, alone] = urls.map((url) => openRunner(url, at));
    try {
      const together = answers(await batched!.runner.runBatch(operations(), "each-alone"));
      const oneByOne: unknown[] = [];
      for (const operation of operations()) oneByOne.push(...answers(await alone!.runner.runBatch([operation], "each-alone")));
      expect(together).toEqual(oneByOne);
      expect(await rows(urls[0])).toEqual(await rows(urls[1]));
      return { answers: together, roundTrips: batched!.roundTrips(), firstFlight: batched!.firstFlight(), lastFlight: batched!.lastFlight() };
    } finally {
      await Promise.all([batched!.runner.close(), alone!.runner.close()]);
    }
  }

  /** The rows of every table of tix, in a set order, without sequence numbers. */
  async function rows(url: string) {
    const tables = {
      events: "id", tiers: "event_id, position", tickets: "id", idempotency_keys: "user_id, key", waitlist: "event_id, user_id",
      audit_log: "seq", vouchers: "event_id, code", event_seats: "event_id",
    };
    const all: Record<string, unknown> = {};
    for (const [table, order] of Object.entries(tables)) {
      const found = await server.query(`SELECT * FROM tix.${table} ORDER BY ${order}`, [], databaseOf(url));
      all[table] = found.map(({ seq: _seq, ...row }) => row);
    }
    return all;
  }

  it("decides independent reserves on one event in two round trips, the last places going to the first", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Last places", capacity: 3 })).event.id);
    const users = ["ann", "ben", "cat", "dan", "eve"];
    const { answers: got, roundTrips, firstFlight } = await compare(urls, T0, () => users.map((userId) => reserveOperation({ eventId, userId, key: "k", quantity: 1 })));
    expect(got.map(codeOf)).toEqual(["ok", "ok", "ok", "SOLD_OUT", "SOLD_OUT"]);
    expect(roundTrips).toBe(2);
    expect(firstFlight).toHaveLength(5); // BEGIN, the schema's version, generic plans, the locks, the five snapshots in one statement
  });

  it("reads a lone operation's snapshot with a statement of its own shape: its values as parameters, no array of operations", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Lone", capacity: 2 })).event.id);
    const lone = openRunner(urls[0], T0);
    const batched = openRunner(urls[1], T0);
    try {
      const reserve = (userId: string) => reserveOperation({ eventId, userId, key: "k", quantity: 1 });
      expect(answers(await lone.runner.runBatch([reserve("ann")], "each-alone")).map(codeOf)).toEqual(["ok"]);
      expect(lone.roundTrips()).toBe(2);
      const [begin, schemaVersion, locks, snapshot] = lone.firstFlight();
      expect(lone.firstFlight()).toHaveLength(4); // BEGIN, the schema's version, the locks, the snapshot
      expect(begin).toBe("BEGIN");
      expect(schemaVersion).toMatch(/schema_info/);
      expect(locks).toMatch(/FOR UPDATE/);
      expect(snapshot).not.toMatch(/json_to_recordset/);
      expect(answers(await batched.runner.runBatch([reserve("ann"), reserve("ben")], "each-alone")).map(codeOf)).toEqual(["ok", "ok"]);
      expect(batched.firstFlight()[4]).toMatch(/json_to_recordset/);
      // Built by one builder: the two differ in where an operation's values come from (one event:
      // a parameter, not the CTE of the locked events), not in what they read.
      const reads = (text: string) => [...text.slice(text.indexOf("SELECT o.at AS now")).matchAll(/\) (?:END )?AS ("?\w+"?)/g)].map(([, name]) => name);
      expect(reads(snapshot!)).toEqual(reads(batched.firstFlight()[4]!));
      expect(reads(snapshot!)).toEqual(["events", "due", "seats", '"keyRecord"', '"keyTickets"', "standing", '"waitlistEntry"']);
    } finally {
      await Promise.all([lone.runner.close(), batched.runner.close()]);
    }
  });

  it("plans a batch's statements once on a connection, for any values (generic plans in its transaction); a lone operation's too", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Plans", capacity: 20 })).event.id);
    const { database, runner } = openRunner(urls[0], T0);
    try {
      const reserve = (userId: string) => reserveOperation({ eventId, userId, key: `k-${userId}`, quantity: 1 });
      for (let flight = 0; flight < 3; flight += 1) {
        expect(answers(await runner.runBatch([reserve(`a${flight}`), reserve(`b${flight}`)], "each-alone")).map(codeOf)).toEqual(["ok", "ok"]);
      }
      expect(answers(await runner.runBatch([reserve("lone")], "each-alone")).map(codeOf)).toEqual(["ok"]);
      // pg_prepared_statements shows a session's own statements: the one connection the runner opened.
      const connection = await database.reserve(database.deadline());
      let rows: Array<Record<string, unknown>>;
      try {
        [rows] = (await database.pipeline(connection, [["SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"]])) as [Array<Record<string, unknown>>];
      } finally {
        database.release(connection);
      }
      const plans = (pattern: RegExp) => rows.filter((row) => pattern.test(String(row.statement))).map((row) => [Number(row.generic_plans), Number(row.custom_plans)]);
      const batchLocks = plans(/pg_advisory_xact_lock\(hashtextextended\(name/);
      const batchReads = plans(/json_to_recordset\(\$\d+::json\) AS \("now"/);
      const batchWrites = plans(/^WITH w0 AS .*json_to_recordset/s);
      for (const found of [batchLocks, batchReads, batchWrites]) expect(found).toEqual([[3, 0]]);
      // The lone reserve's snapshot (its values as parameters) in its generic plan too: set by its
      // lock statement, it was planned for its values at every run (~450 µs of the server's a reserve).
      const loneReads = plans(/^WITH ops AS MATERIALIZED \(SELECT coalesce/);
      expect(loneReads).toEqual([[1, 0]]);
    } finally {
      await runner.close();
    }
  });

  it("reads a flight's snapshots over several events with one statement, each operation seeing its own events", async () => {
    const { urls, made } = await twins(async (tix) => ({
      plain: (await tix.events.create({ name: "Plain", capacity: 2 })).event.id,
      seated: (await tix.events.create({ name: "Seated", seats: ["Stalls:A:1-3"], tiers: ["Stalls:30.00"] })).event.id,
    }));
    const { plain, seated } = made;
    const { answers: got, roundTrips, firstFlight } = await compare(urls, T0, () => [
      reserveOperation({ eventId: seated, userId: "ann", key: "k", quantity: 2 }),
      reserveOperation({ eventId: plain, userId: "ben", key: "k", quantity: 1 }),
      reserveOperation({ eventId: plain, userId: "cat", key: "k", quantity: 1 }),
      reserveOperation({ eventId: seated, userId: "dan", key: "k", quantity: 2 }),
      reserveOperation({ eventId: plain, userId: "eve", key: "k", quantity: 1 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "ok", "ok", "SOLD_OUT", "SOLD_OUT"]);
    expect(firstFlight).toHaveLength(5);
    // Read again: dan's snapshot only (ann took seats he would read). The plain event's reserves
    // were not given the seated event's seats, so ann's writes did not make them read again.
    expect(roundTrips).toBe(3);
  });

  it("gives the last place of a tier to the first who asks, and the other tier's to the one after", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Tiers", tiers: ["GA:1:10.00", "VIP:1:50.00"] })).event.id);
    const { answers: got, roundTrips } = await compare(urls, T0, () => [
      reserveOperation({ eventId, userId: "ann", key: "k", tier: "GA", quantity: 1 }),
      reserveOperation({ eventId, userId: "ben", key: "k", tier: "GA", quantity: 1 }),
      reserveOperation({ eventId, userId: "cat", key: "k", tier: "VIP", quantity: 1 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "SOLD_OUT", "ok"]);
    expect(roundTrips).toBe(2);
  });

  it("replays a key used twice in one batch, reading it again once the first use is written", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Keys", capacity: 10 })).event.id);
    const { answers: got, roundTrips } = await compare(urls, T0, () => [
      reserveOperation({ eventId, userId: "ann", key: "k1", quantity: 1 }),
      reserveOperation({ eventId, userId: "ben", key: "k1", quantity: 1 }),
      reserveOperation({ eventId, userId: "ann", key: "k1", quantity: 1 }),
      reserveOperation({ eventId, userId: "cat", key: "k1", quantity: 1 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "ok", "ok", "ok"]);
    expect((got[2] as { replayed: boolean }).replayed).toBe(true);
    expect((got[2] as { orderId: string }).orderId).toBe((got[0] as { orderId: string }).orderId);
    expect(roundTrips).toBe(3); // ann's second use read again; cat's snapshot is still good
  });

  it("counts a user's earlier holds of the batch against limitPerUser", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Limit", capacity: 10, limitPerUser: 2 })).event.id);
    const { answers: got, roundTrips } = await compare(urls, T0, () => ["a", "b", "c"].map((key) => reserveOperation({ eventId, userId: "ann", key, quantity: 1 })));
    expect(got.map(codeOf)).toEqual(["ok", "ok", "LIMIT_EXCEEDED"]);
    expect(roundTrips).toBe(4); // ann's standing read again for each after the first
  });

  it("releases a hold found due, then decides the batch as before", async () => {
    const { urls, made: eventId } = await twins(async (tix) => {
      const { event } = await tix.events.create({ name: "Due", capacity: 1, hold: "1m" });
      await tix.tickets.reserve({ eventId: event.id, userId: "zed", key: "k" });
      return event.id;
    });
    const { answers: got, roundTrips } = await compare(urls, T0 + 120_000, () => ["ann", "ben"].map((userId) => reserveOperation({ eventId, userId, key: "k", quantity: 1 })));
    expect(got.map(codeOf)).toEqual(["ok", "SOLD_OUT"]);
    expect(roundTrips).toBe(6); // the first flight, then as one by one: ann's locks and snapshot, the release, the snapshot again; ben's; the commit
  });

  it("gives each seat of a seated event once, best available and named seats mixed", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Hall", seats: ["Stalls:A-B:1-4"], tiers: ["Stalls:30.00"] })).event.id);
    const { answers: got, roundTrips } = await compare(urls, T0, () => [
      reserveOperation({ eventId, userId: "ann", key: "k", quantity: 2 }),
      reserveOperation({ eventId, userId: "ben", key: "k", quantity: 1, seats: ["A1"] }),
      reserveOperation({ eventId, userId: "cat", key: "k", quantity: 1, seats: ["B4"] }),
      reserveOperation({ eventId, userId: "dan", key: "k", quantity: 1, seats: ["B4"] }),
      reserveOperation({ eventId, userId: "eve", key: "k", quantity: 3 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", expect.any(String), "ok", "SEAT_TAKEN", "ok"]);
    expect(roundTrips).toBe(6); // each after the first reads the seats again
  });

  it("cancels, buys, transfers and promotes the waiting list in one batch as one by one", async () => {
    const { urls, made } = await twins(async (tix) => {
      const { event } = await tix.events.create({ name: "Mixed", capacity: 2, limitPerUser: 2 });
      const held = (await tix.tickets.reserve({ eventId: event.id, userId: "ann", key: "k" })).ticket.id;
      const bought = (await tix.tickets.reserve({ eventId: event.id, userId: "ben", key: "k" })).ticket.id;
      await tix.tickets.purchase({ ticketId: bought, userId: "ben", card: CARD });
      await tix.waitlist.join({ eventId: event.id, userId: "cat" });
      return { eventId: event.id, held, bought };
    });
    const { eventId, held, bought } = made;
    const { answers: got, roundTrips, firstFlight } = await compare(urls, T0 + 1_000, () => [
      createVoucherOperation({ eventId, code: "HALF", discount: { kind: "percent", percent: 50 }, maxUses: 1, validUntil: null, tier: null, actor: "admin" }),
      transferOperation({ targetId: bought, userId: "ben", to: "dan" }),
      cancelOperation({ targetId: held, userId: "ann" }), // the place goes to cat, who waits
      reserveOperation({ eventId, userId: "eve", key: "k", quantity: 1 }),
      joinWaitlistOperation({ eventId, userId: "eve" }),
      purchaseOperation({ targetId: held, userId: "ann", card: CARD, voucher: "HALF" }),
      reserveOperation({ eventId, userId: "dan", key: "k2", quantity: 1 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "ok", "ok", "SOLD_OUT", "ok", expect.any(String), "SOLD_OUT"]);
    // Read again: the cancel (a voucher was made), eve's join (the cancel promoted cat), ann's
    // purchase (her ticket was cancelled), dan's reserve (a ticket was moved to him). The transfer
    // and eve's reserve use the first flight's (her reserve the event as the cancel left it).
    expect(roundTrips).toBe(6);
    expect(firstFlight).toHaveLength(5); // BEGIN, the schema's version, generic plans, the locks, seven snapshots of five shapes in one statement
  });

  it("reads again a transfer's recipient's place in line that an earlier operation of the batch wrote", async () => {
    const { urls, made } = await twins(async (tix) => {
      const { event } = await tix.events.create({ name: "Full", capacity: 2, limitPerUser: 1 });
      const tickets: string[] = [];
      for (const userId of ["ann", "ben"]) {
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId, key: "k" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId, card: CARD });
        tickets.push(ticket.id);
      }
      await tix.waitlist.join({ eventId: event.id, userId: "dan" }).catch(() => undefined);
      return { eventId: event.id, tickets };
    });
    const { eventId, tickets: [annTicket, benTicket] } = made;
    const { answers: got } = await compare(urls, T0 + 1_000, () => [
      joinWaitlistOperation({ eventId, userId: "cat" }),
      transferOperation({ targetId: annTicket!, userId: "ann", to: "cat" }), // cat reaches the limit: off the line
      leaveWaitlistOperation({ eventId, userId: "dan" }),
      transferOperation({ targetId: benTicket!, userId: "ben", to: "dan" }), // dan left first: nothing to take off
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(got.map((answer) => (answer as { leftWaitlist?: unknown }).leftWaitlist !== undefined)).toEqual([false, true, false, false]);
  });

  it("refuses alone an update to a name PostgreSQL cannot store, and writes the event as the others left it", async () => {
    const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Named", capacity: 5 })).event.id);
    const { answers: got, roundTrips } = await compare(urls, T0, () => [
      reserveOperation({ eventId, userId: "ann", key: "k", quantity: 1 }),
      updateEventOperation({ id: eventId, patch: { name: "Nul\u0000Name" }, actor: "admin" }),
      reserveOperation({ eventId, userId: "ben", key: "k", quantity: 2 }),
      updateEventOperation({ id: eventId, patch: { capacity: 6 }, actor: "admin" }),
      reserveOperation({ eventId, userId: "cat", key: "k", quantity: 3 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "INVALID_ARGUMENT", "ok", "ok", "ok"]);
    expect(roundTrips).toBe(2);
  });

  it("writes a flight in one statement and COMMIT whatever its size, a table's rows one JSON parameter", async () => {
    const flights = [];
    for (const size of [3, 60]) {
      const { urls, made: eventId } = await twins(async (tix) => (await tix.events.create({ name: "Sizes", capacity: 100 })).event.id);
      const users = Array.from({ length: size }, (_, index) => `u${index}`);
      const { answers: got, roundTrips, lastFlight } = await compare(urls, T0, () => users.map((userId) => reserveOperation({ eventId, userId, key: "k", quantity: 1 })));
      expect(got.map(codeOf)).toEqual(users.map(() => "ok"));
      expect(roundTrips).toBe(2);
      flights.push(lastFlight);
    }
    const [small, large] = flights;
    // The event and its tier (one row each: their columns), the tickets, the keys and the log (one JSON array each): one statement.
    expect(large!.map(([text]) => text)).toEqual(small!.map(([text]) => text));
    expect(large).toHaveLength(2);
    expect(large![1]![0]).toBe("COMMIT");
    expect(large![0]![1]).toHaveLength(small![0]![1]!.length);
    const arrays = (flight: readonly Statement[]) => flight[0]![1]!.filter(Array.isArray).map((rows) => rows.length);
    expect(arrays(small!)).toEqual([3, 3, 3]);
    expect(arrays(large!)).toEqual([60, 60, 60]);
  });

  it("creates events and reserves on them in one flight, their rows written before the tickets that name them", async () => {
    const { urls } = await twins(async () => undefined);
    const create = (id: string, fields: Record<string, unknown>) => createEventOperation(prepareCreate({ id, name: id, ...fields }, "admin"));
    const { answers: got } = await compare(urls, T0, () => [
      create("evt_plain", { capacity: 2, limitPerUser: 2 }),
      create("evt_hall", { seats: ["Stalls:A:1-3"], tiers: ["Stalls:30.00"] }),
      reserveOperation({ eventId: "evt_plain", userId: "ann", key: "k", quantity: 1 }),
      reserveOperation({ eventId: "evt_hall", userId: "ben", key: "k", quantity: 2 }),
      reserveOperation({ eventId: "evt_plain", userId: "cat", key: "k", quantity: 2 }),
      create("evt_late", { capacity: 1 }),
      reserveOperation({ eventId: "evt_late", userId: "ann", key: "k2", quantity: 1 }),
    ]);
    expect(got.map(codeOf)).toEqual(["ok", "ok", "ok", "ok", "SOLD_OUT", "ok", "ok"]);
  });

  it("folds a row written several times in one flight into what the writes one after another leave", async () => {
    const { urls, made: eventId } = await twins(async (tix) => {
      const { event } = await tix.events.create({ name: "Twice", tiers: ["GA:1:10.00", "VIP:2:50.00"] });
      await tix.tickets.reserve({ eventId: event.id, userId: "pre", key: "k", tier: "GA" });
      await tix.waitlist.join({ eventId: event.id, userId: "zed", tier: "GA" });
      return event.id;
    });
    // One decision's changes, made once from the event as first read: written as one flight in
    // the first database, each alone (its own transaction) in the second.
    let planned: Change[] | undefined;
    const plan = (event: EventRecord): Change[] => (planned ??= rewrites(event, T0));
    const step = (pick: (changes: Change[]) => Change[]): Operation<unknown> => ({
      request: { events: [eventId] },
      decide: (snapshot) => ({ changes: pick(plan(snapshot.events.get(eventId)!)), result: undefined }),
    });
    const [together, alone] = urls.map((url) => openRunner(url, T0));
    try {
      await together!.runner.runBatch([step((changes) => changes)], "all-or-none");
      for (let index = 0; index < planned!.length; index++) {
        await alone!.runner.runBatch([step((changes) => [changes[index]!])], "all-or-none");
      }
      // The writes and COMMIT: one statement for all but the waiting list's insert and the log.
      expect(together!.lastFlight().map(([text]) => text.split(/\s+/).slice(0, 2).join(" "))).toEqual(["WITH w0", "WITH w0", "COMMIT"]);
    } finally {
      await Promise.all([together!.runner.close(), alone!.runner.close()]);
    }
    expect(await rows(urls[0])).toEqual(await rows(urls[1]));
    const inOrder = (url: string) => server.query(`SELECT 'ticket' AS kind, id AS name, seq FROM tix.tickets UNION ALL SELECT 'waiting', user_id, seq FROM tix.waitlist ORDER BY kind, seq`, [], databaseOf(url));
    const order = async (url: string) => (await inOrder(url)).map(({ kind, name }) => `${kind} ${name}`);
    expect(await order(urls[0])).toEqual(await order(urls[1]));
  });

  it("answers random batches over a few users, keys, tickets and events as one by one", async () => {
    const { urls, made } = await twins(async (tix) => {
      const plain = (await tix.events.create({ name: "Plain", capacity: 4, limitPerUser: 2 })).event.id;
      const seated = (await tix.events.create({ name: "Seated", seats: ["Stalls:A:1-4"], tiers: ["Stalls:30.00"] })).event.id;
      const tiered = (await tix.events.create({ name: "Tiered", tiers: ["GA:2:10.00", "VIP:1:50.00"] })).event.id;
      const ticket = async (eventId: string, userId: string, buy: boolean) => {
        const id = (await tix.tickets.reserve({ eventId, userId, key: "pre", tier: eventId === tiered ? "GA" : undefined })).ticket.id;
        if (buy) await tix.tickets.purchase({ ticketId: id, userId, card: CARD });
        return { id, userId };
      };
      const tickets = [await ticket(plain, "u1", false), await ticket(plain, "u2", true), await ticket(tiered, "u3", false), await ticket(seated, "u4", true)];
      await tix.waitlist.join({ eventId: tiered, userId: "u2", tier: "VIP" }).catch(() => undefined);
      return { events: [plain, seated, tiered], tickets };
    });
    const users = ["u1", "u2", "u3", "u4"];
    for (let seed = 1; seed <= 6; seed++) {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
      const plan = Array.from({ length: 16 }, () => {
        const eventId = pick(made.events);
        const userId = pick(users);
        const ticket = pick(made.tickets);
        const owner = random() < 0.8 ? ticket.userId : userId;
        // Every choice made now: the plan makes the same operations for both databases.
        const [key, quantity, tier, purchaseKey] = [pick(["k1", "k2"]), pick([1, 1, 2]), eventId === made.events[2] ? pick(["GA", "VIP"]) : undefined, pick([undefined, "p1"])];
        return pick<() => Operation<unknown>>([
          () => reserveOperation({ eventId, userId, key, quantity, tier }),
          () => reserveOperation({ eventId, userId, key, quantity: 1 }),
          () => cancelOperation({ targetId: ticket.id, userId: owner }),
          () => purchaseOperation({ targetId: ticket.id, userId: owner, card: CARD, key: purchaseKey }),
          () => transferOperation({ targetId: ticket.id, userId: owner, to: userId }),
          () => joinWaitlistOperation({ eventId, userId }),
          () => leaveWaitlistOperation({ eventId, userId }),
        ]);
      });
      const copies = await Promise.all(urls.map(async (url) => {
        const copy = `batch_copy_${++copiesMade}`;
        await server.query(`CREATE DATABASE ${copy} TEMPLATE ${databaseOf(url)}`);
        return server.urlFor(copy);
      }));
      await compare(copies as [string, string], T0 + 1_000, () => plan.map((make) => make()));
    }
  });
});

/**
 * Writes that touch rows several times: a new ticket bought, the event and its tier counted
 * twice, a key bound again, a new voucher used, an entry that joins, leaves and joins again, one
 * that was there and leaves, another that joins, the log in order.
 */
function rewrites(event: EventRecord, now: number): Change[] {
  const ticket = (id: string, userId: string) => ({
    id, eventId: event.id, tier: "VIP", orderId: `ord_${id}`, userId, status: "reserved" as const, reservedAt: now, expiresAt: now + 600_000,
    purchasedAt: null, cancelledAt: null, checkedInAt: null, priceMinor: 5_000, currency: event.currency, cardLast4: null, voucher: null,
    discountMinor: 0, seat: null,
  });
  const counted = (held: number, sold: number): EventRecord => ({
    ...event, held: event.held + held, sold: event.sold + sold, updatedAt: now,
    tiers: event.tiers.map((tier) => (tier.name === "VIP" ? { ...tier, held, sold } : tier)),
  });
  const voucher = { eventId: event.id, code: "HALF", kind: "percent" as const, value: 50, maxUses: 2, uses: 0, validUntil: null, tier: null, createdAt: now };
  const log = (action: "ticket.reserved" | "ticket.purchased", ticketId: string) => ({
    type: "appendLog" as const, entry: { at: now, actor: "ann", action, eventId: event.id, ticketId, orderId: `ord_${ticketId}`, details: { step: action } },
  });
  return [
    { type: "saveEvent", event: counted(2, 0) },
    { type: "saveTicket", ticket: ticket("tkt_a", "ann") },
    { type: "saveTicket", ticket: ticket("tkt_b", "ben") },
    log("ticket.reserved", "tkt_a"),
    { type: "bindKey", record: { userId: "ann", key: "k", request: "first", ticketId: "tkt_a", orderId: "ord_tkt_a", createdAt: now } },
    { type: "saveVoucher", voucher },
    { type: "saveWaitlistEntry", entry: { eventId: event.id, userId: "ann", tier: "GA", joinedAt: now } },
    { type: "saveWaitlistEntry", entry: { eventId: event.id, userId: "cat", tier: "GA", joinedAt: now } },
    { type: "removeWaitlistEntry", eventId: event.id, userId: "ann" },
    { type: "removeWaitlistEntry", eventId: event.id, userId: "zed" },
    { type: "saveTicket", ticket: { ...ticket("tkt_a", "ann"), status: "purchased", purchasedAt: now + 1, cardLast4: "4242", voucher: "HALF", discountMinor: 2_500 } },
    { type: "saveVoucher", voucher: { ...voucher, uses: 1 } },
    { type: "saveEvent", event: counted(1, 1) },
    { type: "bindKey", record: { userId: "ann", key: "k", request: "second", ticketId: "tkt_a", orderId: "ord_tkt_a", createdAt: now + 1 } },
    { type: "saveWaitlistEntry", entry: { eventId: event.id, userId: "ann", tier: "VIP", joinedAt: now + 1 } },
    log("ticket.purchased", "tkt_a"),
  ];
}

function databaseOf(url: string): string {
  return new URL(url).pathname.slice(1);
}

/**
 * A runner on `url` at the instant `at`, with ids counted from 1, that counts its round trips
 * (each pipeline one flight) and keeps the statements of its first flight.
 */
function openRunner(url: string, at: number) {
  const database = new Database(url, { busyTimeoutMs: 5_000 });
  const runner = new TransactionRunner(database, new ManualClock(at), sequentialIds());
  let roundTrips = 0;
  let firstFlight: readonly string[] = [];
  let lastFlight: readonly Statement[] = [];
  const pipeline = database.pipeline.bind(database);
  database.pipeline = (connection, statements) => {
    if (roundTrips++ === 0) firstFlight = statements.map(([text]) => text);
    lastFlight = statements;
    return pipeline(connection, statements);
  };
  return { database, runner, roundTrips: () => roundTrips, firstFlight: () => firstFlight, lastFlight: () => lastFlight };
}

/** A pseudo-random sequence in [0, 1) fixed by `seed` (mulberry32): a failing batch can be run again. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function answers(outcomes: Array<Outcome<unknown>>): unknown[] {
  return outcomes.map((outcome) => (outcome.ok ? outcome.value : { error: isTixError(outcome.error) ? outcome.error.code : String(outcome.error) }));
}

function codeOf(answer: unknown): string {
  return (answer as { error?: string }).error ?? "ok";
}
