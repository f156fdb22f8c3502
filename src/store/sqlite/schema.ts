import type Database from "better-sqlite3";

/** 'TIX1': marks a SQLite file as a tix store, so tix never adopts another program's database. */
export const TIX_APPLICATION_ID = 0x54495831;

/** A migration: SQL, or a step SQL alone cannot take, run in the same transaction. */
export type Migration = string | ((db: Database.Database) => void);

/** The file's schema is not the one the migrations made: it is not upgraded (the message says what differs). */
export class UnexpectedSchema extends Error {}

/** Applies one migration to the database (inside the caller's transaction). */
export function runMigration(db: Database.Database, migration: Migration): void {
  if (typeof migration === "string") db.exec(migration);
  else migration(db);
}

/** The CHECK on a ticket's status as v1 made it, and as v7 makes it (the same statuses). */
export const STATUS_CHECK_V1 = "CHECK (status IN ('reserved', 'purchased', 'cancelled', 'expired'))";
export const STATUS_CHECK_V7 = "CHECK (status = 'reserved' OR status = 'purchased' OR status = 'cancelled' OR status = 'expired')";

/**
 * v7: the tickets table's CHECK on status, from an IN list to the same four comparisons. SQLite
 * codes an IN list of more than two constants as a temporary B-tree, built, filled with the four
 * statuses, searched and freed at every ticket written (a reserve, a purchase, a cancel): the ORs
 * are compared in place (docs/performance-history.md, "SQLite reserve").
 *
 * Only the CHECK changes, so the table is not rebuilt: its definition is rewritten in place, as
 * SQLite documents for changing a CHECK (lang_altertable.html, "Making Other Kinds Of Table Schema
 * Changes"), in O(1) whatever the number of tickets. Every row that met the old CHECK meets the new
 * one (a STRICT TEXT column, NOT NULL: the same four values pass). The text replaced must be the
 * one v1 wrote, exactly once, or the file is refused; the schema cookie is raised so that every
 * connection reads the new definition; and the definition is read back (parsed again) before the
 * migration's transaction commits: any failure rolls the whole upgrade back.
 */
function statusCheckWithoutTemporaryTable(db: Database.Database): void {
  const definition = () => db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'tickets'").pluck().get();
  const before = definition();
  if (typeof before !== "string" || before.split(STATUS_CHECK_V1).length !== 2) {
    throw new UnexpectedSchema(`its tickets table is not as tix made it (${JSON.stringify(STATUS_CHECK_V1)} expected once in its definition)`);
  }
  const after = before.replace(STATUS_CHECK_V1, STATUS_CHECK_V7);
  const cookie = db.pragma("schema_version", { simple: true }) as number;
  // better-sqlite3 runs SQLite in defensive mode, which forbids writing sqlite_schema: off for this step alone.
  db.unsafeMode(true);
  try {
    db.pragma("writable_schema = ON");
    try {
      db.prepare("UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'tickets' AND sql = ?").run(after, before);
      db.pragma(`schema_version = ${cookie + 1}`);
    } finally {
      // Off, and the schema read again from sqlite_schema.
      db.pragma("writable_schema = RESET");
    }
  } finally {
    db.unsafeMode(false);
  }
  if (definition() !== after) throw new UnexpectedSchema("its tickets table's CHECK on status could not be rewritten");
}

/**
 * Forward-only migrations; `PRAGMA user_version` is the number applied. Append, never edit: a file
 * migrated by an older tix must reach the same schema as a new one.
 */
