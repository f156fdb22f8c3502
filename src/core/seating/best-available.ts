import { TixError, invalidArgument } from "../errors.js";
import { SEAT_FREE, SEAT_HELD, type SeatIndex } from "./free-index.js";
import { findSeat, labelOfSeat, tierOfSeat, type SeatLayout } from "./layout.js";
import { counted, plural } from "../plural.js";

/**
 * Best available, the rule (docs/seating.md): among blocks of N free seats side by side in one row
 * of the tier, the best is the one
 *   1. in the row nearest the stage (its depth in its section: front row 0);
 *   2. then with its middle nearest the middle of its row (aisles count as places);
 *   3. then in the section listed first;
 *   4. then the leftmost.
 * Only rows holding such a block are looked at, found through the index in O(log rows).
 */
export function bestAdjacentSeats(index: SeatIndex, tier: string, quantity: number): number[] | undefined {
  const { layout } = index;
  const ranked = layout.tiers.get(tier)?.rows;
  if (!ranked) return undefined;
  let rank = index.nextRowWithRun(tier, quantity, 0);
  if (rank === -1) return undefined;
  const depth = layout.rowDepth[ranked[rank]!]!;
  let best: { first: number; distance: number } | undefined;
  while (rank !== -1 && layout.rowDepth[ranked[rank]!] === depth) {
    const candidate = bestBlockInRow(index, ranked[rank]!, quantity);
    // Strictly better only: at equal distance the earlier row (earlier section) keeps it.
    if (candidate && (!best || candidate.distance < best.distance)) best = candidate;
    if (best?.distance === 0) break; // centred: no row after it can do strictly better
    rank = index.nextRowWithRun(tier, quantity, rank + 1);
  }
  return best && Array.from({ length: quantity }, (_, offset) => best.first + offset);
}

/** The most central block of `quantity` free neighbours in a row; distance is doubled to stay whole. */
function bestBlockInRow(index: SeatIndex, row: number, quantity: number): { first: number; distance: number } | undefined {
  const { seatPlace, rowWidth } = index.layout;
  const width = rowWidth[row]!;
  // The place where a centred block would start; when two are equally central, the left one.
  const ideal = Math.floor((width - quantity) / 2);
  let best: { first: number; distance: number } | undefined;
  for (const [first, last] of index.freeRuns(row)) {
    if (last - first + 1 < quantity) continue;
    const place = Math.min(Math.max(ideal, seatPlace[first]!), seatPlace[last]! - quantity + 1);
    const distance = Math.abs(2 * place + quantity - width);
    if (!best || distance < best.distance) best = { first: first + place - seatPlace[first]!, distance };
  }
  return best;
}

/**
 * The best split when no block of N is left: as few blocks as possible — each time the largest
 * block still free (or the rest of the order, if smaller), placed by the rule above.
 */
export function bestSplitSeats(index: SeatIndex, tier: string, quantity: number): number[][] | undefined {
  if (index.freeSeats(tier) < quantity) return undefined;
  const blocks: number[][] = [];
  const taken: number[] = [];
  try {
    for (let remaining = quantity; remaining > 0;) {
      const size = Math.min(remaining, index.largestBlock(tier));
      const block = bestAdjacentSeats(index, tier, size)!;
      blocks.push(block);
      // Marked held while choosing, so the next block is chosen among the seats left; put back below.
      index.set(block, SEAT_HELD);
      taken.push(...block);
      remaining -= size;
    }
  } finally {
    index.set(taken, SEAT_FREE);
  }
  return blocks;
}

export interface SeatChoice {
  /** Seat numbers, block by block, left to right in each. */
  seats: number[];
  /** 1: all side by side in one row. */
  blocks: number;
}

export type SeatRequest =
  | { tier: string; quantity: number; allowSplit?: boolean }
  | { seats: readonly string[]; tier?: string | undefined };

/** Which seats a reservation takes: the named ones (all or none), or the best available. */
export function chooseSeats(index: SeatIndex, request: SeatRequest): SeatChoice {
  return "seats" in request ? chooseNamedSeats(index, request.seats, request.tier) : chooseBestSeats(index, request.tier, request.quantity, request.allowSplit ?? false);
}

