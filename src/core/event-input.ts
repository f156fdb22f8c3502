import { DEFAULT_HOLD_SECONDS, MAX_HOLD_SECONDS, parseHoldDuration } from "./duration.js";
import { invalidArgument, invalidArgumentNamed, type TixError } from "./errors.js";
import { DEFAULT_CURRENCY, amountText, parseAmount, parseCurrency } from "./money.js";
import { DEFAULT_TIER, MAX_TIERS, asTier, capacityOfNewTier, checkDistinctTiers, parseTierFields, parseTierSpec, tierShapeRefusal, type TierFields, type TierSpec } from "./tiers.js";
import { parseTimeValue } from "./time.js";
import { tierCapacities, type SeatMap } from "./seating/map.js";
import { parseSeatSpecs, storeSeatMap } from "./seating/spec.js";
import { parseVenueJson } from "./seating/venue.js";
import { described, given, isWellFormedText, numberShown, quote } from "./text.js";
import { wholeNumberGiven } from "./text-input.js";
import { counted } from "./plural.js";

export const MAX_CAPACITY = 10_000_000;
export const MAX_TEXT_LENGTH = 200;
export const MAX_LIMIT_PER_USER = 1_000;

/** Event fields as a person or a program supplies them; every one is validated here. */
export interface EventFields {
  name?: string | undefined;
  capacity?: number | string | undefined;
  venue?: string | null | undefined;
  /** ISO-8601 text, a Date, or epoch milliseconds. */
  startsAt?: string | Date | number | null | undefined;
  /** A duration (`10m`, `1h30m`) or whole seconds. */
  hold?: string | number | undefined;
  /** An amount in the event's currency, as text (`"45.00"`) or a number taken as written (`45`); for single-tier events. */
  price?: string | number | undefined;
  currency?: string | undefined;
  /**
   * `NAME:CAPACITY:PRICE[,code=…][,sales-start=…][,sales-end=…]` texts, or objects; the event's
   * capacity is their sum. A seated event's tier may be `NAME:PRICE[,…]`, created or updated.
   */
  tiers?: ReadonlyArray<string | TierFields> | undefined;
  /** Tickets one user may hold and own; `null` or `"none"` restores the one-hold rule. */
  limitPerUser?: number | string | null | undefined;
  /** When sales open (default: at once) and close (default: when the event starts); `null` or `"none"`: the default. */
  salesStart?: string | Date | number | null | undefined;
  salesEnd?: string | Date | number | null | undefined;
  /**
   * A seat map in the compact form, one text per group of rows (`Floor:A-T:1-30`; see
   * docs/seating.md): the event is seated, each tier's capacity is its number of seats, and
   * `tiers` may give prices as `NAME:PRICE`.
   */
  seats?: readonly string[] | undefined;
  /** A seat map as a venue file's JSON (`{"sections": […]}`), as text or parsed; instead of `seats`. */
  seatMap?: string | Readonly<Record<string, unknown>> | undefined;
}

/** Validated changes to an event. Prices stay decimal text until the currency is known. */
export interface EventPatch {
  name?: string;
  capacity?: number;
  venue?: string | null;
  startsAt?: number | null;
  holdSeconds?: number;
  price?: string;
  /** How a refusal shows the price: the number a call passed (numberShown); left out for text. */
  priceShown?: string;
  currency?: string;
  tiers?: TierSpec[];
  limitPerUser?: number | null;
  salesStart?: number | null;
  salesEnd?: number | null;
  /**
   * A seat map in its stored form (storeSeatMap); `tiers` then lists every tier of the map with
   * its number of seats, and a price ("" for one not given: kept on an update, 0 on creation).
   */
  seatMap?: string;
}

/**
 * Why fields given to create-or-update by id make no new event (no name, no capacity): an
 * existing event keeps its own, so this answers only when the id is new (decideCreateEvent).
 */
export interface MissingDraft {
  missing: TixError;
  /** What a replacement of an existing event lacks, when that is said otherwise (a tier it keeps without a capacity). */
  replacing?: TixError;
}

/** A tier of a new event: its capacity is known. */
export type DraftTier = TierSpec & { capacity: number };

/** A complete, validated definition of a new event. */
export interface EventDraft {
  name: string;
  venue: string | null;
  startsAt: number | null;
  holdSeconds: number;
  currency: string;
  tiers: DraftTier[];
  /** False when `tiers` is the single default tier made from --capacity/--price. */
  tiersGiven: boolean;
  limitPerUser: number | null;
  salesStart: number | null;
  salesEnd: number | null;
  /** The seat map in its stored form; null for general admission. */
  seatMap: string | null;
}

