import type Database from "better-sqlite3";
import type { TicketFilter } from "../../core/index.js";

/** An event's own columns: its totals are its tiers' (schema v5), added by the repository. */
const EVENT_COLUMNS = `id, name, venue, starts_at AS startsAt, hold_seconds AS holdSeconds, currency,
  limit_per_user AS limitPerUser, sales_start AS salesStart, sales_end AS salesEnd, seat_map AS seatMap,
  created_at AS createdAt, updated_at AS updatedAt`;
/**
 * A list's events carry their tiers, in order, as one JSON array of TierRecords: one statement, and
 * each row turned into its record as it is read (with a JSON array of ids for a second statement,
 * every row of a 20,000-event list was held, then joined to its tiers through a map; docs/performance-history.md).
 */
const EVENT_COLUMNS_WITH_TIERS = `${EVENT_COLUMNS}, (SELECT json_group_array(json_object('name', name, 'capacity', capacity,
  'priceMinor', price_minor, 'held', held, 'sold', sold, 'salesStart', sales_start, 'salesEnd', sales_end,
  'accessCode', access_code) ORDER BY position) FROM tiers WHERE tiers.event_id = events.id) AS tiers`;
const TIER_COLUMNS = `event_id AS eventId, name, capacity, price_minor AS priceMinor, held, sold, sales_start AS salesStart,
  sales_end AS salesEnd, access_code AS accessCode`;
const TICKET_COLUMNS = `id, event_id AS eventId, tier, order_id AS orderId, user_id AS userId, status,
  reserved_at AS reservedAt, expires_at AS expiresAt, purchased_at AS purchasedAt, cancelled_at AS cancelledAt,
  checked_in_at AS checkedInAt, price_minor AS priceMinor, currency, card_last4 AS cardLast4, voucher,
  discount_minor AS discountMinor, seat`;
const VOUCHER_COLUMNS = `event_id AS eventId, code, kind, value, max_uses AS maxUses, uses, valid_until AS validUntil, tier,
  created_at AS createdAt`;
const WAITLIST_COLUMNS = `event_id AS eventId, user_id AS userId, tier, joined_at AS joinedAt`;
const LOG_COLUMNS = `seq, at, actor, action, event_id AS eventId, ticket_id AS ticketId, order_id AS orderId, details`;

/**
 * Events by start time (ties in the order made): only each event's start and rowid are sorted, and
 * only the `@limit` chosen are read whole, their tiers with them. Sorting whole rows, every event's
 * tiers made into JSON first, cost a screenful of 20,000 events 2.3× the SQLite CPU, and --all 1.3×.
 * SQLite reads the sorted subquery in its order: the outer ORDER BY adds no second sort.
 */
function byStart(where: string, direction: "ASC" | "DESC"): string {
  return `SELECT ${EVENT_COLUMNS_WITH_TIERS} FROM (SELECT rowid AS place, starts_at AS start FROM events WHERE ${where}
      ORDER BY start ${direction}, place LIMIT @limit) AS chosen
    CROSS JOIN events ON events.rowid = chosen.place ORDER BY chosen.start ${direction}, chosen.place`;
}

/** `starts_at` → `@startsAt`: the record's field of a column. */
const param = (column: string) => `@${column.replace(/_(\w)/g, (_, letter: string) => letter.toUpperCase())}`;

/**
 * Inserts a row, or updates its `updated` columns — only when one of them differs: SQLite rewrites
 * (and writes a page for) every row an UPDATE touches, even with the values it had. One list of
 * columns makes both the SET and the comparison, so neither can miss a column.
 */
function upsertUnlessUnchanged(table: string, key: string[], updated: string[], insertedOnly: string[] = [], placeholder = param): string {
  const columns = [...key, ...updated, ...insertedOnly];
  return `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(placeholder).join(", ")})
    ON CONFLICT (${key.join(", ")}) DO UPDATE SET ${updated.map((column) => `${column} = excluded.${column}`).join(", ")}
    WHERE (${updated.join(", ")}) IS NOT (${updated.map((column) => `excluded.${column}`).join(", ")})`;
}

