import { TixError, invalidArgument } from "./errors.js";
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

/**
 * What makes two purchases "the same request" for a key: the ticket or order paid for, the
 * card's last four digits — never more of the card, which tix does not keep — and the voucher.
 */
export function purchaseFingerprint(targetId: string, card: string, voucher?: string): string {
  return JSON.stringify({ op: "purchase", targetId, card: card.slice(-4), ...(voucher === undefined ? {} : { voucher }) });
}

/**
 * The rule every keyed operation follows: a live binding made by the same request is replayed
 * (answers the binding), one made by another request is IDEMPOTENCY_KEY_REUSED, and no live
 * binding leaves the key free (answers undefined) for a success to bind.
 */
export function liveBinding(record: KeyRecord | undefined, fingerprint: string, key: string, now: number, bound?: string): KeyRecord | undefined {
  if (!isKeyLive(record, now)) return undefined;
  if (record.request !== fingerprint) {
    throw new TixError("IDEMPOTENCY_KEY_REUSED", `key "${key}" was already used for a different request${bound ? ` (${bound})` : ""}; use a new key`);
  }
  return record;
}

export function isKeyLive(record: KeyRecord | undefined, now: number): record is KeyRecord {
  return record !== undefined && now - record.createdAt < KEY_RETENTION_MS;
}
