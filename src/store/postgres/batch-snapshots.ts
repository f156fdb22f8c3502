import type { Change, EventRecord, KeyRecord, TicketRecord, WaitingUser } from "../../core/index.js";
import { TARGET_EVENT, type Operation, type SnapshotRequest } from "../operations.js";
import type { SeatWrites } from "../seat-cache.js";
import type { Rows, Statement } from "./connection.js";
import { batchLockStatement, snapshotRows, snapshotsStatement } from "./decision-reads.js";
import { BEGIN, checkEventStorable, parseSnapshot, type LoadedSnapshot } from "./pg-repository.js";

type Row = Record<string, unknown>;

/**
 * A batch's statements use their generic plan from their first run on a connection, for the rest
 * of its transaction (`SET LOCAL plan_cache_mode`). PostgreSQL otherwise plans a prepared
 * statement again for its values at each of its first five runs — every run, for a `tix repl`
 * whose connection makes a few flights — and a batch's values are JSON arrays the plan cannot use
 * (they are read row by row, whatever they hold). Eight processes rushing one event spent ~10 % less
 * of the server's CPU a reserve (docs/performance-history.md, "Hot event"). The setting is PostgreSQL 12's:
 * older servers skip it.
 *
 * Sequential scans are off for the transaction too (`enable_seqscan`, also `SET LOCAL`): a generic
 * plan is made once, at a connection's first batch, while the tables are small, and then kept as
 * they grow — it read the whole events table (its every dead version, ~135 pages under a rush)
 * for `id = ANY(…)` in the locks and in the snapshots, twice a batch. Every table a batch reads
 * is read by an index (docs/performance-history.md, the serve bullet, twentieth pass).
 */
const GENERIC_PLANS: Statement = [
  "SELECT set_config('plan_cache_mode', 'force_generic_plan', true), set_config('enable_seqscan', 'off', true) WHERE current_setting('server_version_num')::int >= 120000",
];

/**
 * A batch's snapshots, all read in its first flight — BEGIN, the locks of every operation, then
 * every operation's snapshot, in one statement — so that its operations are decided without a round trip each.
 * An operation's snapshot was read before the batch wrote anything, so it is used only if nothing
 * an earlier operation of the batch wrote could be in it — except the events, whose latest record
 * written here replaces the one read. What could be in it is told by names (`ticket…`, `user…`,
 * `key…`, `seats…`): those the request and the rows it read name, those the batch's writes
 * touched (the records written, and the tickets as they were before). A name in both, a hold
 * written here that is due at the operation's instant, or a due hold in any snapshot read (the
 * whole batch then loads as one operation does), and the operation's snapshot is read again.
 */
export class BatchSnapshots {
  /** The latest record of each event written in this transaction. */
  private readonly events = new Map<string, EventRecord>();
  /** Events written since the batch's last flight: their latest record is sent once, first in the next. */
  private readonly unsent = new Set<string>();
  private readonly touched = new Set<string>();
  private earliestHoldExpiry = Infinity;
  /** Each operation's snapshot, as the first flight read it. */
  private readonly rows: readonly Row[];
  private readonly dueFound: boolean;

  /**
   * The first flight's statements: BEGIN, generic plans for the transaction, the locks, the
   * snapshots (`now` read for each operation, in order).
   */
  static statements(operations: readonly Operation<unknown>[], now: () => number | null, knownSeats: readonly string[]): Statement[] {
    const reads = operations.map(({ request }) => ({ request, now: now() }));
    return [BEGIN, GENERIC_PLANS, batchLockStatement(operations), snapshotsStatement(reads, knownSeats)];
  }

  /** `flight`: the answers to `statements()`. */
  constructor(private readonly operations: readonly Operation<unknown>[], flight: ReadonlyArray<readonly Row[]>) {
    this.rows = snapshotRows(operations.map(({ request }) => request), flight.at(-1)!);
    this.dueFound = this.rows.some((row) => (row.due as unknown[]).length > 0);
  }

  /**
   * The instant operation `index` is decided at: its snapshot's, read once the locks were held (a
   * snapshot read again reads at it too, so the batch's instants keep their order).
   */
  nowOf(index: number): number {
    return this.rows[index]!.now as number;
  }

  /** Operation `index`'s snapshot as read in the first flight, its events brought up to date; undefined: read it again. */
  async take(index: number, rows: Rows, seats: SeatWrites): Promise<LoadedSnapshot | undefined> {
    if (this.dueFound) return undefined;
    const row = this.rows[index]!;
    if (this.nowOf(index) >= this.earliestHoldExpiry) return undefined;
    if (readNames(this.operations[index]!.request, row, this.events).some((name) => this.touched.has(name))) return undefined;
    const loaded = await parseSnapshot(row, rows, seats);
    const events = new Map(loaded.snapshot.events);
    for (const id of events.keys()) {
      const written = this.events.get(id);
      if (written) events.set(id, written);
    }
    return { ...loaded, snapshot: { ...loaded.snapshot, events } };
  }

