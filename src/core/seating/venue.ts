import { repeatedName } from "../json-names.js";
import { normaliseRowLabel, parseSeatNumber } from "./labels.js";
import { MAX_ROW_PLACES, SeatMapBuilder, type SeatMap } from "./map.js";
import { parsePlaces, parseRowList } from "./spec.js";

/**
 * A venue file's content, already read (reading files is the caller's job). Two formats:
 *
 * JSON — sections best first; `rows` and `seats` in the compact spec's notation (see spec.ts):
 *   {"sections": [
 *     {"name": "Stalls", "tier": "Standard", "rows": "A-H,J-P", "seats": "1-12|13-24"},
 *     {"name": "Circle", "rows": [{"rows": "A", "seats": "1-20"}, {"rows": "B-C", "seats": "1-22"}]}
 *   ]}
 *
 * CSV — one seat a line under a header naming at least `section,row,seat` (any order, any case);
 * optional `tier` (default: the section's name) and `position` (the seat's place in its row, 1 for
 * the first; a skipped position is an aisle; without it a row's seats stand side by side in number
 * order). Sections and rows come in the order they first appear; other columns are ignored.
 */
export function parseVenueJson(text: string, field = "seatMap"): SeatMap {
  const builder = new SeatMapBuilder(field);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw builder.error("", `is not valid JSON: ${(error as Error).message}`);
  }
  // JSON.parse keeps the last of two in silence: a section's "seats" given twice would lose seats unsaid.
  const repeated = repeatedName(text);
  if (repeated !== undefined) throw builder.error(repeated, "is given twice; keep one");
  const root = objectWith(data, ["sections", "name"], "", builder);
  if (!Array.isArray(root.sections)) throw builder.error("", 'must be {"sections": [...]}');
  root.sections.forEach((value: unknown, sectionIndex) => {
    const where = `sections[${sectionIndex}]`;
    const section = objectWith(value, ["name", "tier", "rows", "seats"], where, builder);
    const name = stringAt(section.name, `${where}.name`, builder);
    const tier = section.tier === undefined ? undefined : stringAt(section.tier, `${where}.tier`, builder);
    const groups: Array<{ rows: unknown; seats: unknown; where: string }> = [];
    if (Array.isArray(section.rows)) {
      if (section.seats !== undefined) throw builder.error(where, 'give "seats" in each of its "rows", not beside them');
      section.rows.forEach((group: unknown, index) => {
        const at = `${where}.rows[${index}]`;
        const entry = objectWith(group, ["rows", "seats"], at, builder);
        groups.push({ rows: entry.rows, seats: entry.seats, where: at });
      });
    } else {
      groups.push({ rows: section.rows, seats: section.seats, where });
    }
    for (const group of groups) {
      const rows = parseRowList(stringAt(group.rows, `${group.where}.rows`, builder));
      if ("reason" in rows) throw builder.error(`${group.where}.rows`, rows.reason);
      const places = parsePlaces(stringAt(group.seats, `${group.where}.seats`, builder));
      if ("reason" in places) throw builder.error(`${group.where}.seats`, places.reason);
      for (const row of rows.rows) builder.addRow(name, tier, { ...row, places: [...places.places] }, group.where);
    }
  });
  return builder.build();
}

function objectWith(value: unknown, keys: readonly string[], where: string, builder: SeatMapBuilder): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw builder.error(where, "must be a JSON object");
  const unknown = Object.keys(value).find((key) => !keys.includes(key));
  if (unknown !== undefined) throw builder.error(where, `has an unknown key "${unknown}" (known: ${keys.join(", ")})`);
  return value as Record<string, unknown>;
}

function stringAt(value: unknown, where: string, builder: SeatMapBuilder): string {
  if (typeof value !== "string") throw builder.error(where, value === undefined ? "is missing" : "must be a string");
  return value;
}

interface CsvSeat {
  number: number;
  position: number | undefined;
  line: number;
}

