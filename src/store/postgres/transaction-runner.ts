import { TIME_ORDERED_IDS, TixError, decideExpiry, isTixError, plainChanges, type Change, type Clock, type IdSource, type WaitlistEntry } from "../../core/index.js";
import type { Operation } from "../operations.js";
import { SeatCache, SeatWrites } from "../seat-cache.js";
import { firstValue, type BatchMode, type OperationRunner, type Outcome, type ReadSession, type Reader } from "../runner.js";
import { MIN_COMMIT_WAIT_MS, type Connection, type Database, type Statement } from "./connection.js";
import { isBusyTimeout, isRetryable, retryDelayMs } from "./errors.js";
import {
  BEGIN,
  BEGIN_READ,
  PgReader,
  nowAndDueStatement,
  parseSnapshot,
  waitingStatement,
  type LoadedSnapshot,
} from "./pg-repository.js";
import { BatchSnapshots } from "./batch-snapshots.js";
import { SCHEMA_READ, checkSchemaRead } from "./schema.js";
import { FlightWrites, changeStatements } from "./flight-writes.js";
import { lockStatement, snapshotRows, snapshotsStatement } from "./decision-reads.js";

/**
 * Runs operations on PostgreSQL in as few round trips as the order of work allows. A reserve:
 * BEGIN, its locks and its snapshot go in one flight (the snapshot statement runs once the locks
 * are granted, and reads the server's clock then); the core decides; its writes and COMMIT go in
 * the second. The event's row is locked for about one round trip. A batch (group commit) is two
 * round trips too while its operations do not read what the ones before them wrote: BEGIN, every
 * operation's locks and every snapshot (all the snapshots one statement) in the first flight,
 * every write and COMMIT in the last (batch-snapshots.ts); an operation that may read an earlier
 * one's writes reads its snapshot again, with the writes pending before it. Deadlocks, serialization failures and unique
 * violations roll back and run again, a bounded number of times.
 */
export class TransactionRunner implements OperationRunner {
  /** Seated events' indexes, kept between transactions (see seat-cache.ts)… */
  private readonly seatCache = new SeatCache();
  /** …while the database's history is this one (see Database.history). */
  private seatHistory = 0;

  constructor(
    private readonly database: Database,
    /** Undefined: the database server's clock. */
    private readonly clock: Clock | undefined,
    private readonly ids: IdSource = TIME_ORDERED_IDS,
  ) {}

  get description(): string {
    return this.database.description;
  }

  run<T>(operation: Operation<T>): Promise<T> {
    return this.runBatch([operation as Operation<unknown>], "all-or-none").then(firstValue) as Promise<T>;
  }

