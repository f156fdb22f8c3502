import { TIME_ORDERED_IDS, TixError, WAITLIST_BATCH, decideExpiry, isTixError, type Clock, type EventRecord, type IdSource, type SeatIndex, type WaitlistEntry } from "../../core/index.js";
import type { Operation } from "../operations.js";
import { firstValue, type BatchMode, type OperationRunner, type Outcome, type ReadSession, type Reader } from "../runner.js";
import type { SyncRepository } from "./repository.js";
import { emptySnapshot, loadSnapshot } from "./snapshot.js";

export interface SyncRunnerOptions {
  /** Turns driver errors into TixErrors (e.g. STORE_UNAVAILABLE); TixErrors pass through. */
  translateError?: (error: unknown) => unknown;
  ids?: IdSource;
  /** Whether `error` means another process holds the write lock (tried again, without blocking). */
  isBusy?: (error: unknown) => boolean;
  /** How long to keep trying while the store is busy. */
  busyTimeoutMs?: number;
}

/**
 * Runs operations over a synchronous repository (memory, better-sqlite3). Nothing awaits inside
 * a transaction, so each runs whole, holding the store's write lock: the clock is read once the
 * lock is held, due holds are released, then each operation is loaded, decided and applied.
 * While another process holds the lock, the attempt is repeated on a timer, so the event loop
 * (a `tix serve`) keeps answering meanwhile.
 */
export class SyncRunner implements OperationRunner {
  private readonly translateError: (error: unknown) => unknown;
  private readonly ids: IdSource;
  /** The snapshot being decided, written over by each decision's (see loadSnapshot). */
  private readonly snapshot = emptySnapshot();
  /**
   * The runner whose `run` is in its transaction, and the work that decides its operation: one
   * function for every runner — a closure over each operation was an object more a reservation,
   * and one per runner a call target per store, so the optimised `run` deoptimised at the first
   * operation of each new store. Nothing runs between `run` and its transaction's work.
   */
  private static runningRunner: SyncRunner | undefined;
  private static readonly decideRunning = (): unknown => {
    const runner = SyncRunner.runningRunner!;
    return runner.decideAndApply(runner.running!);
  };
  /** The operation `run` is deciding. */
  private running: Operation<unknown> | undefined;
  /** Reading sessions open (one connection, or the process's state: no write may run meanwhile). */
  private sessions = 0;

  constructor(
    private readonly repository: SyncRepository,
    private readonly clock: Clock,
    readonly description: string,
    private readonly options: SyncRunnerOptions = {},
  ) {
    this.translateError = options.translateError ?? ((error) => error);
    this.ids = options.ids ?? TIME_ORDERED_IDS;
  }

  /** The first attempt runs at once (no microtask between the caller and the lock); a busy store is waited for. */
  runBatch(operations: readonly Operation<unknown>[], mode: BatchMode): Promise<Array<Outcome<unknown>>> {
    if (this.sessions > 0) return Promise.reject(this.sessionOpen());
    try {
      return Promise.resolve(this.transaction(operations, mode));
    } catch (error) {
      return this.afterFailure(operations, mode, error);
    }
  }

  run<T>(operation: Operation<T>): Promise<T> {
    if (this.sessions > 0) return Promise.reject(this.sessionOpen());
    try {
      this.running = operation;
      SyncRunner.runningRunner = this;
      return Promise.resolve(this.repository.transaction(SyncRunner.decideRunning) as T);
    } catch (error) {
      return this.afterFailure([operation as Operation<unknown>], "all-or-none", error).then(firstValue) as Promise<T>;
    } finally {
      // Not kept: a store closed and dropped is not held by the last runner that ran.
      SyncRunner.runningRunner = undefined;
    }
  }

  async read<T>(work: (reader: Reader, now: number) => T | Promise<T>): Promise<T> {
    try {
      // Most reads find no hold due and need no write lock: they never wait behind a writer.
      const NEEDS_WRITE = Symbol("needs write");
      const result = await this.whenNotBusy(() => this.repository.readTransaction(() => {
        const now = this.clock.now();
        return this.repository.mayHaveDueHolds(now) ? NEEDS_WRITE : work(this.repository, now);
      }));
      if (result !== NEEDS_WRITE) return await (result as T | Promise<T>);
      if (this.sessions > 0) throw this.sessionOpen();
      return await this.whenNotBusy(() =>
        this.repository.transaction(() => {
          const now = this.clock.now();
          this.releaseDueHolds(now);
          return work(this.repository, now);
        }));
    } catch (error) {
      throw this.translateError(error);
    }
  }

