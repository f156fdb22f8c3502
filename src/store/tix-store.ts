import { PLANNING_ORDER, TixError, isKeyLive, seatMapView, yourSeats } from "../core/index.js";
import type { EventRecord, TixStore } from "../core/index.js";
import { GroupCommit, type GroupCommitOptions } from "./group-commit.js";
import {
  cancelOperation,
  checkInOperation,
  createEventOperation,
  createVoucherOperation,
  joinWaitlistOperation,
  leaveWaitlistOperation,
  purchaseOperation,
  reserveOperation,
  transferOperation,
  updateEventOperation,
  type Operation,
} from "./operations.js";
import { openedOnFirstRead, type OperationRunner, type ReadSession, type Reader } from "./runner.js";

export interface RunnerStoreOptions {
  /** Commit operations that arrive together in one transaction (`tix serve`). Off: one each. */
  groupCommit?: GroupCommitOptions | undefined;
}

/**
 * The port, written once for every adapter: each intent is an operation (operations.ts) handed
 * to the adapter's runner, each read a function of the adapter's reader. After `close()` every
 * call answers STORE_CLOSED.
 */
export class RunnerStore implements TixStore {
  private readonly group: GroupCommit | undefined;
  private readonly orderedGroup: boolean;
  private closed: Promise<void> | undefined;
  /** Snapshots taken and not yet closed: the store's close ends them first (PostgreSQL: their connections). */
  private readonly openSnapshots = new Set<RunnerStore>();

  constructor(
    private readonly runner: OperationRunner,
    options: RunnerStoreOptions = {},
    /** A snapshot's (see `snapshot`): every read is the session's, no write is taken. */
    private readonly session?: ReadSession,
    /** The store a snapshot was taken of: once it is closed, so is the snapshot. */
    private readonly parent?: RunnerStore,
  ) {
    this.group = options.groupCommit && new GroupCommit((operations) => runner.runBatch(operations, "each-alone"), options.groupCommit);
    this.orderedGroup = options.groupCommit?.trigger !== undefined;
  }

  get description(): string {
    return this.runner.description;
  }

  createEvent: TixStore["createEvent"] = (request) => this.run(createEventOperation(request));

  createEvents: TixStore["createEvents"] = async (requests, options = {}) => {
    this.checkOpen();
    // Progress is told as each event is decided (a retried transaction counts again from 0).
    let done = 0;
    const operations = requests.map((request, index) => {
      const operation = createEventOperation(request);
      return {
        ...operation,
        decide: (...args: Parameters<typeof operation.decide>) => {
          const decision = operation.decide(...args);
          done = index === 0 ? 1 : done + 1;
          options.onProgress?.(done, requests.length);
          return decision;
        },
      };
    });
    if (this.session) throw this.snapshotError();
    await this.queuedCommitted();
    const outcomes = await this.runner.runBatch(operations, "all-or-none");
    return outcomes.map((outcome) => (outcome as { value: Awaited<ReturnType<TixStore["createEvent"]>> }).value);
  };

  updateEvent: TixStore["updateEvent"] = (request) => this.run(updateEventOperation(request));

  getEvent: TixStore["getEvent"] = (id) => this.read((reader) => reader.findEvent(id));

  listEvents: TixStore["listEvents"] = (page) => this.read((reader) => reader.listEvents(page));

  listEventIds: TixStore["listEventIds"] = (prefix, limit) => this.read((reader) => reader.listEventIds(prefix, limit));

  listEventsPlanningOrder: TixStore["listEventsPlanningOrder"] = (limit) =>
    this.read((reader, now) => {
      const events: EventRecord[] = [];
      // Part after part until `limit` are found; the count only when some may be left unread.
      const from = (part: number): { events: EventRecord[]; total: number } | Promise<{ events: EventRecord[]; total: number }> => {
        const left = limit === undefined ? undefined : limit - events.length;
        if (part === PLANNING_ORDER.length || left === 0) {
          return andThen(left === 0 ? reader.countEvents() : events.length, (total) => ({ events, total }));
        }
        return andThen(reader.listEventsByStart({ part: PLANNING_ORDER[part]!, now, limit: left }), (found) => {
          events.push(...found);
          return from(part + 1);
        });
      };
      return from(0);
    });

