import { exactTotals, type TotalsRow } from "../exact-totals.js";
import { newestOf } from "../newest-entries.js";
import {
  TixError,
  WAITLIST_BATCH,
  invalidArgument,
  type SeatIndex,
  type EventPage,
  type EventsByStart,
  type EventRecord,
  type KeyRecord,
  type LogFilter,
  type LogPage,
  type LogTimeSpan,
  type TierTotals,
  type StoredLogEntry,
  type TicketFilter,
  type TicketIdPrefix,
  type TicketPage,
  type VoucherPage,
  type TicketRecord,
  type VoucherRecord,
  type WaitlistEntry,
} from "../../core/index.js";
import type { Snapshot } from "../operations.js";
import { idRange, prefixRange } from "../prefix-range.js";
import type { Reader } from "../runner.js";
import type { SeatCache, SeatWrites } from "../seat-cache.js";
import { KEY, LOG, TICKET, VOUCHER, WAITING, eventJson, select, waitingHead } from "./columns.js";
import type { Rows, Statement } from "./connection.js";

/**
 * The rows of the PostgreSQL store, as statements: the async twin of sqlite-repository.ts. A
 * decision's locks and snapshot are built in decision-reads.ts; a flight's writes in
 * flight-writes.ts.
 */

const SQL = {
  /** One event's seats: their version, and their states unless `$2` is that version (the caller has them). */
  findSeats: `SELECT version, CASE WHEN version = $2::int8 THEN NULL ELSE encode(states, 'base64') END AS states
    FROM tix.event_seats WHERE event_id = $1`,
  /** The waiting lists of `$1` (a JSON array of event ids), for the places that expiring holds free. */
  waitingOf: `SELECT ${select(WAITING, "w")} FROM unnest(ARRAY(SELECT json_array_elements_text($1::json))) AS e(id)
    CROSS JOIN LATERAL (SELECT * FROM ${waitingHead("e.id", "$2::int")} head ORDER BY joined_at, seq) w`,
  /** For a read: its instant, and whether any hold is due then (a read then releases them first). */
  nowAndDue: `
    WITH clock AS (SELECT coalesce($1::int8, floor(extract(epoch FROM clock_timestamp()) * 1000)::int8) AS now)
    SELECT clock.now, ARRAY(SELECT DISTINCT t.event_id FROM tix.tickets t
      WHERE t.status = 'reserved' AND t.expires_at <= clock.now) AS "dueEvents" FROM clock`,

  findEvent: `SELECT ${eventJson("e")} AS event FROM tix.events e WHERE e.id = $1`,
  listEvents: `SELECT ${eventJson("e")} AS event FROM tix.events e ORDER BY e.seq`,
  /** A page: `$1` is an event id ('' for the first page); an unknown one gives no rows. */
  pageEvents: `SELECT ${eventJson("e")} AS event FROM tix.events e
    WHERE e.seq > CASE WHEN $1::text = '' THEN 0 ELSE coalesce((SELECT seq FROM tix.events WHERE id = $1::text), 9223372036854775807) END
    ORDER BY e.seq LIMIT $2::int8`,
  /** The parts of the planning order (PLANNING_ORDER); a null limit: no limit. */
  eventsAhead: `SELECT ${eventJson("e")} AS event FROM tix.events e WHERE e.starts_at >= $1::int8 ORDER BY e.starts_at, e.seq LIMIT $2::int8`,
  eventsUndated: `SELECT ${eventJson("e")} AS event FROM tix.events e WHERE e.starts_at IS NULL ORDER BY e.seq LIMIT $1::int8`,
  eventsStarted: `SELECT ${eventJson("e")} AS event FROM tix.events e WHERE e.starts_at < $1::int8 ORDER BY e.starts_at DESC, e.seq LIMIT $2::int8`,
  countEvents: "SELECT count(*)::int AS count FROM tix.events",
  /** Ids from `$1` up to (not with) `$2` (null: no bound), through the primary key's index (COLLATE "C"). */
  eventIds: `SELECT id FROM tix.events WHERE id >= $1::text ORDER BY id LIMIT $2::int8`,
  /** The same up to, not with, `$3`: both ends bound the search (as `($3 IS NULL OR id < $3)`, a generic plan read on to the last id). */
  eventIdsBelow: `SELECT id FROM tix.events WHERE id >= $1::text AND id < $3::text ORDER BY id LIMIT $2::int8`,
  findTicket: `SELECT ${select(TICKET, "t")} FROM tix.tickets t WHERE t.id = $1`,
  findOrder: `SELECT ${select(TICKET, "t")} FROM tix.tickets t WHERE t.order_id = $1 ORDER BY t.seq`,
  /**
   * A user's tickets with ids from `$2` (`>=`: with it, `>`: after it) up to, not with, `$4`
   * (`bounded`), in id order, at most `$3`: both ends bound one range of tickets_by_user_id (schema
   * v5). As `($4 IS NULL OR id < $4)`, a generic plan would read on to the user's last ticket.
   */
  ticketsById: (start: ">=" | ">", bounded: boolean) => `SELECT ${select(TICKET, "t")} FROM tix.tickets t
     WHERE t.user_id = $1 AND t.id ${start} $2::text${bounded ? " AND t.id < $4::text" : ""} ORDER BY t.id LIMIT $3::int8`,
  listTickets: (where: string) => `SELECT ${select(TICKET, "t")} FROM tix.tickets t ${where} ORDER BY t.reserved_at, t.id`,
  /** A page after the ticket (reservedAt, id) given last but one and last but two, through tickets_by_user or tickets_by_event (reserved_at, id). */
  pageTickets: (where: string, at: number) => `SELECT ${select(TICKET, "t")} FROM tix.tickets t
    ${where === "" ? "WHERE" : `${where} AND`} (t.reserved_at, t.id) > ($${at}::int8, $${at + 1}::text) ORDER BY t.reserved_at, t.id LIMIT $${at + 2}::int8`,
  countTickets: (where: string) => `SELECT count(*)::int AS count FROM tix.tickets t ${where}`,
  /** Whether any of a filtered list's first `$at` tickets (null: all) has a seat: only the seat column of each is read. */
  ticketSeats: (where: string, at: number) => `SELECT EXISTS(SELECT 1 FROM (SELECT t.seat FROM tix.tickets t ${where}
    ORDER BY t.reserved_at, t.id LIMIT $${at}::int8) s WHERE s.seat IS NOT NULL) AS seated`,
  findKey: `SELECT ${select(KEY, "k")} FROM tix.idempotency_keys k WHERE k.user_id = $1 AND k.key = $2`,
  listWaiting: `SELECT ${select(WAITING, "w")} FROM tix.waitlist w WHERE w.event_id = $1 ORDER BY w.joined_at, w.seq LIMIT $2::int8`,
  listWaitingByTier: `SELECT ${select(WAITING, "w")} FROM ${waitingHead("$1", "$2::int8")} w ORDER BY w.joined_at, w.seq`,
  /** Those in line up to and with the user (the line's order: joined_at, seq); 0 when the user is not in it. */
  waitlistPosition: `SELECT count(*)::int AS position FROM tix.waitlist w,
      (SELECT joined_at, seq FROM tix.waitlist WHERE event_id = $1 AND user_id = $2) me
    WHERE w.event_id = $1 AND (w.joined_at, w.seq) <= (me.joined_at, me.seq)`,
  logAll: `SELECT ${select(LOG, "l")} FROM tix.audit_log l ORDER BY l.seq`,
  logByEvent: `SELECT ${select(LOG, "l")} FROM tix.audit_log l WHERE l.event_id = $1 ORDER BY l.seq`,
  /** The newest `$1` entries (`$2` with an event), oldest first. */
  logAllLatest: `SELECT * FROM (SELECT ${select(LOG, "l")} FROM tix.audit_log l ORDER BY l.seq DESC LIMIT $1::int8) newest ORDER BY seq`,
  logByEventLatest: `SELECT * FROM (SELECT ${select(LOG, "l")} FROM tix.audit_log l WHERE l.event_id = $1 ORDER BY l.seq DESC LIMIT $2::int8) newest ORDER BY seq`,
  /** A page: the entries after `$1` (a seq), through the primary key or audit_log_by_event. */
  logAllPage: `SELECT ${select(LOG, "l")} FROM tix.audit_log l WHERE l.seq > $1::int8 ORDER BY l.seq LIMIT $2::int8`,
  logByEventPage: `SELECT ${select(LOG, "l")} FROM tix.audit_log l WHERE l.event_id = $1 AND l.seq > $2::int8 ORDER BY l.seq LIMIT $3::int8`,
  logByTicketPage: `SELECT ${select(LOG, "l")} FROM tix.audit_log l WHERE l.ticket_id = $1 AND l.seq > $2::int8 ORDER BY l.seq LIMIT $3::int8`,
  /** What a sales chart counts: the span of an event's entries of one action, then their count per bucket of time (floor division). */
  logTimeSpan: `SELECT min(at)::float8 AS first, max(at)::float8 AS last, count(*)::int AS count FROM tix.audit_log WHERE event_id = $1 AND action = $2`,
  logPerBucket: `SELECT floor((at + $3::int8)::numeric / $4::int8)::float8 AS bucket, count(*)::int AS count FROM tix.audit_log
    WHERE event_id = $1 AND action = $2 GROUP BY 1 ORDER BY 1`,
  /** tierTotalsOf's sums (money as text: exact, as numeric sums are, where float8 stops at 2^53 minor units). */
  ticketTotals: `SELECT tier AS "tier",
      coalesce(sum(price_minor) FILTER (WHERE status = 'purchased'), 0)::text AS "revenueMinor",
      coalesce(sum(discount_minor) FILTER (WHERE status = 'purchased'), 0)::text AS "discountsMinor",
      count(*) FILTER (WHERE status = 'cancelled' AND purchased_at IS NOT NULL)::int AS "refunds",
      coalesce(sum(price_minor) FILTER (WHERE status = 'cancelled' AND purchased_at IS NOT NULL), 0)::text AS "refundedMinor",
      count(checked_in_at)::int AS "checkedIn"
    FROM tix.tickets WHERE event_id = $1 GROUP BY tier`,
  countLogAll: "SELECT count(*)::int AS count FROM tix.audit_log",
  countLogByEvent: "SELECT count(*)::int AS count FROM tix.audit_log WHERE event_id = $1",
  logByTicket: `SELECT ${select(LOG, "l")} FROM tix.audit_log l WHERE l.ticket_id = $1 ORDER BY l.seq`,
  vouchersOf: `SELECT ${select(VOUCHER, "v")} FROM tix.vouchers v WHERE v.event_id = $1 ORDER BY v.seq`,
  allVouchers: `SELECT ${select(VOUCHER, "v")} FROM tix.vouchers v ORDER BY v.seq`,
  /** A page of an event's vouchers after the voucher `$2` ('' for the first page); an unknown code gives none. */
  pageVouchers: `SELECT ${select(VOUCHER, "v")} FROM tix.vouchers v WHERE v.event_id = $1
    AND v.seq > CASE WHEN $2::text = '' THEN 0 ELSE coalesce((SELECT seq FROM tix.vouchers WHERE event_id = $1 AND code = $2::text), 9223372036854775807) END
    ORDER BY v.seq LIMIT $3::int8`,

} as const;

