import { WAITLIST_BATCH, isOrderId } from "../../core/index.js";
import { TARGET_EVENT, serialisedNames, type Operation, type SnapshotRequest } from "../operations.js";
import { KEY, TICKET, VOUCHER, WAITING, eventJson, jsonObject } from "./columns.js";
import type { Statement } from "./connection.js";

/**
 * What a decision locks and reads, as two statements: its locks, then its whole snapshot (sent
 * together: the snapshot is read once the locks are granted). Each statement
 * holds only the parts its request names — a reserve's snapshot reads no target, waiting list or
 * voucher — so it is built once per shape of request (and prepared once per connection), not once
 * for every operation with every part empty.
 */


/** A statement's parameters, numbered in the order the text first names them. */
class Parameters {
  readonly names: Array<keyof Values> = [];

  /** `$n::type` for the value called `name`. */
  take(name: keyof Values, type: string): string {
    let index = this.names.indexOf(name);
    if (index < 0) index = this.names.push(name) - 1;
    return `$${index + 1}::${type}`;
  }
}

/** Every value a lock or snapshot statement may take, by name. */
interface Values {
  serialised: readonly string[];
  now: number | null;
  events: readonly string[];
  ticketId: string | null;
  orderId: string | null;
  /** A batch's targets: ticket ids, and order ids. */
  ticketIds: readonly string[];
  orderIds: readonly string[];
  keyUser: string | null;
  key: string | null;
  standingUser: string | null;
  standingEvent: string | null;
  entryEvent: string | null;
  entryUser: string | null;
  waitingEvent: string | null;
  waitingUsersEvent: string | null;
  batch: number;
  voucherEvent: string | null;
  voucherCodes: readonly string[];
  knownSeats: readonly string[];
}

interface Built {
  text: string;
  names: Array<keyof Values>;
}

/**
 * The events a request locks: those it names, and the event of its target's tickets (JSON
 * parameters are given as values); `"batch"`: the events of a batch's requests, all their targets'.
 */
function lockedEvents(p: Parameters, target: boolean | "batch"): string {
  const named = `SELECT value AS id FROM json_array_elements_text(${p.take("events", "json")})`;
  if (target === false) return named;
  if (target === "batch") {
    return `${named}
    UNION SELECT event_id FROM tix.tickets WHERE id = ANY(ARRAY(SELECT json_array_elements_text(${p.take("ticketIds", "json")})))
    UNION SELECT event_id FROM tix.tickets WHERE order_id = ANY(ARRAY(SELECT json_array_elements_text(${p.take("orderIds", "json")})))`;
  }
  return `${named}
    UNION SELECT event_id FROM tix.tickets WHERE id = ${p.take("ticketId", "text")}
    UNION SELECT event_id FROM tix.tickets WHERE order_id = ${p.take("orderId", "text")}`;
}

/**
 * The locks, in one statement: first the advisory locks of the names that serialise operations
 * (one idempotency key; one event id being created), in the sorted order given, then the row
 * locks, in id order — so two operations never wait on each other in a cycle. PostgreSQL
 * evaluates a select list from left to right (each sub-select when its column is reached), so
 * no row is locked before every advisory lock is held.
 */
function buildLocks(target: boolean | "batch"): Built {
  const p = new Parameters();
  const text = `SELECT
    (SELECT count(pg_advisory_xact_lock(hashtextextended(name, 0))) FROM (SELECT name FROM json_array_elements_text(${p.take("serialised", "json")})
      WITH ORDINALITY AS names(name, position) ORDER BY position) names) AS serialised,
    ARRAY(SELECT id FROM tix.events WHERE id IN (${lockedEvents(p, target)}) ORDER BY id FOR UPDATE) AS locked`;
  return { text, names: p.names };
}

/** Which parts a request reads, as a key: requests of one shape share one statement. */
function shapeOf(request: SnapshotRequest): string {
  const part = (present: boolean, ofTarget = false) => (present ? (ofTarget ? "T" : "1") : "0");
  return [
    part(request.target !== undefined), part(request.key !== undefined),
    part(request.standing !== undefined, request.standing?.eventId === TARGET_EVENT),
    part(request.waitlistEntry !== undefined, request.waitlistEntry?.eventId === TARGET_EVENT), part(request.waiting !== undefined, request.waiting === TARGET_EVENT),
    part(request.waitingUsers !== undefined), part(request.vouchers !== undefined, request.vouchers?.eventId === TARGET_EVENT),
  ].join("");
}

