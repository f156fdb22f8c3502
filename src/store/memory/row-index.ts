import { unboxedColumn } from "./chunked-column.js";

/** Where a table of rows keeps each row's id (a ChunkedColumn): read by a method every store shares. */
export interface IdColumn {
  get(row: number): string;
}

/** A slot holds its row + 1: a new table is all empty as made (no fill). */
const EMPTY = 0;
const FIRST_SIZE = 64;
/** The hash of a row not in the table (never added, or removed): no id hashes to it. */
const NOT_IN_TABLE = 0;

/**
 * Ids to row numbers (tickets', users'): an open-addressing hash table (linear probing) of row
 * numbers in a typed array, whose keys are the ids the table of rows keeps (`ids.get(row)`), with each row's
 * hash kept beside (a probe or a resize reads no string but the one it finds). The collector never
 * scans it, and a ticket costs it ~12 bytes where a Map entry costs ~30 and pointers the collector
 * follows. At most half full: a lookup probes ~1.5 slots. The hashes grow by chunks (never copied).
 */
export class RowIndex {
  private slots = new Int32Array(FIRST_SIZE);
  /** Each row's hash, by row number (NOT_IN_TABLE for a row not in it). */
  private readonly hashes = unboxedColumn("int32");
  private count = 0;
  /** The id the last lookup did not find, and its hash: adding it next needs no second hashing. */
  private missedId: string | undefined;
  private missedHash = 0;

  /** The ids' column itself, not a function reading it: a function per table was a call target per store (a deoptimisation at each new store). */
  constructor(private readonly ids: IdColumn) {}

  /** How many ids the table holds. */
  get size(): number {
    return this.count;
  }

  get(id: string): number | undefined {
    const { slots, hashes } = this;
    const hash = hashOf(id);
    const mask = slots.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const slot = slots[at]!;
      if (slot === EMPTY) {
        this.missedId = id;
        this.missedHash = hash;
        return undefined;
      }
      if (hashes.get(slot - 1) === hash && this.ids.get(slot - 1) === id) return slot - 1;
    }
  }

  /** Adds `id` (not in the table) at `row`. */
  add(id: string, row: number): void {
    if (2 * (this.count + 1) > this.slots.length) this.growSlots();
    const hash = id === this.missedId ? this.missedHash : hashOf(id);
    this.missedId = undefined;
    this.hashes.put(row, hash, 0);
    this.place(hash, row + 1);
    this.count++;
  }

  /** Removes `id` (in the table); the slots after it move back so that no probe stops short. */
  delete(id: string): void {
    const { slots, hashes } = this;
    const mask = slots.length - 1;
    const slot = this.get(id)! + 1;
    let hole = hashes.get(slot - 1) & mask;
    while (slots[hole] !== slot) hole = (hole + 1) & mask;
    slots[hole] = EMPTY;
    hashes.set(slot - 1, NOT_IN_TABLE);
    this.count--;
    for (let at = (hole + 1) & mask; slots[at] !== EMPTY; at = (at + 1) & mask) {
      const moving = slots[at]!;
      const home = hashes.get(moving - 1) & mask;
      // Moved back when its home is not in (hole, at]: a probe from there passes the hole.
      if (hole < at ? home <= hole || home > at : home <= hole && home > at) {
        slots[hole] = moving;
        slots[at] = EMPTY;
        hole = at;
      }
    }
  }

  private place(hash: number, slot: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let at = hash & mask;
    while (slots[at] !== EMPTY) at = (at + 1) & mask;
    slots[at] = slot;
  }

  private growSlots(): void {
    this.slots = new Int32Array(2 * this.slots.length);
    // By row, not by old slot: the hashes are read in order, where each old slot's was a read at random.
    const hashes = this.hashes;
    for (let row = 0; row < hashes.length; row++) {
      const hash = hashes.get(row);
      if (hash !== NOT_IN_TABLE) this.place(hash, row + 1);
    }
  }
}

/** FNV-1a over the id's characters (an int32), never NOT_IN_TABLE. */
function hashOf(id: string): number {
  let hash = 0x811c9dc5 | 0;
  for (let at = 0; at < id.length; at++) hash = Math.imul(hash ^ id.charCodeAt(at), 0x01000193);
  return hash === NOT_IN_TABLE ? 1 : hash;
}