/** The WHERE clause of a filtered ticket list (fixed column names) and its values, `$1` on. */
function ticketWhere(filter: TicketFilter): { where: string; values: string[] } {
  const conditions: string[] = [];
  const values: string[] = [];
  for (const [column, value] of [["user_id", filter.userId], ["event_id", filter.eventId], ["status", filter.status]] as const) {
    if (value === undefined) continue;
    values.push(value);
    conditions.push(`t.${column} = $${values.length}`);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "", values };
}

export const BEGIN: Statement = ["BEGIN"];
export const BEGIN_READ: Statement = ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"];

export interface LoadedSnapshot {
  now: number;
  snapshot: Snapshot;
  /** Holds of the locked events due at `now`: released before the decision (then loaded again). */
  due: TicketRecord[];
}

/** A seated event's seats as a snapshot sends them: the states only when the caller lacks that version. */
interface SeatRow {
  eventId: string;
  version: number;
  states: string | null;
}

/**
 * The snapshot's row, its seats made indexes: from what this transaction or process already has at
 * the version read, else from the states sent (or, had the kept index gone meanwhile, read again).
 */
export async function parseSnapshot(row: Record<string, unknown>, rows: Rows, seats: SeatWrites): Promise<LoadedSnapshot> {
  const list = <T>(value: unknown) => (value ?? []) as T[];
  const events = new Map(list<EventRecord>(row.events).map((event) => [event.id, event]));
  const indexes = new Map<string, SeatIndex>();
  for (const { eventId, version, states } of list<SeatRow>(row.seats)) {
    const event = events.get(eventId);
    if (!event?.seatMap) continue;
    const kept = seats.loaded(eventId, version);
    if (kept) {
      indexes.set(eventId, kept);
      continue;
    }
    const packed = states ?? (await readSeats(rows, eventId, -1)).states;
    if (packed === null) throw new TixError("INTERNAL", `event ${eventId} has a seat map but no stored seats`);
    indexes.set(eventId, seats.open(eventId, version, event.seatMap, Buffer.from(packed, "base64")));
  }
  return {
    now: row.now as number,
    due: list<TicketRecord>(row.due),
    snapshot: {
      events,
      seats: indexes,
      targets: list(row.targets),
      keyRecord: (row.keyRecord ?? undefined) as KeyRecord | undefined,
      keyTickets: list(row.keyTickets),
      standing: standingOf(row.standing),
      waitlistEntry: (row.waitlistEntry ?? undefined) as WaitlistEntry | undefined,
      waiting: list(row.waiting),
      waitingUsers: list(row.waitingUsers),
      vouchers: list(row.vouchers),
    },
  };
}

