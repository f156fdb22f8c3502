import { WAITLIST_BATCH, isOrderId, type EventRecord, type TicketRecord } from "../../core/index.js";
import { TARGET_EVENT, serialisedNames, type Operation, type SnapshotRequest } from "../operations.js";
import { KEY, TICKET, VOUCHER, WAITING, eventJson, jsonArray, jsonObject, waitingHead } from "./columns.js";
import type { Statement } from "./connection.js";

/**
 * What decisions lock and read, as two statements: their locks, then their snapshots, one row an
 * operation (sent together: the snapshots are read once the locks are granted). A batch of 64
 * reads its snapshots with one statement, not 64: what they share (the events, their due holds
 * and seats) is read and sent once. Each snapshot statement holds only the parts its operations
 * name — a rush of reserves reads no target, waiting list or voucher — so it is built once per
 * set of parts (and prepared once per connection), not once with every part empty.
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

/** One operation's values, by name (an event id may be TARGET_EVENT). */
interface OperationValues {
  now: number | null;
  events: readonly string[];
  /** The event, when the request names one (a lone statement's `ONE_EVENT` shape reads it so). */
  event: string | null;
  ticketId: string | null;
  orderId: string | null;
  keyUser: string | null;
  key: string | null;
  standingUser: string | null;
  standingEvent: string | null;
  entryEvent: string | null;
  entryUser: string | null;
  waitingEvent: string | null;
  waitingUsersEvent: string | null;
  voucherEvent: string | null;
  voucherCodes: readonly string[];
}

/** Every value a lock or snapshot statement may take as a parameter, by name. */
interface Values extends OperationValues {
  serialised: readonly string[];
  /** A batch's targets: ticket ids, and order ids. */
  ticketIds: readonly string[];
  orderIds: readonly string[];
  /** Each operation's values, those its statement reads (see SnapshotValues). */
  operations: ReadonlyArray<Partial<OperationValues>>;
  targetEvent: string;
  batch: number;
  knownSeats: readonly string[];
}

interface Built {
  text: string;
  names: Array<keyof Values>;
}

/** A snapshots statement: also the values it takes of each operation. */
interface SnapshotsBuilt extends Built {
  columns: ReadonlyArray<keyof OperationValues>;
}

/**
 * A lock statement's shape: a lone operation's, without (false) or with (true) a target; a batch's
 * with targets ("batch"), or a batch of operations that name only events ("batch-events", a rush of
 * reserves): its generic plan, made once a connection while the tables are small, read every
 * ticket twice a batch to find no target (a sequential scan of `tickets`, growing with it).
 */
type LockShape = boolean | "batch" | "batch-events";

/**
 * The events a request locks: those it names, and the event of its target's tickets (JSON
 * parameters are given as values); `"batch"`: the events of a batch's requests, all their targets'.
 */
