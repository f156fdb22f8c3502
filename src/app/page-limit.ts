import { invalidArgument, quote } from "../core/index.js";

/** The largest page a library list answers: one read of the store, held at once. */
export const MAX_PAGE_SIZE = 100_000;

/** A page's `limit`, checked: a whole number from 1 to MAX_PAGE_SIZE. */
export function pageLimit(limit: unknown): number {
  if (typeof limit !== "number" || !Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalidArgument("limit", `must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${quote(String(limit))}`);
  }
  return limit;
}