/** A user's standing from the statuses of their live tickets on the event (none read: none). */
function standingOf(statuses: unknown): Snapshot["standing"] {
  if (!Array.isArray(statuses)) return { liveHolds: 0, committed: 0 };
  let liveHolds = 0;
  for (const status of statuses) if (status === "reserved") liveHolds++;
  return { liveHolds, committed: statuses.length };
}

export function waitingStatement(eventIds: readonly string[]): Statement {
  return [SQL.waitingOf, [eventIds, WAITLIST_BATCH]];
}

export function nowAndDueStatement(now: number | null): Statement {
  return [SQL.nowAndDue, [now]];
}

async function readSeats(rows: Rows, eventId: string, knownVersion: number): Promise<{ version: number; states: string | null }> {
  const [row] = await rows([SQL.findSeats, [eventId, knownVersion]]);
  if (!row) throw new TixError("INTERNAL", `event ${eventId} has a seat map but no stored seats`);
  return row as unknown as { version: number; states: string | null };
}

/** Refuses an event whose texts PostgreSQL cannot store (see checkStorable). */
export function checkEventStorable(event: EventRecord): void {
  checkStorable(event.name, "name");
  if (event.venue !== null) checkStorable(event.venue, "venue");
  for (const tier of event.tiers) checkStorable(tier.name, "tier");
}

