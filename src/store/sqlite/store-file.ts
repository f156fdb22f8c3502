import { statSync } from "node:fs";
import { TixError } from "../../core/index.js";

/**
 * The store's file as it was opened. A file deleted or replaced (`rm`, `mv`) under an open
 * connection is still written through its old handle: every write after that would be lost with
 * the unlinked file, though tix printed it. A write transaction checks, before it commits, that
 * the path still names the file it has open; a read checks too, so that a long-running process
 * (`tix serve`) does not go on answering from a file nobody else sees any more.
 */
export class StoreFile {
  /** When the path was last found naming the file (a read checks again only after READ_CHECK_MS). */
  private checkedAt = Date.now();

  private constructor(
    private readonly path: string,
    private readonly device: number,
    private readonly inode: number,
  ) {}

  static opened(path: string): StoreFile {
    const stat = statSync(path);
    return new StoreFile(path, stat.dev, stat.ino);
  }

  /**
   * For a read: the same check, made at most once every READ_CHECK_MS (a stat costs a few µs, a
   * good part of a small read), so a file gone is noticed within that time.
   */
  checkForRead(): void {
    if (Date.now() - this.checkedAt >= READ_CHECK_MS) this.checkStillThere(true);
  }

  /** Throws STORE_UNAVAILABLE (the transaction is rolled back) when the path names another file, or none. */
  checkStillThere(reading = false): void {
    const stat = statSync(this.path, { throwIfNoEntry: false });
    if (stat?.ino === this.inode && stat.dev === this.device) {
      this.checkedAt = Date.now();
      return;
    }
    const done = reading ? "tix no longer reads the file it had open" : "nothing more was written to it";
    throw new TixError(
      "STORE_UNAVAILABLE",
      `the store ${this.path} was ${stat ? "replaced" : "deleted"} while tix had it open; ${done} (run tix again to use the file now there)`,
    );
  }
}

/** How stale a read's check of the path may be. */
const READ_CHECK_MS = 100;