  getSeats: TixStore["getSeats"] = ({ eventId, userId }) =>
    this.read((reader) =>
      andThen(reader.findEvent(eventId), (event) => {
        if (!event) return undefined;
        if (event.seatMap === null) return { event, seats: undefined };
        return andThen(reader.findSeats(event), (index) =>
          andThen(userId === undefined ? [] : reader.listTickets({ userId, eventId }), (tickets) =>
            ({ event, seats: seatMapView(index!, yourSeats(index!, tickets)) })));
      }));

  reserve: TixStore["reserve"] = (request) => this.run(reserveOperation(request));

  purchase: TixStore["purchase"] = (request) => this.run(purchaseOperation(request));

  cancel: TixStore["cancel"] = (request) => this.run(cancelOperation(request));

  checkIn: TixStore["checkIn"] = (request) => this.run(checkInOperation(request));

  transfer: TixStore["transfer"] = (request) => this.run(transferOperation(request));

  getTicket: TixStore["getTicket"] = (id) => this.read((reader) => reader.findTicket(id));

  listTickets: TixStore["listTickets"] = (filter, page) => this.read((reader) => reader.listTickets(filter, page));

  listTicketsByIdPrefix: TixStore["listTicketsByIdPrefix"] = (request) => this.read((reader) => reader.listTicketsByIdPrefix(request));

  listFirstTickets: TixStore["listFirstTickets"] = (filter, limit) =>
    this.read((reader) =>
      andThen(limit === undefined ? reader.listTickets(filter) : reader.listTickets(filter, { limit }), (tickets) =>
        withTotal(tickets, limit, () => reader.countTickets(filter), (total) => ({ tickets, total }))));

  ticketsHaveSeats: TixStore["ticketsHaveSeats"] = (filter, limit) => this.read((reader) => reader.ticketsHaveSeats(filter, limit));

  findKey: TixStore["findKey"] = (userId, key) =>
    this.read((reader, now) =>
      andThen(reader.findKey(userId, key), (record) =>
        isKeyLive(record, now)
          ? andThen(reader.findOrder(record.orderId), (tickets) => (tickets.length > 0 ? { record, tickets } : undefined))
          : undefined));

  joinWaitlist: TixStore["joinWaitlist"] = (request) => this.run(joinWaitlistOperation(request));

  leaveWaitlist: TixStore["leaveWaitlist"] = (request) => this.run(leaveWaitlistOperation(request));

  listWaitlist: TixStore["listWaitlist"] = (eventId) => this.read((reader) => reader.listWaitlist(eventId, Number.MAX_SAFE_INTEGER));

  waitlistPosition: TixStore["waitlistPosition"] = ({ eventId, userId }) => this.read((reader) => reader.waitlistPosition(eventId, userId));

  listLog: TixStore["listLog"] = (filter, page) => this.read((reader) => reader.listLog(filter, page));

  ticketTotals: TixStore["ticketTotals"] = (eventId) => this.read((reader) => reader.ticketTotals(eventId));

  countLogByTime: TixStore["countLogByTime"] = ({ eventId, action, bucketing }) =>
    this.read((reader) =>
      andThen(reader.logTimeSpan(eventId, action), (span) => {
        if (span === undefined) return undefined;
        const { size, offset } = bucketing(span);
        return andThen(reader.countLogPerBucket(eventId, action, size, offset), (buckets) => ({ span, size, offset, buckets }));
      }));

  listLatestLog: TixStore["listLatestLog"] = (filter, limit) =>
    this.read((reader) =>
      andThen(reader.listLog({ ...filter, latest: limit }), (entries) =>
        withTotal(entries, limit, () => reader.countLog(filter), (total) => ({ entries, total }))));