  /**
   * A read transaction left open (SQLite: BEGIN on this connection, the state fixed by its first
   * read; memory: nothing to open, see MemoryRepository.beginRead), due holds released first. Until
   * it is closed this runner refuses writes: on one connection a write would join the open
   * transaction, and in memory change what the session reads.
   */
  async readSession(): Promise<ReadSession> {
    if (this.sessions > 0) throw this.sessionOpen();
    let now: number | undefined;
    // Counted from the start: no write of this process runs while its transaction is open.
    this.sessions += 1;
    try {
      for (;;) {
        now = await this.whenNotBusy(() => {
          this.repository.beginRead();
          try {
            const at = this.clock.now();
            // This read fixes the state the session sees (a WAL reader's snapshot starts at its first read).
            if (!this.repository.mayHaveDueHolds(at)) return at;
          } catch (error) {
            this.repository.endRead();
            throw error;
          }
          this.repository.endRead();
          return undefined;
        });
        if (now !== undefined) break;
        // Holds are due: released (a write, the session not counted yet), then opened again.
        this.sessions -= 1;
        try {
          await this.whenNotBusy(() => this.repository.transaction(() => this.releaseDueHolds(this.clock.now())));
        } finally {
          this.sessions += 1;
        }
      }
    } catch (error) {
      this.sessions -= 1;
      throw this.translateError(error);
    }
    const at = now;
    let open = true;
    return {
      read: async (work) => {
        if (!open) throw new TixError("STORE_CLOSED", `this reading session of ${this.description} was closed`);
        try {
          return await work(this.repository, at);
        } catch (error) {
          throw this.translateError(error);
        }
      },
      close: async () => {
        if (!open) return;
        open = false;
        this.sessions -= 1;
        try {
          this.repository.endRead();
        } catch (error) {
          throw this.translateError(error);
        }
      },
    };
  }

  close = async (): Promise<void> => this.repository.close();

  private sessionOpen(): TixError {
    return new TixError("INVALID_ARGUMENT", `a reading session of ${this.description} is open: close it before writing or opening another`);
  }

  private transaction(operations: readonly Operation<unknown>[], mode: BatchMode): Array<Outcome<unknown>> {
    return this.repository.transaction(() => {
      const outcomes: Array<Outcome<unknown>> = [];
      for (const operation of operations) {
        try {
          outcomes.push({ ok: true, value: this.decideAndApply(operation) });
        } catch (error) {
          // A decision that refuses changes nothing: the others of the batch go on.
          if (mode === "each-alone" && isTixError(error)) outcomes.push({ ok: false, error });
          else throw error;
        }
      }
      return outcomes;
    });
  }

  private async afterFailure(operations: readonly Operation<unknown>[], mode: BatchMode, failure: unknown): Promise<Array<Outcome<unknown>>> {
    try {
      if (!this.options.isBusy?.(failure)) throw failure;
      return await this.whenNotBusy(() => this.transaction(operations, mode));
    } catch (error) {
      // A store still busy at the timeout wrote nothing and would keep each operation waiting
      // its own timeout again: the batch fails whole, at once.
      if (mode === "each-alone" && operations.length > 1 && !isTixError(error) && !this.options.isBusy?.(error)) {
        // The store refused a write: undone, and every operation tried again on its own. One
        // refused again fails alone: those before it are committed and must be answered so.
        const outcomes: Array<Outcome<unknown>> = [];
        for (const operation of operations) {
          outcomes.push(await this.runBatch([operation], mode).then(([outcome]) => outcome!, (failure: unknown) => ({ ok: false, error: failure })));
        }
        return outcomes;
      }
      throw this.translateError(error);
    }
  }

  private decideAndApply<T>(operation: Operation<T>): T {
    const now = this.clock.now();
    this.releaseDueHolds(now);
    const { changes, result } = operation.decide(loadSnapshot(this.repository, operation.request, this.snapshot), now, this.ids);
    this.repository.apply(changes);
    return result;
  }

  private releaseDueHolds(now: number): void {
    const dueHolds = this.repository.findDueHolds(now);
    if (dueHolds.length === 0) return;
    const events = new Map<string, EventRecord>();
    const waiting = new Map<string, WaitlistEntry[]>();
    const seats = new Map<string, SeatIndex>();
    for (const hold of dueHolds) {
      if (events.has(hold.eventId)) continue;
      const event = this.repository.findEvent(hold.eventId);
      if (event) events.set(event.id, event);
      const index = event && this.repository.findSeats(event);
      if (index) seats.set(hold.eventId, index);
      waiting.set(hold.eventId, this.repository.listWaitlist(hold.eventId, WAITLIST_BATCH));
    }
    this.repository.apply(decideExpiry(dueHolds, events, waiting, now, this.ids, seats));
  }

  /** `work()`, tried again with a growing pause while another process holds the lock, up to the busy timeout. */
  private async whenNotBusy<T>(work: () => T): Promise<T> {
    const { isBusy, busyTimeoutMs = 0 } = this.options;
    const deadline = Date.now() + busyTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return work();
      } catch (error) {
        if (!isBusy?.(error) || Date.now() >= deadline) throw error;
      }
      const pause = Math.min(2 ** attempt, 25) * (0.5 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Math.min(pause, deadline - Date.now()))));
    }
  }
}
