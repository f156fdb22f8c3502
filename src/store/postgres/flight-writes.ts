import type { Change, EventRecord } from "../../core/index.js";
import type { SeatWrites } from "../seat-cache.js";
import { sameTier } from "../unchanged-rows.js";
import type { Statement } from "./connection.js";
import { mergedWrites } from "./merged-writes.js";
import { checkEventStorable } from "./pg-repository.js";

/**
 * A flight's writes — every change its operations decided, in their order — as a handful of
 * statements whatever the flight's size: one fixed text per table and kind of write, taking all
 * its rows as ONE JSON parameter (`json_to_recordset`), so that each text is prepared once per
 * connection and no flight nears PostgreSQL's 65,535 parameters. They go in foreign-key order
 * (events, tiers, seats, vouchers, then tickets, then keys …) and are joined by merged-writes.ts
 * into data-modifying WITH clauses where their tables differ (a rush's flight: one statement).
 *
 * One statement must not touch a row twice, so a row written several times is folded first into
 * what the writes one after another would have left: an upsert keeps the first write's values
 * of the columns its conflict clause does not set (a new row is inserted by its first write) and
 * takes the last write's of those it sets. Rows go in the order of their first write (a table's
 * creation order, `seq`, is kept; a seat freed before it is taken again is freed first, since a
 * ticket's seat is set when it is made); a waiting-list entry removed and joined again is deleted
 * first and inserted in the order of its last joining; log entries are appended in order.
 */
export class FlightWrites {
  /** Each kind of write that has rows, made when its first row comes (a lone decision writes four or five kinds). */
  private readonly kinds = new Map<TableWrite, Folded>();
  private readonly log: Row[] = [];
  /** Rows inserted by an earlier flight of this transaction, by kind: stored now, whatever a decision knew. */
  private readonly inserted = new Map<TableWrite, Set<string>>();

  constructor(private readonly seatWrites: SeatWrites) {}

  /**
   * A decision's changes. `stored`: the events as this transaction has them (read under their
   * locks, then as saved here), kept up to date: an event in it is updated, with only its tiers
   * that changed (a reserve: its event's row and one tier's); another is upserted with all its tiers.
   * `unstored`: the tickets and key binding the decision knows are not stored (see Unstored): they
   * are inserted, not upserted, which costs the server less.
   */
  add(changes: readonly Change[], stored: Map<string, EventRecord>, unstored?: Unstored): this {
    // Refused before any of them is added: a decision refused (see checkStorable) writes nothing.
    for (const change of changes) if (change.type === "saveEvent") checkEventStorable(change.event);
    for (const change of changes) {
      switch (change.type) {
        case "saveEvent": {
          const { tiers, ...event } = change.event;
          const before = stored.get(event.id);
          stored.set(event.id, change.event);
          this.kind(EVENT_WRITE).add(event, before !== undefined, before !== undefined && onlyCounts(EVENT_WRITE, before, event));
          tiers.forEach((tier, position) => {
            const old = before?.tiers[position];
            if (before && sameTier(old, tier)) return;
            const existing = before?.tiers.some(({ name }) => name === tier.name) ?? false;
            this.kind(TIER_WRITE).add({ ...tier, eventId: event.id, position }, existing, old !== undefined && old.name === tier.name && onlyCounts(TIER_WRITE, old, tier));
          });
          break;
        }
        case "saveTicket":
          this.kind(TICKET_WRITE).add(change.ticket, unstored?.tickets.has(change.ticket.id) === true ? "new" : false);
          break;
        case "bindKey": {
          const { userId, key } = change.record;
          this.kind(KEY_WRITE).add(change.record, unstored?.key?.userId === userId && unstored.key.key === key ? "new" : false);
          break;
        }
        case "saveWaitlistEntry":
          this.kind(WAITING_INSERT).remove(change.entry); // joins again: inserted in the order of this joining
          this.kind(WAITING_INSERT).add(change.entry);
          break;
        case "removeWaitlistEntry":
          this.kind(WAITING_INSERT).remove(change);
          this.kind(WAITING_DELETE).add({ eventId: change.eventId, userId: change.userId });
          break;
        case "appendLog":
          this.log.push(change.entry);
          break;
        case "saveVoucher":
          this.kind(VOUCHER_WRITE).add(change.voucher);
          break;
        case "saveSeats": {
          // Read in this transaction under the event's lock, or (version 1) a new event's first.
          const { version, packed } = this.seatWrites.write(change.eventId, change.seats, () => 0);
          const row = { eventId: change.eventId, states: Buffer.from(packed).toString("base64"), version };
          // The kind of a row's first write: a new event's first seats are inserted, loudly.
          this.kind(version === 1 || this.kinds.get(NEW_SEATS_WRITE)?.has(row) ? NEW_SEATS_WRITE : SEATS_WRITE).add(row);
          break;
        }
      }
    }
    return this;
  }