function chooseBestSeats(index: SeatIndex, tier: string, quantity: number, allowSplit: boolean): SeatChoice {
  const { layout } = index;
  const tierRows = layout.tiers.get(tier);
  if (!tierRows) throw invalidArgument("tier", `the seat map has no seats in tier "${tier}"; its tiers are ${[...layout.tiers.keys()].join(", ")}`);
  if (!Number.isSafeInteger(quantity) || quantity < 1) throw invalidArgument("quantity", `must be a whole number of seats from 1, got ${quantity}`);
  const free = index.freeSeats(tier);
  const what = layout.tiers.size > 1 ? `tier ${tier}` : "the seat map";
  if (free < quantity) throw new TixError("SOLD_OUT", free === 0 ? `${what} is sold out` : `${what} has only ${counted(free, "seat")} left`);
  const block = bestAdjacentSeats(index, tier, quantity);
  if (block) return { seats: block, blocks: 1 };
  if (!allowSplit) {
    const { widest } = tierRows;
    if (quantity > widest) throw invalidArgument("quantity", `no row of ${what} has ${counted(quantity, "seat")} side by side (the most is ${widest}); allow a split to seat the order apart`);
    throw new TixError("SOLD_OUT", `${what} has no ${counted(quantity, "free seat")} side by side left (at most ${index.largestBlock(tier)}); allow a split to seat the order apart`);
  }
  const blocks = bestSplitSeats(index, tier, quantity)!;
  return { seats: blocks.flat(), blocks: blocks.length };
}

function chooseNamedSeats(index: SeatIndex, references: readonly string[], tier: string | undefined): SeatChoice {
  const seats = findNamedSeats(index.layout, references, tier);
  checkSeatsFree(index, seats);
  return { seats, blocks: countBlocks(index.layout, seats) };
}

/**
 * The seats a list of names means, in map order: each must name one seat of the map (of `tier`,
 * when given), once. Whether they are free is another question (checkSeatsFree).
 */
export function findNamedSeats(layout: SeatLayout, references: readonly string[], tier?: string): number[] {
  if (references.length === 0) throw invalidArgument("seats", "name at least one seat");
  const seats: number[] = [];
  for (const reference of references) {
    const found = findSeat(layout, reference, tier);
    if ("reason" in found) throw invalidArgument("seats", found.reason);
    if (seats.includes(found.seat)) throw invalidArgument("seats", `${labelOfSeat(layout, found.seat)} is named twice`);
    const seatTier = tierOfSeat(layout, found.seat);
    if (tier !== undefined && seatTier !== tier) throw invalidArgument("seats", `${labelOfSeat(layout, found.seat)} is in tier ${seatTier}, not ${tier}`);
    seats.push(found.seat);
  }
  return seats.sort((a, b) => a - b);
}

/** All or none: SEAT_TAKEN naming the seats already held or sold. */
export function checkSeatsFree(index: SeatIndex, seats: readonly number[]): void {
  const taken = seats.filter((seat) => index.state(seat) !== SEAT_FREE);
  if (taken.length > 0) throw seatsTaken(index.layout, taken);
}

function seatsTaken(layout: SeatLayout, taken: readonly number[]): TixError {
  const names = taken.slice(0, 5).map((seat) => labelOfSeat(layout, seat)).join(", ");
  const more = taken.length > 5 ? ` and ${taken.length - 5} more` : "";
  return new TixError("SEAT_TAKEN", `${plural(taken.length, "seat")} ${names}${more} ${plural(taken.length, "is", "are")} already taken; nothing was reserved`);
}

/** How many runs of neighbours sorted seats make. */
export function countBlocks(layout: SeatLayout, sortedSeats: readonly number[]): number {
  let blocks = 0;
  sortedSeats.forEach((seat, position) => {
    const previous = sortedSeats[position - 1];
    const adjacent = previous !== undefined && previous === seat - 1 && layout.seatRow[previous] === layout.seatRow[seat]
      && layout.seatPlace[seat] === layout.seatPlace[previous]! + 1;
    if (!adjacent) blocks++;
  });
  return blocks;
}