/**
 * The operation's instant — the given clock, else the server's, read now that the locks are held —
 * and the parts of the snapshot the request names, with the holds of the locked events due then
 * and their seats. A part not named is not read (parseSnapshot reads it as empty).
 */
function buildSnapshot(request: SnapshotRequest): Built {
  const p = new Parameters();
  const target = request.target !== undefined;
  const ofTarget = (eventId: string | undefined) => eventId === TARGET_EVENT;
  const needsTargetEvent = ofTarget(request.standing?.eventId) || ofTarget(request.waitlistEntry?.eventId) || request.waiting === TARGET_EVENT ||
    ofTarget(request.vouchers?.eventId);
  const withTargets = target || needsTargetEvent;
  const eventOf = (eventId: string | undefined, name: keyof Values) => (ofTarget(eventId) ? "(SELECT id FROM target_event)" : p.take(name, "text"));

  const ctes = [`clock AS MATERIALIZED (SELECT coalesce(${p.take("now", "int8")}, floor(extract(epoch FROM clock_timestamp()) * 1000)::int8) AS now)`];
  if (withTargets) {
    ctes.push(`targets AS MATERIALIZED (
      SELECT * FROM tix.tickets WHERE id = ${p.take("ticketId", "text")} UNION ALL SELECT * FROM tix.tickets WHERE order_id = ${p.take("orderId", "text")})`);
    ctes.push("target_event AS MATERIALIZED (SELECT event_id AS id FROM targets LIMIT 1)");
  }
  ctes.push(`locked AS MATERIALIZED (${lockedEvents(p, target)})`);

  const columns = [
    "(SELECT now FROM clock) AS now",
    `(SELECT json_agg(${eventJson("e")}) FROM tix.events e WHERE e.id IN (SELECT id FROM locked)) AS events`,
  ];
  if (withTargets) columns.push(`(SELECT json_agg(${jsonObject(TICKET, "t")} ORDER BY t.seq) FROM targets t) AS targets`);
  if (request.key) {
    ctes.push(`key AS MATERIALIZED (SELECT * FROM tix.idempotency_keys WHERE user_id = ${p.take("keyUser", "text")} AND key = ${p.take("key", "text")})`);
    columns.push(`(SELECT ${jsonObject(KEY, "k")} FROM key k) AS "keyRecord"`);
    columns.push(`(SELECT json_agg(${jsonObject(TICKET, "t")} ORDER BY t.seq) FROM tix.tickets t WHERE t.order_id = (SELECT order_id FROM key)) AS "keyTickets"`);
  }
  if (request.standing) {
    columns.push(`(SELECT json_build_object('liveHolds', count(*) FILTER (WHERE status = 'reserved'), 'committed', count(*)) FROM tix.tickets
      WHERE user_id = ${p.take("standingUser", "text")} AND event_id = ${eventOf(request.standing.eventId, "standingEvent")}
        AND status IN ('reserved', 'purchased')) AS standing`);
  }
  if (request.waitlistEntry) {
    columns.push(`(SELECT ${jsonObject(WAITING, "w")} FROM tix.waitlist w
      WHERE w.event_id = ${eventOf(request.waitlistEntry.eventId, "entryEvent")} AND w.user_id = ${p.take("entryUser", "text")}) AS "waitlistEntry"`);
  }
  if (request.waiting !== undefined) {
    columns.push(`(SELECT json_agg(${jsonObject(WAITING, "w")} ORDER BY w.joined_at, w.seq) FROM (SELECT * FROM tix.waitlist
      WHERE event_id = ${eventOf(request.waiting, "waitingEvent")} ORDER BY joined_at, seq LIMIT ${p.take("batch", "int")}) w) AS waiting`);
  }
  if (request.waitingUsers !== undefined) {
    columns.push(`(SELECT json_agg(${jsonObject(WAITING, "w", `, 'standing', json_build_object('liveHolds', w.live_holds, 'committed', w.committed)`)}
        ORDER BY w.joined_at, w.seq)
      FROM (SELECT w.*, (SELECT count(*) FROM tix.tickets t WHERE t.user_id = w.user_id AND t.event_id = w.event_id AND t.status = 'reserved') AS live_holds,
              (SELECT count(*) FROM tix.tickets t WHERE t.user_id = w.user_id AND t.event_id = w.event_id AND t.status IN ('reserved', 'purchased')) AS committed
            FROM tix.waitlist w WHERE w.event_id = ${p.take("waitingUsersEvent", "text")} ORDER BY w.joined_at, w.seq LIMIT ${p.take("batch", "int")}) w) AS "waitingUsers"`);
  }
  if (request.vouchers) {
    const boughtWith = withTargets ? " OR v.code IN (SELECT voucher FROM targets)" : "";
    columns.push(`(SELECT json_agg(${jsonObject(VOUCHER, "v")} ORDER BY v.seq) FROM tix.vouchers v
      WHERE v.event_id = ${eventOf(request.vouchers.eventId, "voucherEvent")}
        AND (v.code IN (SELECT json_array_elements_text(${p.take("voucherCodes", "json")}))${boughtWith})) AS vouchers`);
  }
  columns.push(`(SELECT json_agg(${jsonObject(TICKET, "t")} ORDER BY t.expires_at, t.id) FROM tix.tickets t
    WHERE t.status = 'reserved' AND t.expires_at <= (SELECT now FROM clock) AND t.event_id IN (SELECT id FROM locked)) AS due`);
  columns.push(`(SELECT json_agg(json_build_object('eventId', s.event_id, 'version', s.version, 'states',
      CASE WHEN (s.event_id || ':' || s.version) IN (SELECT json_array_elements_text(${p.take("knownSeats", "json")})) THEN NULL ELSE encode(s.states, 'base64') END))
    FROM tix.event_seats s WHERE s.event_id IN (SELECT id FROM locked)) AS seats`);
  return { text: `WITH ${ctes.join(",\n")}\nSELECT ${columns.join(",\n")}`, names: p.names };
}