  /** The writes added since the last take, as statements in foreign-key order (none: nothing to write). */
  take(): Statement[] {
    const parts: Statement[] = [];
    for (const write of FOREIGN_KEY_ORDER) {
      const rows = this.kinds.get(write);
      let inserted = this.inserted.get(write);
      if (rows?.hasFresh() && inserted === undefined) this.inserted.set(write, (inserted = new Set()));
      const statement = rows?.take(inserted);
      if (statement) parts.push(statement);
    }
    this.kinds.clear();
    const log = rowsStatement(LOG_WRITE, LOG_WRITE.columns, this.log.splice(0));
    if (log) parts.push(log);
    return mergedWrites(parts);
  }

  private kind(write: TableWrite): Folded {
    let rows = this.kinds.get(write);
    if (rows === undefined) this.kinds.set(write, (rows = new Folded(write)));
    return rows;
  }
}

/** The writes of `changes` alone (see FlightWrites). */
export function changeStatements(changes: readonly Change[], seats: SeatWrites, stored: Map<string, EventRecord>): Statement[] {
  return new FlightWrites(seats).add(changes, stored).take();
}

type Row = object;

/**
 * What a decision knows is not stored: `tickets`, the ids of those it made (`ids.ticket()` in
 * this transaction); `key`, the binding its snapshot read and found free, under the key's lock.
 */
export interface Unstored {
  tickets: ReadonlySet<string>;
  key: { userId: string; key: string } | undefined;
}

/** A field of a record, its column and the column's type (`base64`: text sent, stored as bytea). */
type Column = readonly [field: string, column: string, type: string];

/**
 * One kind of write to one table, in fixed texts: `many` takes the rows as one JSON array; `one`
 * takes one row's columns as parameters — a lone decision's statement, which costs both ends less
 * than a JSON array of one; `update`, if any, one row known to exist (read under its lock);
 * `insert`, the same without its conflict clause, for rows known to be new (an upsert's
 * conflict check and clause cost the server about a seventh of a reserve's writes).
 */
interface TableWrite {
  many: string;
  one: string;
  update?: string;
  /** An update of one row that exists whose other fields are as stored: only these fields set (see onlyCounts). */
  counts?: { text: string; fields: readonly string[] };
  insert?: { many: string; one: string };
  columns: readonly Column[];
  keyFields: readonly string[];
  /** The fields the write sets on a row that exists (a row folded keeps its first write's other fields). */
  updated: readonly string[];
}

/** One table's rows for one kind of write, each row once (its writes folded), in the order of their first write. */
class Folded {
  private readonly rows = new Map<string, Record<string, unknown>>();
  /** Rows some write of which may insert them (the others are known to exist). */
  private readonly upserted = new Set<string>();
  /** Rows whose first write is known to insert them (see Unstored). */
  private readonly fresh = new Set<string>();
  /** Rows some write of which changes more than the write's `counts` fields. */
  private readonly wide = new Set<string>();

  constructor(private readonly write: TableWrite) {}

  has(row: Row): boolean {
    return this.rows.has(this.key(row));
  }

  hasFresh(): boolean {
    return this.fresh.size > 0;
  }