/**
 * A user's tickets with ids from `@from` (`>=`: with it, `>`: after it) up to, not with, `@to`
 * (`bounded`; else to the user's last), in id order, at most `@limit`: both ends are the bounds of
 * one range of tickets_by_user_id (schema v8). A bound written as `(@to IS NULL OR id < @to)`, or
 * a second lower bound, is only a filter: SQLite would read on to the user's last ticket.
 */
function ticketsById(start: ">=" | ">", bounded: boolean): string {
  return `SELECT ${TICKET_COLUMNS} FROM tickets WHERE user_id = @userId AND id ${start} @from${bounded ? " AND id < @to" : ""}
     ORDER BY id LIMIT @limit`;
}

/** Every statement the repository runs (but the filtered ticket lists), as SQL. */
const SQL = {
  /**
   * A reserve's reads (findEvent, findTiers, userStanding) answer rows as arrays (RAW below), in the
   * order of their columns: the repository makes each record with one literal. As objects, the
   * driver made each column's name a string again (looked up in V8's string table) and added the
   * fields one by one, every row.
   */
  findEvent: `SELECT id, name, venue, starts_at, hold_seconds, currency, limit_per_user, sales_start, sales_end, seat_map,
     created_at, updated_at FROM events WHERE id = ?`,
  listEvents: `SELECT ${EVENT_COLUMNS} FROM events ORDER BY rowid`,
  /** A page: `after` is an event id ('' for the first page); an unknown one gives no rows. */
  pageEvents: `SELECT ${EVENT_COLUMNS} FROM events
     WHERE rowid > CASE WHEN @after = '' THEN 0 ELSE coalesce((SELECT rowid FROM events WHERE id = @after), 9223372036854775807) END
     ORDER BY rowid LIMIT @limit`,
  /** The parts of the planning order (PLANNING_ORDER); `@limit` -1: no limit. */
  eventsAhead: byStart("starts_at >= @now", "ASC"),
  eventsUndated: `SELECT ${EVENT_COLUMNS_WITH_TIERS} FROM events WHERE starts_at IS NULL ORDER BY rowid LIMIT @limit`,
  eventsStarted: byStart("starts_at < @now", "DESC"),
  countEvents: "SELECT count(*) AS count FROM events",
  /**
   * Ids from `@low` (up to, not with, `@high`), through the primary key's index: both ends bound
   * the search. Written `(@high IS NULL OR id < @high)`, the upper end was only a filter: a prefix
   * few events share read every id after it.
   */
  eventIds: `SELECT id FROM events WHERE id >= @low ORDER BY id LIMIT @limit`,
  eventIdsBelow: `SELECT id FROM events WHERE id >= @low AND id < @high ORDER BY id LIMIT @limit`,
  findTiers: `SELECT name, capacity, price_minor, held, sold, sales_start, sales_end, access_code FROM tiers
     WHERE event_id = ? ORDER BY position`,
  listTiers: `SELECT ${TIER_COLUMNS} FROM tiers ORDER BY event_id, position`,
  /** The tiers of the events whose ids are in the JSON array given. */
  tiersOf: `SELECT ${TIER_COLUMNS} FROM tiers WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id, position`,
  findTicket: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?`,
  findOrder: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE order_id = ? ORDER BY rowid`,
  /** A user's tickets by id, through tickets_by_user_id: see ticketsById. */
  ticketsByIdFrom: ticketsById(">=", false),
  ticketsByIdFromTo: ticketsById(">=", true),
  ticketsByIdAfter: ticketsById(">", false),
  ticketsByIdAfterTo: ticketsById(">", true),
  findKey: `SELECT user_id AS userId, key, request, ticket_id AS ticketId, order_id AS orderId, created_at AS createdAt
     FROM idempotency_keys WHERE user_id = ? AND key = ?`,
  /**
   * Live holds, then holds and purchases. The statuses counted are a range of tickets_by_user_event
   * ('purchased' to 'reserved': no other status sorts between them, tests/contract/sqlite-query-plans):
   * an IN list made SQLite build, fill and free a temporary B-tree of its two values every time.
   */
  userStanding: `SELECT count(CASE WHEN status = 'reserved' THEN 1 END), count(*) FROM tickets
     WHERE user_id = ? AND event_id = ? AND status >= 'purchased' AND status <= 'reserved'`,
  findDue: `SELECT ${TICKET_COLUMNS} FROM tickets WHERE status = 'reserved' AND expires_at <= ? ORDER BY expires_at`,
  anyDue: `SELECT 1 FROM tickets WHERE status = 'reserved' AND expires_at <= ? LIMIT 1`,
  findWaiting: `SELECT ${WAITLIST_COLUMNS} FROM waitlist WHERE event_id = ? AND user_id = ?`,
  listWaiting: `SELECT ${WAITLIST_COLUMNS} FROM waitlist WHERE event_id = ? ORDER BY joined_at, rowid LIMIT ?`,
  /** The first N waiting for each tier, in line order: for a line longer than N, where one tier's may crowd out another's. */
  listWaitingByTier: `SELECT ${WAITLIST_COLUMNS} FROM (SELECT event_id, user_id, tier, joined_at, rowid AS place,
      row_number() OVER (PARTITION BY tier ORDER BY joined_at, rowid) AS in_tier FROM waitlist WHERE event_id = ?)
    WHERE in_tier <= ? ORDER BY joined_at, place`,
  /** Those in line up to and with the user (the line's order: joined_at, rowid); 0 when the user is not in it. */
  waitlistPosition: `SELECT count(*) AS position FROM waitlist w,
      (SELECT joined_at, rowid AS place FROM waitlist WHERE event_id = @eventId AND user_id = @userId) me
    WHERE w.event_id = @eventId AND (w.joined_at, w.rowid) <= (me.joined_at, me.place)`,
  listWaitingUsers: `SELECT w.event_id AS eventId, w.user_id AS userId, w.tier, w.joined_at AS joinedAt,
      coalesce(sum(t.status = 'reserved'), 0) AS liveHolds, count(t.id) AS committed
    FROM waitlist w LEFT JOIN tickets t
      ON t.user_id = w.user_id AND t.event_id = w.event_id AND t.status IN ('reserved', 'purchased')
    WHERE w.event_id = ? GROUP BY w.rowid ORDER BY w.joined_at, w.rowid LIMIT ?`,
  logAll: `SELECT ${LOG_COLUMNS} FROM audit_log ORDER BY seq`,
  logByEvent: `SELECT ${LOG_COLUMNS} FROM audit_log WHERE event_id = ? ORDER BY seq`,
  /** The newest `?` entries, oldest first. */
  logAllLatest: `SELECT * FROM (SELECT ${LOG_COLUMNS} FROM audit_log ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
  logByEventLatest: `SELECT * FROM (SELECT ${LOG_COLUMNS} FROM audit_log WHERE event_id = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
  /** A page: the entries after `@after` (a seq), through the primary key or audit_log_by_event. */
  logAllPage: `SELECT ${LOG_COLUMNS} FROM audit_log WHERE seq > @after ORDER BY seq LIMIT @limit`,
  logByEventPage: `SELECT ${LOG_COLUMNS} FROM audit_log WHERE event_id = @eventId AND seq > @after ORDER BY seq LIMIT @limit`,
  /** What a sales chart counts: the span of an event's entries of one action, then their count per bucket of time (floor division). */
  logTimeSpan: `SELECT min(at) AS first, max(at) AS last, count(*) AS count FROM audit_log WHERE event_id = ? AND action = ?`,
  // Integer division (a number is bound as a REAL: cast), rounded down for times before the offset's epoch too.
  logPerBucket: `SELECT bucket, count(*) AS count FROM (SELECT CASE WHEN shifted >= 0 THEN shifted / size ELSE -((size - 1 - shifted) / size) END AS bucket
      FROM (SELECT at + CAST(@offset AS INTEGER) AS shifted, CAST(@size AS INTEGER) AS size FROM audit_log WHERE event_id = @eventId AND action = @action))
    GROUP BY bucket ORDER BY bucket`,
  /** tierTotalsOf's sums, through tickets_by_event: purchased tickets' money, refunds (purchased, then cancelled), check-ins. */
  // Money as text: SQLite sums exactly in 64 bits, a JS number would not keep them past 2^53 (TierTotals).
  ticketTotals: `SELECT tier,
      CAST(coalesce(sum(CASE WHEN status = 'purchased' THEN price_minor END), 0) AS TEXT) AS revenueMinor,
      CAST(coalesce(sum(CASE WHEN status = 'purchased' THEN discount_minor END), 0) AS TEXT) AS discountsMinor,
      count(CASE WHEN status = 'cancelled' AND purchased_at IS NOT NULL THEN 1 END) AS refunds,
      CAST(coalesce(sum(CASE WHEN status = 'cancelled' AND purchased_at IS NOT NULL THEN price_minor END), 0) AS TEXT) AS refundedMinor,
      count(checked_in_at) AS checkedIn
    FROM tickets WHERE event_id = ? GROUP BY tier`,
  countLogAll: "SELECT count(*) AS count FROM audit_log",
  countLogByEvent: "SELECT count(*) AS count FROM audit_log WHERE event_id = ?",
  /** Through the ticket's event and reservation time, as its entries are indexed (audit_log_by_event_ticket, schema v6). */
  logByTicket: `SELECT ${LOG_COLUMNS} FROM audit_log
     WHERE (event_id, ticket_reserved_at, ticket_id) = (SELECT event_id, reserved_at, id FROM tickets WHERE id = ?) ORDER BY seq`,
  // Saved whole with every change to their event, though most changes move one tier's counts alone.
  saveEvent: upsertUnlessUnchanged("events", ["id"], ["name", "venue", "starts_at", "hold_seconds", "currency", "limit_per_user",
    "sales_start", "sales_end", "seat_map", "updated_at"], ["created_at"]),
  // The statements every reserve runs take their values by position, in the order of their columns
  // (the repository passes them so): bound by name, each value is a property looked up from C++ (a
  // third of the binding's instructions, callgrind).
  saveTier: upsertUnlessUnchanged("tiers", ["event_id", "name"], ["position", "capacity", "price_minor", "held", "sold",
    "sales_start", "sales_end", "access_code"], [], () => "?"),
  saveTicket: `INSERT INTO tickets (id, event_id, tier, order_id, user_id, status, reserved_at, expires_at, purchased_at,
       cancelled_at, checked_in_at, price_minor, currency, card_last4, voucher, discount_minor, seat)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET status = excluded.status, purchased_at = excluded.purchased_at,
       cancelled_at = excluded.cancelled_at, checked_in_at = excluded.checked_in_at, card_last4 = excluded.card_last4,
       order_id = excluded.order_id, price_minor = excluded.price_minor,
       voucher = excluded.voucher, discount_minor = excluded.discount_minor`,
  /**
   * A stored ticket's user, when it changed (a transfer): not set by saveTicket's upsert, because
   * SQLite rewrites every index of a column an UPDATE sets, even to the value it had — every
   * purchase and cancel would then write tickets_by_user_id (schema v8) for nothing.
   */
  moveTicket: `UPDATE tickets SET user_id = ? WHERE id = ? AND user_id <> ?`,
  findVoucher: `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE event_id = ? AND code = ?`,
  vouchersOf: `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE event_id = ? ORDER BY rowid`,
  /** A page of an event's vouchers: after the voucher `@after` ('' for the first page); an unknown code gives none. */
  pageVouchers: `SELECT ${VOUCHER_COLUMNS} FROM vouchers WHERE event_id = @eventId
     AND rowid > CASE WHEN @after = '' THEN 0 ELSE coalesce((SELECT rowid FROM vouchers WHERE event_id = @eventId AND code = @after), 9223372036854775807) END
     ORDER BY rowid LIMIT @limit`,
  allVouchers: `SELECT ${VOUCHER_COLUMNS} FROM vouchers ORDER BY rowid`,
  saveVoucher: `INSERT INTO vouchers (event_id, code, kind, value, max_uses, uses, valid_until, tier, created_at)
     VALUES (@eventId, @code, @kind, @value, @maxUses, @uses, @validUntil, @tier, @createdAt)
     ON CONFLICT (event_id, code) DO UPDATE SET uses = excluded.uses`,
  bindKey: `INSERT OR REPLACE INTO idempotency_keys (user_id, key, request, ticket_id, order_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
  seatVersion: `SELECT version FROM event_seats WHERE event_id = ?`,
  seatStates: `SELECT states, version FROM event_seats WHERE event_id = ?`,
  saveSeats: `INSERT INTO event_seats (event_id, states, version) VALUES (?, ?, ?)
     ON CONFLICT (event_id) DO UPDATE SET states = excluded.states, version = excluded.version`,
  saveWaiting: `INSERT INTO waitlist (event_id, user_id, tier, joined_at) VALUES (@eventId, @userId, @tier, @joinedAt)`,
  removeWaiting: `DELETE FROM waitlist WHERE event_id = ? AND user_id = ?`,
  /**
   * A ticket's row is there when its entry is written: saved before it in the same change list, or
   * earlier. The ticket id is given twice (for the column, then the lookup).
   */
  appendLog: `INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details, ticket_reserved_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT reserved_at FROM tickets WHERE id = ?))`,
};

export type Statements = Record<keyof typeof SQL, Database.Statement>;

/** The statements whose rows are arrays of the columns' values (see findEvent). */
const RAW: ReadonlySet<string> = new Set<keyof typeof SQL>(["findEvent", "findTiers", "userStanding"]);

/**
 * Each prepared once per connection, on first use: a command runs a few of them, and preparing all
 * of them made every start of tix slower.
 */
export function prepareStatements(db: Database.Database): Statements {
  const statements = {} as Statements;
  for (const [name, sql] of Object.entries(SQL)) {
    Object.defineProperty(statements, name, {
      configurable: true,
      enumerable: true,
      get() {
        const statement = RAW.has(name) ? db.prepare(sql).raw(true) : db.prepare(sql);
        Object.defineProperty(statements, name, { value: statement, enumerable: true });
        return statement;
      },
    });
  }
  return statements;
}

/**
 * The ticket list for one combination of filters (the WHERE clause from ticketListWhere); paged:
 * the tickets after (`?`, `?`) = (reservedAt, id) in the list's order, at most `?`. The range on
 * reserved_at is what an index (tickets_by_user, tickets_by_event) reads from; ties are sorted by id.
 */
export function prepareTicketList(db: Database.Database, where: string, paged = false): Database.Statement {
  if (!paged) return db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets ${where} ORDER BY reserved_at, id`);
  const after = "reserved_at >= ? AND (reserved_at > ? OR id > ?)";
  // The page is chosen by sorting keys alone, then its rows are read by rowid: where no index holds
  // the order (a user's tickets, everyone's), each page is a scan, and SQLite's sorter keeping
  // whole rows cost it twice as much as keeping the keys (300,000 tickets: 32,000 a page, 780 → 570 ms).
  const chosen = `SELECT rowid FROM tickets ${where === "" ? `WHERE ${after}` : `${where} AND ${after}`} ORDER BY reserved_at, id LIMIT ?`;
  return db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE rowid IN (${chosen}) ORDER BY reserved_at, id`);
}

/** How many tickets a filtered list holds: counted through the filter's index, no row read. */
export function prepareTicketCount(db: Database.Database, where: string): Database.Statement {
  return db.prepare(`SELECT count(*) AS count FROM tickets ${where}`);
}

/** Whether any of a filtered list's first `?` tickets (-1: all) has a seat: only the seat column of each is read. */
export function prepareTicketSeats(db: Database.Database, where: string): Database.Statement {
  return db.prepare(`SELECT EXISTS(SELECT 1 FROM (SELECT seat FROM tickets ${where} ORDER BY reserved_at, id LIMIT ?) WHERE seat IS NOT NULL) AS seated`);
}

/** The WHERE clause of a filtered ticket list (built from fixed column names) and its values. */
export function ticketListWhere(filter: TicketFilter): { where: string; values: string[] } {
  const conditions: string[] = [];
  const values: string[] = [];
  // A user's tickets are few: with a user named they are found through tickets_by_user_event and
  // sorted, never by reading a whole event in order (the `+` keeps tickets_by_event out of the plan).
  const event = filter.userId === undefined ? "event_id" : "+event_id";
  for (const [column, value] of [["user_id", filter.userId], [event, filter.eventId], ["status", filter.status]] as const) {
    if (value === undefined) continue;
    conditions.push(`${column} = ?`);
    values.push(value);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "", values };
}