  /**
   * Changes written in this transaction. `before`: the stored tickets they may rewrite (a
   * decision's targets); `read`: the events the decision read, whose records wait for eventWrites
   * (withoutEvents); none for writes already sent.
   */
  wrote(changes: readonly Change[], before: readonly TicketRecord[] = [], read?: ReadonlyMap<string, EventRecord>): void {
    for (const ticket of before) this.touch(...ticketNames(ticket));
    for (const change of changes) {
      switch (change.type) {
        case "saveEvent":
          this.events.set(change.event.id, change.event);
          if (read?.has(change.event.id)) this.unsent.add(change.event.id);
          this.touch(name("event", change.event.id), name("seats", change.event.id));
          break;
        case "saveTicket":
          this.touch(...ticketNames(change.ticket));
          if (change.ticket.status === "reserved") this.earliestHoldExpiry = Math.min(this.earliestHoldExpiry, change.ticket.expiresAt);
          break;
        case "bindKey":
          this.touch(name("key", change.record.userId, change.record.key));
          break;
        case "saveWaitlistEntry":
          this.touch(name("entry", change.entry.eventId, change.entry.userId), name("waitlist", change.entry.eventId));
          break;
        case "removeWaitlistEntry":
          this.touch(name("entry", change.eventId, change.userId), name("waitlist", change.eventId));
          break;
        case "saveVoucher":
          this.touch(name("vouchers", change.voucher.eventId));
          break;
        case "saveSeats":
          this.touch(name("seats", change.eventId));
          break;
        case "appendLog":
          break;
      }
    }
  }

  /**
   * A decision's changes but for the records of events it read (which exist): those are sent
   * once a flight, each as it is then (eventWrites), not once an operation — a rush of reserves
   * on one event writes its row and tier once, not once each. Throws, as their statements
   * would, for an event PostgreSQL cannot store.
   */
  withoutEvents(changes: readonly Change[], read: ReadonlyMap<string, EventRecord>): Change[] {
    return changes.filter((change) => {
      if (change.type !== "saveEvent" || !read.has(change.event.id)) return true;
      checkEventStorable(change.event);
      return false;
    });
  }

  /** The events written since the last flight, as they are now (the flight's writes fold them in: flight-writes.ts). */
  eventWrites(): Change[] {
    const changes = [...this.unsent].map((id): Change => ({ type: "saveEvent", event: this.events.get(id)! }));
    this.unsent.clear();
    return changes;
  }

  private touch(...names: string[]): void {
    for (const touched of names) this.touched.add(touched);
  }
}

/** Never in an id, a user or a key (all printable). */
const name = (...parts: string[]) => parts.join("\u001f");

/** A ticket's rows and what counts it: its id, its order, its user's standing. */
const ticketNames = (ticket: TicketRecord) => [name("ticket", ticket.id), name("order", ticket.orderId), name("user", ticket.userId)];

/**
 * The names of what a snapshot read: what its request names, the tickets and orders it found,
 * the seats of its seated events (as read, or as written since), an event it looked for and did
 * not find (one the batch may have made since).
 */
function readNames(request: SnapshotRequest, row: Row, written: ReadonlyMap<string, EventRecord>): string[] {
  const list = <T>(value: unknown) => (value ?? []) as T[];
  const events = list<EventRecord>(row.events);
  const names = request.events.filter((id) => !events.some((event) => event.id === id)).map((id) => name("event", id));
  for (const event of events) {
    if (event.seatMap !== null || (written.get(event.id)?.seatMap ?? null) !== null) names.push(name("seats", event.id));
  }
  // A part of the target's event: any event the snapshot locked (a target's are only its own).
  const ofEvent = (eventId: string) => (eventId === TARGET_EVENT ? events.map((event) => event.id) : [eventId]);
  if (request.target !== undefined) names.push(name("ticket", request.target), name("order", request.target));
  for (const ticket of [...list<TicketRecord>(row.targets), ...list<TicketRecord>(row.keyTickets)]) names.push(name("ticket", ticket.id), name("order", ticket.orderId));
  if (request.key) names.push(name("key", request.key.userId, request.key.key));
  const keyRecord = row.keyRecord as KeyRecord | null | undefined;
  if (keyRecord) names.push(name("ticket", keyRecord.ticketId), name("order", keyRecord.orderId));
  if (request.standing) names.push(name("user", request.standing.userId));
  if (request.waitlistEntry) {
    const { eventId, userId } = request.waitlistEntry;
    names.push(...ofEvent(eventId).map((id) => name("entry", id, userId)));
  }
  if (request.waiting !== undefined) names.push(...ofEvent(request.waiting).map((id) => name("waitlist", id)));
  if (request.waitingUsers !== undefined) {
    names.push(name("waitlist", request.waitingUsers));
    for (const waiting of list<WaitingUser>(row.waitingUsers)) names.push(name("user", waiting.userId));
  }
  if (request.vouchers) names.push(...ofEvent(request.vouchers.eventId).map((id) => name("vouchers", id)));
  return names;
}