export function parseEventPatch(fields: EventFields): EventPatch {
  const patch: EventPatch = {};
  if (fields.name !== undefined) patch.name = parseText(fields.name, "name");
  if (fields.capacity !== undefined) patch.capacity = parseCapacity(fields.capacity);
  if (fields.venue !== undefined) patch.venue = fields.venue === null ? null : parseText(fields.venue, "venue");
  if (fields.startsAt !== undefined) patch.startsAt = parseStartsAt(fields.startsAt);
  if (fields.hold !== undefined) patch.holdSeconds = parseHold(fields.hold);
  if (fields.currency !== undefined) patch.currency = parseCurrency(fields.currency);
  const currency = patch.currency ?? DEFAULT_CURRENCY;
  if (fields.price !== undefined) {
    // Checked now against the given (or default) currency; re-checked against the stored one on update.
    const price = amountText(fields.price, "price", "45.00");
    const shown = numberShown(fields.price);
    parseAmount(price, currency, "price", shown);
    patch.price = price.trim();
    if (shown !== undefined) patch.priceShown = shown;
  }
  checkListOf(fields.tiers, "tiers", (tier) => typeof tier === "string" || (typeof tier === "object" && tier !== null && !Array.isArray(tier)), 'texts such as "VIP:50:120.00" or objects such as { name: "VIP", capacity: 50, price: "120.00" }');
  checkListOf(fields.seats, "seats", (spec) => typeof spec === "string", 'texts such as "Floor:A-T:1-30"');
  const map = seatMapOf(fields);
  if (map) {
    seatedTiers(patch, map, fields.tiers ?? [], currency);
  } else if (fields.tiers !== undefined && fields.tiers.length > 0) {
    // `NAME:VALUE` waits for the event: a seated one's tier price, refused on general admission (settleOneValue).
    patch.tiers = fields.tiers.map((tier) =>
      typeof tier === "string" ? parseTierSpec(tier, parseCapacity, { oneValue: true }) : parseTierFields(tier, parseCapacity, parseTime));
    checkDistinctTiers(patch.tiers);
    for (const tier of patch.tiers) if (tier.oneValue === undefined) checkTierPrice(tier, currency);
    if (patch.price !== undefined) throw invalidArgument("price", "an event with tiers has a price in each tier, not one price");
  }
  if (fields.limitPerUser !== undefined) patch.limitPerUser = parseLimitPerUser(fields.limitPerUser);
  if (fields.salesStart !== undefined) patch.salesStart = parseOptionalTime(fields.salesStart, "salesStart");
  if (fields.salesEnd !== undefined) patch.salesEnd = parseOptionalTime(fields.salesEnd, "salesEnd");
  if (patch.salesStart != null && patch.salesEnd != null && patch.salesStart >= patch.salesEnd) {
    throw invalidArgument("salesStart", "sales must start before they end");
  }
  return patch;
}

export function parseEventDraft(fields: EventFields): EventDraft {
  if (fields.name === undefined) throw invalidArgument("name", "is required");
  const patch = parseEventPatch(fields);
  if (patch.seatMap !== undefined) {
    return {
      ...draftFields(patch),
      tiers: patch.tiers!.map(newTier),
      tiersGiven: true,
      seatMap: patch.seatMap,
    };
  }
  if (!patch.tiers && patch.capacity === undefined) throw invalidArgument("capacity", "is required, unless tiers or seats are given");
  // Without a seat map the new event is general admission: each tier is NAME:CAPACITY:PRICE.
  const oneValue = patch.tiers?.find((tier) => tier.oneValue !== undefined);
  if (oneValue) throw tierShapeRefusal(oneValue.oneValue!);
  const tiers = patch.tiers?.map(newTier) ?? [{ name: DEFAULT_TIER, capacity: patch.capacity!, price: patch.price ?? "0", ...priceShownOf(patch) }];
  const total = tiers.reduce((sum, tier) => sum + tier.capacity, 0);
  if (patch.capacity !== undefined && patch.capacity !== total) {
    throw invalidArgument("capacity", `${patch.capacity} is not the sum of the tiers' capacities (${total}); leave it out`);
  }
  checkEventSize(tiers);
  return { ...draftFields(patch), tiers, tiersGiven: patch.tiers !== undefined, seatMap: null };
}

/**
 * A tier's price "" is one not given: an update keeps the tier's price (a new tier is free), so a
 * client that leaves a ticket type's price out never resets it.
 */