  /**
   * `exists`: the row is known to be stored (true), known not to be ("new"), or either (false);
   * `countsOnly`: the write changes only the kind's `counts` fields of the row as stored.
   */
  add(row: Row, exists: boolean | "new" = false, countsOnly = false): void {
    const record = row as Record<string, unknown>;
    const key = this.key(record);
    if (exists !== true) this.upserted.add(key);
    if (!countsOnly) this.wide.add(key);
    const first = this.rows.get(key);
    if (first === undefined) {
      this.rows.set(key, record);
      if (exists === "new") this.fresh.add(key);
      return;
    }
    const folded = { ...first };
    for (const field of this.write.updated) folded[field] = record[field];
    this.rows.set(key, folded);
  }

  remove(row: Row): void {
    const key = this.key(row);
    this.rows.delete(key);
    this.upserted.delete(key);
    this.fresh.delete(key);
    this.wide.delete(key);
  }

  /**
   * Its statement; none when no row is left (an entry that joined, then left). Rows known new are
   * inserted when every row is (and none was inserted by an earlier flight: `inserted`, kept up to date).
   */
  take(inserted: Set<string> | undefined): Statement | undefined {
    const { update, counts, keyFields, updated, insert } = this.write;
    if (this.rows.size === 1 && update !== undefined && this.upserted.size === 0) {
      const only = this.rows.values().next().value!;
      if (counts !== undefined && this.wide.size === 0) return [counts.text, [...keyFields, ...counts.fields].map((field) => only[field])];
      return [update, [...keyFields, ...updated].map((field) => only[field])];
    }
    const rows = [...this.rows.values()];
    if (inserted !== undefined && this.fresh.size > 0) {
      let fresh = insert !== undefined && this.fresh.size === this.rows.size;
      for (const key of this.fresh) {
        if (inserted.has(key)) fresh = false;
        inserted.add(key);
      }
      if (fresh) return rowsStatement(insert!, this.write.columns, rows);
    }
    return rowsStatement(this.write, this.write.columns, rows);
  }

  private key(row: Row): string {
    const { keyFields } = this.write;
    const record = row as Record<string, unknown>;
    return keyFields.length === 1 ? String(record[keyFields[0]!]) : keyFields.map((field) => record[field]).join("\u001f");
  }
}

/** `texts`' statement for the rows: `many` for several, `one` with `columns` as parameters for one. */
function rowsStatement(texts: { many: string; one: string }, columns: readonly Column[], rows: readonly Row[]): Statement | undefined {
  if (rows.length === 0) return undefined;
  if (rows.length > 1) return [texts.many, [rows]];
  const row = rows[0] as Record<string, unknown>;
  return [texts.one, columns.map(([field]) => row[field])];
}

/** `json_to_recordset` over `$1`, its rows in their order (`r.ordinal`), named `r`. */
function recordset(columns: readonly Column[]): string {
  const definitions = columns.map(([field, , type]) => `"${field}" ${type === "base64" ? "text" : type}`).join(", ");
  return `ROWS FROM (json_to_recordset($1::json) AS (${definitions})) WITH ORDINALITY AS r(${columns.map(([field]) => `"${field}"`).join(", ")}, ordinal)`;
}

/** An insert of `table`, as `many` and `one` texts; with `set`, an upsert on the key (`keyFields`) that sets those fields. */
function insert(table: string, columns: readonly Column[], keyFields: readonly string[], set?: readonly string[]): TableWrite {
  const column = (field: string) => columns.find(([name]) => name === field)![1];
  const onConflict = set
    ? `\nON CONFLICT (${keyFields.map(column).join(", ")}) DO UPDATE SET ${set.map((field) => `${column(field)} = excluded.${column(field)}`).join(", ")}`
    : "";
  const into = `INSERT INTO tix.${table} (${columns.map(([, name]) => name).join(", ")})`;
  const fromJson = columns.map(([field, , type]) => (type === "base64" ? `decode(r."${field}", 'base64')` : `r."${field}"`));
  const fromParams = columns.map(([, , type], index) => (type === "base64" ? `decode($${index + 1}, 'base64')` : type === "jsonb" ? `$${index + 1}::jsonb` : `$${index + 1}`));
  const many = `${into}\nSELECT ${fromJson.join(", ")} FROM ${recordset(columns)} ORDER BY r.ordinal`;
  const one = `${into} VALUES (${fromParams.join(", ")})`;
  return {
    many: `${many}${onConflict}`,
    one: `${one}${onConflict}`,
    ...(set ? { insert: { many, one } } : {}),
    columns,
    keyFields,
    updated: set ?? fieldsBut(columns, ...keyFields),
  };
}

