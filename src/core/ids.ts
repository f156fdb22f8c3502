import type { IdSource } from "./model.js";

// Unambiguous, URL- and shell-safe alphabet; 16 random characters ≈ 82 bits (ticket and order ids:
// 5 of them tell the second they were made, see timeOrderedId).
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

/** Each byte's character code (`byte % 35`), 0 for a byte at or above CUTOFF: one lookup a character, no division. */
const CODE_OF_BYTE = Uint8Array.from({ length: 256 }, (_, byte) => (byte < CUTOFF ? CODES[byte % ALPHABET.length]! : 0));

function randomCode(): number {
  for (;;) {
    const code = CODE_OF_BYTE[randomByte()]!;
    if (code !== 0) return code;
  }
}

/** `prefix_` and 16 random characters, made as one flat string (a stored id then costs one object). */
function randomId(prefix: string): string {
  const c = randomCode;
  // The prefix's characters read from it: a table by prefix was a lookup by name, megamorphic as
  // the four prefixes came through it.
  return String.fromCharCode(prefix.charCodeAt(0), prefix.charCodeAt(1), prefix.charCodeAt(2), UNDERSCORE, c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c());
}

/** Seconds a time prefix counts before it starts again: 35^5, about 20 months. */
const PREFIX_PERIOD = ALPHABET.length ** 5;
let prefixSecond = -1;
const prefixCodes = [0, 0, 0, 0, 0];

/**
 * `prefix_`, 5 characters of the current second (counted modulo 35^5) and 11 random ones (≈ 56
 * bits). Ids made in the same second sit beside each other in an index, as UUIDv7 does for
 * UUIDs, so a store with millions of tickets writes a new ticket's and order's index entries
 * into the few recent leaves it has in cache, not into a random leaf of each index it must first
 * read from disk (docs/performance-history.md, "Reserve cost at 10⁶").
 */
function timeOrderedId(prefix: string): string {
  const second = Math.floor(Date.now() / 1000) % PREFIX_PERIOD;
  if (second !== prefixSecond) {
    prefixSecond = second;
    for (let i = 4, rest = second; i >= 0; i--, rest = Math.floor(rest / ALPHABET.length)) prefixCodes[i] = CODES[rest % ALPHABET.length]!;
  }
  const c = randomCode;
  const [t0, t1, t2, t3, t4] = prefixCodes as [number, number, number, number, number];
  return String.fromCharCode(prefix.charCodeAt(0), prefix.charCodeAt(1), prefix.charCodeAt(2), UNDERSCORE, t0, t1, t2, t3, t4, c(), c(), c(), c(), c(), c(), c(), c(), c(), c(), c());
}

const UNDERSCORE = 0x5f;

export const newEventId = (): string => randomId("evt");
export const newTicketId = (): string => timeOrderedId("tkt");
export const newIdempotencyKey = (): string => randomId("key");

/** Ids chosen by users (`event create --id`) follow the same shape as generated ones. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
export const newOrderId = (): string => timeOrderedId("ord");

/** Purchase and cancel take a ticket id or an order id, told apart by prefix (as Stripe routes ids). */
export const isOrderId = (id: string): boolean => id.startsWith("ord_");

/**
 * The ids a store with B-tree indexes (SQLite, PostgreSQL) gives what a decision creates: time
 * first, so a new ticket's and order's index entries go where the last ones went. Tests inject
 * their own IdSource instead.
 */
export const TIME_ORDERED_IDS: IdSource = { ticket: newTicketId, order: newOrderId };

/**
 * The ids the memory store gives: wholly random (≈ 82 bits), as its indexes are hash maps (time
 * first would buy nothing there), and it writes an id it has just made without looking it up.
 */
export const RANDOM_IDS: IdSource = { ticket: () => randomId("tkt"), order: () => randomId("ord") };