function checkTierPrice(tier: { name: string; price: string; priceShown?: string }, currency: string): void {
  if (tier.price === "") return;
  // Named as --tier (the flag, the import's tiers column, HTTP's Tier) with its tier, as its capacity is.
  asTier(tier.name, "its price", () => parseAmount(tier.price, currency, "tier", tier.priceShown));
}

/** The event's price as a refusal shows it, carried into the tier it prices: `{ priceShown }` or nothing. */
export function priceShownOf(patch: { priceShown?: string | undefined }): { priceShown?: string } {
  return patch.priceShown === undefined ? {} : { priceShown: patch.priceShown };
}

/** On creation a tier given without a price is free; one without a capacity is refused. */
const newTier = (tier: TierSpec): DraftTier => ({ ...tier, capacity: capacityOfNewTier(tier), price: tier.price === "" ? "0" : tier.price });

function draftFields(patch: EventPatch): Omit<EventDraft, "tiers" | "tiersGiven" | "seatMap"> {
  return {
    name: patch.name!,
    venue: patch.venue ?? null,
    startsAt: patch.startsAt ?? null,
    holdSeconds: patch.holdSeconds ?? DEFAULT_HOLD_SECONDS,
    currency: patch.currency ?? DEFAULT_CURRENCY,
    limitPerUser: patch.limitPerUser ?? null,
    salesStart: patch.salesStart ?? null,
    salesEnd: patch.salesEnd ?? null,
  };
}

/**
 * A list field (tiers, seats) as a JavaScript caller may pass it: a text where the list goes, or a
 * null in it, is INVALID_ARGUMENT naming the field, not a TypeError from deep in its parsing (nor
 * a text read character by character).
 */
function checkListOf(value: unknown, field: string, isItem: (item: unknown) => boolean, items: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw invalidArgument(field, `must be a list of ${items}; got ${described(value)}`);
  const index = value.findIndex((item) => !isItem(item));
  if (index >= 0) throw invalidArgument(field, `must be a list of ${items}; item ${index + 1} is ${value[index] == null ? String(value[index]) : described(value[index])}`);
}

/** The seat map the fields give (compact specs, or a venue's JSON), if any. */
function seatMapOf(fields: EventFields): SeatMap | undefined {
  const specs = fields.seats !== undefined && fields.seats.length > 0 ? fields.seats : undefined;
  if (specs && fields.seatMap !== undefined) throw invalidArgument("seats", "give the seat map once: as compact specs or as a venue file, not both");
  if (specs) return parseSeatSpecs(specs);
  if (fields.seatMap === undefined) return undefined;
  return parseVenueJson(typeof fields.seatMap === "string" ? fields.seatMap : JSON.stringify(fields.seatMap));
}

/**
 * A seated event's tiers are the map's, each with its number of seats. Prices come from `tiers`
 * (`NAME:PRICE`, or `NAME:CAPACITY:PRICE` whose capacity is the tier's seats), else from `price`.
 */
function seatedTiers(patch: EventPatch, map: SeatMap, given: NonNullable<EventFields["tiers"]>, currency: string): void {
  const capacities = tierCapacities(map);
  const names = [...capacities.keys()];
  const specs = new Map<string, TierSpec>();
  for (const tier of given) {
    const { spec: given, capacityGiven } = seatedTierSpec(tier);
    // A tier named in another case is the map's tier (`--tier stalls:30` prices Stalls), as a reservation reads it.
    const spec = { ...given, name: mapTierName(names, given.name) };
    const seats = capacities.get(spec.name);
    if (seats === undefined) throw invalidArgument("tier", `the seat map has no seats in tier ${quote(spec.name)}; its tiers are ${names.join(", ")}`);
    if (capacityGiven && spec.capacity !== seats) {
      throw invalidArgumentNamed("tier", `tier ${spec.name} has ${counted(seats, "seat")} in the map; its capacity is that (or give it as NAME:PRICE)`);
    }
    if (specs.has(spec.name)) throw invalidArgumentNamed("tier", `tier ${quote(spec.name)} is given twice`);
    checkTierPrice(spec, currency);
    specs.set(spec.name, { ...spec, capacity: seats });
  }
  // A tier given (price, code, sales window) keeps what it gave; the others take the event's price.
  patch.tiers = names.map((name) => specs.get(name) ?? { name, capacity: capacities.get(name)!, price: patch.price ?? "", ...priceShownOf(patch) });
  checkDistinctTiers(patch.tiers);
  const seats = [...capacities.values()].reduce((sum, capacity) => sum + capacity, 0);
  if (patch.capacity !== undefined && patch.capacity !== seats) {
    throw invalidArgument("capacity", `${patch.capacity} is not the number of seats in the map (${seats}); leave it out`);
  }
  delete patch.capacity;
  delete patch.price;
  delete patch.priceShown;
  patch.seatMap = storeSeatMap(map);
}

