import { invalidArgument, isTixError } from "./errors.js";
import { quote } from "./text.js";
import type { EventRecord, TierRecord } from "./model.js";
import { parseAmount } from "./money.js";
import { parseTierName } from "./tier-name.js";

export { parseTierName };

export const DEFAULT_TIER = "GA";
export const MAX_TIERS = 20;

/** A tier as a person writes it: `NAME:CAPACITY:PRICE`, e.g. `VIP:50:120.00`. */
export interface TierSpec {
  name: string;
  capacity: number;
  /** Decimal text, priced once the currency is known. */
  price: string;
}

export function parseTierSpec(text: string, parseCapacity: (value: string) => number): TierSpec {
  const parts = text.split(":");
  if (parts.length !== 3) {
    throw invalidArgument("tier", `${quote(text)} must be NAME:CAPACITY:PRICE, e.g. VIP:50:120.00`);
  }
  const [name, capacity, price] = parts as [string, string, string];
  let tierCapacity: number;
  try {
    tierCapacity = parseCapacity(capacity);
  } catch (error) {
    // The fault is in the tier as written: its field is the tier, not the event's capacity.
    throw isTixError(error) ? invalidArgument("tier", `${quote(text)}: its capacity ${error.detail}`) : error;
  }
  return { name: parseTierName(name), capacity: tierCapacity, price: price.trim() };
}

export function checkDistinctTiers(specs: readonly TierSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw invalidArgument("tier", `tier ${quote(spec.name)} is given twice`);
    seen.add(spec.name);
  }
  if (specs.length > MAX_TIERS) throw invalidArgument("tier", `at most ${MAX_TIERS} tiers`);
}

export function tierFromSpec(spec: TierSpec, currency: string): TierRecord {
  return { name: spec.name, capacity: spec.capacity, priceMinor: parseAmount(spec.price, currency, "tier price"), held: 0, sold: 0 };
}

/** Recomputes the event's totals from its tiers: the one place they are derived. */
export function withTotals(event: EventRecord): EventRecord {
  let capacity = 0;
  let held = 0;
  let sold = 0;
  for (const tier of event.tiers) {
    capacity += tier.capacity;
    held += tier.held;
    sold += tier.sold;
  }
  const priceMinor = Math.min(...event.tiers.map((tier) => tier.priceMinor));
  return { ...event, capacity, held, sold, priceMinor };
}

/** The tier a request names, or the event's only tier when it names none. */
export function resolveTier(event: EventRecord, name: string | undefined): TierRecord {
  if (name === undefined) {
    if (event.tiers.length === 1) return event.tiers[0]!;
    throw invalidArgument("tier", `event ${event.id} has tiers ${tierNames(event)}; choose one`);
  }
  const tier = event.tiers.find((candidate) => candidate.name === name);
  if (!tier) throw invalidArgument("tier", `event ${event.id} has no tier ${quote(name)}; its tiers are ${tierNames(event)}`);
  return tier;
}

/** The event with one tier's counts moved by the given amounts, totals included. */
export function adjustTier(event: EventRecord, tierName: string, delta: { held?: number; sold?: number }): EventRecord {
  const tiers = event.tiers.map((tier) =>
    tier.name === tierName ? { ...tier, held: tier.held + (delta.held ?? 0), sold: tier.sold + (delta.sold ?? 0) } : tier);
  return withTotals({ ...event, tiers });
}

function tierNames(event: EventRecord): string {
  return event.tiers.map((tier) => tier.name).join(", ");
}