/**
 * As `insert`, with an `update` of one row that exists: its `set` fields, found by its key; and
 * with `counts`, an update of those fields alone, for a write that changes no other (a reserve's
 * event and tier: four parameters each, where their whole rows took fifteen and ten).
 */
function withUpdate(table: string, write: TableWrite, counts?: readonly string[]): TableWrite {
  const column = (field: string) => write.columns.find(([name]) => name === field)![1];
  const key = write.keyFields.map((field, index) => `${column(field)} = $${index + 1}`).join(" AND ");
  const setOf = (fields: readonly string[]) => fields.map((field, index) => `${column(field)} = $${index + write.keyFields.length + 1}`).join(", ");
  return {
    ...write,
    update: `UPDATE tix.${table} SET ${setOf(write.updated)} WHERE ${key}`,
    ...(counts ? { counts: { text: `UPDATE tix.${table} SET ${setOf(counts)} WHERE ${key}`, fields: counts } } : {}),
  };
}

/** Whether `after` differs from the stored `before` in no column `write` stores but its key and `counts` fields. */
function onlyCounts(write: TableWrite, before: object, after: object): boolean {
  const { counts, keyFields, columns } = write;
  if (counts === undefined) return false;
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  for (const [field] of columns) {
    if (!keyFields.includes(field) && !counts.fields.includes(field) && a[field] !== b[field]) return false;
  }
  return true;
}

const fieldsBut = (columns: readonly Column[], ...left: string[]) => columns.map(([field]) => field).filter((field) => !left.includes(field));

const EVENT_COLUMNS: readonly Column[] = [
  ["id", "id", "text"], ["name", "name", "text"], ["venue", "venue", "text"], ["startsAt", "starts_at", "int8"],
  ["capacity", "capacity", "int4"], ["held", "held", "int4"], ["sold", "sold", "int4"], ["holdSeconds", "hold_seconds", "int4"],
  ["priceMinor", "price_minor", "int8"], ["currency", "currency", "text"], ["limitPerUser", "limit_per_user", "int4"],
  ["createdAt", "created_at", "int8"], ["updatedAt", "updated_at", "int8"], ["salesStart", "sales_start", "int8"],
  ["salesEnd", "sales_end", "int8"], ["seatMap", "seat_map", "text"],
];
/** Several events (or one that may be new) are upserted: those this transaction read under their locks exist, and are updated so. */
const EVENT_WRITE = withUpdate("events", insert("events", EVENT_COLUMNS, ["id"], fieldsBut(EVENT_COLUMNS, "id", "createdAt")), ["held", "sold", "updatedAt"]);

const TIER_COLUMNS: readonly Column[] = [
  ["eventId", "event_id", "text"], ["name", "name", "text"], ["position", "position", "int4"], ["capacity", "capacity", "int4"],
  ["priceMinor", "price_minor", "int8"], ["held", "held", "int4"], ["sold", "sold", "int4"], ["salesStart", "sales_start", "int8"],
  ["salesEnd", "sales_end", "int8"], ["accessCode", "access_code", "text"],
];
const TIER_WRITE = withUpdate("tiers", insert("tiers", TIER_COLUMNS, ["eventId", "name"], fieldsBut(TIER_COLUMNS, "eventId", "name")), ["held", "sold"]);

/**
 * An event's seats at a new version. The event's row is locked, so the version read is current;
 * version 1 is a new event's first (an existing row then fails the insert, loudly).
 */