function lockedEvents(p: Parameters, target: LockShape): string {
  const named = `SELECT value AS id FROM json_array_elements_text(${p.take("events", "json")})`;
  if (target === false || target === "batch-events") return named;
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
 * no row is locked before every advisory lock is held. The events are found as `id = ANY(array)`,
 * an index search for each: `id IN (subquery)` let the planner, guessing 100 rows of JSON, read
 * the whole events table under the rush's locks (0.24 ms a flight at 2,000 events, growing).
 */
function buildLocks(target: LockShape): Built {
  const p = new Parameters();
  const text = `SELECT
    (SELECT count(pg_advisory_xact_lock(hashtextextended(name, 0))) FROM (SELECT name FROM json_array_elements_text(${p.take("serialised", "json")})
      WITH ORDINALITY AS names(name, position) ORDER BY position) names) AS serialised,
    ARRAY(SELECT id FROM tix.events WHERE id = ANY(ARRAY(${lockedEvents(p, target)})) ORDER BY id FOR UPDATE) AS locked${typeof target === "string" ? "" : GENERIC_PLANS}`;
  return { text, names: p.names };
}

/**
 * A lone operation's lock statement also sets `plan_cache_mode = force_generic_plan` for its
 * transaction (`set_config(…, true)`, a `SET LOCAL`; skipped before PostgreSQL 12), without a
 * statement of its own: the snapshot statement that follows is then planned once a connection.
 * Left to choose, PostgreSQL kept planning a reserve's snapshot for its values at every run — its
 * bind took ~450 µs of the server's CPU, three times its execution, for the same plan as the
 * generic one (the due holds through tickets_due, each part through its key). A batch sets it in
 * a statement of its own (batch-snapshots.ts).
 */
const GENERIC_PLANS = `,
    (SELECT set_config('plan_cache_mode', 'force_generic_plan', true) WHERE current_setting('server_version_num')::int >= 120000) AS generic_plans`;

/** The parts a snapshot statement may read besides the events, their due holds and seats (the clock is every statement's). */
const PARTS = ["target", "key", "standing", "waitlistEntry", "waiting", "waitingUsers", "vouchers"] as const;
type Part = (typeof PARTS)[number];

/** The parts a request reads, a bit each (in PARTS' order); a part of the target's event needs the target read. */
function partsOf(request: SnapshotRequest): number {
  let parts = 0;
  for (let bit = 0; bit < PARTS.length; bit++) if (request[PARTS[bit]!] !== undefined) parts |= 1 << bit;
  const ofTarget = request.standing?.eventId === TARGET_EVENT || request.waitlistEntry?.eventId === TARGET_EVENT
    || request.waiting === TARGET_EVENT || request.vouchers?.eventId === TARGET_EVENT;
  return ofTarget ? parts | (1 << PARTS.indexOf("target")) : parts;
}

/**
 * A snapshot statement's values: the statement's own as parameters; each operation's as the
 * columns of its row `o` — or, for a lone operation's statement, as parameters too.
 */
class SnapshotValues extends Parameters {
  readonly columns: Array<[name: keyof OperationValues, type: string]> = [];

  constructor(private readonly lone: boolean) {
    super();
  }

  /** Operation `o`'s value called `name`: `o."name"`, or a lone operation's `$n::type`. */
  of(name: keyof OperationValues, type: string): string {
    if (this.lone) return this.take(name, type);
    if (!this.columns.some(([known]) => known === name)) this.columns.push([name, type]);
    return `o."${name}"`;
  }
}

/**
 * The snapshots of several operations in one statement, one row each, in their order: each
 * operation's instant (the given clock's, else the server's, read now that the locks are held —
 * row by row, so the instants keep the operations' order) and the parts it names; and, in the
 * first row only, what operations share — the locked events, their holds due at the latest
 * instant, and their seats — which snapshotRows hands each operation its share of. The statement
 * reads the parts some operation names (`parts`); an operation that does not name one gives it
 * no values, so it reads nothing (parseSnapshot reads it as empty).
 */
function buildSnapshots(parts: ReadonlySet<Part>, shape: Shape): SnapshotsBuilt {
  const lone = shape !== BATCH;
  const p = new SnapshotValues(lone);
  const targetEvent = parts.has("target") ? "(o.targets->0->>'eventId')" : "NULL::text";
  const direct = shape === ONE_EVENT;
  /** An event id, or (TARGET_EVENT, which needs the target read) the event of the operation's target. */
  const eventOf = (name: keyof OperationValues) => (direct ? p.of(name, "text")
    : `(CASE WHEN ${p.of(name, "text")} = ${p.take("targetEvent", "text")} THEN ${targetEvent} ELSE ${p.of(name, "text")} END)`);

  const operationColumns = [`coalesce(${p.of("now", "int8")}, floor(extract(epoch FROM clock_timestamp()) * 1000)::int8) AS at`];
  if (parts.has("target")) {
    operationColumns.push(`(SELECT json_agg(${jsonObject(TICKET, "t")} ORDER BY t.seq) FROM (SELECT * FROM tix.tickets WHERE id = ${p.of("ticketId", "text")}
      UNION ALL SELECT * FROM tix.tickets WHERE order_id = ${p.of("orderId", "text")}) t) AS targets`);
  }
  const locked = direct ? "" : `SELECT json_array_elements_text(${p.of("events", "json")}) AS id FROM ops o${parts.has("target") ? "\n    UNION SELECT t->>'eventId' FROM ops o, json_array_elements(o.targets) t" : ""}`;
  /** `column` is a locked event's id. */
  const ofLocked = (column: string, join = false) => (direct ? `${column} = ${p.of("event", "text")}`
    : join ? `${column} IN (SELECT id FROM locked)` : `${column} = ANY(ARRAY(SELECT id FROM locked))`);
  const latest = direct ? "o.at" : "(SELECT max(at) FROM ops)";
  /** The rows of one event's table by its key, as a JSON array: at most one row, so no aggregate for one event. */
  const ofEvent = direct ? "json_build_array" : "json_agg";

  const shared = (column: string, name: string) => (lone ? `${column} AS ${name}` : `CASE WHEN o.position = 1 THEN ${column} END AS ${name}`);
  // The due holds are found through the due index: given the ids as an array, the planner read
  // every ticket of the locked events for them.
  const columns = [
    "o.at AS now",
    shared(`(SELECT ${ofEvent}(${eventJson("e")}) FROM tix.events e WHERE ${ofLocked("e.id")})`, "events"),
    shared(jsonArray(jsonObject(TICKET, "t"), `FROM tix.tickets t
      WHERE t.status = 'reserved' AND t.expires_at <= ${latest} AND ${ofLocked("t.event_id", true)}`, "t.expires_at, t.id"), "due"),
    shared(`(SELECT ${ofEvent}(json_build_object('eventId', s.event_id, 'version', s.version, 'states',
      CASE WHEN (s.event_id || ':' || s.version) IN (SELECT json_array_elements_text(${p.take("knownSeats", "json")})) THEN NULL ELSE encode(s.states, 'base64') END))
      FROM tix.event_seats s WHERE ${ofLocked("s.event_id")})`, "seats"),
  ];
  if (parts.has("target")) columns.push("o.targets");
  if (parts.has("key")) {
    const key = `FROM tix.idempotency_keys k WHERE k.user_id = ${p.of("keyUser", "text")} AND k.key = ${p.of("key", "text")}`;
    columns.push(`(SELECT ${jsonObject(KEY, "k")} ${key}) AS "keyRecord"`);
    columns.push(`${jsonArray(jsonObject(TICKET, "t"), `FROM tix.tickets t WHERE t.order_id = (SELECT k.order_id ${key})`, "t.seq")} AS "keyTickets"`);
  }
  if (parts.has("standing")) {
    // The statuses of the user's live tickets there, counted by parseSnapshot: no aggregate to set up.
    columns.push(`array_to_json(ARRAY(SELECT status FROM tix.tickets
      WHERE user_id = ${p.of("standingUser", "text")} AND event_id = ${eventOf("standingEvent")}
        AND status IN ('reserved', 'purchased'))) AS standing`);
  }
  if (parts.has("waitlistEntry")) {
    columns.push(`(SELECT ${jsonObject(WAITING, "w")} FROM tix.waitlist w
      WHERE w.event_id = ${eventOf("entryEvent")} AND w.user_id = ${p.of("entryUser", "text")}) AS "waitlistEntry"`);
  }
  if (parts.has("waiting")) {
    columns.push(`(SELECT json_agg(${jsonObject(WAITING, "w")} ORDER BY w.joined_at, w.seq)
      FROM ${waitingHead(eventOf("waitingEvent"), p.take("batch", "int"))} w) AS waiting`);
  }
  if (parts.has("waitingUsers")) {
    columns.push(`(SELECT json_agg(${jsonObject(WAITING, "w", `, 'standing', json_build_object('liveHolds', w.live_holds, 'committed', w.committed)`)}
        ORDER BY w.joined_at, w.seq)
      FROM (SELECT w.*, (SELECT count(*) FROM tix.tickets t WHERE t.user_id = w.user_id AND t.event_id = w.event_id AND t.status = 'reserved') AS live_holds,
              (SELECT count(*) FROM tix.tickets t WHERE t.user_id = w.user_id AND t.event_id = w.event_id AND t.status IN ('reserved', 'purchased')) AS committed
            FROM tix.waitlist w WHERE w.event_id = ${p.of("waitingUsersEvent", "text")}) w) AS "waitingUsers"`);
  }
  if (parts.has("vouchers")) {
    const boughtWith = parts.has("target") ? " OR v.code IN (SELECT t->>'voucher' FROM json_array_elements(o.targets) t)" : "";
    columns.push(`(SELECT json_agg(${jsonObject(VOUCHER, "v")} ORDER BY v.seq) FROM tix.vouchers v
      WHERE v.event_id = ${eventOf("voucherEvent")}
        AND (v.code IN (SELECT json_array_elements_text(${p.of("voucherCodes", "json")}))${boughtWith})) AS vouchers`);
  }
  // Each operation's row, in order (json_to_recordset takes a column list, so the position is
  // ROWS FROM's); a lone operation's values are parameters, its row only its position.
  const definitions = p.columns.map(([name, type]) => `"${name}" ${type}`).join(", ");
  const names = p.columns.map(([name]) => `"${name}"`).join(", ");
  const rows = lone ? "(VALUES (1)) AS o(position)"
    : `ROWS FROM (json_to_recordset(${p.take("operations", "json")}) AS (${definitions})) WITH ORDINALITY AS o(${names}, position)`;
  const text = direct
    ? `WITH ops AS MATERIALIZED (SELECT ${operationColumns.join(",\n    ")})
SELECT ${columns.join(",\n  ")}
FROM ops o`
    : `WITH ops AS MATERIALIZED (SELECT o.*, ${operationColumns.join(",\n    ")}
    FROM ${rows}),
  locked AS MATERIALIZED (${locked})
SELECT ${columns.join(",\n  ")}
FROM ops o ORDER BY o.position`;
  return { text, names: p.names, columns: p.columns.map(([name]) => name) };
}

/**
 * A snapshots statement's shape: a batch's (its operations a JSON array of rows), a lone
 * operation's (its values parameters), or a lone operation's that names one event and no target
 * (a reserve): the event a plain parameter, read where it is needed, without the CTE of the
 * locked events — the server's work for a reserve's snapshot a sixth less. (An array parameter
 * would do for several, but PostgreSQL then plans the statement again at every run.)
 */
const BATCH = 0;
const LONE = 1;
const ONE_EVENT = 2;
type Shape = typeof BATCH | typeof LONE | typeof ONE_EVENT;

const LOCKS = [buildLocks(false), buildLocks(true)] as const;
/**
 * The locks of an operation that names one event, no target and at most one name (a reserve):
 * the same locks in the same order, its values plain parameters — no JSON arrays to take apart,
 * no sort, no join: about half the server's work of the general statement.
 */
const ONE_EVENT_LOCKS = [
  `SELECT ARRAY(SELECT id FROM tix.events WHERE id = $1::text FOR UPDATE) AS locked${GENERIC_PLANS}`,
  `SELECT (SELECT pg_advisory_xact_lock(hashtextextended($2::text, 0)) IS NULL) AS serialised,
    ARRAY(SELECT id FROM tix.events WHERE id = $1::text FOR UPDATE) AS locked${GENERIC_PLANS}`,
] as const;
const BATCH_LOCKS = buildLocks("batch");
const BATCH_EVENT_LOCKS = buildLocks("batch-events");
/** Built snapshots statements, by their parts and shape. */
const snapshots = new Map<number, SnapshotsBuilt>();

/** One operation's values (a part it does not name: null, so it reads nothing there). */
function operationValues(request: SnapshotRequest, now: number | null): OperationValues {
  const target = request.target;
  const orderTarget = target !== undefined && isOrderId(target);
  return {
    now, events: request.events, event: request.events.length === 1 ? request.events[0]! : null, ticketId: target !== undefined && !orderTarget ? target : null, orderId: orderTarget ? target : null,
    keyUser: request.key?.userId ?? null, key: request.key?.key ?? null,
    standingUser: request.standing?.userId ?? null, standingEvent: request.standing?.eventId ?? null,
    entryEvent: request.waitlistEntry?.eventId ?? null, entryUser: request.waitlistEntry?.userId ?? null,
    waitingEvent: request.waiting ?? null, waitingUsersEvent: request.waitingUsers ?? null,
    voucherEvent: request.vouchers?.eventId ?? null, voucherCodes: request.vouchers?.codes ?? [],
  };
}

/** Every value's default: what a statement gives for a value it is not given. */
const DEFAULT_VALUES: Values = {
  ...operationValues({ events: [] }, null),
  serialised: [], ticketIds: [], orderIds: [], operations: [], targetEvent: TARGET_EVENT, batch: WAITLIST_BATCH, knownSeats: [],
};

/** The statement with the values `given`, and the defaults of those not given. */
function statement({ text, names }: Built, given: Partial<Values>): Statement {
  return [text, names.map((name) => (name in given ? given[name] : DEFAULT_VALUES[name]))];
}

/** The operation's locks: its advisory locks (sorted, so batches never wait on each other in a cycle), then its row locks. */
export function lockStatement(operation: Operation<unknown>): Statement {
  const { request } = operation;
  const names = serialisedNames(operation);
  const serialised = names.length > 1 ? [...new Set(names)].sort() : names;
  const { target } = request;
  if (target === undefined && request.events.length === 1 && serialised.length <= 1) {
    return serialised.length === 0 ? [ONE_EVENT_LOCKS[0], request.events] : [ONE_EVENT_LOCKS[1], [request.events[0], serialised[0]]];
  }
  if (target === undefined) return statement(LOCKS[0], { events: request.events, serialised });
  const orderTarget = isOrderId(target);
  return statement(LOCKS[1], { events: request.events, serialised, ticketId: orderTarget ? null : target, orderId: orderTarget ? target : null });
}

/**
 * The locks of every operation of a batch in one statement, in the same global order as one
 * operation's (every advisory lock, sorted, then every row lock, by id): two batches, or a batch
 * and an operation, never wait on each other in a cycle.
 */
export function batchLockStatement(operations: readonly Operation<unknown>[]): Statement {
  const targets = operations.flatMap(({ request }) => (request.target === undefined ? [] : [request.target]));
  const events = [...new Set(operations.flatMap(({ request }) => request.events))];
  const serialised = [...new Set(operations.flatMap(serialisedNames))].sort();
  if (targets.length === 0) return statement(BATCH_EVENT_LOCKS, { events, serialised });
  return statement(BATCH_LOCKS, {
    events,
    serialised,
    ticketIds: [...new Set(targets.filter((target) => !isOrderId(target)))],
    orderIds: [...new Set(targets.filter(isOrderId))],
  });
}

/** What a snapshot statement reads for: a request, and its instant (null: the server's clock, once the locks are held). */
export interface SnapshotRead {
  request: SnapshotRequest;
  now: number | null;
}

/**
 * The snapshots of `reads` in one statement (one row each; see snapshotRows). `knownSeats`:
 * `eventId:version` of the seats the caller has; the snapshot sends the states of the others.
 * A lone operation's values are the statement's parameters (a statement of its own shape): a
 * JSON array of one operation cost its client more to make, and its server more to take apart.
 */
export function snapshotsStatement(reads: readonly SnapshotRead[], knownSeats: readonly string[]): Statement {
  let parts = 0;
  for (const { request } of reads) parts |= partsOf(request);
  const lone = reads.length === 1;
  const shape = !lone ? BATCH : reads[0]!.request.events.length === 1 && !(parts & (1 << PARTS.indexOf("target"))) ? ONE_EVENT : LONE;
  const key = parts * 4 + shape;
  let built = snapshots.get(key);
  if (!built) snapshots.set(key, (built = buildSnapshots(new Set(PARTS.filter((_, bit) => parts & (1 << bit))), shape)));
  if (lone) return statement(built, { ...operationValues(reads[0]!.request, reads[0]!.now), knownSeats });
  const { columns } = built;
  const operations = reads.map(({ request, now }) => {
    const all = operationValues(request, now);
    const given: Partial<Record<keyof OperationValues, unknown>> = {};
    for (const name of columns) given[name] = all[name];
    return given as Partial<OperationValues>;
  });
  return statement(built, { operations, knownSeats });
}

type Row = Record<string, unknown>;

/**
 * The rows of a snapshots statement as each operation's snapshot row: the parts it read, and its
 * share of what the first row sent for all — the events it locked (those it names, and those of
 * its target's tickets), their holds due at its instant, their seats.
 */
export function snapshotRows(requests: readonly SnapshotRequest[], rows: readonly Row[]): Row[] {
  // A lone operation's row is its own: it read only what it locked, its holds due at its instant.
  if (rows.length === 1) return [rows[0]!];
  const list = <T>(value: unknown) => (value ?? []) as T[];
  const first = rows[0]!;
  const events = list<EventRecord>(first.events);
  const due = list<TicketRecord>(first.due);
  const seats = list<{ eventId: string }>(first.seats);
  return rows.map((row, index) => {
    const locked = new Set(requests[index]!.events);
    for (const ticket of list<TicketRecord>(row.targets)) locked.add(ticket.eventId);
    const now = row.now as number;
    return {
      ...row,
      events: events.filter((event) => locked.has(event.id)),
      due: due.filter((hold) => locked.has(hold.eventId) && hold.expiresAt <= now),
      seats: seats.filter((seat) => locked.has(seat.eventId)),
    };
  });
}
