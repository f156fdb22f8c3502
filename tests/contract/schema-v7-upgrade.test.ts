import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock, TICKET_STATUSES } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { MIGRATIONS, runMigration, STATUS_CHECK_V1, STATUS_CHECK_V7, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { expectUpgradedFile } from "../helpers/upgraded-file.js";

/**
 * SQLite schema v7 (the tickets table's CHECK on status, an IN list that SQLite built a temporary
 * B-tree for at every ticket written, made four comparisons) over a store written at v6: the
 * definition is rewritten in place — every row, page and other definition as it was — the CHECK
 * still refuses any other status, a connection already open reads the new definition, and a file
 * whose definition is not the one tix made, or whose upgrade fails later, is left as it was.
 */
const T0 = Date.UTC(2025, 4, 1, 12);
const TICKETS = 1000;
let dir: { path: string; remove: () => void };
beforeEach(() => (dir = tempDir("tix-v7-")));
afterEach(() => dir.remove());

/** A v6 store: two events, a thousand tickets in the four statuses (one seated), their keys and log. */
function writeV6Store(path: string, migrations: readonly (typeof MIGRATIONS)[number][] = MIGRATIONS.slice(0, 6)): void {
  const v6 = new Database(path);
  for (const migration of migrations) runMigration(v6, migration);
  v6.exec(`
    INSERT INTO events (id, name, venue, starts_at, hold_seconds, currency, seat_map, created_at, updated_at)
      VALUES ('evt_a', 'A', NULL, NULL, 600, 'USD', NULL, ${T0}, ${T0}), ('evt_b', 'B', 'Hall', NULL, 600, 'USD', NULL, ${T0}, ${T0});
    INSERT INTO tiers (event_id, name, position, capacity, price_minor, held, sold)
      VALUES ('evt_a', 'GA', 0, 5000, 1000, 250, 250), ('evt_b', 'GA', 0, 10, 500, 0, 0);
    WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${TICKETS})
    INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, cancelled_at, price_minor, currency, tier, order_id, seat)
      SELECT printf('tkt_%04d', i), 'evt_a', 'user' || (i % 97), '${JSON.stringify(TICKET_STATUSES)}' ->> (i % 4), ${T0} + i, ${T0 + 600_000} + i,
        CASE WHEN i % 4 = 1 THEN ${T0} + i END, CASE WHEN i % 4 = 2 THEN ${T0} + i END, 1000, 'USD', 'GA', printf('ord_%04d', i),
        CASE WHEN i = 0 THEN 'GA:A1' END
      FROM n;
    INSERT INTO idempotency_keys (user_id, key, request, ticket_id, order_id, created_at)
      VALUES ('user0', 'k0', '{"op":"reserve","eventId":"evt_a"}', 'tkt_0000', 'ord_0000', ${T0});
    INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details, ticket_reserved_at)
      VALUES (${T0}, 'admin', 'event.created', 'evt_a', NULL, NULL, '{}', NULL),
             (${T0}, 'user0', 'ticket.reserved', 'evt_a', 'tkt_0000', 'ord_0000', '{"tier":"GA"}', ${T0});
  `);
  v6.pragma(`application_id = ${TIX_APPLICATION_ID}`);
  v6.pragma("user_version = 6");
  v6.close();
}

/** Every table's rows (rowid tables with their rowids), and every definition. */
function dump(db: Database.Database): { rows: Record<string, unknown[]>; schema: Array<{ type: string; name: string; rootpage: number; sql: string | null }> } {
  const schema = db.prepare("SELECT type, name, rootpage, sql FROM sqlite_schema ORDER BY type, name").all() as Array<{ type: string; name: string; rootpage: number; sql: string | null }>;
  const rows = Object.fromEntries(schema.filter(({ type, name }) => type === "table" && !name.startsWith("sqlite_")).map(({ name, sql }) => {
    const rowid = /WITHOUT ROWID/i.test(sql ?? "") ? "" : "rowid AS _rowid, ";
    return [name, db.prepare(`SELECT ${rowid}* FROM ${name} ORDER BY 1, 2`).all()];
  }));
  return { rows, schema };
}

function ticketsDefinition(db: Database.Database): string {
  return db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'tickets'").pluck().get() as string;
}

/** How many temporary B-trees a write of a ticket opens on this connection. */
function temporaryTables(db: Database.Database): number {
  const insert = `INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status`;
  return (db.prepare(`EXPLAIN ${insert}`).all(...Array<null>(8).fill(null)) as Array<{ opcode: string }>).filter((row) => row.opcode === "OpenEphemeral").length;
}

/** Writes a ticket of the status given to the file (then takes it back): SQLite's answer. */
function writeStatus(db: Database.Database, status: string): string {
  db.exec("SAVEPOINT probe");
  try {
    db.prepare(`INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency) VALUES ('tkt_probe', 'evt_b', 'probe', ?, 1, 2, 3, 'USD')`).run(status);
    db.prepare("UPDATE tickets SET status = ? WHERE id = 'tkt_0001'").run(status);
    return "written";
  } catch (error) {
    return (error as { code: string }).code;
  } finally {
    db.exec("ROLLBACK TO probe; RELEASE probe");
  }
}

describe("sqlite: a v6 store upgrades to v7 in place", () => {
  it("every row and page kept, only the CHECK's text changed, the same statuses accepted and no others, the engine works", async () => {
    const path = join(dir.path, "v6.db");
    writeV6Store(path);
    // Writable: a read-only connection's plan of a write checks nothing.
    const old = new Database(path);
    const before = dump(old);
    const pages = old.pragma("page_count", { simple: true });
    expect(temporaryTables(old)).toBe(2);
    old.close();

    const clock = new ManualClock(T0 + 10);
    const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
    try {
      const upgraded = new Database(path);
      const after = dump(upgraded);
      expect(after.rows).toEqual(before.rows);
      expect((after.rows.tickets as unknown[]).length).toBe(TICKETS);
      // In place: no table rebuilt (the same root pages, the same number of pages), one definition
      // rewritten — and v8's index of a user's ticket ids added after it, with its own pages.
      const v8Index = "tickets_by_user_id";
      expect(after.schema.filter((entry) => entry.name !== v8Index)).toEqual(before.schema.map((entry) => entry.name === "tickets" ? { ...entry, sql: entry.sql!.replace(STATUS_CHECK_V1, STATUS_CHECK_V7) } : entry));
      expect(after.schema.filter((entry) => entry.name === v8Index)).toMatchObject([{ type: "index", sql: "CREATE INDEX tickets_by_user_id ON tickets (user_id, id)" }]);
      expect(ticketsDefinition(upgraded)).toContain(STATUS_CHECK_V7);
      expect(ticketsDefinition(upgraded)).not.toContain(STATUS_CHECK_V1);
      const indexPages = upgraded.prepare("SELECT count(*) FROM dbstat WHERE name = ?").pluck().get(v8Index) as number;
      expect(upgraded.pragma("page_count", { simple: true })).toBe((pages as number) + indexPages);
      expect(temporaryTables(upgraded)).toBe(0);
      // The same four statuses pass, inserted and updated; anything else is refused, as before.
      for (const status of TICKET_STATUSES) expect(writeStatus(upgraded, status)).toBe("written");
      for (const status of ["held", "Reserved", "reserved ", ""]) expect(writeStatus(upgraded, status)).toBe("SQLITE_CONSTRAINT_CHECK");
      upgraded.close();

      const { ticket } = await tix.tickets.reserve({ eventId: "evt_b", userId: "carol", key: "k" });
      await tix.tickets.purchase({ ticketId: ticket.id, userId: "carol" });
      expect((await tix.tickets.cancel({ ticketId: ticket.id, userId: "carol" })).ticket).toMatchObject({ status: "cancelled" });
      expect(await tix.tickets.get("tkt_0002")).toMatchObject({ status: "cancelled" });
      expect(await tix.events.get("evt_a")).toMatchObject({ held: 250, sold: 250 });
    } finally {
      await tix.close();
    }
    expectUpgradedFile(path);
  });

  it("a new store is made with the same schema as an upgraded one", async () => {
    const upgradedPath = join(dir.path, "v6.db");
    writeV6Store(upgradedPath);
    const newPath = join(dir.path, "new.db");
    for (const path of [upgradedPath, newPath]) openDatabase(path, { busyTimeoutMs: 1000 }).close();
    const definitions = (path: string) => {
      const db = new Database(path, { readonly: true });
      try {
        return db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name").all();
      } finally {
        db.close();
      }
    };
    expect(definitions(newPath)).toEqual(definitions(upgradedPath));
    expectUpgradedFile(newPath);
  });

  it("a connection open on the file before the upgrade (an older tix still running) reads the new definition after it", () => {
    const path = join(dir.path, "v6.db");
    writeV6Store(path);
    const older = new Database(path);
    expect(writeStatus(older, "reserved")).toBe("written");
    expect(temporaryTables(older)).toBe(2);
    openDatabase(path, { busyTimeoutMs: 1000 }).close();
    // The schema cookie was raised: the next statement this connection runs reads the definitions again.
    expect(writeStatus(older, "gone")).toBe("SQLITE_CONSTRAINT_CHECK");
    expect(temporaryTables(older)).toBe(0);
    expect(writeStatus(older, "purchased")).toBe("written");
    older.close();
    expectUpgradedFile(path);
  });

  it("leaves the store's connection in SQLite's defensive mode: its definitions cannot be written after the upgrade", () => {
    const path = join(dir.path, "v6.db");
    writeV6Store(path);
    const db = openDatabase(path, { busyTimeoutMs: 1000 });
    try {
      expect(db.pragma("writable_schema", { simple: true })).toBe(0);
      db.pragma("writable_schema = ON");
      expect(() => db.prepare("UPDATE sqlite_schema SET sql = sql WHERE name = 'tickets'").run()).toThrow(/may not be modified/);
    } finally {
      db.close();
    }
  });

  it("refuses a store whose tickets table is not defined as tix made it, and leaves it as it was", () => {
    const path = join(dir.path, "v6.db");
    const respelled = "CHECK (status IN ('reserved','purchased','cancelled','expired'))";
    writeV6Store(path, [(MIGRATIONS[0] as string).replace(STATUS_CHECK_V1, respelled), ...MIGRATIONS.slice(1, 6)]);
    const old = new Database(path, { readonly: true });
    const before = dump(old);
    old.close();
    expect(before.schema.find((entry) => entry.name === "tickets")!.sql).toContain(respelled);
    expect(() => openSqliteStore(path, new ManualClock(T0), { busyTimeoutMs: 1000 })).toThrow(expect.objectContaining({
      code: "STORE_UNAVAILABLE", message: expect.stringMatching(/v6\.db: its tickets table is not as tix made it .*not upgraded, left at schema version 6$/),
    }));
    const untouched = new Database(path, { readonly: true });
    expect(untouched.pragma("user_version", { simple: true })).toBe(6);
    expect(dump(untouched)).toEqual(before);
    untouched.close();
  });

  it("rolls the rewritten definition back with the rest when the upgrade fails after it (broken references)", () => {
    const path = join(dir.path, "v6.db");
    writeV6Store(path);
    const broken = new Database(path);
    broken.pragma("foreign_keys = OFF");
    broken.exec(`INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, price_minor, currency)
      VALUES ('tkt_stray', 'evt_gone', 'zoe', 'purchased', ${T0}, ${T0 + 1}, 100, 'USD')`);
    const before = dump(broken);
    broken.close();
    expect(() => openSqliteStore(path, new ManualClock(T0), { busyTimeoutMs: 1000 })).toThrow(expect.objectContaining({
      code: "STORE_UNAVAILABLE", message: expect.stringMatching(/1 row whose references are broken .*left at schema version 6/),
    }));
    const untouched = new Database(path, { readonly: true });
    expect(untouched.pragma("user_version", { simple: true })).toBe(6);
    expect(dump(untouched)).toEqual(before);
    expect(ticketsDefinition(untouched)).toContain(STATUS_CHECK_V1);
    expect(untouched.pragma("integrity_check", { simple: true })).toBe("ok");
    untouched.close();
  });
});
