import { invalidArgument } from "./errors.js";
import { given, quote } from "./text.js";

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})(\d*))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 date or date-time; a time without an offset is UTC. Impossible dates
 * (2025-02-30, 24:00) are refused rather than rolled over as `Date` would, and so is a fraction
 * finer than a millisecond (`.1234`; `.123000` loses nothing and is taken).
 */
export function parseIsoTime(text: string, field: string): number {
  const match = ISO_PATTERN.exec(text.trim());
  const fail = () => invalidArgument(field, `${quote(text)} is not an ISO-8601 time such as 2025-06-15T20:00Z`);
  if (!match) throw fail();
  const [year, month, day, hour, minute, second] = match.slice(1, 8).map((part) => Number(part ?? 0));
  const inRange = month! >= 1 && month! <= 12 && day! >= 1 && day! <= daysInMonth(year!, month!) &&
    hour! <= 23 && minute! <= 59 && second! <= 59;
  if (!inRange) throw fail();
  const wallClock = utc(year!, month! - 1, day!, hour!, minute!, second!, Number((match[7] ?? "0").padEnd(3, "0")));
  const time = wallClock - offsetMinutes(match[9]) * 60_000;
  // Times are kept to the millisecond: digits past it that are not zeros would be lost in silence
  // (`.123456` stored as `.123`), so they are refused, naming the time that would be kept.
  if (/[1-9]/.test(match[8] ?? "")) {
    throw invalidArgument(field, `${quote(text)} is finer than a millisecond; tix keeps times to the millisecond: give ${toIso(time)}`);
  }
  return time;
}

/**
 * An end given as a time until which something holds (a voucher's `validUntil`), exclusive: a bare
 * date (`2027-04-01`, with or without an offset) means the whole of that day, so it ends when the
 * next day begins (`2027-04-02T00:00Z`), as a person writing "valid until 1 April" means; a date
 * with a time of day is that instant. Anything else is read as parseTimeValue reads it.
 */
export function parseEndTimeValue(value: unknown, field: string): number {
  const time = parseTimeValue(value, field);
  if (typeof value !== "string") return time;
  const match = ISO_PATTERN.exec(value.trim());
  return match && match[4] === undefined ? Math.min(time + DAY_MS, LATEST_TIME) : time;
}

/** The first and last millisecond an ISO-8601 text of parseIsoTime can name (years 0000 to 9999). */
const EARLIEST_TIME = -62_167_219_200_000;
const LATEST_TIME = 253_402_300_799_999;

/**
 * A time a program passes: ISO-8601 text (parseIsoTime), a Date, or epoch milliseconds — a number
 * or Date naming what the text can (whole milliseconds, years 0000 to 9999; before 1970 too, as
 * "1969-07-20" is). A fraction, NaN, ±Infinity or 1e20 is INVALID_ARGUMENT: a fraction was stored
 * by memory and refused by SQLite with its own error, a time beyond a Date failed as a RangeError.
 */
export function parseTimeValue(value: unknown, field: string): number {
  if (typeof value === "string") return parseIsoTime(value, field);
  const time = value instanceof Date ? value.getTime() : value;
  if (typeof time !== "number" || !Number.isSafeInteger(time) || time < EARLIEST_TIME || time > LATEST_TIME) {
    const shown = value instanceof Date ? "an invalid Date" : given(value);
    throw invalidArgument(field, `must be an ISO-8601 time such as 2025-06-15T20:00Z, a Date, or whole milliseconds since 1970 (years 0000 to 9999), got ${shown}`);
  }
  return time;
}

/** Date.UTC, except that years 0–99 stay years 0–99 (Date.UTC reads them as 1900–1999). */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === "Z") return 0;
  const digits = zone.replace(":", "");
  const sign = digits.startsWith("-") ? -1 : 1;
  return sign * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
}

const DAY_MS = 86_400_000;
/** Up to the end of year 9999: later (and earlier than 1970) times take Date's own path. */
const FAST_UNTIL = 253_402_300_800_000;
/** The day last formatted (its number and `YYYY-MM-DDT`): the times of one run are mostly of one day. */
let cachedDay = -1;
let cachedDayText = "";

/** `Date#toISOString()`, without making a Date (and its text piece by piece) for every time of the same day as the last. */
export function toIso(time: number): string {
  // A ticket's view shows two instants (reserved, expires) that the reservations of one millisecond share.
  if (time === lastTime) return lastText;
  if (time === otherTime) return otherText;
  const text = formatIso(time);
  otherTime = lastTime;
  otherText = lastText;
  lastTime = time;
  lastText = text;
  return text;
}

/** The last two instants formatted, and their text. */
let lastTime = Number.NaN;
let lastText = "";
let otherTime = Number.NaN;
let otherText = "";

function formatIso(time: number): string {
  if (!(time >= 0 && time < FAST_UNTIL) || !Number.isInteger(time)) return new Date(time).toISOString();
  const day = Math.floor(time / DAY_MS);
  if (day !== cachedDay) {
    // From the UTC fields: the first toISOString() of a process costs about a millisecond.
    const date = new Date(day * DAY_MS);
    const month = date.getUTCMonth() + 1;
    const dayOfMonth = date.getUTCDate();
    cachedDayText = `${String(date.getUTCFullYear()).padStart(4, "0")}-${month < 10 ? "0" : ""}${month}-${dayOfMonth < 10 ? "0" : ""}${dayOfMonth}T`;
    cachedDay = day;
  }
  let rest = time - day * DAY_MS;
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const seconds = rest % 60;
  rest = (rest - seconds) / 60;
  const minutes = rest % 60;
  const hours = (rest - minutes) / 60;
  // `HH:MM:SS.mmmZ` as one string (a template would make one piece per part).
  return cachedDayText + String.fromCharCode(
    ZERO + ((hours / 10) | 0), ZERO + (hours % 10), COLON, ZERO + ((minutes / 10) | 0), ZERO + (minutes % 10), COLON,
    ZERO + ((seconds / 10) | 0), ZERO + (seconds % 10), DOT, ZERO + ((ms / 100) | 0), ZERO + (((ms / 10) | 0) % 10), ZERO + (ms % 10), Z,
  );
}

const ZERO = 0x30;
const COLON = 0x3a;
const DOT = 0x2e;
const Z = 0x5a;

export function toIsoOrNull(time: number | null): string | null {
  return time === null ? null : toIso(time);
}

/**
 * The first instant after `now` with the month, day and time of day (UTC) of `template`: a yearly
 * date that is still ahead (29 February waits for the next leap year).
 */
export function nextAnnualDate(template: number, now: number): number {
  const at = new Date(template);
  for (let year = new Date(now).getUTCFullYear(); ; year++) {
    const candidate = utc(year, at.getUTCMonth(), at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
    if (new Date(candidate).getUTCDate() === at.getUTCDate() && candidate > now) return candidate;
  }
}
