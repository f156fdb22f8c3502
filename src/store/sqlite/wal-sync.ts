import { closeSync, fdatasync, openSync } from "node:fs";
import type Database from "better-sqlite3";
import { TixError } from "../../core/index.js";
import type { Operation } from "../operations.js";
import type { BatchMode, OperationRunner, Outcome, Reader } from "../runner.js";

/**
 * Group commit on SQLite with the sync off the event loop. With `synchronous=FULL` better-sqlite3
 * makes each commit's fsync on the event loop, so no request is read while it waits. Here the
 * connection commits with `synchronous=NORMAL` — the batch's WAL frames are written to the -wal
 * file, not synced — and then `fdatasync`s the -wal file on libuv's thread pool; no answer leaves
 * before that sync, which began after everything the answer saw was written, has returned. Why
 * that is as durable as FULL for what tix answers is in docs/reliability.md ("Group commit on
 * SQLite"); in short: frames are appended in commit order to one file, and an fdatasync of that
 * file makes every frame written before it durable, whichever process or fd wrote them.
 */
export class WalSyncedRunner implements OperationRunner {
  constructor(
    private readonly inner: OperationRunner,
    private readonly wal: WalSync,
  ) {}

  get description(): string {
    return this.inner.description;
  }

  run<T>(operation: Operation<T>): Promise<T> {
    return this.thenDurable(() => this.inner.run(operation));
  }

  runBatch(operations: readonly Operation<unknown>[], mode: BatchMode): Promise<Array<Outcome<unknown>>> {
    return this.thenDurable(() => this.inner.runBatch(operations, mode));
  }

  /** A read may have released due holds (a write) or seen another connection's commit: both are synced first. */
  read<T>(work: (reader: Reader, now: number) => T | Promise<T>): Promise<T> {
    return this.thenDurable(() => this.inner.read(work));
  }

  close = async (): Promise<void> => {
    await this.inner.close();
    this.wal.close();
  };

  /** The answer (a value or an error) once everything this connection has seen is on disk; nothing runs after a failed sync. */
  private async thenDurable<T>(work: () => Promise<T>): Promise<T> {
    this.wal.check();
    try {
      return await work();
    } finally {
      await this.wal.settle();
    }
  }
}

/**
 * Syncs the -wal file when something this connection has seen may not be on disk yet: its own
 * commits (SQLite's `total_changes()` moved) or another connection's (`data_version` moved; that
 * connection may be another `tix serve` whose sync is still running). Syncs run one at a time;
 * callers that arrive while one runs share the next.
 */
export class WalSync {
  private readonly mark: Database.Statement;
  private fd: number | undefined;
  /** What the last finished sync covered. */
  private synced: string;
  private running: { covers: string; done: Promise<void> } | undefined;
  private next: Promise<void> | undefined;
  private failure: TixError | undefined;

  constructor(
    db: Database.Database,
    private readonly walPath: string,
    private readonly description: string,
    /** fs.fdatasync by default (libuv's thread pool); tests hold it to see who waits for it. */
    private readonly sync: (fd: number, done: (error: Error | null) => void) => void = fdatasync,
  ) {
    this.mark = db.prepare("SELECT total_changes() || ':' || data_version FROM pragma_data_version").pluck();
    this.synced = this.markNow();
  }

  /** Throws the failure of a sync, if one failed. */
  check(): void {
    if (this.failure) throw this.failure;
  }

  /** Resolves once every commit this connection has made or seen so far is on disk. */
  settle(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const now = this.markNow();
    if (this.running) {
      if (this.running.covers === now) return this.running.done;
      // The running sync may have begun before what this caller saw was written: the next one covers it.
      return (this.next ??= this.running.done.then(() => {
        this.next = undefined;
        return this.start();
      }));
    }
    return now === this.synced ? Promise.resolve() : this.start();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private start(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const covers = this.markNow();
    const done = new Promise<void>((resolve, reject) => {
      const fd = this.walFd();
      if (fd === undefined) return resolve(); // no -wal file: nothing written since the last connection checkpointed it away
      this.sync(fd, (error) => (error ? reject(error) : resolve()));
    }).then(
      () => {
        this.synced = covers;
        this.running = undefined;
      },
      (error: unknown) => {
        // As PostgreSQL panics on a failed fsync: what the kernel kept is unknown, so nothing is
        // answered as durable again until the store is opened anew.
        this.failure = new TixError(
          "STORE_UNAVAILABLE",
          `the store ${this.description} could not sync its write-ahead log to disk (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
            "changes since its last sync may or may not be kept: restart tix serve, then retry with the same keys (what was made is replayed)",
          { cause: error },
        );
        this.running = undefined;
        throw this.failure;
      },
    );
    this.running = { covers, done };
    return done;
  }

  private walFd(): number | undefined {
    if (this.fd === undefined) {
      try {
        // The connection stays open, so SQLite never deletes this file under it: the fd stays the -wal file.
        this.fd = openSync(this.walPath, "r");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    }
    return this.fd;
  }

  private markNow(): string {
    return this.mark.get() as string;
  }
}
