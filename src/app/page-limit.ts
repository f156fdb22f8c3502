import { described, invalidArgument, numberShown } from "../core/index.js";

/** The largest page a library list answers: one read of the store, held at once. */
export const MAX_PAGE_SIZE = 100_000;

/** A page's `limit`, checked: a whole number from 1 to MAX_PAGE_SIZE. */
export function pageLimit(limit: unknown): number {
  return wholeLimit(limit, MAX_PAGE_SIZE);
}

/**
 * A `limit` a method reads as a number, checked: a whole number from 1 (to `max` when given). The
 * message shows what it got as the call wrote it: `got 0`, `got the text "5"`.
 */
export function wholeLimit(limit: unknown, max?: number, field = "limit"): number {
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1 || (max !== undefined && limit > max)) {
    const range = max === undefined ? "from 1" : `from 1 to ${max}`;
    throw invalidArgument(field, `must be a whole number ${range}, got ${numberShown(limit) ?? described(limit)}`);
  }
  return limit;
}
