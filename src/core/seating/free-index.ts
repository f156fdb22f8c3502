import { TixError } from "../errors.js";
import type { SeatLayout } from "./layout.js";
import { MaxTree } from "./max-tree.js";
import { counted } from "../plural.js";

export const SEAT_FREE = 0;
export const SEAT_HELD = 1;
export const SEAT_SOLD = 2;
export type SeatState = typeof SEAT_FREE | typeof SEAT_HELD | typeof SEAT_SOLD;

/**
 * Which seats of an event are free, indexed for best-available:
 * - `states`: one byte a seat (free, held, sold), by seat number;
 * - per row, the longest run of free seats side by side;
 * - per tier, a max-tree over those runs with the tier's rows in best-available order, so "the
 *   first row with a run of at least N" costs O(log rows), whatever is sold.
 * Changing k seats costs O(k · (row length + log rows)). Stored as `packSeatStates` (2 bits a
 * seat); opening rebuilds the rest in O(seats).
 */
export class SeatIndex {
  private readonly longest: Int32Array;
  private readonly trees = new Map<string, MaxTree>();
  /** Per row: its tier's tree and its place in that tree. */
  private readonly rowTree: MaxTree[];
  /** Fixed by the layout: shared between copies. */
  private readonly rowRank: Int32Array;
  private readonly freeByTier: Map<string, number> = new Map();

  private constructor(readonly layout: SeatLayout, private readonly states: Uint8Array, from?: SeatIndex) {
    const { rowCount } = layout;
    if (from) {
      // A copy: the same runs and trees, copied rather than measured again (a memory copy).
      this.longest = from.longest.slice();
      const copies = new Map<MaxTree, MaxTree>();
      for (const [tier, tree] of from.trees) {
        const copy = tree.clone();
        copies.set(tree, copy);
        this.trees.set(tier, copy);
      }
      this.rowTree = from.rowTree.map((tree) => copies.get(tree)!);
      this.rowRank = from.rowRank;
      this.freeByTier = new Map(from.freeByTier);
      return;
    }
    this.longest = new Int32Array(rowCount);
    const freeInRow = new Int32Array(rowCount);
    for (let row = 0; row < rowCount; row++) {
      const { longest, free } = this.scanRow(row);
      this.longest[row] = longest;
      freeInRow[row] = free;
    }
    this.rowTree = new Array<MaxTree>(rowCount);
    this.rowRank = new Int32Array(rowCount);
    for (const [tier, { rows }] of layout.tiers) {
      const tree = new MaxTree(rows.length, (rank) => this.longest[rows[rank]!]!);
      this.trees.set(tier, tree);
      let free = 0;
      for (let rank = 0; rank < rows.length; rank++) {
        const row = rows[rank]!;
        this.rowTree[row] = tree;
        this.rowRank[row] = rank;
        free += freeInRow[row]!;
      }
      this.freeByTier.set(tier, free);
    }
  }

  /** Every seat free, or the given states (copied). */
  static open(layout: SeatLayout, states?: Uint8Array): SeatIndex {
    if (states && states.length !== layout.seatCount) {
      throw new TixError("INTERNAL", `seat states for ${counted(states.length, "seat")} do not fit a map of ${layout.seatCount}`);
    }
    return new SeatIndex(layout, states ? states.slice() : new Uint8Array(layout.seatCount));
  }

  /**
   * An independent copy to change: decisions never change the index they are given (stores keep
   * it between operations), so one that takes or frees seats works on a copy. O(seats), a memory copy.
   */
  clone(): SeatIndex {
    return new SeatIndex(this.layout, this.states.slice(), this);
  }

  state(seat: number): SeatState {
    return this.states[seat] as SeatState;
  }

  /** A copy of every seat's state. */
  snapshot(): Uint8Array {
    return this.states.slice();
  }

  freeSeats(tier: string): number {
    return this.freeByTier.get(tier) ?? 0;
  }

  /** The most seats side by side still free anywhere in the tier. */
  largestBlock(tier: string): number {
    return this.trees.get(tier)?.max() ?? 0;
  }

  longestRun(row: number): number {
    return this.longest[row]!;
  }

