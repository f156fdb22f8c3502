/** What a journal entry's kind means is up to the store that reverts it. */
export interface Revertible {
  revert(kind: number, a: unknown, b: unknown): void;
}

/**
 * The undo log of the memory store's running transaction: each write records its kind and two
 * values (what it replaced) in one flat array, reused from transaction to transaction, so a write
 * costs no closure or object. Outside a transaction nothing is recorded.
 */
export class Journal {
  static readonly EVENT = 1;
  static readonly TICKET = 2;
  static readonly KEY = 3;
  static readonly WAITING = 4;
  static readonly LOG = 5;
  static readonly HEAP_POP = 6;
  static readonly SEATS = 7;
  static readonly VOUCHER = 8;

  private readonly entries: unknown[] = [];
  private active = false;

  open(): void {
    this.active = true;
    this.entries.length = 0;
  }

  close(): void {
    this.active = false;
    this.entries.length = 0;
  }

  record(kind: number, a: unknown, b: unknown): void {
    if (this.active) this.entries.push(kind, a, b);
  }

  /** Reverts every recorded write, newest first. */
  undo(store: Revertible): void {
    const entries = this.entries;
    for (let at = entries.length - 3; at >= 0; at -= 3) store.revert(entries[at] as number, entries[at + 1], entries[at + 2]);
    entries.length = 0;
  }
}