/** PostgreSQL text cannot hold U+0000; every other character is stored exactly as given. */
function checkStorable(text: string, field: string): void {
  if (text.includes("\u0000")) throw invalidArgument(field, "the PostgreSQL store cannot keep the NUL character (U+0000)");
}

/** Reads on one connection, inside the read transaction the runner opened. */
export class PgReader implements Reader {
  constructor(
    private readonly run: Rows,
    private readonly seatCache: SeatCache,
  ) {}

  async findEvent(id: string): Promise<EventRecord | undefined> {
    return (await this.rows<{ event: EventRecord }>(SQL.findEvent, [id]))[0]?.event;
  }

  /** The states travel only when this process lacks the version stored. */
  async findSeats(event: EventRecord): Promise<SeatIndex | undefined> {
    if (event.seatMap === null) return undefined;
    const known = this.seatCache.versionOf(event.id);
    const { version, states } = await readSeats(this.run, event.id, known ?? -1);
    const kept = this.seatCache.get(event.id, version);
    if (kept) return kept;
    const packed = states ?? (await readSeats(this.run, event.id, -1)).states!;
    return this.seatCache.open(event.id, version, event.seatMap, Buffer.from(packed, "base64"));
  }

  async listEvents(page?: EventPage): Promise<EventRecord[]> {
    const rows = page
      ? await this.rows<{ event: EventRecord }>(SQL.pageEvents, [page.after ?? "", page.limit])
      : await this.rows<{ event: EventRecord }>(SQL.listEvents);
    return rows.map((row) => row.event);
  }

