import type { EventRecord, TierRecord } from "../core/index.js";

/**
 * Whether a write transaction may skip writing an event's row or a tier because it holds what is
 * stored already (a reserve changes one tier's counts; its event's row and other tiers stay).
 * Every field is compared but those listed, so a field added later is written when it changes
 * without anyone remembering to list it here.
 */

/** An event's fields that are not its row's own: its tiers, their totals and lowest price, and created_at (never changes). */
const NOT_OWN: ReadonlySet<string> = new Set(["tiers", "capacity", "held", "sold", "priceMinor", "createdAt"] satisfies Array<keyof EventRecord>);

/** The same values in what an event's own row stores. */
export function sameOwnFields(a: EventRecord, b: EventRecord): boolean {
  for (const field in b) {
    if (!NOT_OWN.has(field) && a[field as keyof EventRecord] !== b[field as keyof EventRecord]) return false;
  }
  return true;
}

/** The same tier (at the same position): every field equal. */
export function sameTier(a: TierRecord | undefined, b: TierRecord): boolean {
  if (a === undefined) return false;
  for (const field in b) if (a[field as keyof TierRecord] !== b[field as keyof TierRecord]) return false;
  return true;
}
