import { invalidArgument } from "./errors.js";
import { quote } from "./text.js";
import { requireText } from "./text-input.js";

/** A tier's name: 1 to 40 printable characters without ':' (the separator of NAME:CAPACITY:PRICE). */
export function parseTierName(text: string): string {
  requireText(text, "tier", "GA");
  const name = text.trim();
  if (!/^[^\p{C}:]{1,40}$/u.test(name)) throw invalidArgument("tier", `${quote(text)} must be 1 to 40 printable characters without ':'`);
  return name;
}