  async listEventsByStart({ part, now, limit }: EventsByStart): Promise<EventRecord[]> {
    const rows = part === "undated" ? await this.rows<{ event: EventRecord }>(SQL.eventsUndated, [limit ?? null])
      : await this.rows<{ event: EventRecord }>(part === "ahead" ? SQL.eventsAhead : SQL.eventsStarted, [now, limit ?? null]);
    return rows.map((row) => row.event);
  }

  async countEvents(): Promise<number> {
    return (await this.rows<{ count: number }>(SQL.countEvents))[0]!.count;
  }

  async listEventIds(prefix: string, limit: number): Promise<string[]> {
    const { low, high } = prefixRange(prefix);
    const rows = high === undefined
      ? await this.rows<{ id: string }>(SQL.eventIds, [low, limit])
      : await this.rows<{ id: string }>(SQL.eventIdsBelow, [low, limit, high]);
    return rows.map((row) => row.id).filter((id) => id.startsWith(prefix));
  }

  async findTicket(id: string): Promise<TicketRecord | undefined> {
    return (await this.rows<TicketRecord>(SQL.findTicket, [id]))[0];
  }

  findOrder(orderId: string): Promise<TicketRecord[]> {
    return this.rows<TicketRecord>(SQL.findOrder, [orderId]);
  }

  async listTicketsByIdPrefix({ userId, prefix, after, limit }: TicketIdPrefix): Promise<TicketRecord[]> {
    const { from, to, exclusive } = idRange(prefix, after);
    if (to !== undefined && from >= to) return [];
    const statement = SQL.ticketsById(exclusive ? ">" : ">=", to !== undefined);
    const rows = await this.rows<TicketRecord>(statement, to === undefined ? [userId, from, limit] : [userId, from, limit, to]);
    return rows.filter((ticket) => ticket.id.startsWith(prefix));
  }

  async listTickets(filter: TicketFilter, page?: TicketPage): Promise<TicketRecord[]> {
    const { where, values } = ticketWhere(filter);
    if (!page) return this.rows<TicketRecord>(SQL.listTickets(where), values);
    // The first page starts before every ticket ('' sorts before every id); an unknown `after` gives none.
    const after = page.after === undefined ? { reservedAt: Number.MIN_SAFE_INTEGER, id: "" } : await this.findTicket(page.after);
    if (!after) return [];
    return this.rows<TicketRecord>(SQL.pageTickets(where, values.length + 1), [...values, after.reservedAt, after.id, page.limit]);
  }

  async countTickets(filter: TicketFilter): Promise<number> {
    const { where, values } = ticketWhere(filter);
    return (await this.rows<{ count: number }>(SQL.countTickets(where), values))[0]!.count;
  }

  async ticketsHaveSeats(filter: TicketFilter, limit: number | undefined): Promise<boolean> {
    const { where, values } = ticketWhere(filter);
    const [row] = await this.rows<{ seated: boolean }>(SQL.ticketSeats(where, values.length + 1), [...values, limit ?? null]);
    return row!.seated;
  }

