import { parseSeatReference, rowSeatLabel, seatLabel } from "./labels.js";
import type { SeatMap } from "./map.js";

/** A tier's rows in best-available order: front rows first, then (at one depth) earlier sections. */
export interface TierRows {
  rows: Int32Array;
  seats: number;
  /** The most seats side by side in any of its rows, all free: the largest order it can seat together. */
  widest: number;
}

/**
 * A map compiled to flat arrays, built once per map. Seats are numbered 0 … seatCount-1 in map
 * order (section, row, left to right), rows 0 … rowCount-1 likewise; both numberings are stable
 * for a map, so a seat's number is what a seat-state array is indexed by.
 */
export interface SeatLayout {
  readonly map: SeatMap;
  readonly seatCount: number;
  readonly rowCount: number;
  readonly rowSection: Int32Array;
  /** 0 for a section's front row. */
  readonly rowDepth: Int32Array;
  /** Row r's seats are firstSeat[r] … firstSeat[r+1]-1 (length rowCount+1). */
  readonly firstSeat: Int32Array;
  /** Places in the row, aisles included. */
  readonly rowWidth: Int32Array;
  readonly seatRow: Int32Array;
  /** The seat's place in its row, 0 for the leftmost; neighbours' places differ by 1. */
  readonly seatPlace: Int32Array;
  readonly tiers: ReadonlyMap<string, TierRows>;
  /** Per section (by index): row label → row number. */
  readonly rowByLabel: ReadonlyArray<ReadonlyMap<string, number>>;
}

export function compileSeatMap(map: SeatMap): SeatLayout {
  let rowCount = 0;
  let seatCount = 0;
  for (const section of map.sections) {
    rowCount += section.rows.length;
    for (const row of section.rows) for (const place of row.places) if (place !== null) seatCount++;
  }
  const rowSection = new Int32Array(rowCount);
  const rowDepth = new Int32Array(rowCount);
  const firstSeat = new Int32Array(rowCount + 1);
  const rowWidth = new Int32Array(rowCount);
  const seatRow = new Int32Array(seatCount);
  const seatPlace = new Int32Array(seatCount);
  const rowByLabel: Array<Map<string, number>> = [];
  let row = 0;
  let seat = 0;
  map.sections.forEach((section, sectionIndex) => {
    const labels = new Map<string, number>();
    rowByLabel.push(labels);
    section.rows.forEach((seatRowDef, depth) => {
      labels.set(seatRowDef.label, row);
      rowSection[row] = sectionIndex;
      rowDepth[row] = depth;
      firstSeat[row] = seat;
      rowWidth[row] = seatRowDef.places.length;
      seatRowDef.places.forEach((place, placeIndex) => {
        if (place === null) return;
        seatRow[seat] = row;
        seatPlace[seat] = placeIndex;
        seat++;
      });
      row++;
    });
  });
  firstSeat[rowCount] = seat;
  return { map, seatCount, rowCount, rowSection, rowDepth, firstSeat, rowWidth, seatRow, seatPlace, tiers: rankTiers(map, rowDepth, firstSeat, seatPlace), rowByLabel };
}

function rankTiers(map: SeatMap, rowDepth: Int32Array, firstSeat: Int32Array, seatPlace: Int32Array): Map<string, TierRows> {
  const byTier = new Map<string, number[]>();
  let row = 0;
  for (const section of map.sections) {
    const rows = byTier.get(section.tier) ?? [];
    byTier.set(section.tier, rows);
    for (let depth = 0; depth < section.rows.length; depth++) rows.push(row++);
  }
  const tiers = new Map<string, TierRows>();
  for (const [tier, rows] of byTier) {
    // Rows were pushed in section order, and the sort is stable: equal depths keep it.
    rows.sort((a, b) => rowDepth[a]! - rowDepth[b]!);
    let seats = 0;
    let widest = 0;
    for (const row of rows) {
      for (let seat = firstSeat[row]!, run = 0; seat < firstSeat[row + 1]!; seat++) {
        run = seat > firstSeat[row]! && seatPlace[seat] === seatPlace[seat - 1]! + 1 ? run + 1 : 1;
        widest = Math.max(widest, run);
      }
      seats += firstSeat[row + 1]! - firstSeat[row]!;
    }
    tiers.set(tier, { rows: Int32Array.from(rows), seats, widest });
  }
  return tiers;
}

/** The seat's section, row label and number. */
export function describeSeat(layout: SeatLayout, seat: number): { section: string; tier: string; row: string; number: number } {
  const row = layout.seatRow[seat]!;
  const section = layout.map.sections[layout.rowSection[row]!]!;
  const rowDef = section.rows[layout.rowDepth[row]!]!;
  return { section: section.name, tier: section.tier, row: rowDef.label, number: rowDef.places[layout.seatPlace[seat]!]! };
}

export function tierOfSeat(layout: SeatLayout, seat: number): string {
  return layout.map.sections[layout.rowSection[layout.seatRow[seat]!]!]!.tier;
}

/** `Floor:A12`. */
export function labelOfSeat(layout: SeatLayout, seat: number): string {
  const { section, row, number } = describeSeat(layout, seat);
  return seatLabel(section, row, number);
}

/**
 * The seat a reference names (`A12`, `Floor:A12`, `12-5`), or why none: without a section, the
 * row and number must name one seat in the whole map — or, with a tier asked for, one seat of
 * that tier (`A12` with `--tier Stalls` when Stalls and Circle both have an A12).
 */
export function findSeat(layout: SeatLayout, text: string, tier?: string): { seat: number } | { reason: string } {
  const reference = parseSeatReference(text);
  if (!reference) return { reason: `"${text}" is not a seat like A12, or Floor:A12 (a numbered row needs a dash: 12-5)` };
  const sections = layout.map.sections
    .map((section, index) => ({ section, index }))
    .filter(({ section }) => reference.section === undefined || section.name.toLowerCase() === reference.section.toLowerCase());
  if (sections.length === 0) return { reason: `the map has no section "${reference.section}"` };
  const found: number[] = [];
  for (const { index } of sections) {
    const row = layout.rowByLabel[index]!.get(reference.row);
    if (row === undefined) continue;
    const places = layout.map.sections[index]!.rows[layout.rowDepth[row]!]!.places;
    const place = places.indexOf(reference.number);
    if (place === -1) continue;
    let seat = layout.firstSeat[row]!;
    while (layout.seatPlace[seat] !== place) seat++;
    found.push(seat);
  }
  const short = rowSeatLabel(reference.row, reference.number);
  if (found.length === 0) return { reason: `the map has no seat ${reference.section === undefined ? short : `${reference.section}:${short}`}` };
  if (found.length > 1 && tier !== undefined) {
    const ofTier = found.filter((seat) => tierOfSeat(layout, seat).toLowerCase() === tier.toLowerCase());
    if (ofTier.length === 1) return { seat: ofTier[0]! };
  }
  if (found.length > 1) return { reason: `${short} is in sections ${found.map((seat) => describeSeat(layout, seat).section).join(", ")}; name one, e.g. ${labelOfSeat(layout, found[0]!)}` };
  return { seat: found[0]! };
}
