import { invalidArgument } from "./errors.js";
import { SYSTEM_ACTOR } from "./audit.js";
import { isPlainAscii, quote } from "./text.js";
import { requireText } from "./text-input.js";
import { ID_PATTERN } from "./ids.js";

/**
 * Users are named by the caller (`--user`, `TIX_USER`, the login name, a token): 1–64 printable,
 * no spaces. `system` is the audit log's own actor (expiry, promotions): nobody may act as it.
 */
export function parseUserId(text: string, field = "user"): string {
  requireText(text, field, "alice");
  if (!isPlainAscii(text, 1, 64, false) && !/^[^\p{C}\s]{1,64}$/u.test(text)) throw invalidArgument(field, `${quote(text)} must be 1 to 64 printable characters without spaces`);
  if (text.length === SYSTEM_ACTOR.length && text.toLowerCase() === SYSTEM_ACTOR) throw invalidArgument(field, `"${text}" is reserved for tix itself (the audit log's actor for expiries and waiting-list promotions)`);
  return text;
}

/** Ids that name existing things: anything printable, so that an unknown id reads as "not found". */
export function parseLookupId(text: string, field: string): string {
  requireText(text, field, field.startsWith("ticket") ? "tkt_8f3k2m9q4x7w" : "evt_jazz_evening");
  if (!isPlainAscii(text, 1, 255, true) && !/^[^\p{C}]{1,255}$/u.test(text)) throw invalidArgument(field, "must be 1 to 255 printable characters");
  return text;
}

/**
 * The id a caller chooses for a new event (`events.create({ id })`, `event create --id`, an import
 * row's id): text of the generated ids' shape. A number or null is refused here, not turned into
 * the text "42" or "null" by the pattern's test and stored as an event whose id is not text.
 */
export function parseEventId(id: unknown, field = "id"): string {
  requireText(id, field, "evt_jazz_evening");
  if (!ID_PATTERN.test(id)) {
    throw invalidArgument(field, `${quote(id)} must be 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit`);
  }
  return id;
}
