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

/** `prefix_` and 16 random characters, made as one flat string (a stored id then costs one object). */
function randomId(prefix: string): string {
  const c = randomCode;
  const [p0, p1, p2] = PREFIX_CODES[prefix]!;
  return String.fromCharCode(p0, p1, p2, UNDERSCORE, c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c());
}

const UNDERSCORE = 0x5f;
const PREFIX_CODES: Record<string, [number, number, number]> = Object.fromEntries(
  ["evt", "tkt", "ord", "key"].map((prefix) => [prefix, [prefix.charCodeAt(0), prefix.charCodeAt(1), prefix.charCodeAt(2)]]),
);

export const newEventId = (): string => randomId("evt");
export const newTicketId = (): string => randomId("tkt");
export const newIdempotencyKey = (): string => randomId("key");

/** Ids chosen by users (`event create --id`) follow the same shape as generated ones. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const newOrderId = (): string => randomId("ord");

/** Purchase and cancel take a ticket id or an order id, told apart by prefix (as Stripe routes ids). */
export const isOrderId = (id: string): boolean => id.startsWith("ord_");

/** The ids every store gives what a decision creates; tests inject their own IdSource instead. */
export const RANDOM_IDS: IdSource = { ticket: newTicketId, order: newOrderId };
