/** 'TIX1': marks a SQLite file as a tix store, so tix never adopts another program's database. */
export const TIX_APPLICATION_ID = 0x54495831;

/**
 * Forward-only migrations; `PRAGMA user_version` is the number applied. Append, never edit: a file
 * migrated by an older tix must reach the same schema as a new one.
 */
export const MIGRATIONS: readonly string[] = [
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
];

export const SCHEMA_VERSION = MIGRATIONS.length;