/** The map's tier `name` names: spelt so, else the one it names in another case (the map's tiers never differ only by case: checkDistinctTiers). */
function mapTierName(names: readonly string[], name: string): string {
  if (names.includes(name)) return name;
  const folded = name.toLowerCase();
  return names.find((candidate) => candidate.toLowerCase() === folded) ?? name;
}

/**
 * A seated tier as given: `NAME:PRICE` or `NAME:CAPACITY:PRICE` (text or object), then the same
 * options as any tier (`,code=…`, `,sales-start=…`, `,sales-end=…`). The capacity, when given,
 * must be the map's; the map sets it either way.
 */
function seatedTierSpec(tier: string | TierFields): { spec: TierSpec; capacityGiven: boolean } {
  if (typeof tier !== "string") {
    const capacityGiven = tier.capacity !== undefined;
    return { spec: parseTierFields({ ...tier, capacity: capacityGiven ? tier.capacity : 1 }, parseCapacity, parseTime), capacityGiven };
  }
  // NAME:PRICE (one value before the options) is the tier's price on a seated event, created or updated.
  const { oneValue, ...spec } = parseTierSpec(tier, parseCapacity, { oneValue: true });
  return { spec, capacityGiven: oneValue === undefined };
}

/** Names are stored exactly as given (control characters included); only emptiness and size are refused. */
/**
 * The limits every event obeys, however its tiers came to be (created, or changed one by one):
 * at most MAX_TIERS tiers, adding up to at most MAX_CAPACITY.
 */
export function checkEventSize(tiers: ReadonlyArray<{ capacity: number }>): void {
  if (tiers.length > MAX_TIERS) throw invalidArgument("tier", `an event has at most ${MAX_TIERS} tiers`);
  const total = tiers.reduce((sum, tier) => sum + tier.capacity, 0);
  if (total > MAX_CAPACITY) throw invalidArgument("capacity", `the tiers add up to ${total}, more than ${MAX_CAPACITY}`);
}

/**
 * Names are stored exactly as given (control characters included); emptiness, size and text
 * that is not valid Unicode (a lone UTF-16 surrogate) are refused.
 */
function parseText(value: string, field: string): string {
  if (typeof value !== "string") throw invalidArgument(field, "must be text");
  if (value.trim() === "") throw invalidArgument(field, "must not be empty");
  if (!isWellFormedText(value)) throw invalidArgument(field, "is not valid Unicode text (it holds a lone UTF-16 surrogate)");
  // Every store the same: PostgreSQL's text cannot hold U+0000, so an event named with it could not move there.
  if (value.includes("\u0000")) throw invalidArgument(field, "must not hold the NUL character (U+0000)");
  if ([...value].length > MAX_TEXT_LENGTH) throw invalidArgument(field, `must be at most ${MAX_TEXT_LENGTH} characters`);
  return value;
}

export function parseCapacity(value: number | string): number {
  const number = wholeNumberGiven(value, 9);
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_CAPACITY) {
    throw invalidArgument("capacity", `must be a whole number from 1 to ${MAX_CAPACITY}, got ${given(value)}`);
  }
  return number;
}

function parseLimitPerUser(value: number | string | null): number | null {
  if (value === null || value === "none") return null;
  const number = wholeNumberGiven(value, 4);
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_LIMIT_PER_USER) {
    throw invalidArgument("limitPerUser", `must be a whole number from 1 to ${MAX_LIMIT_PER_USER}, or "none", got ${given(value)}`);
  }
  return number;
}

function parseHold(value: string | number): number {
  if (typeof value === "string") return parseHoldDuration(value);
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_HOLD_SECONDS) {
    throw invalidArgument("hold", `must be whole seconds from 1 to ${MAX_HOLD_SECONDS}, or a duration such as "10m", got ${given(value)}`);
  }
  return value;
}

function parseStartsAt(value: string | Date | number | null): number | null {
  return value === null ? null : parseTime(value, "startsAt");
}

/** A time, or `null`/`"none"` for the default. */
function parseOptionalTime(value: string | Date | number | null, field: string): number | null {
  return value === null || (typeof value === "string" && value.trim().toLowerCase() === "none") ? null : parseTime(value, field);
}

function parseTime(value: string | Date | number, field: string): number {
  return parseTimeValue(value, field);
}
