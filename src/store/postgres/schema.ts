import type { Connection } from "./connection.js";
import { TixError } from "../../core/index.js";
import { newerSchemaWhileOpen } from "../newer-schema.js";

/** tix keeps its tables in this PostgreSQL schema of the database the URL names. */
export const TIX_SCHEMA = "tix";
const APPLICATION = "tix";
/** 'TIX1', as the SQLite application_id: the advisory lock under which one process migrates. */
const MIGRATION_LOCK = 0x54495831;

/**
 * Forward-only migrations; `tix.schema_info.version` is the number applied. Append, never edit: a
 * database migrated by an older tix must reach the same schema as a new one. Mirrors the SQLite
 * schema: times are epoch milliseconds (BIGINT), money integer minor units, ids compared bytewise.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE tix.events (
    id           TEXT COLLATE "C" PRIMARY KEY,
    -- Creation order, as SQLite's rowid: \`event list\` shows events in the order they were made.
    seq          BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    name         TEXT NOT NULL,
    venue        TEXT,
    starts_at    BIGINT,
    capacity     INTEGER NOT NULL,
    held         INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    sold         INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    hold_seconds INTEGER NOT NULL,
    price_minor  BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    -- The core enforces this; the constraint is the last line of defence against overselling.
    CONSTRAINT never_oversold CHECK (held + sold <= capacity)
  );

  CREATE TABLE tix.tickets (
    id           TEXT COLLATE "C" PRIMARY KEY,
    event_id     TEXT COLLATE "C" NOT NULL REFERENCES tix.events (id),
    user_id      TEXT COLLATE "C" NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('reserved', 'purchased', 'cancelled', 'expired')),
    reserved_at  BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    purchased_at BIGINT,
    cancelled_at BIGINT,
    price_minor  BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    card_last4   TEXT
  );

  CREATE INDEX tickets_by_user ON tix.tickets (user_id, reserved_at, id);
  CREATE INDEX tickets_by_event ON tix.tickets (event_id, reserved_at, id);
  -- Finds holds to release without reading every ticket.
  CREATE INDEX tickets_due ON tix.tickets (expires_at) WHERE status = 'reserved';
  -- One live hold per user and event, whatever the code above it does.
  CREATE UNIQUE INDEX one_hold_per_user_event ON tix.tickets (user_id, event_id) WHERE status = 'reserved';

  CREATE TABLE tix.idempotency_keys (
    user_id    TEXT COLLATE "C" NOT NULL,
    key        TEXT COLLATE "C" NOT NULL,
    request    TEXT NOT NULL,
    ticket_id  TEXT COLLATE "C" NOT NULL REFERENCES tix.tickets (id),
    created_at BIGINT NOT NULL,
    -- One binding per user and key, whichever connection or host made it.
    PRIMARY KEY (user_id, key)
  );
  `,
  // v2: tiers, orders, per-user limits, check-in, waiting lists and the audit log (as SQLite's v2).
  `
  CREATE TABLE tix.tiers (
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES tix.events (id),
    name        TEXT COLLATE "C" NOT NULL,
    position    INTEGER NOT NULL,
    capacity    INTEGER NOT NULL,
    price_minor BIGINT NOT NULL,
    held        INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0),
    sold        INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0),
    CONSTRAINT tier_never_oversold CHECK (held + sold <= capacity),
    PRIMARY KEY (event_id, name)
  );
  INSERT INTO tix.tiers (event_id, name, position, capacity, price_minor, held, sold)
    SELECT id, 'GA', 0, capacity, price_minor, held, sold FROM tix.events;
  ALTER TABLE tix.events ADD COLUMN limit_per_user INTEGER;

  ALTER TABLE tix.tickets ADD COLUMN tier TEXT COLLATE "C" NOT NULL DEFAULT 'GA';
  ALTER TABLE tix.tickets ADD COLUMN order_id TEXT COLLATE "C" NOT NULL DEFAULT '';
  ALTER TABLE tix.tickets ADD COLUMN checked_in_at BIGINT;
  -- Creation order, as SQLite's rowid: an order's tickets come back in the order they were made.
  ALTER TABLE tix.tickets ADD COLUMN seq BIGINT GENERATED ALWAYS AS IDENTITY;
  UPDATE tix.tickets SET order_id = 'ord_' || substr(id, 5);
  CREATE INDEX tickets_by_order ON tix.tickets (order_id, seq);
  CREATE INDEX tickets_by_user_event ON tix.tickets (user_id, event_id, status);
  -- Several holds per user are now allowed (orders, per-user limits): the core enforces the rule.
  DROP INDEX tix.one_hold_per_user_event;

  ALTER TABLE tix.idempotency_keys ADD COLUMN order_id TEXT COLLATE "C" NOT NULL DEFAULT '';
  UPDATE tix.idempotency_keys SET order_id = 'ord_' || substr(ticket_id, 5);

  CREATE TABLE tix.waitlist (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY,
    event_id  TEXT COLLATE "C" NOT NULL REFERENCES tix.events (id),
    user_id   TEXT COLLATE "C" NOT NULL,
    tier      TEXT COLLATE "C" NOT NULL,
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, user_id)
  );
  CREATE INDEX waitlist_in_line ON tix.waitlist (event_id, joined_at, seq);

  CREATE TABLE tix.audit_log (
    seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    event_id  TEXT COLLATE "C" NOT NULL,
    ticket_id TEXT COLLATE "C",
    order_id  TEXT COLLATE "C",
    details   JSONB NOT NULL
  );
  CREATE INDEX audit_log_by_event ON tix.audit_log (event_id, seq);
  CREATE INDEX audit_log_by_ticket ON tix.audit_log (ticket_id, seq) WHERE ticket_id IS NOT NULL;
  `,
  // v3: reserved seating (as SQLite's v3).
  `
  ALTER TABLE tix.events ADD COLUMN seat_map TEXT;
  ALTER TABLE tix.tickets ADD COLUMN seat TEXT COLLATE "C";
  CREATE TABLE tix.event_seats (
    event_id TEXT COLLATE "C" PRIMARY KEY REFERENCES tix.events (id),
    -- 2 bits a seat in map order: 0 free, 1 held, 2 sold (src/core/seating/free-index.ts).
    states   BYTEA NOT NULL,
    -- Raised by every write: a process reuses the index it built while the version is unchanged.
    version  BIGINT NOT NULL
  );
  -- The core enforces this; the index is the last line of defence against a double booking.
  CREATE UNIQUE INDEX one_live_ticket_per_seat ON tix.tickets (event_id, seat)
    WHERE seat IS NOT NULL AND status IN ('reserved', 'purchased');
  `,
  // v4: sales windows (event and tier), access codes, vouchers and the tickets that used them (as SQLite's v4).
  `
  ALTER TABLE tix.events ADD COLUMN sales_start BIGINT;
  ALTER TABLE tix.events ADD COLUMN sales_end BIGINT;
  ALTER TABLE tix.tiers ADD COLUMN sales_start BIGINT;
  ALTER TABLE tix.tiers ADD COLUMN sales_end BIGINT;
  ALTER TABLE tix.tiers ADD COLUMN access_code TEXT COLLATE "C";
  ALTER TABLE tix.tickets ADD COLUMN voucher TEXT COLLATE "C";
  ALTER TABLE tix.tickets ADD COLUMN discount_minor BIGINT NOT NULL DEFAULT 0;

  CREATE TABLE tix.vouchers (
    -- Creation order, as SQLite's rowid.
    seq         BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
    event_id    TEXT COLLATE "C" NOT NULL REFERENCES tix.events (id),
    code        TEXT COLLATE "C" NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('percent', 'amount')),
    value       BIGINT NOT NULL,
    max_uses    INTEGER,
    uses        INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    valid_until BIGINT,
    tier        TEXT COLLATE "C",
    created_at  BIGINT NOT NULL,
    -- The core enforces this; the constraint is the last line of defence against overuse.
    CONSTRAINT never_overused CHECK (max_uses IS NULL OR uses <= max_uses),
    PRIMARY KEY (event_id, code)
  );
  `,
  // v5: a user's tickets by id, for completing a ticket id (as SQLite's v8; TixStore.listTicketsByIdPrefix).
  `
  -- The ids a user's tickets start with, found as a range: a Tab with a prefix few of them share
  -- reads those few, not the user's whole list (tickets_by_user is in reservation order).
  CREATE INDEX tickets_by_user_id ON tix.tickets (user_id, id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Makes sure the database holds tix's schema at SCHEMA_VERSION, creating or migrating it on first
 * use. Cheap when it is current (one query). Several processes may start at once on a new
 * database: one migrates under an advisory lock, the others wait and find it done. A `tix` schema
 * that another program owns, or one written by a newer tix, is refused and left untouched.
 */