  /** The rank (in the tier's best-available order) of the first row from `fromRank` with `quantity` free seats side by side, or -1. */
  nextRowWithRun(tier: string, quantity: number, fromRank: number): number {
    return this.trees.get(tier)?.firstAtLeast(quantity, fromRank) ?? -1;
  }

  set(seats: readonly number[], state: SeatState): void {
    const rows = new Set<number>();
    for (const seat of seats) {
      const previous = this.states[seat] as SeatState | undefined;
      if (previous === undefined) throw new TixError("INTERNAL", `no seat number ${seat} in a map of ${this.layout.seatCount}`);
      if (previous === state) continue;
      const row = this.layout.seatRow[seat]!;
      const tier = this.layout.map.sections[this.layout.rowSection[row]!]!.tier;
      const delta = (state === SEAT_FREE ? 1 : 0) - (previous === SEAT_FREE ? 1 : 0);
      this.freeByTier.set(tier, this.freeByTier.get(tier)! + delta);
      this.states[seat] = state;
      rows.add(row);
    }
    for (const row of rows) {
      this.longest[row] = this.scanRow(row).longest;
      this.rowTree[row]!.set(this.rowRank[row]!, this.longest[row]!);
    }
  }

  /** The free runs of a row, left to right: [first seat, last seat] of each. */
  *freeRuns(row: number): Generator<[first: number, last: number]> {
    const { firstSeat, seatPlace } = this.layout;
    const end = firstSeat[row + 1]!;
    let start = -1;
    for (let seat = firstSeat[row]!; seat <= end; seat++) {
      const free = seat < end && this.states[seat] === SEAT_FREE;
      const continues = free && start !== -1 && seatPlace[seat] === seatPlace[seat - 1]! + 1;
      if (start !== -1 && !continues) {
        yield [start, seat - 1];
        start = -1;
      }
      if (free && start === -1) start = seat;
    }
  }

  /** The row's longest run of free neighbours, and its free seats. */
  private scanRow(row: number): { longest: number; free: number } {
    const { firstSeat, seatPlace } = this.layout;
    let longest = 0;
    let free = 0;
    let run = 0;
    for (let seat = firstSeat[row]!, end = firstSeat[row + 1]!; seat < end; seat++) {
      if (this.states[seat] !== SEAT_FREE) {
        run = 0;
        continue;
      }
      free++;
      run = run > 0 && seatPlace[seat] === seatPlace[seat - 1]! + 1 ? run + 1 : 1;
      if (run > longest) longest = run;
    }
    return { longest, free };
  }
}

/** The stored form of seat states: 2 bits a seat, 4 seats a byte, seat 0 in the low bits of byte 0. */
export function packSeatStates(states: Uint8Array): Uint8Array {
  const packed = new Uint8Array(Math.ceil(states.length / 4));
  for (let seat = 0; seat < states.length; seat++) packed[seat >> 2]! |= states[seat]! << ((seat & 3) * 2);
  return packed;
}

export function unpackSeatStates(packed: Uint8Array, seatCount: number): Uint8Array {
  if (packed.length !== Math.ceil(seatCount / 4)) {
    throw new TixError("INTERNAL", `stored seat states hold ${counted(packed.length, "byte")}; a map of ${counted(seatCount, "seat")} needs ${Math.ceil(seatCount / 4)}`);
  }
  const states = new Uint8Array(packed.length * 4);
  for (let byte = 0; byte < packed.length; byte++) {
    const bits = packed[byte]!;
    // Both bits of a pair set is state 3, which is none of free, held or sold.
    if ((bits & (bits >> 1) & 0x55) !== 0) throw corruptState(byte, bits);
    states[4 * byte] = bits & 3;
    states[4 * byte + 1] = (bits >> 2) & 3;
    states[4 * byte + 2] = (bits >> 4) & 3;
    states[4 * byte + 3] = bits >> 6;
  }
  if (states.subarray(seatCount).some((state) => state !== SEAT_FREE)) throw new TixError("INTERNAL", `stored seat states mark seats past the map's ${seatCount}`);
  return states.slice(0, seatCount);
}

function corruptState(byte: number, bits: number): TixError {
  let pair = 0;
  while (((bits >> (2 * pair)) & 3) !== 3) pair++;
  return new TixError("INTERNAL", `stored seat state 3 of seat ${4 * byte + pair} is not free, held or sold`);
}
