import { statSync } from "node:fs";
import { TixError } from "../../core/index.js";

/**
 * The store's file as it was opened. A file deleted or replaced (`rm`, `mv`) under an open
 * connection is still written through its old handle: every write after that would be lost with
 * the unlinked file, though tix printed it. A write transaction checks, before it commits, that
 * the path still names the file it has open.
 */
export class StoreFile {
  private constructor(
    private readonly path: string,
    private readonly device: number,
    private readonly inode: number,
  ) {}

  static opened(path: string): StoreFile {
    const stat = statSync(path);
    return new StoreFile(path, stat.dev, stat.ino);
  }

  /** Throws STORE_UNAVAILABLE (the transaction is rolled back) when the path names another file, or none. */
  checkStillThere(): void {
    const stat = statSync(this.path, { throwIfNoEntry: false });
    if (stat?.ino === this.inode && stat.dev === this.device) return;
    throw new TixError(
      "STORE_UNAVAILABLE",
      `the store ${this.path} was ${stat ? "replaced" : "deleted"} while tix had it open; nothing more was written to it (run tix again to use the file now there)`,
    );
  }
}