/**
 * Waits for a statement sent, giving it up (the connection ended) if its server stops answering:
 * see Database.bounded. Not for a migration's own statements, which may take long on a big store.
 */
export type Bound = <T>(query: Promise<T>) => Promise<T>;
const unbounded: Bound = (query) => query;

/** Runs one statement (or, without parameters, several) and answers its rows. */
async function run<T>(client: Connection, text: string, params?: unknown[], bound: Bound = unbounded): Promise<T[]> {
  const query = params === undefined ? client.unsafe(text).simple() : client.unsafe(text, params as never[]);
  return [...await bound(query)] as T[];
}

export async function ensureSchema(client: Connection, description: string, bound: Bound = unbounded): Promise<void> {
  const current = await readSchemaInfo(client, bound);
  if (current) {
    checkCompatible(current, description);
    if (current.version === SCHEMA_VERSION) return;
  }
  await run(client, "BEGIN", undefined, bound);
  try {
    // Waits at most the busy timeout (lock_timeout) for another process's migration.
    await run(client, "SELECT pg_advisory_xact_lock($1::int8)", [MIGRATION_LOCK], bound);
    await migrate(client, description);
    await run(client, "COMMIT");
  } catch (error) {
    await run(client, "ROLLBACK").catch(() => undefined);
    throw error;
  }
}