  createVoucher: TixStore["createVoucher"] = (request) => this.run(createVoucherOperation(request));

  listVouchers: TixStore["listVouchers"] = (eventId, page) => this.read((reader) => reader.listVouchers(eventId, page));

  /** The same port over one reading session of the runner: the same reads, one state (TixStore.snapshot). */
  snapshot: TixStore["snapshot"] = async () => {
    this.checkOpen();
    if (this.session) throw new TixError("INVALID_ARGUMENT", "a snapshot is one already: read from it");
    const queued = this.queuedCommitted();
    if (queued) await queued;
    const snapshot = new RunnerStore(this.runner, {}, openedOnFirstRead(() => this.runner.readSession()), this);
    this.openSnapshots.add(snapshot);
    return snapshot;
  };

  close = (): Promise<void> => {
    // A snapshot's close ends its session; the store stays open.
    if (this.session) {
      this.parent?.openSnapshots.delete(this);
      return (this.closed ??= this.session.close());
    }
    this.closed ??= (async () => {
      await Promise.allSettled([...this.openSnapshots].map((snapshot) => snapshot.close()));
      await this.group?.drain();
      await this.runner.close();
    })();
    return this.closed;
  };

  /** Not async: a reservation's promise is the runner's, followed by one step (no frame of its own). */
  private run<T>(operation: Operation<T>): Promise<T> {
    if (this.closed || this.parent?.closed) return Promise.reject(this.closedError());
    if (this.session) return Promise.reject(this.snapshotError());
    if (this.group) return this.group.add(operation);
    return this.runner.run(operation);
  }

  private async read<T>(work: (reader: Reader, now: number) => T | Promise<T>): Promise<T> {
    this.checkOpen();
    if (this.session) return this.session.read(work);
    const queued = this.queuedCommitted();
    if (queued) await queued;
    return this.runner.read(work);
  }

  /**
   * A group driven by its caller (a batch's lines, in order) commits what is queued before a read
   * or a batch of its own: nothing sees a state older than the operations asked for before it.
   * Undefined when nothing waits (no await on a read's path then).
   */
  private queuedCommitted(): Promise<void> | undefined {
    return this.orderedGroup && this.group?.busy ? this.group.drain() : undefined;
  }

  checkOpen = (): void => {
    // A snapshot outliving its store's close would read a closed connection (SQLite: a TypeError) or go on answering (memory).
    if (this.closed || this.parent?.closed) throw this.closedError();
  };

  private snapshotError(): TixError {
    return new TixError("INVALID_ARGUMENT", `a snapshot of ${this.description} only reads; write through the store`);
  }

  private closedError(): TixError {
    // A snapshot closed by itself: its store is open, and "open it again" would send a program looking for a close it never made.
    if (this.session && !this.parent?.closed) {
      return new TixError("STORE_CLOSED", `this snapshot of ${this.description} was closed (the store itself is open): read through the store, or take another snapshot`);
    }
    return new TixError("STORE_CLOSED", `the store ${this.description} was closed; open it again to use it`);
  }
}

/**
 * The answer made of a list's first `limit` rows (every row when undefined) and how many it
 * holds: counted (`count`) only when the rows read may not be all there are.
 */
function withTotal<A>(rows: readonly unknown[], limit: number | undefined, count: () => number | Promise<number>, answer: (total: number) => A): A | Promise<A> {
  return andThen(limit === undefined || rows.length < limit ? rows.length : count(), answer);
}

/**
 * `f(value)`, at once when `value` is not a promise: a synchronous store's read runs inside its
 * read transaction, so it must not wait for a microtask between two lookups.
 */
export function andThen<A, B>(value: A | Promise<A>, f: (value: A) => B | Promise<B>): B | Promise<B> {
  return value instanceof Promise ? value.then(f) : f(value);
}
