import { parseCode } from "./codes.js";
import { TixError, invalidArgument, invalidArgumentNamed, isTixError } from "./errors.js";
import { onlyKnownFields } from "./fields.js";
import { numberShown, quote } from "./text.js";
import type { EventRecord, TierRecord } from "./model.js";
import { amountText, parseAmount } from "./money.js";
import { parseTierName } from "./tier-name.js";
import { parseIsoTime } from "./time.js";

export { parseTierName };

export const DEFAULT_TIER = "GA";
export const MAX_TIERS = 20;

/**
 * A tier as a person writes it: `NAME:CAPACITY:PRICE`, e.g. `VIP:50:120.00`, optionally followed by
 * `,code=CODE`, `,sales-start=ISO`, `,sales-end=ISO` (`none` removes one).
 */
export interface TierSpec {
  name: string;
  /** Left out (`VIP::120.00`): an update keeps the tier's capacity; a new tier needs one. */
  capacity?: number | undefined;
  /** Decimal text, priced once the currency is known. */
  price: string;
  /** How a refusal shows the price: the number a call passed (numberShown); left out for text. */
  priceShown?: string;
  /** Left out: kept as it is (a new tier: none); null: removed. */
  code?: string | null;
  salesStart?: number | null;
  salesEnd?: number | null;
  /**
   * The text, when it was written `NAME:VALUE` (one value before the options): what VALUE is, the
   * event the tier belongs to decides (settleOneValue). `price` holds VALUE and `capacity` is left
   * out meanwhile: a seated event's tier has its seats for a capacity, so VALUE is its price.
   */
  oneValue?: string;
}

/** A tier as a program gives it (the library, a JSON import, the Web API). */
export interface TierFields {
  name: string;
  /** Left out: a seated event's map gives each tier its seats; an update keeps the tier's capacity; a new tier needs one. */
  capacity?: number | string | undefined;
  /** An amount, as text (`"120.00"`) or a number taken as written (`120`); "" leaves it out (an update keeps the tier's price, a new tier is free). */
  price: string | number;
  code?: string | null | undefined;
  salesStart?: string | Date | number | null | undefined;
  salesEnd?: string | Date | number | null | undefined;
}

const TIER_SHAPE = "NAME:CAPACITY:PRICE, e.g. VIP:50:120.00 (then ,code=CODE ,sales-start=ISO ,sales-end=ISO if wanted)";

/**
 * A tier's text. `NAME:VALUE` (one value, then the options) is read only with `oneValue` (as
 * `NAME::VALUE`, marked `oneValue` for the event to settle), else refused as not NAME:CAPACITY:PRICE.
 */
export function parseTierSpec(text: string, parseCapacity: (value: string) => number, how: { oneValue?: boolean } = {}): TierSpec {
  if (isOneValue(text)) {
    if (!how.oneValue) throw tierShapeRefusal(text);
    const first = text.indexOf(":");
    return { ...parseTierSpec(`${text.slice(0, first)}:${text.slice(first)}`, parseCapacity), oneValue: text };
  }
  // Times in the options hold ':' too: only the first two separate name, capacity and the rest.
  const first = text.indexOf(":");
  const second = first < 0 ? -1 : text.indexOf(":", first + 1);
  if (second < 0) throw tierShapeRefusal(text);
  const [price, ...options] = text.slice(second + 1).split(",");
  const capacity = text.slice(first + 1, second);
  const name = parseTierName(text.slice(0, first));
  const spec: TierSpec = {
    name,
    capacity: capacity.trim() === "" ? undefined : asTier(name, "its capacity", () => parseCapacity(capacity)),
    price: price!.trim(),
  };
  for (const option of options) {
    const equals = option.indexOf("=");
    const key = option.slice(0, Math.max(equals, 0)).trim();
    const value = option.slice(equals + 1).trim();
    if (equals < 0 || !(key in TIER_OPTIONS)) {
      throw invalidArgument("tier", `${quote(option.trim())} in ${quote(text)} is not one of code=CODE, sales-start=ISO, sales-end=ISO`);
    }
    asTier(name, `its ${key}`, () => TIER_OPTIONS[key as keyof typeof TIER_OPTIONS](spec, value));
  }
  return checkTierWindow(spec);
}