const LOCKS = [buildLocks(false), buildLocks(true)] as const;
const BATCH_LOCKS = buildLocks("batch");
const snapshots = new Map<string, Built>();

function values(request: SnapshotRequest, now: number | null, knownSeats: readonly string[], serialised: readonly string[] = []): Values {
  const target = request.target;
  const orderTarget = target !== undefined && isOrderId(target);
  const notTarget = (eventId: string | undefined) => (eventId === TARGET_EVENT ? null : eventId ?? null);
  return {
    serialised, now, events: request.events, ticketId: target !== undefined && !orderTarget ? target : null, orderId: orderTarget ? target : null,
    ticketIds: [], orderIds: [],
    keyUser: request.key?.userId ?? null, key: request.key?.key ?? null,
    standingUser: request.standing?.userId ?? null, standingEvent: notTarget(request.standing?.eventId),
    entryEvent: notTarget(request.waitlistEntry?.eventId), entryUser: request.waitlistEntry?.userId ?? null,
    waitingEvent: notTarget(request.waiting), waitingUsersEvent: request.waitingUsers ?? null, batch: WAITLIST_BATCH,
    voucherEvent: notTarget(request.vouchers?.eventId), voucherCodes: request.vouchers?.codes ?? [], knownSeats,
  };
}

function statement({ text, names }: Built, given: Values): Statement {
  return [text, names.map((name) => given[name])];
}

/** The operation's locks: its advisory locks (sorted, so batches never wait on each other in a cycle), then its row locks. */
export function lockStatement(operation: Operation<unknown>): Statement {
  const { request } = operation;
  return statement(LOCKS[request.target === undefined ? 0 : 1], values(request, null, [], [...new Set(serialisedNames(operation))].sort()));
}

/**
 * The locks of every operation of a batch in one statement, in the same global order as one
 * operation's (every advisory lock, sorted, then every row lock, by id): two batches, or a batch
 * and an operation, never wait on each other in a cycle.
 */
export function batchLockStatement(operations: readonly Operation<unknown>[]): Statement {
  const targets = operations.flatMap(({ request }) => (request.target === undefined ? [] : [request.target]));
  const given: Values = {
    ...values({ events: [...new Set(operations.flatMap(({ request }) => request.events))] }, null, [], [...new Set(operations.flatMap(serialisedNames))].sort()),
    ticketIds: [...new Set(targets.filter((target) => !isOrderId(target)))],
    orderIds: [...new Set(targets.filter(isOrderId))],
  };
  return statement(BATCH_LOCKS, given);
}

/** `knownSeats`: `eventId:version` of the seats the caller has; the snapshot sends the states of the others. */
export function snapshotStatement(request: SnapshotRequest, now: number | null, knownSeats: readonly string[]): Statement {
  const shape = shapeOf(request);
  let built = snapshots.get(shape);
  if (!built) snapshots.set(shape, (built = buildSnapshot(request)));
  return statement(built, values(request, now, knownSeats));
}
