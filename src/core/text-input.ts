import { invalidArgument } from "./errors.js";
import { described, shorten } from "./text.js";

/**
 * A whole number given as a number or as text of at most `digits` digits (a flag, a CSV cell, a
 * JSON string): the number, or NaN for anything else — a list or an object included, which the
 * digits' test would otherwise read as its text (`["5"]` as 5, a value the caller never wrote).
 */
export function wholeNumberGiven(value: unknown, digits: number): number {
  if (typeof value === "number") return value;
  const match = typeof value === "string" ? /^\s*(\d+)\s*$/.exec(value) : null;
  return match && match[1]!.length <= digits ? Number(match[1]) : Number.NaN;
}

/**
 * Text fields (ids, users, keys, tiers, amounts, currencies, card numbers) must be strings: a
 * library caller's number (`price: 45.1`) or missing field is a typed INVALID_ARGUMENT naming the
 * field, not a TypeError, and an amount is never read through a float.
 */
export function requireText(value: unknown, field: string, example: string): asserts value is string {
  if (typeof value === "string") return;
  if (value === undefined || value === null) throw invalidArgument(field, `missing; give a string such as "${example}"`);
  // A number is shown as written (`got the number 4242424242424242`), anything else described (`got the boolean true`, `got a list`).
  throw invalidArgument(field, `must be a string such as "${example}", got ${typeof value === "number" ? `the number ${shorten(String(value))}` : described(value)}`);
}