  async findKey(userId: string, key: string): Promise<KeyRecord | undefined> {
    return (await this.rows<KeyRecord>(SQL.findKey, [userId, key]))[0];
  }

  async waitlistPosition(eventId: string, userId: string): Promise<number> {
    return (await this.rows<{ position: number }>(SQL.waitlistPosition, [eventId, userId]))[0]!.position;
  }

  listWaitlist(eventId: string, perTier: number): Promise<WaitlistEntry[]> {
    return perTier >= Number.MAX_SAFE_INTEGER
      ? this.rows<WaitlistEntry>(SQL.listWaiting, [eventId, perTier])
      : this.rows<WaitlistEntry>(SQL.listWaitingByTier, [eventId, perTier]);
  }

  async listLog(filter: LogFilter, page?: LogPage): Promise<StoredLogEntry[]> {
    if (page) {
      const after = page.after ?? 0;
      const rows = filter.ticketId !== undefined ? await this.rows<StoredLogEntry>(SQL.logByTicketPage, [filter.ticketId, after, page.limit])
        : filter.eventId !== undefined ? await this.rows<StoredLogEntry>(SQL.logByEventPage, [filter.eventId, after, page.limit])
        : await this.rows<StoredLogEntry>(SQL.logAllPage, [after, page.limit]);
      return rows.filter((row) => filter.eventId === undefined || row.eventId === filter.eventId);
    }
    const { latest } = filter;
    const rows = filter.ticketId !== undefined
      ? await this.rows<StoredLogEntry>(SQL.logByTicket, [filter.ticketId])
      : filter.eventId !== undefined
        ? await (latest === undefined ? this.rows<StoredLogEntry>(SQL.logByEvent, [filter.eventId]) : this.rows<StoredLogEntry>(SQL.logByEventLatest, [filter.eventId, latest]))
        : await (latest === undefined ? this.rows<StoredLogEntry>(SQL.logAll) : this.rows<StoredLogEntry>(SQL.logAllLatest, [latest]));
    return newestOf(rows.filter((row) => filter.eventId === undefined || row.eventId === filter.eventId), latest);
  }

  async countLog(filter: LogFilter): Promise<number> {
    if (filter.ticketId !== undefined) return (await this.listLog({ ...filter, latest: undefined })).length;
    const [{ count }] = await (filter.eventId !== undefined ? this.rows<{ count: number }>(SQL.countLogByEvent, [filter.eventId]) : this.rows<{ count: number }>(SQL.countLogAll)) as [{ count: number }];
    return count;
  }

  async ticketTotals(eventId: string): Promise<TierTotals[]> {
    return (await this.rows<TotalsRow>(SQL.ticketTotals, [eventId])).map(exactTotals);
  }

  async logTimeSpan(eventId: string, action: string): Promise<LogTimeSpan | undefined> {
    const [span] = await this.rows<{ first: number | null; last: number | null; count: number }>(SQL.logTimeSpan, [eventId, action]);
    return !span || span.count === 0 ? undefined : { first: span.first!, last: span.last!, count: span.count };
  }

  countLogPerBucket(eventId: string, action: string, size: number, offset: number): Promise<Array<{ bucket: number; count: number }>> {
    return this.rows<{ bucket: number; count: number }>(SQL.logPerBucket, [eventId, action, offset, size]);
  }

  listVouchers(eventId: string | undefined, page?: VoucherPage): Promise<VoucherRecord[]> {
    if (eventId !== undefined && page) return this.rows<VoucherRecord>(SQL.pageVouchers, [eventId, page.after ?? "", page.limit]);
    return eventId === undefined ? this.rows<VoucherRecord>(SQL.allVouchers) : this.rows<VoucherRecord>(SQL.vouchersOf, [eventId]);
  }

  private async rows<T>(text: string, params: unknown[] = []): Promise<T[]> {
    return await this.run([text, params]) as T[];
  }
}