/** `NAME:VALUE[,options]`: one ':' after the name before the options (whose times hold ':' too). */
function isOneValue(text: string): boolean {
  const first = text.indexOf(":");
  if (first < 0) return false;
  const rest = text.slice(first + 1);
  const comma = rest.indexOf(",");
  return !(comma < 0 ? rest : rest.slice(0, comma)).includes(":");
}

/** A tier's text that is not NAME:CAPACITY:PRICE (a new general-admission tier, or no ':' at all). */
export function tierShapeRefusal(text: string): TixError {
  return invalidArgument("tier", `${quote(text)} must be ${TIER_SHAPE}`);
}

/**
 * A tier written `NAME:VALUE` (parseTierSpec's `oneValue`), made definite by the event it is
 * given to: on a seated event VALUE is the tier's price (its capacity is its seats, as when the
 * event was created); on a general-admission one it could be the capacity or the price, so it is
 * refused, saying how to write each. Any other tier is answered as it is.
 */
export function settleOneValue(spec: TierSpec, event: { id: string; seatMap: string | null }): TierSpec {
  if (spec.oneValue === undefined) return spec;
  const { oneValue, ...settled } = spec;
  if (event.seatMap !== null) return settled;
  const value = spec.price;
  if (value === "") throw tierShapeRefusal(oneValue);
  const where = `${quote(oneValue)} on general-admission event ${event.id}`;
  throw invalidArgument("tier", /^\d+$/.test(value)
    ? `${where} is a capacity or a price: write ${spec.name}::${value} for the price or ${spec.name}:${value}: for the capacity`
    : `${where} must be NAME:CAPACITY:PRICE: write ${spec.name}::${value} for the price (an empty capacity keeps the tier's)`);
}

/**
 * The fault is in a tier: its field is the tier, not the event's capacity or sales, and every fault
 * of one is worded alike, `tier "VIP": its capacity …`, however the tier was given (text or fields).
 */
export function asTier<T>(name: string, what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw isTixError(error) ? invalidArgumentNamed("tier", `tier ${quote(name)}: ${what} ${error.detail}`) : error;
  }
}

const orNone = <T>(value: string, parse: (text: string) => T): T | null => (value.toLowerCase() === "none" ? null : parse(value));

/**
 * What an export writes in place of an access code it does not show (on a terminal, unless asked):
 * not a code (parseCode refuses its parentheses), so importing such a file never opens a presale
 * tier to everyone; it is refused, saying why.
 */
export const HIDDEN_CODE = "(hidden)";

/** A tier's access code: parseCode's rules, and the hidden code of an export refused in words. */
export function parseAccessCode(text: string): string {
  if (typeof text === "string" && text.trim() === HIDDEN_CODE) {
    throw invalidArgument("code", `is ${HIDDEN_CODE}: the export was made without its access codes; write the code itself, or none to sell the tier without one`);
  }
  return parseCode(text, "code");
}

const TIER_OPTIONS = {
  code: (spec: TierSpec, value: string) => (spec.code = orNone(value, parseAccessCode)),
  "sales-start": (spec: TierSpec, value: string) => (spec.salesStart = orNone(value, (text) => parseIsoTime(text, "salesStart"))),
  "sales-end": (spec: TierSpec, value: string) => (spec.salesEnd = orNone(value, (text) => parseIsoTime(text, "salesEnd"))),
};

const TIER_FIELD_NAMES: ReadonlyArray<keyof TierFields> = ["name", "capacity", "price", "code", "salesStart", "salesEnd"];

