import { expandRowRange, expandSeatRange, formatRowRuns, formatRun, runsOf } from "./labels.js";
import { MAX_ROW_PLACES, MAX_ROWS_PER_SECTION, SeatMapBuilder, type SeatMap, type SeatRow } from "./map.js";

/**
 * The compact form of a map, one text per group of rows: `SECTION[@TIER]:ROWS:SEATS`.
 *
 *   Floor:A-T:1-30              section Floor (tier Floor), rows A to T, seats 1 to 30
 *   Stalls@Standard:A-H,J-P:1-12|13-24
 *                               rows A to P without I; an aisle between seats 12 and 13
 *   Stalls@Standard:|Q-T:1-24   more rows of Stalls, after a cross-aisle
 *
 * In ROWS and SEATS, `,` separates neighbours and `|` is an aisle one place (or row) wide; `||` is
 * two. The same section may appear again to add rows (rows of other lengths). It is also the
 * stored form: `formatSeatSpecs` gives the shortest texts that parse back to the same map.
 */
export function parseSeatSpecs(texts: readonly string[], field = "seats"): SeatMap {
  const builder = new SeatMapBuilder(field);
  for (const text of texts) {
    const where = `"${text}"`;
    const parts = text.split(":");
    if (parts.length !== 3) throw builder.error(where, "must be SECTION[@TIER]:ROWS:SEATS, e.g. Floor:A-T:1-30");
    const [head, rowsText, seatsText] = parts as [string, string, string];
    const at = head.indexOf("@");
    const section = at === -1 ? head : head.slice(0, at);
    const tier = at === -1 ? undefined : head.slice(at + 1);
    const places = parsePlaces(seatsText);
    if ("reason" in places) throw builder.error(where, places.reason);
    const rows = parseRowList(rowsText);
    if ("reason" in rows) throw builder.error(where, rows.reason);
    for (const row of rows.rows) builder.addRow(section, tier, { ...row, places: [...places.places] }, where);
  }
  return builder.build();
}

/** One item of a list and the aisle (`|` count) before it. */
interface ListItem {
  text: string;
  gapBefore: number;
}

/**
 * Splits `A-H,J-P||Q-T` at `,` (neighbours) and `|` (an aisle, one `|` a place or row wide);
 * a leading `|` is an aisle before the first item.
 */
function splitList(text: string, what: "rows" | "seats"): ListItem[] | { reason: string } {
  const tokens = text.split(/([,|]+)/);
  const items: ListItem[] = [];
  let gap = 0;
  for (let index = 0; index < tokens.length; index += 2) {
    const item = tokens[index]!.trim();
    const separator = tokens[index + 1];
    if (item === "") {
      if (tokens.length === 1) return { reason: `no ${what} are given` };
      if (index === tokens.length - 1) return { reason: `"${text}" ends with "${tokens[index - 1]}"` };
      if (index > 0 || !/^\|+$/.test(separator!)) return { reason: `"${text}" has an empty item` };
      gap = separator!.length;
      continue;
    }
    items.push({ text: item, gapBefore: gap });
    if (separator === undefined) break;
    if (separator !== "," && !/^\|+$/.test(separator)) return { reason: `"${text}": "${separator}" is neither "," nor an aisle "|"` };
    gap = separator === "," ? 0 : separator.length;
  }
  return items;
}

/** `1-12|13-24` → [1 … 12, null, 13 … 24]. */
export function parsePlaces(text: string): { places: Array<number | null> } | { reason: string } {
  const items = splitList(text, "seats");
  if ("reason" in items) return items;
  const places: Array<number | null> = [];
  for (const item of items) {
    const range = expandSeatRange(item.text, MAX_ROW_PLACES);
    if ("reason" in range) return range;
    for (let gap = 0; gap < item.gapBefore; gap++) places.push(null);
    places.push(...range.labels);
    if (places.length > MAX_ROW_PLACES) return { reason: `a row has at most ${MAX_ROW_PLACES} places` };
  }
  return { places };
}

/** `A-H,J-P|Q-T` → rows with the cross-aisles before them (a leading `|` continues a section after one). */
export function parseRowList(text: string): { rows: Array<Omit<SeatRow, "places">> } | { reason: string } {
  const items = splitList(text, "rows");
  if ("reason" in items) return items;
  const rows: Array<Omit<SeatRow, "places">> = [];
  for (const item of items) {
    const range = expandRowRange(item.text, MAX_ROWS_PER_SECTION);
    if ("reason" in range) return range;
    range.labels.forEach((label, index) => rows.push({ label, gapBefore: index === 0 ? item.gapBefore : 0 }));
    if (rows.length > MAX_ROWS_PER_SECTION) return { reason: `a section has at most ${MAX_ROWS_PER_SECTION} rows` };
  }
  return { rows };
}

/** The shortest spec texts for a map: one per run of rows with the same seats. */
export function formatSeatSpecs(map: SeatMap): string[] {
  const texts: string[] = [];
  for (const section of map.sections) {
    const head = section.tier === section.name ? section.name : `${section.name}@${section.tier}`;
    let group: SeatRow[] = [];
    const flush = () => {
      if (group.length > 0) texts.push(`${head}:${formatRowList(group)}:${formatPlaces(group[0]!.places)}`);
      group = [];
    };
    for (const row of section.rows) {
      if (group.length > 0 && formatPlaces(group[0]!.places) !== formatPlaces(row.places)) flush();
      group.push(row);
    }
    flush();
  }
  return texts;
}

export function formatPlaces(places: ReadonlyArray<number | null>): string {
  let text = "";
  let gap = 0;
  const segment: number[] = [];
  const flush = () => {
    if (segment.length === 0) return;
    text += (text === "" ? "" : "|".repeat(gap)) + runsOf(segment, (seat) => seat).map(formatRun).join(",");
    segment.length = 0;
    gap = 0;
  };
  for (const place of places) {
    if (place === null) {
      flush();
      gap++;
    } else {
      segment.push(place);
    }
  }
  flush();
  return text;
}

function formatRowList(rows: readonly SeatRow[]): string {
  let text = "|".repeat(rows[0]!.gapBefore);
  let segment: string[] = [];
  rows.forEach((row, index) => {
    if (index > 0 && row.gapBefore > 0) {
      text += `${formatRowRuns(segment)}${"|".repeat(row.gapBefore)}`;
      segment = [];
    }
    segment.push(row.label);
  });
  return text + formatRowRuns(segment);
}

/** The map as stored with its event: the spec texts, one a line. */
export function storeSeatMap(map: SeatMap): string {
  return formatSeatSpecs(map).join("\n");
}

export function loadSeatMap(stored: string): SeatMap {
  return parseSeatSpecs(stored.split("\n"), "stored seat map");
}
