import { invalidArgument, type EventRecord, type KeyRecord, type LogEntry, type TicketRecord, type TierRecord, type WaitlistEntry } from "../../core/index.js";

/**
 * The SQL of the PostgreSQL adapter. Columns are aliased to the records' field names and BIGINTs
 * are parsed to numbers by the pool's type parser, so rows come back already in the records' shape.
 */
const EVENT_COLUMNS = `id, name, venue, starts_at AS "startsAt", capacity, held, sold, hold_seconds AS "holdSeconds",
  price_minor AS "priceMinor", currency, limit_per_user AS "limitPerUser", created_at AS "createdAt", updated_at AS "updatedAt"`;
const TIER_COLUMNS = `event_id AS "eventId", name, capacity, price_minor AS "priceMinor", held, sold`;
const TICKET_COLUMNS = `id, event_id AS "eventId", tier, order_id AS "orderId", user_id AS "userId", status,
  reserved_at AS "reservedAt", expires_at AS "expiresAt", purchased_at AS "purchasedAt", cancelled_at AS "cancelledAt",
  checked_in_at AS "checkedInAt", price_minor AS "priceMinor", currency, card_last4 AS "cardLast4"`;
const KEY_COLUMNS = `user_id AS "userId", key, request, ticket_id AS "ticketId", order_id AS "orderId", created_at AS "createdAt"`;
const WAITLIST_COLUMNS = `event_id AS "eventId", user_id AS "userId", tier, joined_at AS "joinedAt"`;
const LOG_COLUMNS = `seq, at, actor, action, event_id AS "eventId", ticket_id AS "ticketId", order_id AS "orderId", details`;

