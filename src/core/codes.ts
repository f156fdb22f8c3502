import { invalidArgument } from "./errors.js";
import { quote } from "./text.js";
import { requireText } from "./text-input.js";

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Access codes and voucher codes: 1–64 letters A to Z (ASCII: the refusal says so, as `ÉTÉ` is
 * letters too), digits, '-' or '_', matched case-insensitively
 * (kept upper-case), so that a code read out over the phone works however it is typed.
 */
export function parseCode(text: string, field: string): string {
  // A library caller's missing or non-text code is said as such, not quoted as if typed ("undefined").
  requireText(text, field, "SPRING");
  const code = text.trim();
  if (!CODE.test(code)) throw invalidArgument(field, `${quote(text)} must be 1 to 64 letters A to Z (no accents), digits, '-' or '_'`);
  return code.toUpperCase();
}
