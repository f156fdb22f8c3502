import { invalidArgument } from "./errors.js";
import { described, quote, shorten } from "./text.js";
import { requireText } from "./text-input.js";

/** ISO 4217 currencies whose minor unit is not cents; every other code has two decimals. */
const MINOR_UNIT_DIGITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export const DEFAULT_CURRENCY = "USD";
/** Prices above this (in minor units) are surely typos (sums of them are bigints: see formatTotal). */
export const MAX_PRICE_MINOR = 100_000_000_00;

export function minorUnitDigits(currency: string): number {
  return MINOR_UNIT_DIGITS[currency] ?? 2;
}

export function parseCurrency(text: string): string {
  requireText(text, "currency", "USD");
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    throw invalidArgument("currency", `${quote(text)} is not a three-letter ISO 4217 code such as USD or EUR`);
  }
  return code;
}

/**
 * An amount as a program gives it (an event's or a tier's `price`, a voucher's `amount`): decimal
 * text, or a number taken as written — `45.5` is the text "45.5", its shortest decimal form (as
 * JSON writes it) — then checked as that text is (parseAmount: at most the currency's decimals,
 * not negative, not above the largest price), never through arithmetic: `0.1 + 0.2` is
 * "0.30000000000000004", refused, not rounded. The one place every face's amounts pass.
 */
export function amountText(value: unknown, field: string, example: string): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") {
    const text = String(value);
    // NaN, Infinity, and 1e21 or 1e-7 (written with an exponent): no decimal text to check.
    if (!Number.isFinite(value) || /e/i.test(text)) throw invalidArgument(field, `must be an amount such as ${example} or "${example}", got the number ${text}`);
    return text;
  }
  throw invalidArgument(field, `must be an amount such as ${example} or "${example}", got ${described(value)}`);
}

/**
 * `"45.5"` in USD → 4550. Decimal text is converted digit by digit: never through a float. A refusal
 * shows the amount as `shown` (numberShown: a number the call passed), else as quoted text.
 */
export function parseAmount(text: string, currency: string, field = "price", shown = quote(text)): number {
  requireText(text, field, "45.00");
  const digits = minorUnitDigits(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  const fraction = match?.[2] ?? "";
  if (!match || fraction.length > digits) {
    const shape = digits === 0 ? "a whole number" : `a decimal with at most ${digits} places`;
    throw invalidArgument(field, `${shown} is not an amount in ${currency}; use ${shape}, e.g. ${formatAmount(45 * 10 ** digits, currency)}`);
  }
  // Leading zeros change nothing (`0045.00` is 45); past 11 whole digits an amount is above the
  // largest in every currency, and up to them the sum below stays an exact integer in a double.
  const whole = (match[1] ?? "").replace(/^0+(?=\d)/, "");
  const minor = whole.length > 11 ? Infinity : Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (minor > MAX_PRICE_MINOR) {
    throw invalidArgument(field, `${shorten(text)} ${currency} is above the largest price allowed, ${formatAmount(MAX_PRICE_MINOR, currency)} ${currency}`);
  }
  return minor;
}

/** 4550 in USD → `"45.50"`. */
export function formatAmount(minor: number, currency: string): string {
  // A ticket's view shows its price and its discount (mostly 0): the same two texts, ticket after ticket.
  if (minor === lastAmount.minor && currency === lastAmount.currency) return lastAmount.text;
  if (minor === otherAmount.minor && currency === otherAmount.currency) return otherAmount.text;
  const text = formatFresh(minor, currency);
  otherAmount = lastAmount;
  lastAmount = { minor, currency, text };
  return text;
}

let lastAmount = { minor: Number.NaN, currency: "", text: "" };
let otherAmount = lastAmount;

/**
 * A sum of amounts (a report's revenue, discounts, refunds), exact however large: capacity times
 * the largest price passes 2^53 minor units, where a number stops counting every cent.
 */
export function formatTotal(minor: bigint, currency: string): string {
  return formatFresh(minor, currency);
}

function formatFresh(minor: number | bigint, currency: string): string {
  const digits = minorUnitDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