/** A tier given as an object: the same rules as its text form; a field it does not have (a misspelt `salesStrat`) is refused, not ignored. */
export function parseTierFields(tier: TierFields, parseCapacity: (value: string | number) => number, parseTime: (value: string | Date | number, field: string) => number): TierSpec {
  onlyKnownFields(tier, `tier ${quote(String(tier.name))}`, TIER_FIELD_NAMES);
  // Each field read as given (not through NAME:CAPACITY:PRICE text, whose ':' a name or price
  // could break, and whose text no caller wrote): a fault names the tier and its field.
  const name = parseTierName(tier.name);
  // Only text is read as digits: String() would make ["5"] a capacity of 5 and [] one left out.
  const capacity = tier.capacity === undefined || (typeof tier.capacity === "string" && tier.capacity.trim() === "") ? undefined : asTier(name, "its capacity", () => parseCapacity(tier.capacity!));
  // A price left out is "" (free when new, kept on an update), as HTTP's TicketTypes reads it, not the text "undefined".
  const price = tier.price === undefined || tier.price === null ? "" : asTier(name, "its price", () => amountText(tier.price, "price", "120.00"));
  const spec: TierSpec = { name, capacity, price: price.trim() };
  const shown = numberShown(tier.price);
  if (shown !== undefined) spec.priceShown = shown;
  if (tier.code !== undefined) spec.code = tier.code === null ? null : asTier(spec.name, "its code", () => parseAccessCode(tier.code!));
  if (tier.salesStart !== undefined) spec.salesStart = tier.salesStart === null ? null : parseTime(tier.salesStart, "salesStart");
  if (tier.salesEnd !== undefined) spec.salesEnd = tier.salesEnd === null ? null : parseTime(tier.salesEnd, "salesEnd");
  return checkTierWindow(spec);
}

/**
 * A tier as `--tier` and import's `tiers` take it, the inverse of parseTierSpec:
 * `NAME:CAPACITY:PRICE`, then `,code=CODE`, `,sales-start=ISO`, `,sales-end=ISO` for those set.
 */
export function formatTierSpec(tier: { name: string; capacity: number; price: string; code: string | null; salesStart: string | null; salesEnd: string | null }): string {
  let text = `${tier.name}:${tier.capacity}:${tier.price}`;
  if (tier.code !== null) text += `,code=${tier.code}`;
  if (tier.salesStart !== null) text += `,sales-start=${tier.salesStart}`;
  if (tier.salesEnd !== null) text += `,sales-end=${tier.salesEnd}`;
  return text;
}

function checkTierWindow(spec: TierSpec): TierSpec {
  if (spec.salesStart != null && spec.salesEnd != null && spec.salesStart >= spec.salesEnd) {
    throw invalidArgumentNamed("tier", `tier ${quote(spec.name)}: sales must start before they end`);
  }
  return spec;
}

/** A tier being made has a capacity: only an existing tier keeps its own when one is left out. */
export function capacityOfNewTier(spec: TierSpec): number {
  if (spec.capacity === undefined) throw invalidArgumentNamed("tier", `tier ${quote(spec.name)} is new, so it needs a capacity`);
  return spec.capacity;
}

/**
 * Each tier once, by name in any case: a reservation, an update and a waiting list read a tier's
 * name case-insensitively (tierNamed), so `VIP` beside `vip` would be two tiers no name could pick
 * between. One rule for every face (command line, import, library, Web API).
 */
export function checkDistinctTiers(specs: readonly TierSpec[]): void {
  const seen = new Map<string, string>();
  for (const spec of specs) {
    const folded = spec.name.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier === spec.name) throw invalidArgumentNamed("tier", `tier ${quote(spec.name)} is given twice`);
    if (earlier !== undefined) {
      throw invalidArgumentNamed("tier", `tiers ${quote(earlier)} and ${quote(spec.name)} differ only by case, and tier names are matched in any case; give them different names`);
    }
    seen.set(folded, spec.name);
  }
  if (specs.length > MAX_TIERS) throw invalidArgument("tier", `at most ${MAX_TIERS} tiers`);
}

export function tierFromSpec(spec: TierSpec, currency: string): TierRecord {
  return {
    name: spec.name, capacity: capacityOfNewTier(spec), priceMinor: parseAmount(spec.price, currency, "tier price", spec.priceShown), held: 0, sold: 0,
    salesStart: spec.salesStart ?? null, salesEnd: spec.salesEnd ?? null, accessCode: spec.code ?? null,
  };
}