  async runBatch(operations: readonly Operation<unknown>[], mode: BatchMode): Promise<Array<Outcome<unknown>>> {
    const deadline = this.database.deadline();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(operations, mode, deadline);
      } catch (error) {
        if (isRetryable(error, attempt) || this.database.mayRunElsewhere(error, deadline) || this.database.mayRunOnNewConnection(error, attempt)) {
          // Nothing of it committed (a commit in doubt is a TixError, never run again here).
          await pauseBeforeTry(attempt);
          continue;
        }
        // Past the busy timeout each would wait as long again, one after another: all fail now.
        if (mode === "each-alone" && operations.length > 1 && !isTixError(error) && !isBusyTimeout(error)) {
          // The server refused a write of the batch: nothing of it committed; each runs alone.
          const outcomes: Array<Outcome<unknown>> = [];
          for (const operation of operations) {
            outcomes.push(await this.runBatch([operation], mode).then(([outcome]) => outcome!, (failure: unknown) => ({ ok: false, error: failure })));
          }
          return outcomes;
        }
        throw this.database.translate(error);
      }
    }
  }

  read<T>(work: (reader: Reader, now: number) => T | Promise<T>): Promise<T> {
    return this.inReadTransaction(false, (connection, now) => work(new PgReader(this.database.rows(connection), this.seats()), now));
  }

  /**
   * A connection reserved for the session, in one repeatable-read, read-only transaction (the
   * snapshot taken by its first statement, as `read`'s) until `close()`: COMMIT, and the connection
   * released (on a failure rolled back and released). While it is open the server keeps the rows
   * it may read (vacuum waits): close it when the stream ends, fails or is cut.
   */
  readSession(): Promise<ReadSession> {
    return this.inReadTransaction(true, async (connection, now) => this.session(connection, now));
  }

  /**
   * `use` in a read's snapshot on a connection of its own, once no holds are due (they are
   * released first, a write, and the snapshot taken again); a failure is tried again on another
   * connection or host as far as it may. A `held` transaction is left open for `use`'s session,
   * with its connection; any other is committed and its connection released.
   */
  private async inReadTransaction<T>(held: boolean, use: (connection: Connection, now: number) => T | Promise<T>): Promise<T> {
    const deadline = this.database.deadline();
    for (let attempt = 1; ; attempt++) {
      const connection = await this.database.reserve(deadline);
      let dueEvents: string[] = [];
      let failure: unknown;
      let handedOver = false;
      try {
        const begun = await this.beginRead(connection, held);
        dueEvents = begun.dueEvents;
        if (dueEvents.length === 0) {
          const value = await use(connection, begun.now);
          handedOver = held;
          if (!held) await this.database.pipeline(connection, [["COMMIT"]]);
          return value;
        }
        await this.database.pipeline(connection, [["COMMIT"]]);
      } catch (error) {
        failure = error;
        await this.database.rollback(connection, error);
        if (!this.database.mayRunElsewhere(error, deadline) && !this.database.mayRunOnNewConnection(error, attempt)) throw this.database.translate(error);
      } finally {
        if (!handedOver) this.database.release(connection, failure);
      }
      await (failure === undefined ? this.releaseDue(dueEvents) : pauseBeforeTry(attempt));
    }
  }

  close = (): Promise<void> => this.database.end();

  /**
   * Opens a read's snapshot (a repeatable-read, read-only transaction, taken by the statement sent
   * with BEGIN): the server's time, and the events with holds due, which must be released (a
   * write) before the read. A session (`held`) may stay idle for as long as a slow reader (`| less`)
   * takes, past the pool's idle-in-transaction limit.
   */
  private async beginRead(connection: Connection, held: boolean): Promise<{ now: number; dueEvents: string[] }> {
    const sent = [BEGIN_READ, ...(held ? [NO_IDLE_LIMIT] : []), SCHEMA_READ, nowAndDueStatement(this.clockReading())];
    const answers = await this.database.pipeline(connection, sent);
    checkSchemaRead(sent, answers, this.database.description);
    const row = answers.at(-1)![0]!;
    return { now: row.now as number, dueEvents: row.dueEvents as string[] };
  }

  /** Holds are due on these events: released (a write), so that the read's next try sees none. */
  private async releaseDue(events: string[]): Promise<void> {
    await this.runBatch([{ request: { events }, decide: () => ({ changes: [], result: undefined }) }], "all-or-none");
  }

  /** The session over a connection in its open read transaction (see readSession). */
  private session(connection: Connection, now: number): ReadSession {
    let open = true;
    const end = async (failure?: unknown): Promise<void> => {
      if (!open) return;
      open = false;
      try {
        if (failure === undefined) await this.database.pipeline(connection, [["COMMIT"]]);
        else await this.database.rollback(connection, failure);
      } catch (error) {
        failure ??= error;
        await this.database.rollback(connection, error);
        throw this.database.translate(error);
      } finally {
        this.database.release(connection, failure);
      }
    };
    return {
      read: async (work) => {
        if (!open) throw new TixError("STORE_CLOSED", `this reading session of ${this.database.description} was closed`);
        try {
          return await work(new PgReader(this.database.rows(connection), this.seats()), now);
        } catch (error) {
          // A failed statement ends the transaction: the session with it.
          await end(error).catch(() => undefined);
          throw this.database.translate(error);
        }
      },
      close: () => end(),
    };
  }

  private async transaction(operations: readonly Operation<unknown>[], mode: BatchMode, deadline: number): Promise<Array<Outcome<unknown>>> {
    const connection = await this.database.reserve(deadline);
    const seats = new SeatWrites(this.seats());
    let committing = false;
    let failure: unknown;
    try {
      const outcomes: Array<Outcome<unknown>> = [];
      // A batch reads every snapshot in its first flight; one operation, with its locks (load()).
      let batch: BatchSnapshots | undefined;
      if (operations.length > 1) {
        const sent = [...BatchSnapshots.statements(operations, () => this.clockReading(), seats.known())];
        sent.splice(1, 0, SCHEMA_READ);
        const answers = await this.database.pipeline(connection, sent);
        checkSchemaRead(sent, answers, this.database.description);
        batch = new BatchSnapshots(operations, answers);
      }
      // The schema's version is read with BEGIN, in the first flight (see checkSchemaRead).
      const begin: Statement[] = batch ? [] : [BEGIN, SCHEMA_READ];
      // The writes decided since the last flight: sent, folded into a few statements, with the next.
      const writes = new FlightWrites(seats);
      const ids = new RecordingIds(this.ids);
      const pending = () => [...begin.splice(0), ...writes.add(batch?.eventWrites() ?? [], new Map()).take()];
      for (const [index, operation] of operations.entries()) {
        let loaded: LoadedSnapshot | undefined = await batch?.take(index, this.database.rows(connection), seats);
        if (!loaded) {
          const read = await this.load(connection, operation, pending(), seats, batch?.nowOf(index));
          batch?.wrote(read.released);
          loaded = read;
        }
        try {
          const decision = operation.decide(loaded.snapshot, loaded.now, ids);
          // Written row by row: a reservation's record as the changes it stands for.
          const changes = plainChanges(decision.changes);
          const result = decision.result;
          const written = batch?.withoutEvents(changes, loaded.snapshot.events) ?? changes;
          const { key } = operation.request;
          writes.add(written, new Map(loaded.snapshot.events), { tickets: ids.made, key: loaded.snapshot.keyRecord === undefined ? key : undefined });
          batch?.wrote(changes, loaded.snapshot.targets, loaded.snapshot.events);
          outcomes.push({ ok: true, value: result });
        } catch (error) {
          // A decision that refuses changes nothing: the others of the batch go on.
          if (mode === "each-alone" && isTixError(error)) outcomes.push({ ok: false, error });
          else throw error;
        }
      }
      committing = true;
      await this.database.commit(connection, pending(), Math.max(this.database.options.busyTimeoutMs, MIN_COMMIT_WAIT_MS));
      seats.commit();
      return outcomes;
    } catch (error) {
      failure = error;
      if (!committing) await this.database.rollback(connection, error);
      throw error;
    } finally {
      this.database.release(connection, failure);
    }
  }

  /** The seat cache, emptied first if the database may have another history than when it was filled. */
  private seats(): SeatCache {
    if (this.database.history !== this.seatHistory) {
      this.seatCache.clear();
      this.seatHistory = this.database.history;
    }
    return this.seatCache;
  }

  /**
   * Sends what is pending (the writes of the batch's operations before this one, or BEGIN) with
   * this operation's locks and snapshot, read at `now` (a batch's: the instant its first flight
   * read for it), else at the clock's. Holds found due are released first and the snapshot read
   * again (two more round trips, only when a hold has just expired); `released`: those writes.
   */
  private async load(
    connection: Connection, operation: Operation<unknown>, pending: Statement[], seats: SeatWrites, now?: number,
  ): Promise<LoadedSnapshot & { released: Change[] }> {
    const { request } = operation;
    const sent = [...pending, lockStatement(operation), snapshotsStatement([{ request, now: now ?? this.clockReading() }], seats.known())];
    const first = await this.database.pipeline(connection, sent);
    checkSchemaRead(sent, first, this.database.description);
    const loaded = await parseSnapshot(snapshotRows([request], first.at(-1)!)[0]!, this.database.rows(connection), seats);
    if (loaded.due.length === 0) return { ...loaded, released: [] };
    const dueEvents = [...new Set(loaded.due.map((hold) => hold.eventId))];
    const [rows] = await this.database.pipeline(connection, [waitingStatement(dueEvents)]);
    const waiting = new Map<string, WaitlistEntry[]>();
    for (const entry of rows as unknown as WaitlistEntry[]) waiting.set(entry.eventId, [...waiting.get(entry.eventId) ?? [], entry]);
    const released = decideExpiry(loaded.due, loaded.snapshot.events, waiting, loaded.now, this.ids, loaded.snapshot.seats);
    const statements = changeStatements(released, seats, new Map(loaded.snapshot.events));
    const again = await this.database.pipeline(connection, [...statements, snapshotsStatement([{ request, now: loaded.now }], seats.known())]);
    return { ...await parseSnapshot(snapshotRows([request], again.at(-1)!)[0]!, this.database.rows(connection), seats), released };
  }

  private clockReading(): number | null {
    return this.clock?.now() ?? null;
  }
}

/** An IdSource that remembers the tickets it made: they are not stored yet (see Unstored). */
class RecordingIds implements IdSource {
  readonly made = new Set<string>();

  constructor(private readonly ids: IdSource) {}

  ticket(): string {
    const id = this.ids.ticket();
    this.made.add(id);
    return id;
  }

  order(): string {
    return this.ids.order();
  }
}

const NO_IDLE_LIMIT: Statement = ["SET LOCAL idle_in_transaction_session_timeout = 0"];

/** The wait before an operation's or a read's next try (on another connection or host). */
const pauseBeforeTry = (attempt: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, retryDelayMs(Math.min(attempt, 6))));
