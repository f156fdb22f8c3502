import { invalidArgument } from "./errors.js";
import { shorten } from "./text.js";

/**
 * Text fields (ids, users, keys, tiers, amounts, currencies, card numbers) must be strings: a
 * library caller's number (`price: 45.1`) or missing field is a typed INVALID_ARGUMENT naming the
 * field, not a TypeError, and an amount is never read through a float.
 */
export function requireText(value: unknown, field: string, example: string): asserts value is string {
  if (typeof value === "string") return;
  if (value === undefined || value === null) throw invalidArgument(field, `missing; give a string such as "${example}"`);
  throw invalidArgument(field, `must be a string such as "${example}", got ${typeof value === "number" ? "the number" : "a value of type"} ${shorten(String(typeof value === "number" ? value : typeof value))}`);
}