/** CSV records as a CSV reader gives them, the header first; blank lines may stay (they keep line numbers right). */
export function parseVenueCsv(records: readonly (readonly string[])[], field = "seatMap"): SeatMap {
  const builder = new SeatMapBuilder(field);
  const header = records[0]?.map((name) => name.trim().toLowerCase().replace(/^\ufeff/, "")) ?? [];
  const column = (name: string) => header.indexOf(name);
  const missing = ["section", "row", "seat"].filter((name) => column(name) === -1);
  if (missing.length > 0) throw builder.error("line 1", `the header must name the columns section, row and seat (missing: ${missing.join(", ")})`);
  const [sectionAt, rowAt, seatAt, tierAt, positionAt] = ["section", "row", "seat", "tier", "position"].map(column) as number[] as [number, number, number, number, number];
  const rows = new Map<string, { section: string; tier: string | undefined; label: string; seats: CsvSeat[] }>();
  const tiers = new Map<string, string | undefined>();
  records.forEach((record, index) => {
    if (index === 0 || record.every((cell) => cell.trim() === "")) return;
    const line = index + 1;
    const where = `line ${line}`;
    const cell = (at: number) => (at === -1 ? undefined : record[at]?.trim() ?? "");
    const section = cell(sectionAt)!;
    const label = normaliseRowLabel(cell(rowAt)!);
    if (label === undefined) throw builder.error(where, `row "${cell(rowAt)}" must be 1 to 3 letters or a number from 1 to 9999`);
    const number = parseSeatNumber(cell(seatAt)!);
    if (number === undefined) throw builder.error(where, `seat "${cell(seatAt)}" must be a number from 1 to 9999`);
    let position: number | undefined;
    // A blank cell is a position not given, as a file without the column gives none.
    if (positionAt !== -1 && cell(positionAt) !== "") {
      position = parseSeatNumber(cell(positionAt)!);
      if (position === undefined || position > MAX_ROW_PLACES) throw builder.error(where, `position "${cell(positionAt)}" must be a number from 1 to ${MAX_ROW_PLACES}`);
    }
    const tier = tierAt === -1 || cell(tierAt) === "" ? undefined : cell(tierAt);
    const sectionKey = section.toLowerCase();
    if (tiers.has(sectionKey) && tiers.get(sectionKey) !== tier) {
      throw builder.error(where, `section ${section} is in tier ${tiers.get(sectionKey) ?? section} above; a section belongs to one tier`);
    }
    tiers.set(sectionKey, tier);
    const key = `${sectionKey}\n${label}`;
    const row = rows.get(key) ?? { section, tier, label, seats: [] };
    rows.set(key, row);
    row.seats.push({ number, position, line });
  });
  for (const row of rows.values()) {
    builder.addRow(row.section, row.tier, { label: row.label, gapBefore: 0, places: placesOf(row.seats, builder) }, `line ${row.seats[0]!.line}`);
  }
  return builder.build();
}

/** Seats in position order (number order without positions); a skipped position is an empty place. */
function placesOf(seats: CsvSeat[], builder: SeatMapBuilder): Array<number | null> {
  const byPosition = seats[0]!.position !== undefined;
  // A row is placed by positions or in number order: one with some of each could be either.
  const other = seats.find((seat) => (seat.position !== undefined) !== byPosition);
  if (other) {
    const [given, blank] = byPosition ? [seats[0]!, other] : [other, seats[0]!];
    throw builder.error(`line ${blank.line}`, `seat ${blank.number} has no position, but seat ${given.number} of its row has one (line ${given.line}); give every seat of a row a position, or none`);
  }
  const ordered = [...seats].sort((a, b) => (byPosition ? a.position! - b.position! : a.number - b.number));
  const places: Array<number | null> = [];
  ordered.forEach((seat, index) => {
    const previous = ordered[index - 1];
    if (previous && byPosition) {
      if (seat.position === previous.position) throw builder.error(`line ${seat.line}`, `position ${seat.position} is taken by the seat on line ${previous.line}`);
      for (let gap = previous.position! + 1; gap < seat.position!; gap++) places.push(null);
    }
    if (previous && seat.number === previous.number) throw builder.error(`line ${seat.line}`, `seat ${seat.number} is given twice (also on line ${previous.line})`);
    places.push(seat.number);
  });
  return places;
}
