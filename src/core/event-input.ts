import { DEFAULT_HOLD_SECONDS, parseHoldDuration, MAX_HOLD_SECONDS } from "./duration.js";
import { invalidArgument } from "./errors.js";
import { DEFAULT_CURRENCY, parseAmount, parseCurrency } from "./money.js";
import { parseIsoTime } from "./time.js";

export const MAX_CAPACITY = 10_000_000;
export const MAX_TEXT_LENGTH = 200;

/** Event fields as a person or a program supplies them; every one is validated here. */
export interface EventFields {
  name?: string;
  capacity?: number | string;
  venue?: string | null;
  /** ISO-8601 text, a Date, or epoch milliseconds. */
  startsAt?: string | Date | number | null;
  /** A duration (`10m`, `1h30m`) or whole seconds. */
  hold?: string | number;
  /** A decimal amount in the event's currency (`"45.00"`). */
  price?: string;
  currency?: string;
}

/** Validated changes to an event. Price stays decimal text until the currency is known. */
export interface EventPatch {
  name?: string;
  capacity?: number;
  venue?: string | null;
  startsAt?: number | null;
  holdSeconds?: number;
  price?: string;
  currency?: string;
}

/** A complete, validated event definition. */
export interface EventDraft {
  name: string;
  capacity: number;
  venue: string | null;
  startsAt: number | null;
  holdSeconds: number;
  priceMinor: number;
  currency: string;
}

export function parseEventPatch(fields: EventFields): EventPatch {
  const patch: EventPatch = {};
  if (fields.name !== undefined) patch.name = parseText(fields.name, "name");
  if (fields.capacity !== undefined) patch.capacity = parseCapacity(fields.capacity);
  if (fields.venue !== undefined) patch.venue = fields.venue === null ? null : parseText(fields.venue, "venue");
  if (fields.startsAt !== undefined) patch.startsAt = parseStartsAt(fields.startsAt);
  if (fields.hold !== undefined) patch.holdSeconds = parseHold(fields.hold);
  if (fields.currency !== undefined) patch.currency = parseCurrency(fields.currency);
  if (fields.price !== undefined) {
    // Checked now against the given (or default) currency; re-checked against the stored one on update.
    parseAmount(fields.price, patch.currency ?? DEFAULT_CURRENCY);
    patch.price = fields.price.trim();
  }
  return patch;
}

export function parseEventDraft(fields: EventFields): EventDraft {
  if (fields.name === undefined) throw invalidArgument("name", "is required");
  if (fields.capacity === undefined) throw invalidArgument("capacity", "is required");
  const patch = parseEventPatch(fields);
  const currency = patch.currency ?? DEFAULT_CURRENCY;
  return {
    name: patch.name!,
    capacity: patch.capacity!,
    venue: patch.venue ?? null,
    startsAt: patch.startsAt ?? null,
    holdSeconds: patch.holdSeconds ?? DEFAULT_HOLD_SECONDS,
    priceMinor: patch.price === undefined ? 0 : parseAmount(patch.price, currency),
    currency,
  };
}

/** Names are stored exactly as given (control characters included); only emptiness and size are refused. */
function parseText(value: string, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw invalidArgument(field, "must not be empty");
  if ([...value].length > MAX_TEXT_LENGTH) throw invalidArgument(field, `must be at most ${MAX_TEXT_LENGTH} characters`);
  return value;
}

export function parseCapacity(value: number | string): number {
  const number = typeof value === "number" ? value : /^\s*\d{1,9}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_CAPACITY) {
    throw invalidArgument("capacity", `must be a whole number from 1 to ${MAX_CAPACITY}, got "${value}"`);
  }
  return number;
}

function parseHold(value: string | number): number {
  if (typeof value === "string") return parseHoldDuration(value);
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_HOLD_SECONDS) {
    throw invalidArgument("hold", `must be whole seconds between 1 and ${MAX_HOLD_SECONDS}`);
  }
  return value;
}

function parseStartsAt(value: string | Date | number | null): number | null {
  if (value === null) return null;
  if (typeof value === "string") return parseIsoTime(value, "starts-at");
  const time = value instanceof Date ? value.getTime() : value;
  if (!Number.isFinite(time)) throw invalidArgument("starts-at", "is not a valid time");
  return time;
}
