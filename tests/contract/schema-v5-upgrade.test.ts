import { copyFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, SEAT_HELD, packSeatStates, parseSeatSpecs, storeSeatMap } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { MIGRATIONS, runMigration, SCHEMA_VERSION, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * SQLite schema v5 (an event's totals kept in its tiers alone, the audit log without
 * AUTOINCREMENT, no `tickets_by_user`) over stores written at v2, v3 and v4: every row carries
 * over unchanged (the events' rowids too, so their order), the totals read back as the tiers' sums,
 * the log goes on numbering after its last entry, and the engine works on the result.
 */
const T0 = Date.UTC(2025, 4, 1, 12);
const HOLD_END = T0 + 3_600_000;
const MAP = storeSeatMap(parseSeatSpecs(["Stalls:A:1-3"]));
const FIRST = MAP.replaceAll("'", "''");

/** The rows of each schema, written in that schema's own columns: v2's, then what v3 and v4 added. */
const ROWS: Record<number, string> = {
  2: `
    INSERT INTO events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor, currency, created_at, updated_at, limit_per_user)
      VALUES ('evt_z', 'Made first', 'Hall', NULL, 2, 0, 0, 600, 1000, 'USD', ${T0}, ${T0}, NULL),
             ('evt_a', 'Two tiers', NULL, ${T0 + 86_400_000}, 8, 1, 2, 3600, 2000, 'EUR', ${T0}, ${T0 + 5}, 4);
    INSERT INTO tiers (event_id, name, position, capacity, price_minor, held, sold)
      VALUES ('evt_z', 'GA', 0, 2, 1000, 0, 0), ('evt_a', 'Floor', 0, 3, 5000, 1, 1), ('evt_a', 'Balcony', 1, 5, 2000, 0, 1);
    INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, cancelled_at, price_minor, currency, card_last4, tier, order_id, checked_in_at)
      VALUES ('tkt_held', 'evt_a', 'alice', 'reserved', ${T0}, ${HOLD_END}, NULL, NULL, 5000, 'EUR', NULL, 'Floor', 'ord_held', NULL),
             ('tkt_sold', 'evt_a', 'bob', 'purchased', ${T0}, ${HOLD_END}, ${T0 + 1}, NULL, 5000, 'EUR', '4242', 'Floor', 'ord_sold', ${T0 + 2}),
             ('tkt_cheap', 'evt_a', 'bob', 'purchased', ${T0 + 3}, ${HOLD_END}, ${T0 + 4}, NULL, 2000, 'EUR', '4242', 'Balcony', 'ord_cheap', NULL),
             ('tkt_gone', 'evt_a', 'carol', 'cancelled', ${T0}, ${HOLD_END}, NULL, ${T0 + 1}, 2000, 'EUR', NULL, 'Balcony', 'ord_gone', NULL);
    INSERT INTO idempotency_keys (user_id, key, request, ticket_id, created_at, order_id)
      VALUES ('alice', 'k1', '{"op":"reserve","eventId":"evt_a","tier":"Floor"}', 'tkt_held', ${T0}, 'ord_held');
    INSERT INTO waitlist (event_id, user_id, tier, joined_at) VALUES ('evt_a', 'erin', 'Floor', ${T0 + 6});
    INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details)
      VALUES (${T0}, 'admin', 'event.created', 'evt_z', NULL, NULL, '{"eventId":"evt_z"}'),
             (${T0}, 'admin', 'event.created', 'evt_a', NULL, NULL, '{"eventId":"evt_a"}'),
             (${T0}, 'alice', 'ticket.reserved', 'evt_a', 'tkt_held', 'ord_held', '{"tier":"Floor"}'),
             (${T0 + 1}, 'bob', 'ticket.purchased', 'evt_a', 'tkt_sold', 'ord_sold', '{"tier":"Floor"}');`,
  3: `
    INSERT INTO events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor, currency, created_at, updated_at, limit_per_user, seat_map)
      VALUES ('evt_seats', 'Seated', NULL, NULL, 3, 1, 0, 600, 3000, 'USD', ${T0}, ${T0}, 2, '${FIRST}');
    INSERT INTO tiers (event_id, name, position, capacity, price_minor, held, sold) VALUES ('evt_seats', 'Stalls', 0, 3, 3000, 1, 0);
    INSERT INTO event_seats (event_id, states, version) VALUES ('evt_seats', X'${Buffer.from(packSeatStates(Uint8Array.from([SEAT_HELD, 0, 0]))).toString("hex")}', 1);
    INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency, tier, order_id, seat)
      VALUES ('tkt_seat', 'evt_seats', 'dan', 'reserved', ${T0}, ${HOLD_END}, 3000, 'USD', 'Stalls', 'ord_seat', 'Stalls:A1');
    INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details)
      VALUES (${T0 + 7}, 'dan', 'ticket.reserved', 'evt_seats', 'tkt_seat', 'ord_seat', '{"seat":"Stalls:A1"}');`,
  4: `
    UPDATE events SET sales_start = ${T0 - 1000}, sales_end = ${T0 + 86_400_000} WHERE id = 'evt_z';
    UPDATE tiers SET access_code = 'FANS', sales_end = ${T0 + 86_400_000} WHERE event_id = 'evt_a' AND name = 'Balcony';
    UPDATE tickets SET voucher = 'HALF', discount_minor = 1000 WHERE id = 'tkt_cheap';
    INSERT INTO vouchers (event_id, code, kind, value, max_uses, uses, valid_until, tier, created_at)
      VALUES ('evt_a', 'HALF', 'percent', 50, 2, 1, NULL, 'Balcony', ${T0});`,
};

/** Every table's rows, in a fixed order; rowid tables with their rowids. */
function dump(db: Database.Database): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string; sql: string }>;
  return Object.fromEntries(tables.map(({ name, sql }) => {
    const rowid = /WITHOUT ROWID/i.test(sql) ? "" : "rowid AS _rowid, ";
    return [name, db.prepare(`SELECT ${rowid}* FROM ${name} ORDER BY 1, 2`).all()];
  }));
}

