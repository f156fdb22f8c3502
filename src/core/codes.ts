import { invalidArgument } from "./errors.js";
import { quote } from "./text.js";

const CODE = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Access codes and voucher codes: 1–64 letters, digits, '-' or '_', matched case-insensitively
 * (kept upper-case), so that a code read out over the phone works however it is typed.
 */
export function parseCode(text: string, field: string): string {
  const code = typeof text === "string" ? text.trim() : "";
  if (!CODE.test(code)) throw invalidArgument(field, `${quote(text)} must be 1 to 64 letters, digits, '-' or '_'`);
  return code.toUpperCase();
}
