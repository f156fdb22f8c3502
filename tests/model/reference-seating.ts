/**
 * Seats in the reference model, written from docs/seating.md alone (nothing from src/): small
 * venues as the model builds them, seat names, and best available by brute force — every block
 * of free seats side by side, ranked by the documented rule.
 */

/** A section as a model step gives it: `rows` rows (A, B, …) of seats 1…`seats`, an aisle after `aisleAfter`. */
export interface VenueSection {
  name: string;
  tier: string;
  rows: number;
  seats: number;
  aisleAfter?: number | undefined;
}

export interface ModelSeat {
  /** `Stalls:A3`: unique in the map. */
  label: string;
  section: number;
  sectionName: string;
  tier: string;
  row: string;
  /** Front row 0. */
  depth: number;
  number: number;
  /** Place in its row, aisles counted; neighbours differ by one. */
  place: number;
  /** Places in the row, aisles counted. */
  width: number;
}

export interface ModelVenue {
  sections: VenueSection[];
  /** Every seat in map order: section, row, left to right. */
  seats: ModelSeat[];
}

/** The compact spec of a section, as `--seats` takes it: `Stalls@Gold:A-B:1-3|4-5`. */
export function specOf(section: VenueSection): string {
  const head = section.tier === section.name ? section.name : `${section.name}@${section.tier}`;
  const rows = section.rows === 1 ? "A" : `A-${String.fromCharCode(64 + section.rows)}`;
  const { seats, aisleAfter } = section;
  const places = aisleAfter === undefined || aisleAfter >= seats ? `1-${seats}` : `1-${aisleAfter}|${aisleAfter + 1}-${seats}`;
  return `${head}:${rows}:${places}`;
}

export function buildVenue(sections: readonly VenueSection[]): ModelVenue {
  const seats: ModelSeat[] = [];
  sections.forEach((section, index) => {
    const aisle = section.aisleAfter !== undefined && section.aisleAfter < section.seats;
    const width = section.seats + (aisle ? 1 : 0);
    for (let depth = 0; depth < section.rows; depth++) {
      const row = String.fromCharCode(65 + depth);
      for (let number = 1; number <= section.seats; number++) {
        const place = number - 1 + (aisle && number > section.aisleAfter! ? 1 : 0);
        seats.push({ label: `${section.name}:${row}${number}`, section: index, sectionName: section.name, tier: section.tier, row, depth, number, place, width });
      }
    }
  });
  return { sections: [...sections], seats };
}

/** Seats per tier, in the order tiers first appear: the event's tiers. */
export function venueTiers(venue: ModelVenue): Array<{ name: string; capacity: number }> {
  const tiers: Array<{ name: string; capacity: number }> = [];
  for (const seat of venue.seats) {
    const tier = tiers.find((candidate) => candidate.name === seat.tier);
    if (tier) tier.capacity++;
    else tiers.push({ name: seat.tier, capacity: 1 });
  }
  return tiers;
}

/**
 * The seat a name means (`A3`, `stalls:a3`), or undefined: unknown, or (without a section) in several
 * sections — unless, with a tier asked for, only one of them is in that tier (docs/seating.md).
 */
export function resolveSeat(venue: ModelVenue, name: string, tier?: string): ModelSeat | undefined {
  const match = /^\s*(?:([^:]+):)?([A-Za-z]{1,3})(\d{1,4})\s*$/.exec(name);
  if (!match) return undefined;
  const [, section, row, number] = match;
  const found = venue.seats.filter((seat) =>
    (section === undefined || seat.sectionName.toLowerCase() === section.trim().toLowerCase()) &&
    seat.row === row!.toUpperCase() && seat.number === Number(number));
  if (found.length > 1 && tier !== undefined) {
    const ofTier = found.filter((seat) => seat.tier.toLowerCase() === tier.toLowerCase());
    if (ofTier.length === 1) return ofTier[0];
  }
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Best available, the rule of docs/seating.md, by brute force: among all runs of `quantity` free
 * seats side by side in one row of the tier, the one (1) nearest the stage, (2) with its middle
 * nearest the row's, |2·first + N − width|, (3) in the section listed first, (4) leftmost.
 */
export function bestBlock(venue: ModelVenue, taken: ReadonlySet<string>, tier: string, quantity: number): ModelSeat[] | undefined {
  let best: { block: ModelSeat[]; key: number[] } | undefined;
  for (const block of blocksOf(venue, taken, tier, quantity)) {
    const first = block[0]!;
    const key = [first.depth, Math.abs(2 * first.place + quantity - first.width), first.section, first.place];
    if (!best || compare(key, best.key) < 0) best = { block, key };
  }
  return best?.block;
}

/**
 * The split, when no `quantity` side by side are left: each time the largest block still free (or
 * the rest of the order, if smaller), placed by the rule. Block by block, each left to right.
 */
export function bestSplit(venue: ModelVenue, taken: ReadonlySet<string>, tier: string, quantity: number): ModelSeat[][] {
  const held = new Set(taken);
  const blocks: ModelSeat[][] = [];
  for (let remaining = quantity; remaining > 0;) {
    const size = Math.min(remaining, largestRun(venue, held, tier));
    const block = bestBlock(venue, held, tier, size)!;
    for (const seat of block) held.add(seat.label);
    blocks.push(block);
    remaining -= size;
  }
  return blocks;
}

/** The most free seats side by side in any row of the tier; with nothing taken, the tier's widest row run. */
export function largestRun(venue: ModelVenue, taken: ReadonlySet<string>, tier: string): number {
  let largest = 0;
  for (let size = 1; blocksOf(venue, taken, tier, size).length > 0; size++) largest = size;
  return largest;
}

/** How many runs of neighbours seats (in map order) make. */
export function countBlocks(seats: readonly ModelSeat[]): number {
  let blocks = 0;
  seats.forEach((seat, index) => {
    const previous = seats[index - 1];
    const adjacent = previous && previous.section === seat.section && previous.row === seat.row && seat.place === previous.place + 1;
    if (!adjacent) blocks++;
  });
  return blocks;
}

function blocksOf(venue: ModelVenue, taken: ReadonlySet<string>, tier: string, quantity: number): ModelSeat[][] {
  const blocks: ModelSeat[][] = [];
  venue.seats.forEach((seat, index) => {
    if (seat.tier !== tier) return;
    const block = venue.seats.slice(index, index + quantity);
    const sideBySide = block.length === quantity && block.every((next, offset) =>
      !taken.has(next.label) && next.section === seat.section && next.row === seat.row && next.place === seat.place + offset);
    if (sideBySide) blocks.push(block);
  });
  return blocks;
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return 0;
}
