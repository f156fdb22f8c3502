import { closeSync, openSync, readSync } from "node:fs";
import { endianness } from "node:os";
import type Database from "better-sqlite3";

/**
 * WAL frames from which a long-lived connection checkpoints once the event loop turns, after the
 * commit has been answered, instead of inside a later commit: SQLite's own checkpoint, at 1000
 * frames, runs in the commit that crosses them (the batch waits for its copy and its sync). Below
 * 1000, so that SQLite's still catches a run of commits that never lets the event loop turn.
 */
export const CHECKPOINT_AFTER_FRAMES = 500;
/** A command makes a commit or two: only a connection that has made this many (a server, a session, a program) defers. */
const COMMITS_BEFORE_DEFERRING = 16;
/** mxFrame, the WAL's last valid frame, in the wal-index header at the start of the -shm file (native byte order; sqlite.org/walformat.html). */
const MX_FRAME_OFFSET = 16;

export class DeferredCheckpoint {
  private commits = 0;
  private scheduled = false;
  /** The -shm file, opened at the first look; null once it could not be read (SQLite's checkpoint alone then). */
  private shm: number | null | undefined;
  private readonly header = Buffer.alloc(4);

  constructor(private readonly db: Database.Database) {}

  /** After each committed write transaction. */
  committed(): void {
    if (++this.commits < COMMITS_BEFORE_DEFERRING || this.scheduled || this.walFrames() < CHECKPOINT_AFTER_FRAMES) return;
    this.scheduled = true;
    setImmediate(() => this.run()).unref();
  }

  close(): void {
    if (typeof this.shm === "number") closeSync(this.shm);
    this.shm = null;
  }

  private run(): void {
    this.scheduled = false;
    if (!this.db.open) return;
    try {
      // PASSIVE: never waits for a lock, never blocks a writer; under synchronous=FULL it syncs the
      // database file before the WAL may start over. Nothing acknowledged depends on it.
      this.db.pragma("wal_checkpoint(PASSIVE)");
    } catch {
      // another connection is checkpointing, or the file went read-only: SQLite's own checkpoint remains
    }
  }

  private walFrames(): number {
    if (this.shm === null) return 0;
    try {
      this.shm ??= openSync(`${this.db.name}-shm`, "r");
      readSync(this.shm, this.header, 0, 4, MX_FRAME_OFFSET);
      return endianness() === "LE" ? this.header.readUInt32LE(0) : this.header.readUInt32BE(0);
    } catch {
      this.close();
      return 0;
    }
  }
}