export const SQL = {
  /** Serialises the operations that share `$1` (one idempotency key; one event id being created). */
  advisoryLock: "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
  /**
   * The operation's `now` — the given clock's reading (`$1`), else the database server's clock, so
   * that hosts with skewed clocks agree — and the events that have holds due at that instant.
   */
  nowAndDueEvents: `
    SELECT n.now, ARRAY(SELECT DISTINCT t.event_id FROM tix.tickets t
                        WHERE t.status = 'reserved' AND t.expires_at <= n.now) AS "dueEvents"
    FROM (SELECT COALESCE($1::int8, floor(extract(epoch FROM clock_timestamp()) * 1000)::int8) AS now) n`,
  /** Row locks, always taken in id order so that two operations never wait on each other in a cycle. */
  lockEvents: `SELECT ${EVENT_COLUMNS} FROM tix.events WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
  dueHolds: `SELECT ${TICKET_COLUMNS} FROM tix.tickets
    WHERE status = 'reserved' AND expires_at <= $1 AND event_id = ANY($2::text[]) ORDER BY expires_at, id`,

  findEvent: `SELECT ${EVENT_COLUMNS} FROM tix.events WHERE id = $1`,
  listEvents: `SELECT ${EVENT_COLUMNS} FROM tix.events ORDER BY seq`,
  /** A page: `$1` is an event id ('' for the first page); an unknown one gives no rows. */
  pageEvents: `SELECT ${EVENT_COLUMNS} FROM tix.events
    WHERE seq > CASE WHEN $1 = '' THEN 0 ELSE coalesce((SELECT seq FROM tix.events WHERE id = $1), 9223372036854775807) END
    ORDER BY seq LIMIT $2`,
  tiersOf: `SELECT ${TIER_COLUMNS} FROM tix.tiers WHERE event_id = ANY($1::text[]) ORDER BY event_id, position`,
  allTiers: `SELECT ${TIER_COLUMNS} FROM tix.tiers ORDER BY event_id, position`,
  findTicket: `SELECT ${TICKET_COLUMNS} FROM tix.tickets WHERE id = $1`,
  findOrder: `SELECT ${TICKET_COLUMNS} FROM tix.tickets WHERE order_id = $1 ORDER BY seq`,
  ticketEventId: `SELECT event_id AS "eventId" FROM tix.tickets WHERE id = $1`,
  orderEventId: `SELECT event_id AS "eventId" FROM tix.tickets WHERE order_id = $1 LIMIT 1`,
  findKey: `SELECT ${KEY_COLUMNS} FROM tix.idempotency_keys WHERE user_id = $1 AND key = $2`,
  userStanding: `SELECT count(*) FILTER (WHERE status = 'reserved')::int AS "liveHolds", count(*)::int AS committed
    FROM tix.tickets WHERE user_id = $1 AND event_id = $2 AND status IN ('reserved', 'purchased')`,
  listTickets: (where: string) => `SELECT ${TICKET_COLUMNS} FROM tix.tickets ${where} ORDER BY reserved_at, id`,
  findWaiting: `SELECT ${WAITLIST_COLUMNS} FROM tix.waitlist WHERE event_id = $1 AND user_id = $2`,
  listWaiting: `SELECT ${WAITLIST_COLUMNS} FROM tix.waitlist WHERE event_id = $1 ORDER BY joined_at, seq LIMIT $2`,
  listWaitingUsers: `SELECT w.event_id AS "eventId", w.user_id AS "userId", w.tier, w.joined_at AS "joinedAt",
      count(t.id) FILTER (WHERE t.status = 'reserved')::int AS "liveHolds", count(t.id)::int AS committed
    FROM tix.waitlist w LEFT JOIN tix.tickets t
      ON t.user_id = w.user_id AND t.event_id = w.event_id AND t.status IN ('reserved', 'purchased')
    WHERE w.event_id = $1 GROUP BY w.event_id, w.user_id ORDER BY w.joined_at, w.seq LIMIT $2`,
  logAll: `SELECT ${LOG_COLUMNS} FROM tix.audit_log ORDER BY seq`,
  logByEvent: `SELECT ${LOG_COLUMNS} FROM tix.audit_log WHERE event_id = $1 ORDER BY seq`,
  logByTicket: `SELECT ${LOG_COLUMNS} FROM tix.audit_log WHERE ticket_id = $1 ORDER BY seq`,

  saveEvent: `
    INSERT INTO tix.events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor,
      currency, limit_per_user, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, venue = excluded.venue, starts_at = excluded.starts_at,
      capacity = excluded.capacity, held = excluded.held, sold = excluded.sold, hold_seconds = excluded.hold_seconds,
      price_minor = excluded.price_minor, currency = excluded.currency, limit_per_user = excluded.limit_per_user,
      updated_at = excluded.updated_at`,
  saveTier: `
    INSERT INTO tix.tiers (event_id, name, position, capacity, price_minor, held, sold) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (event_id, name) DO UPDATE SET position = excluded.position, capacity = excluded.capacity,
      price_minor = excluded.price_minor, held = excluded.held, sold = excluded.sold`,
  saveTicket: `
    INSERT INTO tix.tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, cancelled_at,
      price_minor, currency, card_last4, tier, order_id, checked_in_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, purchased_at = excluded.purchased_at,
      cancelled_at = excluded.cancelled_at, card_last4 = excluded.card_last4, checked_in_at = excluded.checked_in_at`,
  /**
   * Binds a key, replacing only a binding older than the retention (`$6`): a live binding made by
   * another connection is never overwritten — no row changes, and the operation is run again.
   */
  bindKey: `
    INSERT INTO tix.idempotency_keys (user_id, key, request, ticket_id, created_at, order_id) VALUES ($1, $2, $3, $4, $5, $7)
    ON CONFLICT (user_id, key) DO UPDATE SET request = excluded.request, ticket_id = excluded.ticket_id,
      order_id = excluded.order_id, created_at = excluded.created_at
    WHERE tix.idempotency_keys.created_at <= excluded.created_at - $6`,
  saveWaiting: `INSERT INTO tix.waitlist (event_id, user_id, tier, joined_at) VALUES ($1, $2, $3, $4)`,
  removeWaiting: `DELETE FROM tix.waitlist WHERE event_id = $1 AND user_id = $2`,
  appendLog: `INSERT INTO tix.audit_log (at, actor, action, event_id, ticket_id, order_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
} as const;

export function eventParams(event: EventRecord): unknown[] {
  checkStorable(event.name, "name");
  if (event.venue !== null) checkStorable(event.venue, "venue");
  return [
    event.id, event.name, event.venue, event.startsAt, event.capacity, event.held, event.sold, event.holdSeconds,
    event.priceMinor, event.currency, event.limitPerUser, event.createdAt, event.updatedAt,
  ];
}

export function tierParams(eventId: string, tier: TierRecord, position: number): unknown[] {
  checkStorable(tier.name, "tier");
  return [eventId, tier.name, position, tier.capacity, tier.priceMinor, tier.held, tier.sold];
}

export function waitingParams(entry: WaitlistEntry): unknown[] {
  return [entry.eventId, entry.userId, entry.tier, entry.joinedAt];
}

export function logParams(entry: LogEntry): unknown[] {
  return [entry.at, entry.actor, entry.action, entry.eventId, entry.ticketId, entry.orderId, JSON.stringify(entry.details)];
}

export function ticketParams(ticket: TicketRecord): unknown[] {
  return [
    ticket.id, ticket.eventId, ticket.userId, ticket.status, ticket.reservedAt, ticket.expiresAt, ticket.purchasedAt,
    ticket.cancelledAt, ticket.priceMinor, ticket.currency, ticket.cardLast4, ticket.tier, ticket.orderId, ticket.checkedInAt,
  ];
}

export function keyParams(record: KeyRecord, retentionMs: number): unknown[] {
  return [record.userId, record.key, record.request, record.ticketId, record.createdAt, retentionMs, record.orderId];
}

/** PostgreSQL text cannot hold U+0000; every other character is stored exactly as given. */
function checkStorable(text: string, field: string): void {
  if (text.includes("\u0000")) throw invalidArgument(field, "the PostgreSQL store cannot keep the NUL character (U+0000)");
}

/** pg returns BIGINT as text (it may exceed 2^53); tix's BIGINTs are times and amounts that never do. */
export function parseBigint(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} is outside the exact range of a number`);
  return value;
}
