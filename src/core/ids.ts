import type { IdSource } from "./model.js";

// Unambiguous, URL- and shell-safe alphabet; 16 characters ≈ 82 bits of randomness.
const ALPHABET = "0123456789abcdefghijkmnopqrstuvwxyz";
const CODES = Array.from(ALPHABET, (char) => char.charCodeAt(0));
/** Bytes at or above this are skipped, so that `byte % 35` is uniform (as nanoid does). */
const CUTOFF = 256 - (256 % ALPHABET.length);

/**
 * Random bytes from the platform's CSPRNG (`crypto.getRandomValues`, which loads Node's crypto on
 * first use), drawn 64 KiB at a time, the most one call gives (a call costs ~15 µs, whatever its
 * size): an id then costs one string, where nanoid's generator made a call, or a buffer, and a
 * string per character (ids are made on every reservation).
 */
const pool = new Uint8Array(65_536);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    globalThis.crypto.getRandomValues(pool);
    used = 0;
  }
  return pool[used++]!;
}

function randomCode(): number {
  for (;;) {
    const byte = randomByte();
    if (byte < CUTOFF) return CODES[byte % ALPHABET.length]!;
  }
}

function randomPart(): string {
  const c = randomCode;
  return String.fromCharCode(c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c());
}

export const newEventId = (): string => `evt_${randomPart()}`;
export const newTicketId = (): string => `tkt_${randomPart()}`;
export const newIdempotencyKey = (): string => `key_${randomPart()}`;

/** Ids chosen by users (`event create --id`) follow the same shape as generated ones. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const newOrderId = (): string => `ord_${randomPart()}`;

/** Purchase and cancel take a ticket id or an order id, told apart by prefix (as Stripe routes ids). */
export const isOrderId = (id: string): boolean => id.startsWith("ord_");

/** The ids every store gives what a decision creates; tests inject their own IdSource instead. */
export const RANDOM_IDS: IdSource = { ticket: newTicketId, order: newOrderId };
