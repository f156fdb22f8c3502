/** Entries (three a write) a journal keeps room for between transactions. */
const KEPT_ROOM = 3 * 64;

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
  /** A reservation's key bound (a ReserveChange: its user and key). */
  static readonly RESERVE_KEY = 9;

  private entries = roomForEntries();
  /** How many of `entries` are this transaction's: the array is written over, not emptied (emptying it frees its room). */
  private size = 0;
  private active = false;

  open(): void {
    this.active = true;
    this.size = 0;
  }

  close(): void {
    this.active = false;
    this.size = 0;
    // What a large transaction recorded is not kept alive for long: only a small journal's room is kept.
    if (this.entries.length > KEPT_ROOM) this.entries = roomForEntries();
  }

  record(kind: number, a: unknown, b: unknown): void {
    if (!this.active) return;
    const entries = this.entries;
    const at = this.size;
    this.size = at + 3;
    if (at === entries.length) {
      entries.push(kind, a, b); // a large transaction (an import)
      return;
    }
    entries[at] = kind;
    entries[at + 1] = a;
    entries[at + 2] = b;
  }

  /** Reverts every recorded write, newest first. */
  undo(store: Revertible): void {
    const entries = this.entries;
    for (let at = this.size - 3; at >= 0; at -= 3) store.revert(entries[at] as number, entries[at + 1], entries[at + 2]);
    this.size = 0;
  }
}

/**
 * A journal's array, made with room and holding any value from the start: written in bounds, with
 * no change of its kind of elements at the first write (appending while a new store's journal
 * grew, or its first object stored, deoptimised the first writes of each new store).
 */
function roomForEntries(): unknown[] {
  return new Array<unknown>(KEPT_ROOM).fill(undefined);
}
