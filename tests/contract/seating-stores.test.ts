import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, type TixStore } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { MIGRATIONS as PG_MIGRATIONS, SCHEMA_VERSION as PG_SCHEMA_VERSION } from "../../src/store/postgres/schema.js";
import { MIGRATIONS, runMigration, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { statesOf } from "./seating-contract.js";
import { expectCode } from "./store-contract.js";
import { expectUpgradedFile } from "../helpers/upgraded-file.js";

/**
 * What the SQL stores add to seating beyond the contract: two openings of one store (two
 * processes) each keep an index and see each other's changes; the seats survive closing and
 * opening again; the unique index refuses a forged second live ticket for a seat; a store of the
 * previous schema is upgraded in place.
 */
const T0 = Date.UTC(2025, 4, 1, 12);
const SEATS = ["Stalls:A-B:1-4|5-8", "Box@VIP:1:1-2"];

interface Backing {
  open(clock: ManualClock): Promise<TixStore>;
  /** Runs SQL on the store's database directly, as another program could. */
  sql(text: string, params?: unknown[]): Promise<unknown>;
}

function sharedStoreCases(name: string, backing: () => Backing) {
  describe(`${name}: seats shared by two openings of one store`, () => {
    let clock: ManualClock;
    let first: Tix;
    let second: Tix;

    beforeEach(async () => {
      clock = new ManualClock(T0);
      first = createTix(await backing().open(clock), clock);
      second = createTix(await backing().open(clock), clock);
    });
    afterEach(async () => {
      await first.close();
      await second.close();
    });

    const states = async (tix: Tix, userId?: string) => statesOf((await tix.events.seats({ eventId: "evt_hall", userId })).seats);

    it("each opening keeps its index, and sees the other's changes at once", async () => {
      await first.events.create({ id: "evt_hall", name: "Hall", seats: SEATS, limitPerUser: 4 });
      expect(await states(second)).toMatchObject({ "Stalls:A3": "free" }); // warms the second's index
      const alice = await first.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k", tier: "Stalls", quantity: 2 });
      expect(alice.tickets.map((ticket) => ticket.seat)).toEqual(["Stalls:A3", "Stalls:A4"]);
      expect(await states(second, "bob")).toMatchObject({ "Stalls:A3": "held", "Stalls:A4": "held" });
      await expectCode(second.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k", seats: ["A4", "A5"] }), "SEAT_TAKEN");
      const bob = await second.tickets.reserve({ eventId: "evt_hall", userId: "bob", key: "k", tier: "Stalls", quantity: 2 });
      expect(bob.tickets.map((ticket) => ticket.seat)).toEqual(["Stalls:A5", "Stalls:A6"]);
      await first.tickets.purchase({ ticketId: alice.orderId, userId: "alice" });
      expect(await states(second, "alice")).toMatchObject({ "Stalls:A3": "yours", "Stalls:A5": "held" });
      await second.tickets.cancel({ ticketId: bob.orderId, userId: "bob" });
      const carol = await first.tickets.reserve({ eventId: "evt_hall", userId: "carol", key: "k", tier: "Stalls", quantity: 2 });
      expect(carol.tickets.map((ticket) => ticket.seat)).toEqual(["Stalls:A5", "Stalls:A6"]);
    });

    it("keeps the map and the seats' states through closing and opening again", async () => {
      await first.events.create({ id: "evt_hall", name: "Hall", seats: SEATS, limitPerUser: 4 });
      const order = await first.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k", seats: ["B8", "Box:1-1"] });
      await first.tickets.purchase({ ticketId: order.tickets[1]!.id, userId: "alice" });
      const before = await states(first, "alice");
      await first.close();
      first = createTix(await backing().open(clock), clock);
      expect(await states(first, "alice")).toEqual(before);
      expect(await first.events.get("evt_hall")).toMatchObject({ seated: true, capacity: 18, held: 1, sold: 1 });
      expect((await first.tickets.get(order.ticket.id)).seat).toBe("Stalls:B8");
    });

    it("refuses a forged second live ticket for a seat (the last line of defence)", async () => {
      await first.events.create({ id: "evt_hall", name: "Hall", seats: SEATS });
      const alice = await first.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k", seats: ["A1"] });
      const forge = (status: string) => backing().sql(
        `INSERT INTO ${name === "postgres" ? "tix." : ""}tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency, tier, order_id, seat)
         VALUES ('tkt_forged_${status}', 'evt_hall', 'mallory', '${status}', ${T0}, ${T0 + 600_000}, 0, 'USD', 'Stalls', 'ord_forged', 'Stalls:A1')`);
      await expect(forge("reserved")).rejects.toThrow(/unique|UNIQUE/);
      await expect(forge("purchased")).rejects.toThrow(/unique|UNIQUE/);
      await forge("cancelled"); // a seat's past tickets are not live
      await first.tickets.cancel({ ticketId: alice.ticket.id, userId: "alice" });
      await forge("purchased");
    });
  });
}

// ---- SQLite ----

let dir: { path: string; remove: () => void };
const sqliteBacking = (): Backing => ({
  open: async (clock) => openSqliteStore(join(dir.path, "tix.db"), clock, { busyTimeoutMs: 5_000 }),
  sql: async (text, params = []) => {
    const db = new Database(join(dir.path, "tix.db"));
    try {
      return db.prepare(text).run(...params);
    } finally {
      db.close();
    }
  },
});

describe("sqlite", () => {
  beforeEach(() => (dir = tempDir("tix-seats-")));
  afterEach(() => dir.remove());
  sharedStoreCases("sqlite", sqliteBacking);

  it("upgrades a store of the previous schema in place: its events stay general admission, seated ones can be added", async () => {
    const path = join(dir.path, "v2.db");
    const old = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 2)) runMigration(old, migration);
    old.pragma(`application_id = ${TIX_APPLICATION_ID}`);
    old.pragma("user_version = 2");
    old.prepare(`INSERT INTO events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor, currency, created_at, updated_at)
      VALUES ('evt_old', 'Old Show', NULL, NULL, 3, 1, 0, 600, 2500, 'USD', ${T0}, ${T0})`).run();
    old.prepare(`INSERT INTO tiers VALUES ('evt_old', 'GA', 0, 3, 2500, 1, 0)`).run();
    old.prepare(`INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency, tier, order_id)
      VALUES ('tkt_old', 'evt_old', 'alice', 'reserved', ${T0}, ${T0 + 600_000}, 2500, 'USD', 'GA', 'ord_old')`).run();
    old.close();

    const clock = new ManualClock(T0 + 1000);
    const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
    expect(await tix.events.get("evt_old")).toMatchObject({ seated: false, capacity: 3, held: 1 });
    expect(await tix.tickets.get("tkt_old")).toMatchObject({ seat: null, status: "reserved" });
    await tix.events.create({ id: "evt_hall", name: "Hall", seats: SEATS });
    expect((await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k", seats: ["A1"] })).ticket.seat).toBe("Stalls:A1");
    await tix.close();
    expectUpgradedFile(path);
  });
});

// ---- PostgreSQL ----

const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`postgres${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let url: string;
  beforeEach(async () => {
    url = await server.createDatabase();
  });
  const database = () => new URL(url).pathname.slice(1);

  sharedStoreCases("postgres", () => ({
    open: (clock) => openStore(url, { clock }),
    sql: (text, params) => server.query(text, params, database()),
  }));

  it("upgrades a database of the previous schema in place: its events stay general admission, seated ones can be added", async () => {
    await server.query(`CREATE SCHEMA tix; CREATE TABLE tix.schema_info (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
      application TEXT NOT NULL, version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now());
      INSERT INTO tix.schema_info (application, version) VALUES ('tix', 2);`, [], database());
    for (const migration of PG_MIGRATIONS.slice(0, 2)) await server.query(migration, [], database());
    await server.query(`INSERT INTO tix.events (id, name, capacity, held, sold, hold_seconds, price_minor, currency, created_at, updated_at)
      VALUES ('evt_old', 'Old Show', 3, 1, 0, 600, 2500, 'USD', ${T0}, ${T0});
      INSERT INTO tix.tiers VALUES ('evt_old', 'GA', 0, 3, 2500, 1, 0);
      INSERT INTO tix.tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency, tier, order_id)
      VALUES ('tkt_old', 'evt_old', 'alice', 'reserved', ${T0}, ${T0 + 600_000}, 2500, 'USD', 'GA', 'ord_old');`, [], database());

    const clock = new ManualClock(T0 + 1000);
    const tix = createTix(await openStore(url, { clock }), clock);
    try {
      expect(await tix.events.get("evt_old")).toMatchObject({ seated: false, capacity: 3, held: 1 });
      expect(await tix.tickets.get("tkt_old")).toMatchObject({ seat: null, status: "reserved" });
      await tix.events.create({ id: "evt_hall", name: "Hall", seats: SEATS });
      expect((await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k", seats: ["A1"] })).ticket.seat).toBe("Stalls:A1");
    } finally {
      await tix.close();
    }
    expect(await server.query("SELECT version FROM tix.schema_info", [], database())).toEqual([{ version: PG_SCHEMA_VERSION }]);
  });
});