/**
 * The current form of an older dump: the events without the four totals (v5), each ticket's log
 * entries with the time it was reserved (v6), everything else as it was.
 */
function asCurrent(old: Record<string, unknown[]>): Record<string, unknown[]> {
  const events = (old.events as Array<Record<string, unknown>>).map(({ capacity: _c, held: _h, sold: _s, price_minor: _p, ...own }) => own);
  const reservedAt = new Map((old.tickets as Array<{ id: string; reserved_at: number }>).map((ticket) => [ticket.id, ticket.reserved_at]));
  const log = (old.audit_log as Array<{ ticket_id: string | null }>).map((entry) => ({ ...entry, ticket_reserved_at: entry.ticket_id === null ? null : reservedAt.get(entry.ticket_id) }));
  return { ...old, events, audit_log: log };
}

describe("sqlite: v2, v3 and v4 stores upgrade through v5 in place", () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => (dir = tempDir("tix-v5-")));
  afterEach(() => dir.remove());

  function writeOldStore(version: number): { path: string; before: Record<string, unknown[]>; totals: unknown[] } {
    const path = join(dir.path, `v${version}.db`);
    const old = new Database(path);
    for (let applied = 0; applied < version; applied++) {
      runMigration(old, MIGRATIONS[applied]!);
      if (ROWS[applied + 1]) old.exec(ROWS[applied + 1]!);
    }
    old.pragma(`application_id = ${TIX_APPLICATION_ID}`);
    old.pragma(`user_version = ${version}`);
    old.close();
    // What v4 makes of the same file (the columns v3 and v4 add, with their defaults): v5 must keep all of it.
    copyFileSync(path, `${path}.v4`);
    const v4 = new Database(`${path}.v4`);
    for (const migration of MIGRATIONS.slice(version, 4)) runMigration(v4, migration);
    const before = dump(v4);
    const totals = v4.prepare("SELECT id, capacity, held, sold FROM events ORDER BY rowid").all();
    v4.close();
    return { path, before, totals };
  }

  for (const version of [2, 3, 4]) {
    it(`v${version}: every row carries over, totals come from the tiers, the log numbers on, the engine works`, async () => {
      const { path, before, totals } = writeOldStore(version);
      const clock = new ManualClock(T0 + 10);
      const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
      try {
        const upgraded = new Database(path, { readonly: true });
        expect(dump(upgraded)).toEqual(asCurrent(before));
        expect(upgraded.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
        expect(upgraded.pragma("integrity_check", { simple: true })).toBe("ok");
        expect(upgraded.pragma("foreign_key_check")).toEqual([]);
        expect(upgraded.prepare("SELECT name FROM sqlite_schema WHERE name = 'tickets_by_user'").all()).toEqual([]);
        expect(upgraded.prepare("SELECT count(*) FROM sqlite_sequence").pluck().get()).toBe(0);
        upgraded.close();

        // The totals each old event row held, now read from its tiers; the order events were made in.
        const events = await tix.events.list();
        expect(events.map((event) => ({ id: event.id, capacity: event.capacity, held: event.held, sold: event.sold })))
          .toEqual(totals);
        expect(await tix.events.get("evt_a")).toMatchObject({ price: "20.00", currency: "EUR", limitPerUser: 4 });

        // A replayed key, a new hold (the totals move through the tier alone), a purchase.
        expect(await tix.tickets.reserve({ eventId: "evt_a", userId: "alice", key: "k1", tier: "Floor" })).toMatchObject({ replayed: true, ticket: { id: "tkt_held" } });
        const { ticket } = await tix.tickets.reserve({ eventId: "evt_a", userId: "erin", key: "k2", tier: "Floor" });
        await tix.tickets.purchase({ ticketId: ticket.id, userId: "erin" });
        expect(await tix.events.get("evt_a")).toMatchObject({ capacity: 8, held: 1, sold: 3, tiers: [{ name: "Floor", held: 1, sold: 2 }, { name: "Balcony", held: 0, sold: 1 }] });
        if (version >= 3) {
          await expect(tix.tickets.reserve({ eventId: "evt_seats", userId: "erin", key: "k3", seats: ["A1"] })).rejects.toMatchObject({ code: "SEAT_TAKEN" });
        }

        // The log numbers on from its last entry; by event and by ticket it still finds its entries.
        const lastSeq = (before.audit_log as Array<{ seq: number }>).at(-1)!.seq;
        const log = await tix.log.list();
        expect(log.slice(0, lastSeq).map((entry) => entry.seq)).toEqual((before.audit_log as Array<{ seq: number }>).map((row) => row.seq));
        expect(log.slice(lastSeq).map((entry) => entry.seq)).toEqual(log.slice(lastSeq).map((_, i) => lastSeq + 1 + i));
        expect((await tix.log.list({ ticketId: "tkt_sold" })).map((entry) => entry.action)).toEqual(["ticket.purchased"]);
        expect((await tix.log.list({ ticketId: ticket.id })).map((entry) => entry.action)).toEqual(["ticket.reserved", "ticket.purchased"]);
        expect((await tix.log.list({ eventId: "evt_z" })).map((entry) => entry.seq)).toEqual([1]);
      } finally {
        await tix.close();
      }
    });
  }

  it("leaves a store whose references are broken as it was, and says so", () => {
    const { path, before } = writeOldStore(4);
    const broken = new Database(path);
    broken.pragma("foreign_keys = OFF");
    broken.exec(`INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency, tier, order_id)
      VALUES ('tkt_stray', 'evt_gone', 'zoe', 'purchased', ${T0}, ${HOLD_END}, 100, 'USD', 'GA', 'ord_stray')`);
    const withStray = dump(broken);
    broken.close();
    expect(withStray.tickets).toHaveLength((before.tickets as unknown[]).length + 1);
    expect(() => openSqliteStore(path, new ManualClock(T0), { busyTimeoutMs: 1000 })).toThrow(expect.objectContaining({
      code: "STORE_UNAVAILABLE", message: expect.stringMatching(/1 row whose references are broken .*left at schema version 4/),
    }));
    const untouched = new Database(path, { readonly: true });
    expect(untouched.pragma("user_version", { simple: true })).toBe(4);
    expect(dump(untouched)).toEqual(withStray);
    untouched.close();
  });

  it("refuses a store of a newer schema, and leaves it as it was", () => {
    const { path, before } = writeOldStore(4);
    const newer = new Database(path);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const clock = new ManualClock(T0);
    expect(() => openSqliteStore(path, clock, { busyTimeoutMs: 1000 })).toThrow(expect.objectContaining({
      code: "STORE_UNAVAILABLE",
      message: expect.stringMatching(new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this tix understands \\(${SCHEMA_VERSION}\\); upgrade tix`)),
    }));
    const untouched = new Database(path, { readonly: true });
    expect(untouched.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(dump(untouched)).toEqual(before);
    untouched.close();
  });
});