const SEAT_COLUMNS: readonly Column[] = [["eventId", "event_id", "text"], ["states", "states", "base64"], ["version", "version", "int8"]];
const SEATS_WRITE = insert("event_seats", SEAT_COLUMNS, ["eventId"], ["states", "version"]);
const NEW_SEATS_WRITE = insert("event_seats", SEAT_COLUMNS, ["eventId"]);

const VOUCHER_COLUMNS: readonly Column[] = [
  ["eventId", "event_id", "text"], ["code", "code", "text"], ["kind", "kind", "text"], ["value", "value", "int8"],
  ["maxUses", "max_uses", "int4"], ["uses", "uses", "int4"], ["validUntil", "valid_until", "int8"], ["tier", "tier", "text"],
  ["createdAt", "created_at", "int8"],
];
const VOUCHER_WRITE = insert("vouchers", VOUCHER_COLUMNS, ["eventId", "code"], ["uses"]);

const TICKET_COLUMNS: readonly Column[] = [
  ["id", "id", "text"], ["eventId", "event_id", "text"], ["userId", "user_id", "text"], ["status", "status", "text"],
  ["reservedAt", "reserved_at", "int8"], ["expiresAt", "expires_at", "int8"], ["purchasedAt", "purchased_at", "int8"],
  ["cancelledAt", "cancelled_at", "int8"], ["priceMinor", "price_minor", "int8"], ["currency", "currency", "text"],
  ["cardLast4", "card_last4", "text"], ["tier", "tier", "text"], ["orderId", "order_id", "text"], ["checkedInAt", "checked_in_at", "int8"],
  ["voucher", "voucher", "text"], ["discountMinor", "discount_minor", "int8"], ["seat", "seat", "text"],
];
const TICKET_WRITE = insert("tickets", TICKET_COLUMNS, ["id"], [
  "status", "purchasedAt", "cancelledAt", "cardLast4", "checkedInAt", "userId", "orderId", "priceMinor", "voucher", "discountMinor",
]);

/**
 * Binds keys. The snapshot read each binding under the key's advisory lock, so it is current, and
 * the core binds only a key that is free or past its retention: the binding is replaced.
 */
const KEY_COLUMNS: readonly Column[] = [
  ["userId", "user_id", "text"], ["key", "key", "text"], ["request", "request", "text"], ["ticketId", "ticket_id", "text"],
  ["orderId", "order_id", "text"], ["createdAt", "created_at", "int8"],
];
const KEY_WRITE = insert("idempotency_keys", KEY_COLUMNS, ["userId", "key"], fieldsBut(KEY_COLUMNS, "userId", "key"));

const WAITING_COLUMNS: readonly Column[] = [
  ["eventId", "event_id", "text"], ["userId", "user_id", "text"], ["tier", "tier", "text"], ["joinedAt", "joined_at", "int8"],
];
const WAITING_INSERT = insert("waitlist", WAITING_COLUMNS, ["eventId", "userId"]);
const WAITING_DELETE: TableWrite = {
  many: `DELETE FROM tix.waitlist w USING json_to_recordset($1::json) AS r("eventId" text, "userId" text)
  WHERE w.event_id = r."eventId" AND w.user_id = r."userId"`,
  one: "DELETE FROM tix.waitlist WHERE event_id = $1 AND user_id = $2",
  columns: WAITING_COLUMNS.slice(0, 2),
  keyFields: ["eventId", "userId"],
  updated: [],
};

const LOG_WRITE = insert("audit_log", [
  ["at", "at", "int8"], ["actor", "actor", "text"], ["action", "action", "text"], ["eventId", "event_id", "text"],
  ["ticketId", "ticket_id", "text"], ["orderId", "order_id", "text"], ["details", "details", "jsonb"],
], []);

/** The kinds in the order their statements go: a row before the rows that name it. */
const FOREIGN_KEY_ORDER: readonly TableWrite[] = [
  EVENT_WRITE, TIER_WRITE, NEW_SEATS_WRITE, SEATS_WRITE, VOUCHER_WRITE, TICKET_WRITE, KEY_WRITE, WAITING_DELETE, WAITING_INSERT,
];
