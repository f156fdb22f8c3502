import { TixError, invalidArgument } from "./errors.js";
import type { KeyRecord } from "./model.js";
import { isPlainAscii, quote } from "./text.js";
import { plural } from "./plural.js";
import { requireText } from "./text-input.js";

/** Keys are honoured for at least this long; an older binding is forgotten and the key is free. */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;

export function validateIdempotencyKey(key: string): string {
  requireText(key, "key", "order-1001");
  if (!isPlainAscii(key, 1, 255, true) && !/^[^\p{C}]{1,255}$/u.test(key)) {
    throw invalidArgument("key", "must be 1 to 255 printable characters");
  }
  return key;
}

/**
 * A key as an HTTP header carries it (`tix serve`'s Idempotency-Key): the same rule, in printable
 * ASCII only, as the IETF draft's Structured Field string is. A header's other bytes reach the
 * server as Latin-1, not as the client's text: "é" sent in UTF-8 was taken as the key "Ã©", which
 * no client sent and the CLI's `--key é` never matches.
 */
export function validateHeaderIdempotencyKey(key: string): string {
  if (isPlainAscii(key, 1, 255, true)) return key;
  validateIdempotencyKey(key);
  throw invalidArgument("key", "must be 1 to 255 printable ASCII characters in a header (other bytes are not read as the client's text); send a key such as order-1001");
}

/** A reservation as the key remembers it: resolved, so that two ways of saying it are one request. */
export interface ResolvedReserve {
  eventId: string;
  /** The tier the request resolves to: the one named, or the event's only tier; for named seats, theirs (`*` for several). */
  tier: string;
  quantity: number;
  /** Seated events: the seats named, by their names in the map (`a12` and `Stalls:A12` are one), sorted. */
  seats?: string[] | undefined;
  /** Seated events: best available was allowed to split the order. */
  allowSplit?: true | undefined;
}

/** What a key binds: the resolved request (the event, the tier it resolves to, the quantity; the seats named, or a split allowed). */
export function reserveFingerprint(request: ResolvedReserve): string {
  const plain = request.seats === undefined && !request.allowSplit;
  const last = lastFingerprint;
  if (plain && last.eventId === request.eventId && last.tier === request.tier && last.quantity === request.quantity) return last.text;
  const text = JSON.stringify({
    op: "reserve", eventId: request.eventId, tier: request.tier, ...(request.quantity === 1 ? {} : { quantity: request.quantity }),
    ...(request.seats === undefined ? {} : { seats: request.seats }), ...(request.allowSplit ? { allowSplit: true } : {}),
  });
  if (plain) lastFingerprint = { eventId: request.eventId, tier: request.tier, quantity: request.quantity, text };
  return text;
}

/** The last general-admission fingerprint made: in an on-sale, every reservation of a rush has the same one. */
let lastFingerprint = { eventId: "", tier: "", quantity: 0, text: "" };

/**
 * "The same request" for a key is the resolved request: naming an event's only tier and leaving
 * it out are the same, as are quantity 1 given and left out. A fingerprint stored before tiers
 * existed (or by an older tix) names no tier when none was named: its tier is its order's.
 */
export function isSameReserve(stored: string, orderTier: string, request: ResolvedReserve): boolean {
  let bound: { op?: unknown; eventId?: unknown; tier?: unknown; quantity?: unknown; seats?: unknown; allowSplit?: unknown };
  try {
    bound = JSON.parse(stored) as typeof bound;
  } catch {
    return false;
  }
  return bound.op === "reserve" && bound.eventId === request.eventId && (bound.tier ?? orderTier) === request.tier &&
    (bound.quantity ?? 1) === request.quantity && JSON.stringify(bound.seats ?? null) === JSON.stringify(request.seats ?? null) &&
    (bound.allowSplit ?? false) === (request.allowSplit ?? false);
}

/**
 * What makes two purchases "the same request" for a key: the ticket or order paid for, the
 * card's last four digits — never more of the card, which tix does not keep — and the voucher.
 */
export function purchaseFingerprint(targetId: string, card: string, voucher?: string): string {
  return JSON.stringify({ op: "purchase", targetId, card: card.slice(-4), ...(voucher === undefined ? {} : { voucher }) });
}

/** What a key's purchase paid for, to set beside a different request: "it paid for tkt_1 with the card ending 4242". */
export function boundPurchase(stored: string): string {
  let bound: { targetId?: unknown; card?: unknown; voucher?: unknown };
  try {
    bound = JSON.parse(stored) as typeof bound;
  } catch {
    return "";
  }
  if (typeof bound.targetId !== "string" || typeof bound.card !== "string") return "";
  return `it paid for ${bound.targetId} with the card ending ${bound.card}${typeof bound.voucher === "string" ? ` and voucher ${bound.voucher}` : ""}`;
}

/**
 * What a key's reservation asked for, from its fingerprint, to set beside a purchase that reuses
 * the key: "it reserved 2 VIP tickets of event evt_gala"; "" for no reservation's fingerprint.
 */
export function boundReserve(stored: string): string {
  let bound: { op?: unknown; eventId?: unknown; tier?: unknown; quantity?: unknown };
  try {
    bound = JSON.parse(stored) as typeof bound;
  } catch {
    return "";
  }
  if (bound.op !== "reserve" || typeof bound.eventId !== "string") return "";
  const quantity = typeof bound.quantity === "number" ? bound.quantity : 1;
  const tier = typeof bound.tier === "string" && bound.tier !== "*" ? `${bound.tier} ` : "";
  return `it reserved ${quantity} ${tier}${plural(quantity, "ticket")} of event ${bound.eventId}`;
}

/** Whether a key was bound by a purchase (`purchase --key`), not by a reservation. */
export function isPurchaseBinding(stored: string): boolean {
  try {
    return (JSON.parse(stored) as { op?: unknown } | null)?.op === "purchase";
  } catch {
    return false;
  }
}

/**
 * The rule every keyed operation follows: a live binding made by the same request is replayed
 * (answers the binding), one made by another request is IDEMPOTENCY_KEY_REUSED, and no live
 * binding leaves the key free (answers undefined) for a success to bind.
 */
export function liveBinding(
  record: KeyRecord | undefined,
  isSame: (stored: string) => boolean,
  key: string,
  now: number,
  bound: (stored: string) => string,
): KeyRecord | undefined {
  if (!isKeyLive(record, now)) return undefined;
  if (!isSame(record.request)) {
    const what = bound(record.request);
    throw new TixError("IDEMPOTENCY_KEY_REUSED", `key ${quote(key)} was already used for a different request${what ? ` (${what})` : ""}; use a new key`);
  }
  return record;
}

export function isKeyLive(record: KeyRecord | undefined, now: number): record is KeyRecord {
  return record !== undefined && now - record.createdAt < KEY_RETENTION_MS;
}