export const MIGRATIONS: readonly Migration[] = [
  `
  CREATE TABLE events (
    id           TEXT PRIMARY KEY NOT NULL,
    name         TEXT NOT NULL,
    venue        TEXT,
    starts_at    INTEGER,
    capacity     INTEGER NOT NULL,
    held         INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    sold         INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    hold_seconds INTEGER NOT NULL,
    price_minor  INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    -- The core enforces this; the constraint is the last line of defence against overselling.
    CHECK (held + sold <= capacity)
  ) STRICT;

  CREATE TABLE tickets (
    id           TEXT PRIMARY KEY NOT NULL,
    event_id     TEXT NOT NULL REFERENCES events (id),
    user_id      TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('reserved', 'purchased', 'cancelled', 'expired')),
    reserved_at  INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    purchased_at INTEGER,
    cancelled_at INTEGER,
    price_minor  INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    card_last4   TEXT
  ) STRICT;

  CREATE INDEX tickets_by_user ON tickets (user_id, reserved_at);
  CREATE INDEX tickets_by_event ON tickets (event_id, reserved_at);
  -- Finds holds to release without reading every ticket.
  CREATE INDEX tickets_due ON tickets (expires_at) WHERE status = 'reserved';
  -- One live hold per user and event, whatever the code above it does.
  CREATE UNIQUE INDEX one_hold_per_user_event ON tickets (user_id, event_id) WHERE status = 'reserved';

  CREATE TABLE idempotency_keys (
    user_id    TEXT NOT NULL,
    key        TEXT NOT NULL,
    request    TEXT NOT NULL,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, key)
  ) STRICT, WITHOUT ROWID;
  `,
  // v2: tiers, orders, per-user limits, check-in, waiting lists and the audit log.
  `
  CREATE TABLE tiers (
    event_id    TEXT NOT NULL REFERENCES events (id),
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    capacity    INTEGER NOT NULL,
    price_minor INTEGER NOT NULL,
    held        INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    sold        INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    CHECK (held + sold <= capacity),
    PRIMARY KEY (event_id, name)
  ) STRICT, WITHOUT ROWID;
  INSERT INTO tiers (event_id, name, position, capacity, price_minor, held, sold)
    SELECT id, 'GA', 0, capacity, price_minor, held, sold FROM events;
  ALTER TABLE events ADD COLUMN limit_per_user INTEGER;

  ALTER TABLE tickets ADD COLUMN tier TEXT NOT NULL DEFAULT 'GA';
  ALTER TABLE tickets ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
  ALTER TABLE tickets ADD COLUMN checked_in_at INTEGER;
  UPDATE tickets SET order_id = 'ord_' || substr(id, 5);
  CREATE INDEX tickets_by_order ON tickets (order_id);
  CREATE INDEX tickets_by_user_event ON tickets (user_id, event_id, status);
  -- Several holds per user are now allowed (orders, per-user limits): the core enforces the rule.
  DROP INDEX one_hold_per_user_event;

  ALTER TABLE idempotency_keys ADD COLUMN order_id TEXT NOT NULL DEFAULT '';
  UPDATE idempotency_keys SET order_id = 'ord_' || substr(ticket_id, 5);

  CREATE TABLE waitlist (
    event_id  TEXT NOT NULL REFERENCES events (id),
    user_id   TEXT NOT NULL,
    tier      TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    UNIQUE (event_id, user_id)
  ) STRICT;
  CREATE INDEX waitlist_in_line ON waitlist (event_id, joined_at);

  CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    ticket_id TEXT,
    order_id  TEXT,
    details   TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_log_by_event ON audit_log (event_id, seq);
  CREATE INDEX audit_log_by_ticket ON audit_log (ticket_id, seq) WHERE ticket_id IS NOT NULL;
  `,
  // v3: reserved seating — a seated event's map, its seats' states, each ticket's seat.
  `
  ALTER TABLE events ADD COLUMN seat_map TEXT;
  ALTER TABLE tickets ADD COLUMN seat TEXT;
  -- A rowid table: a stadium's states are 12.5 KB, too large a row for WITHOUT ROWID.
  CREATE TABLE event_seats (
    event_id TEXT PRIMARY KEY NOT NULL REFERENCES events (id),
    -- 2 bits a seat in map order: 0 free, 1 held, 2 sold (src/core/seating/free-index.ts).
    states   BLOB NOT NULL,
    -- Raised by every write: a process reuses the index it built while the version is unchanged.
    version  INTEGER NOT NULL
  ) STRICT;
  -- The core enforces this; the index is the last line of defence against a double booking.
  CREATE UNIQUE INDEX one_live_ticket_per_seat ON tickets (event_id, seat)
    WHERE seat IS NOT NULL AND status IN ('reserved', 'purchased');
  `,
  // v4: sales windows (event and tier), access codes, vouchers and the tickets that used them.
  `
  ALTER TABLE events ADD COLUMN sales_start INTEGER;
  ALTER TABLE events ADD COLUMN sales_end INTEGER;
  ALTER TABLE tiers ADD COLUMN sales_start INTEGER;
  ALTER TABLE tiers ADD COLUMN sales_end INTEGER;
  ALTER TABLE tiers ADD COLUMN access_code TEXT;
  ALTER TABLE tickets ADD COLUMN voucher TEXT;
  ALTER TABLE tickets ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE vouchers (
    event_id    TEXT NOT NULL REFERENCES events (id),
    code        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
    value       INTEGER NOT NULL,
    max_uses    INTEGER,
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    valid_until INTEGER,
    tier        TEXT,
    created_at  INTEGER NOT NULL,
    -- The core enforces this; the constraint is the last line of defence against overuse.
    CHECK (max_uses IS NULL OR uses <= max_uses),
    PRIMARY KEY (event_id, code)
  ) STRICT;
  `,
  // v5: fewer B-tree pages written per reservation (docs/performance-history.md, "SQLite reserve"). Run with
  // foreign keys off (SQLite's procedure for rebuilding a table others reference), checked before commit.
  `
  -- An event's capacity, held, sold and price are its tiers' sums (lowest price): kept once, in
  -- tiers, whose CHECKs guard every tier and so the event. A reserve no longer rewrites the event's row.
  CREATE TABLE events_v5 (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    venue          TEXT,
    starts_at      INTEGER,
    hold_seconds   INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    limit_per_user INTEGER,
    sales_start    INTEGER,
    sales_end      INTEGER,
    seat_map       TEXT,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
  ) STRICT;
  -- The rowid too: events are listed in the order they were made.
  INSERT INTO events_v5 (rowid, id, name, venue, starts_at, hold_seconds, currency, limit_per_user, sales_start, sales_end,
      seat_map, created_at, updated_at)
    SELECT rowid, id, name, venue, starts_at, hold_seconds, currency, limit_per_user, sales_start, sales_end,
      seat_map, created_at, updated_at FROM events;
  DROP TABLE events;
  ALTER TABLE events_v5 RENAME TO events;

  -- Without AUTOINCREMENT (and its sqlite_sequence row, one more page a write): nothing deletes
  -- from the log, so the next seq is still the largest plus one, in the order entries were made.
  CREATE TABLE audit_log_v5 (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    ticket_id TEXT,
    order_id  TEXT,
    details   TEXT NOT NULL
  ) STRICT;
  INSERT INTO audit_log_v5 (seq, at, actor, action, event_id, ticket_id, order_id, details)
    SELECT seq, at, actor, action, event_id, ticket_id, order_id, details FROM audit_log;
  DROP TABLE audit_log;
  ALTER TABLE audit_log_v5 RENAME TO audit_log;
  CREATE INDEX audit_log_by_event ON audit_log (event_id, seq);
  CREATE INDEX audit_log_by_ticket ON audit_log (ticket_id, seq) WHERE ticket_id IS NOT NULL;

  -- A user's tickets are found through tickets_by_user_event (user_id first), and are few to sort.
  DROP INDEX tickets_by_user;
  `,
  // v6: one audit-log index instead of two, a page fewer written by every change, and not a random
  // one (docs/performance-history.md, "SQLite reserve").
  `
  -- A ticket's entries carry its event and the time it was reserved, which never change: they sit
  -- in the index beside each other, and a new ticket's at the end of its event's, not at the random
  -- place of its id. An event's whole log is read through the same index and sorted by seq.
  ALTER TABLE audit_log ADD COLUMN ticket_reserved_at INTEGER;
  UPDATE audit_log SET ticket_reserved_at = (SELECT reserved_at FROM tickets WHERE tickets.id = audit_log.ticket_id)
    WHERE ticket_id IS NOT NULL;
  CREATE INDEX audit_log_by_event_ticket ON audit_log (event_id, ticket_reserved_at, ticket_id);
  DROP INDEX audit_log_by_event;
  DROP INDEX audit_log_by_ticket;
  -- tix writes the time with the entry; an older tix still running on an upgraded file does not.
  CREATE TRIGGER audit_log_ticket_reserved_at AFTER INSERT ON audit_log
    WHEN NEW.ticket_id IS NOT NULL AND NEW.ticket_reserved_at IS NULL
  BEGIN
    UPDATE audit_log SET ticket_reserved_at = (SELECT reserved_at FROM tickets WHERE id = NEW.ticket_id) WHERE seq = NEW.seq;
  END;
  `,
  // v7: a ticket's write builds no temporary B-tree for its CHECK on status.
  statusCheckWithoutTemporaryTable,
  // v8: a user's tickets by id, for completing a ticket id (TixStore.listTicketsByIdPrefix).
  `
  -- The ids a user's tickets start with, found as a range: a Tab with a prefix few of them share
  -- reads those few, not the user's whole list (tickets_by_user_event has no id order).
  CREATE INDEX tickets_by_user_id ON tickets (user_id, id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
