import pg from "pg";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { MIGRATIONS, SCHEMA_VERSION } from "../../src/store/postgres/schema.js";
import { redactUrl } from "../../src/core/index.js";
import { expectCode } from "../contract/store-contract.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";

/** What only the PostgreSQL adapter has: its schema's life cycle, its lock timeout, its text limits. */
const skipReason = postgresUnavailableReason();

describe("redactUrl", () => {
  it("drops the password, from the user-info part and from parameters, and keeps the rest", () => {
    expect(redactUrl("postgres://bob:s3cret@db.example:5433/tix?sslmode=require")).toBe("postgres://bob@db.example:5433/tix?sslmode=require");
    expect(redactUrl("postgresql://bob:p%40ss@db/tix?password=other")).toBe("postgresql://bob@db/tix?password=***");
    expect(redactUrl("postgres://bob@db/tix")).toBe("postgres://bob@db/tix");
  });
});

describe.skipIf(skipReason !== undefined)(`PostgreSQL adapter${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  const databaseOf = (url: string) => new URL(url).pathname.slice(1);

  it("creates its schema on first use, once, when several connections open a new database at once", async () => {
    const url = await server.createDatabase();
    const stores = await Promise.all(Array.from({ length: 6 }, () => openStore(url, { clock: new ManualClock() })));
    await Promise.all(stores.map((store) => store.close()));
    expect(await server.query("SELECT application, version FROM tix.schema_info", [], databaseOf(url)))
      .toEqual([{ application: "tix", version: SCHEMA_VERSION }]);
  });

  it("refuses a `tix` schema that another program made, and leaves it untouched", async () => {
    const url = await server.createDatabase();
    await server.query("CREATE SCHEMA tix; CREATE TABLE tix.events (x int)", [], databaseOf(url));
    const error = await expectCode(openStore(url, {}), "STORE_UNAVAILABLE");
    expect(error.message).toMatch(/not a tix store/);
    expect(await server.query("SELECT count(*)::int AS n FROM tix.events", [], databaseOf(url))).toEqual([{ n: 0 }]);
  });

  it("refuses a `tix` schema whose schema_info is another program's, as not a tix store (not as tables changed since tix opened them)", async () => {
    for (const table of ["CREATE TABLE tix.schema_info (version TEXT)", "CREATE TABLE tix.schema_info (key TEXT, value TEXT); INSERT INTO tix.schema_info VALUES ('k', 'v')"]) {
      const url = await server.createDatabase();
      await server.query(`CREATE SCHEMA tix; ${table}; CREATE TABLE tix.events (id int)`, [], databaseOf(url));
      const error = await expectCode(openStore(url, {}), "STORE_UNAVAILABLE");
      expect(error.message).toMatch(/has a "tix" schema that is not a tix store; refusing to touch it$/);
      expect(error.message).not.toMatch(/no longer holds|restore/);
      expect(await server.query("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'tix'", [], databaseOf(url))).toEqual([{ n: 2 }]);
    }
  });

  it("refuses a database that a newer tix migrated", async () => {
    const url = await server.createDatabase();
    await (await openStore(url, {})).close();
    await server.query("UPDATE tix.schema_info SET version = 999", [], databaseOf(url));
    const error = await expectCode(openStore(url, {}), "STORE_UNAVAILABLE");
    expect(error.message).toMatch(/schema version 999.*upgrade tix/);
  });

  it("upgrades a database at schema v2 in place, through v3 to v4: rows carry over, sales windows default, vouchers and transfers work", async () => {
    const url = await server.createDatabase();
    const db = databaseOf(url);
    const t0 = Date.UTC(2025, 4, 1, 12);
    await server.query(`CREATE SCHEMA tix;
      CREATE TABLE tix.schema_info (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton), application TEXT NOT NULL,
        version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now());
      INSERT INTO tix.schema_info (application, version) VALUES ('tix', 2);
      ${MIGRATIONS[0]} ${MIGRATIONS[1]}
      INSERT INTO tix.events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor, currency, created_at, updated_at)
        VALUES ('evt_old', 'Old Show', 'Hall', ${t0 + 86_400_000}, 3, 1, 1, 600, 2500, 'USD', ${t0}, ${t0});
      INSERT INTO tix.tiers VALUES ('evt_old', 'GA', 0, 3, 2500, 1, 1);
      INSERT INTO tix.tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, cancelled_at, price_minor, currency, card_last4, tier, order_id)
        VALUES ('tkt_held', 'evt_old', 'alice', 'reserved', ${t0}, ${t0 + 600_000}, NULL, NULL, 2500, 'USD', NULL, 'GA', 'ord_held'),
               ('tkt_sold', 'evt_old', 'bob', 'purchased', ${t0}, ${t0 + 600_000}, ${t0}, NULL, 2500, 'USD', '4242', 'GA', 'ord_sold');`, [], db);
    const clock = new ManualClock(t0 + 1000);
    const tix = createTix(await openStore(url, { clock }), clock);
    try {
      expect(await server.query("SELECT version FROM tix.schema_info", [], db)).toEqual([{ version: SCHEMA_VERSION }]);
      expect(await tix.events.get("evt_old")).toMatchObject({ held: 1, sold: 1, salesStart: null, salesEnd: new Date(t0 + 86_400_000).toISOString() });
      expect(await tix.tickets.get("tkt_sold")).toMatchObject({ voucher: null, discountMinor: 0, cardLast4: "4242" });
      await tix.vouchers.create({ eventId: "evt_old", code: "OLD", percent: 20, maxUses: 1 });
      expect((await tix.tickets.purchase({ ticketId: "tkt_held", userId: "alice", voucher: "OLD" })).ticket).toMatchObject({ price: "20.00" });
      expect((await tix.tickets.transfer({ ticketId: "tkt_sold", userId: "bob", to: "carol" })).ticket.userId).toBe("carol");
      expect(await tix.events.get("evt_old")).toMatchObject({ held: 0, sold: 2 });
    } finally {
      await tix.close();
    }
  });

  it("answers STORE_UNAVAILABLE when an event's lock is held past the busy timeout", async () => {
    const url = await server.createDatabase();
    const clock = new ManualClock();
    const tix = createTix(await openStore(url, { clock, busyTimeoutMs: 200 }), clock);
    const { event } = await tix.events.create({ name: "Locked", capacity: 5 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query("BEGIN");
      await holder.query("SELECT 1 FROM tix.events WHERE id = $1 FOR UPDATE", [event.id]);
      const error = await expectCode(tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" }), "STORE_UNAVAILABLE");
      expect(error.message).toMatch(/busy/);
      expect(error.message).not.toContain(server.password);
      await holder.query("ROLLBACK");
      expect((await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k" })).replayed).toBe(false);
    } finally {
      await holder.end();
      await tix.close();
    }
  });

  it("writes a reserve's event row and only the tier it changed; an order's tickets and log entries keep their order", async () => {
    const url = await server.createDatabase();
    const db = databaseOf(url);
    const clock = new ManualClock();
    const tix = createTix(await openStore(url, { clock }), clock);
    try {
      const { event } = await tix.events.create({ name: "Two tiers", tiers: ["Floor:5:20.00", "Balcony:5:10.00"] });
      // xmin: the transaction that wrote a row's current version.
      const versions = async () => Object.fromEntries((await server.query<{ name: string; xmin: string }>(
        "SELECT name, xmin::text FROM tix.tiers WHERE event_id = $1", [event.id], db)).map((row) => [row.name, row.xmin]));
      const before = await versions();
      const order = await tix.tickets.reserve({ eventId: event.id, userId: "ann", key: "k", tier: "Balcony", quantity: 3 });
      const after = await versions();
      expect(after.Floor).toBe(before.Floor);
      expect(after.Balcony).not.toBe(before.Balcony);
      expect(await tix.events.get(event.id)).toMatchObject({ held: 3, tiers: [{ name: "Floor", held: 0 }, { name: "Balcony", held: 3 }] });
      const stored = await server.query<{ id: string }>("SELECT id FROM tix.tickets WHERE order_id = $1 ORDER BY seq", [order.orderId], db);
      expect(stored.map((row) => row.id)).toEqual(order.tickets.map((ticket) => ticket.id));
      const logged = await server.query<{ ticket_id: string }>(
        "SELECT ticket_id FROM tix.audit_log WHERE order_id = $1 AND action = 'ticket.reserved' ORDER BY seq", [order.orderId], db);
      expect(logged.map((row) => row.ticket_id)).toEqual(order.tickets.map((ticket) => ticket.id));
    } finally {
      await tix.close();
    }
  });

  it("keeps names exactly, control characters included, but refuses NUL, which PostgreSQL text cannot hold", async () => {
    const url = await server.createDatabase();
    const clock = new ManualClock();
    const tix = createTix(await openStore(url, { clock }), clock);
    try {
      const name = "Bell\u0007 \u001b[31mRed\u001b[0m ☃ 𝄞";
      const { event } = await tix.events.create({ name, venue: "Hall\ttab", capacity: 1 });
      expect(await tix.events.get(event.id)).toMatchObject({ name, venue: "Hall\ttab" });
      const error = await expectCode(tix.events.create({ name: "Nul\u0000Name", capacity: 1 }), "INVALID_ARGUMENT");
      expect(error.field).toBe("name");
      expect(await tix.events.list()).toHaveLength(1);
    } finally {
      await tix.close();
    }
  });
});
