import { invalidArgument, type TixError } from "../errors.js";
import { parseTierName } from "../tier-name.js";

/**
 * A venue's seats. Sections are listed best first, rows front (nearest the stage) first, places
 * left to right as a spectator facing the stage sees them. Seats side by side in a row, with no
 * empty place between them, are adjacent.
 */
export interface SeatMap {
  sections: SeatSection[];
}

export interface SeatSection {
  name: string;
  /** The tier (price) every seat of the section is sold in. */
  tier: string;
  rows: SeatRow[];
}

export interface SeatRow {
  /** `A` … `ZZZ` or `1` … `9999`, upper case. */
  label: string;
  /** Empty rows before this one (a cross-aisle); 0 for a section's first row. */
  gapBefore: number;
  /** Seat numbers; `null` is an empty place (an aisle, a pillar). Never first or last. */
  places: Array<number | null>;
}

export const MAX_SEATS = 200_000;
export const MAX_SECTIONS = 1_000;
export const MAX_ROW_PLACES = 1_000;
export const MAX_ROWS_PER_SECTION = 2_000;
/** The widest aisle, in places or rows. */
export const MAX_GAP = 9;

export function seatCount(map: SeatMap): number {
  let count = 0;
  for (const section of map.sections) for (const row of section.rows) for (const place of row.places) if (place !== null) count++;
  return count;
}

/** Seats per tier, in the order tiers first appear: the capacities a seated event's tiers get. */
export function tierCapacities(map: SeatMap): Map<string, number> {
  const capacities = new Map<string, number>();
  for (const section of map.sections) {
    const seats = seatCount({ sections: [section] });
    capacities.set(section.tier, (capacities.get(section.tier) ?? 0) + seats);
  }
  return capacities;
}

/** A section name: 1 to 40 printable characters without `:`, `@`, `,` or `|` (they separate a spec's parts). */
export function parseSectionName(text: string): string | undefined {
  const name = text.trim();
  return /^[^\p{C}:@,|]{1,40}$/u.test(name) ? name : undefined;
}

/** Checks each piece as it is added, so an error can say where it is (`line 4`, `sections[2].rows[0]`). */
export class SeatMapBuilder {
  private readonly sections: SeatSection[] = [];
  private readonly byName = new Map<string, { section: SeatSection; labels: Set<string> }>();
  private seats = 0;

  /** `field` names the input in errors: `seats`, `seat-map`. */
  constructor(private readonly field: string) {}

  error(where: string, message: string): TixError {
    return invalidArgument(this.field, where === "" ? message : `${where}: ${message}`);
  }

  /** Appends a row to a section, creating the section on first use. */
  addRow(sectionText: string, tierText: string | undefined, row: SeatRow, where: string): void {
    const name = parseSectionName(sectionText);
    if (name === undefined) throw this.error(where, `section "${sectionText}" must be 1 to 40 printable characters without : @ , |`);
    let tier: string;
    try {
      tier = parseTierName(tierText ?? name);
    } catch (error) {
      throw this.error(where, (error as Error).message);
    }
    let entry = this.byName.get(name.toLowerCase());
    if (!entry) {
      if (this.sections.length === MAX_SECTIONS) throw this.error(where, `a map has at most ${MAX_SECTIONS} sections`);
      entry = { section: { name, tier, rows: [] }, labels: new Set() };
      this.byName.set(name.toLowerCase(), entry);
      this.sections.push(entry.section);
    } else if (entry.section.tier !== tier) {
      throw this.error(where, `section ${entry.section.name} is in tier ${entry.section.tier}; a section belongs to one tier`);
    } else if (entry.section.name !== name) {
      throw this.error(where, `section "${name}" is written "${entry.section.name}" elsewhere`);
    }
    this.checkRow(entry.section, row, where);
    if (entry.labels.has(row.label)) throw this.error(where, `row ${row.label} of section ${name} is given twice`);
    entry.labels.add(row.label);
    entry.section.rows.push(row);
  }

  private checkRow(section: SeatSection, row: SeatRow, where: string): void {
    const { places } = row;
    if (section.rows.length === 0 && row.gapBefore > 0) throw this.error(where, `section ${section.name} cannot begin with an aisle`);
    if (row.gapBefore > MAX_GAP) throw this.error(where, `an aisle is at most ${MAX_GAP} rows wide`);
    if (section.rows.length === MAX_ROWS_PER_SECTION) throw this.error(where, `a section has at most ${MAX_ROWS_PER_SECTION} rows`);
    if (places.length > MAX_ROW_PLACES) throw this.error(where, `a row has at most ${MAX_ROW_PLACES} places`);
    if (places[0] === null || places.at(-1) === null) throw this.error(where, "a row cannot begin or end with an aisle");
    const numbers = new Set<number>();
    let gap = 0;
    for (const place of places) {
      if (place === null) {
        if (++gap > MAX_GAP) throw this.error(where, `an aisle is at most ${MAX_GAP} places wide`);
        continue;
      }
      gap = 0;
      if (numbers.has(place)) throw this.error(where, `seat ${place} of row ${row.label} is given twice`);
      numbers.add(place);
    }
    if (numbers.size === 0) throw this.error(where, `row ${row.label} has no seats`);
    this.seats += numbers.size;
    if (this.seats > MAX_SEATS) throw this.error(where, `a map has at most ${MAX_SEATS} seats`);
  }

  build(): SeatMap {
    if (this.sections.length === 0) throw this.error("", "the map has no seats");
    return { sections: this.sections };
  }
}
