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

/**
 * What makes two requests "the same request" for a key: the event, the tier as asked for and the
 * quantity. A single ticket of the default tier keeps the fingerprint stores written before tiers have.
 */
export function reserveFingerprint(eventId: string, tier?: string, quantity = 1): string {
  return JSON.stringify({ op: "reserve", eventId, ...(tier === undefined ? {} : { tier }), ...(quantity === 1 ? {} : { quantity }) });
}

export function isKeyLive(record: KeyRecord | undefined, now: number): record is KeyRecord {
  return record !== undefined && now - record.createdAt < KEY_RETENTION_MS;
}