interface SchemaInfo {
  application: string;
  version: number;
}

async function readSchemaInfo(client: Connection, bound: Bound = unbounded): Promise<SchemaInfo | undefined> {
  try {
    const rows = await run<SchemaInfo>(client, `SELECT application, version FROM ${TIX_SCHEMA}.schema_info`, undefined, bound);
    return rows[0] ?? { application: "", version: 0 };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "42P01" || code === "3F000") return undefined; // no such table / schema yet
    // Another program's `tix.schema_info` (no application or version column): not a tix store.
    // Mapped as a running store's changed tables, it blamed "a restore" for tables tix never opened.
    if (code === "42703") return { application: "", version: 0 };
    throw error;
  }
}

async function migrate(client: Connection, description: string): Promise<void> {
  const rows = await run<{ schema_exists: boolean; has_info: boolean; relations: number }>(client, 
    `SELECT n.oid IS NOT NULL AS schema_exists,
            to_regclass('${TIX_SCHEMA}.schema_info') IS NOT NULL AS has_info,
            (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid)::int AS relations
     FROM (SELECT to_regnamespace('${TIX_SCHEMA}')::oid AS oid) n`,
  );
  const state = rows[0]!;
  let version = 0;
  if (state.has_info) {
    const info = await readSchemaInfo(client);
    checkCompatible(info!, description);
    version = info!.version;
  } else if (state.relations > 0) {
    throw notATixStore(description);
  }
  if (version === SCHEMA_VERSION) return; // another process migrated while this one waited
  if (!state.schema_exists) await run(client, `CREATE SCHEMA ${TIX_SCHEMA}`);
  if (!state.has_info) {
    await run(client, `
      CREATE TABLE ${TIX_SCHEMA}.schema_info (
        singleton   BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
        application TEXT NOT NULL,
        version     INTEGER NOT NULL,
        migrated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      INSERT INTO ${TIX_SCHEMA}.schema_info (application, version) VALUES ('${APPLICATION}', 0);
    `);
  }
  for (let next = version; next < SCHEMA_VERSION; next++) await run(client, MIGRATIONS[next]!);
  await run(client, `UPDATE ${TIX_SCHEMA}.schema_info SET version = $1::int, migrated_at = now()`, [SCHEMA_VERSION]);
}

function checkCompatible(info: SchemaInfo, description: string): void {
  if (info.application !== APPLICATION) throw notATixStore(description);
  if (info.version > SCHEMA_VERSION) {
    throw new TixError(
      "STORE_UNAVAILABLE",
      `the store ${description} has schema version ${info.version}, newer than this tix understands (${SCHEMA_VERSION}); upgrade tix`,
    );
  }
}

function notATixStore(description: string): TixError {
  return new TixError(
    "STORE_UNAVAILABLE",
    `the store ${description} has a "${TIX_SCHEMA}" schema that is not a tix store; refusing to touch it`,
  );
}

/**
 * The schema's version, read inside each transaction in the flight that begins it (no round trip
 * of its own): see checkSchemaRead. One row of a one-row table.
 */
export const SCHEMA_READ: readonly [string] = [`SELECT version FROM ${TIX_SCHEMA}.schema_info`];

/**
 * Refuses a database a newer tix migrated after this process opened it (a `tix serve` left
 * running): its statements and rules are of the schema it opened, and a write of them could break
 * the newer one's. `sent`: a flight's statements, `answers` their rows; the check is of the answer
 * to SCHEMA_READ, when the flight held it. Thrown before anything of the transaction is written.
 */
export function checkSchemaRead(sent: readonly unknown[], answers: ReadonlyArray<readonly Record<string, unknown>[]>, description: string): void {
  const at = sent.indexOf(SCHEMA_READ);
  if (at < 0) return;
  const version = answers[at]?.[0]?.version;
  if (typeof version === "number" && version > SCHEMA_VERSION) throw newerSchemaWhileOpen(`the store ${description}`, version, SCHEMA_VERSION);
}
