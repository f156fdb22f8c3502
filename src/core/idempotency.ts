import { invalidArgument } from "./errors.js";
import type { KeyRecord } from "./model.js";

/** Keys are honoured for at least this long; an older binding is forgotten and the key is free. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

const PRINTABLE_KEY = /^[^\p{C}]{1,255}$/u;

export function validateIdempotencyKey(key: string): string {
  if (!PRINTABLE_KEY.test(key)) {
    throw invalidArgument("key", "must be 1 to 255 printable characters");
  }
  return key;
}

/** What makes two requests "the same request" for a key: today, the event reserved. */
export function reserveFingerprint(eventId: string): string {
  return JSON.stringify({ op: "reserve", eventId });
}

export function isKeyLive(record: KeyRecord | undefined, now: number): record is KeyRecord {
  return record !== undefined && now - record.createdAt < KEY_RETENTION_MS;
}
