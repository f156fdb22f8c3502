/**
 * Row labels, seat numbers and their ranges as people write them: rows `A-T`, `AA-AD`, `1-40`;
 * seats `1-30`; a seat `A12` or `12-5` (a row ending in a digit needs the dash). Pure text work.
 */

/** Letters (A … ZZZ, after Z comes AA as in spreadsheets) or a number 1 … 9999. */
export const ROW_LABEL = /^(?:[A-Z]{1,3}|[1-9]\d{0,3})$/;
export const MAX_SEAT_NUMBER = 9999;

/** A row label in its stored form (upper case), or undefined when it is not one. */
export function normaliseRowLabel(text: string): string | undefined {
  const label = text.trim().toUpperCase();
  return ROW_LABEL.test(label) ? label : undefined;
}

export function parseSeatNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[1-9]\d{0,3}$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** A row label's place in its sequence: A=1 … Z=26, AA=27 …; a number is itself. */
function ordinal(label: string): number {
  if (/^\d/.test(label)) return Number(label);
  let value = 0;
  for (const char of label) value = value * 26 + (char.charCodeAt(0) - 64);
  return value;
}

function labelAt(value: number, letters: boolean): string {
  if (!letters) return String(value);
  let label = "";
  for (let rest = value; rest > 0; rest = Math.floor((rest - 1) / 26)) label = String.fromCharCode(65 + ((rest - 1) % 26)) + label;
  return label;
}

const isLetters = (label: string) => /^[A-Z]/.test(label);

/**
 * `A-T` (or `T-A`, front row first), `1-40`, or one label. Returns undefined with a reason.
 * Both ends must be of one kind: letters with letters, numbers with numbers.
 */
export function expandRowRange(text: string, maximum: number): { labels: string[] } | { reason: string } {
  const parts = text.split("-");
  if (parts.length > 2) return { reason: `"${text}" is not a row or a range of rows like A-T` };
  const ends = parts.map(normaliseRowLabel);
  if (ends.some((end) => end === undefined)) {
    return { reason: `"${text}" is not a row label (1 to 3 letters, or a number from 1 to 9999) or a range of them like A-T` };
  }
  const [first, last = first] = ends as string[] as [string, string?];
  if (isLetters(first) !== isLetters(last!)) return { reason: `"${text}" mixes letters and numbers` };
  return expand(ordinal(first), ordinal(last!), maximum, text, (value) => labelAt(value, isLetters(first)));
}

/** `1-30`, `30-1` or one number. */
export function expandSeatRange(text: string, maximum: number): { labels: number[] } | { reason: string } {
  const parts = text.split("-");
  const ends = parts.map(parseSeatNumber);
  if (parts.length > 2 || ends.some((end) => end === undefined)) {
    return { reason: `"${text}" is not a seat number (1 to ${MAX_SEAT_NUMBER}) or a range of them like 1-30` };
  }
  const [first, last = first] = ends as number[] as [number, number?];
  return expand(first, last!, maximum, text, (value) => value);
}

function expand<T>(first: number, last: number, maximum: number, text: string, label: (value: number) => T): { labels: T[] } | { reason: string } {
  const count = Math.abs(last - first) + 1;
  if (count > maximum) return { reason: `"${text}" spans ${count}, more than ${maximum}` };
  const step = last >= first ? 1 : -1;
  return { labels: Array.from({ length: count }, (_, offset) => label(first + offset * step)) };
}

/** Groups a sequence into runs of neighbours (each next one ±1, one direction): the inverse of the expansions. */
export function runsOf<T>(items: readonly T[], valueOf: (item: T) => number, kindOf: (item: T) => unknown = () => 0): T[][] {
  const runs: T[][] = [];
  for (const item of items) {
    const run = runs.at(-1);
    const previous = run?.at(-1);
    if (run && previous !== undefined && kindOf(previous) === kindOf(item)) {
      const step = valueOf(item) - valueOf(previous);
      const direction = run.length > 1 ? valueOf(run[1]!) - valueOf(run[0]!) : step;
      if (Math.abs(step) === 1 && step === direction) {
        run.push(item);
        continue;
      }
    }
    runs.push([item]);
  }
  return runs;
}

/** `A-H,J-T`: the shortest text for a sequence of row labels. */
export function formatRowRuns(labels: readonly string[]): string {
  return runsOf(labels, ordinal, isLetters).map((run) => formatRun(run)).join(",");
}

export function formatRun(run: readonly (string | number)[]): string {
  return run.length === 1 ? String(run[0]) : `${run[0]}-${run.at(-1)}`;
}

export interface SeatReference {
  /** As written, or undefined when the reference names no section. */
  section: string | undefined;
  row: string;
  number: number;
}

/** `[SECTION:]ROW SEAT`: `A12`, `Floor:A12`, `12-5`, `Upper:AA-3`. */
export function parseSeatReference(text: string): SeatReference | undefined {
  const colon = text.indexOf(":");
  const section = colon === -1 ? undefined : text.slice(0, colon).trim();
  const rest = text.slice(colon + 1).trim().toUpperCase();
  const match = /^([A-Z]{1,3})-?([1-9]\d{0,3})$/.exec(rest) ?? /^([1-9]\d{0,3})-([1-9]\d{0,3})$/.exec(rest);
  if (!match || section === "") return undefined;
  return { section, row: match[1]!, number: Number(match[2]) };
}

/** A seat's short label within its section: `A12`, `12-5`. */
export function rowSeatLabel(row: string, number: number): string {
  return /\d$/.test(row) ? `${row}-${number}` : `${row}${number}`;
}

/** The canonical name of a seat, unique in its map: `Floor:A12`. */
export function seatLabel(section: string, row: string, number: number): string {
  return `${section}:${rowSeatLabel(row, number)}`;
}