/** What an event is besides its tiers and the totals derived from them. */
export type EventOwnFields = Omit<EventRecord, "tiers" | "capacity" | "held" | "sold" | "priceMinor">;

/** The event with `tiers` and its totals recomputed from them: the one place they are derived. */
export function withTotals(event: EventOwnFields, tiers: TierRecord[]): EventRecord {
  let capacity = 0;
  let held = 0;
  let sold = 0;
  let priceMinor = Number.POSITIVE_INFINITY;
  for (const tier of tiers) {
    capacity += tier.capacity;
    held += tier.held;
    sold += tier.sold;
    if (tier.priceMinor < priceMinor) priceMinor = tier.priceMinor;
  }
  // One literal naming every field (the type checks that none is left out): one object made in
  // one step, where a spread copied the record field by field and then changed five of them.
  return {
    id: event.id, name: event.name, venue: event.venue, startsAt: event.startsAt, capacity, held, sold, tiers,
    holdSeconds: event.holdSeconds, priceMinor, currency: event.currency, limitPerUser: event.limitPerUser,
    salesStart: event.salesStart, salesEnd: event.salesEnd, seatMap: event.seatMap, createdAt: event.createdAt, updatedAt: event.updatedAt,
  };
}

/** The tier a request names, or the event's only tier when it names none. */
export function resolveTier(event: EventRecord, name: string | undefined): TierRecord {
  if (name === undefined) {
    if (event.tiers.length === 1) return event.tiers[0]!;
    throw invalidArgument("tier", `event ${event.id} has tiers ${tierNames(event)}; choose one`);
  }
  const tier = tierNamed(event, name);
  if (!tier) throw invalidArgument("tier", `event ${event.id} has no tier ${quote(name)}; its tiers are ${tierNames(event)}`);
  return tier;
}

/**
 * The tier `name` names, in any case (`vip` is `VIP`, as codes are matched), or undefined. The
 * name as it is spelt wins; two tiers that differ only by case are an ambiguity unless one is
 * spelt exactly so.
 */
export function tierNamed<Tier extends { name: string }>(event: { id: string; tiers: readonly Tier[] }, name: string): Tier | undefined {
  const exact = event.tiers.find((candidate) => candidate.name === name);
  if (exact) return exact;
  const folded = name.toLowerCase();
  const matches = event.tiers.filter((candidate) => candidate.name.toLowerCase() === folded);
  if (matches.length > 1) {
    throw invalidArgument("tier", `${quote(name)} matches tiers ${matches.map((tier) => tier.name).join(" and ")} of event ${event.id}, which differ only by case; give the name exactly`);
  }
  return matches[0];
}

/** The event with `held` and `sold` added to its tier `tierName`'s counts, totals included (amounts, not an object of them: one object fewer a reservation). */
export function adjustTier(event: EventRecord, tierName: string, held: number, sold = 0): EventRecord {
  const tiers = event.tiers.slice();
  for (let index = 0; index < tiers.length; index++) {
    const tier = tiers[index]!;
    if (tier.name !== tierName) continue;
    // A literal (see withTotals): a spread and two changes cost several times as much.
    tiers[index] = {
      name: tier.name, capacity: tier.capacity, priceMinor: tier.priceMinor, held: tier.held + held, sold: tier.sold + sold,
      salesStart: tier.salesStart, salesEnd: tier.salesEnd, accessCode: tier.accessCode,
    };
    break;
  }
  return withTotals(event, tiers);
}

function tierNames(event: EventRecord): string {
  return event.tiers.map((tier) => tier.name).join(", ");
}

/**
 * A tier with an access code is reserved only with that code (case-insensitive: codes arrive
 * upper-cased). The refusal is the same whatever was given: it tells nothing about which codes exist.
 */
export function checkAccessCode(event: EventRecord, tier: TierRecord, code: string | undefined): void {
  if (tier.accessCode === null || code === tier.accessCode) return;
  throw new TixError("ACCESS_CODE_INVALID", code === undefined
    ? `tier ${tier.name} of event ${event.id} needs an access code`
    : `that access code is not valid for tier ${tier.name} of event ${event.id}`);
}
