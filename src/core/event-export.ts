import { formatDuration } from "./duration.js";
import type { EventRecord } from "./model.js";
import { formatAmount } from "./money.js";
import { toIsoOrNull } from "./time.js";
import { DEFAULT_TIER, HIDDEN_CODE } from "./tiers.js";

/** A tier as an export writes it: what `--tier` and import take (a code only when it is shown). */
export interface TierRow {
  name: string;
  capacity: number;
  /** Decimal text in the event's currency. */
  price: string;
  /** The access code, `(hidden)` when the export leaves codes out, or null: none. */
  code: string | null;
  /** The tier's own sales window (ISO), or null: the event's. */
  salesStart: string | null;
  salesEnd: string | null;
}

/**
 * An event as `tix export events` writes it: exactly the columns `tix import` reads, with the
 * values that make the same event again (ids kept). Null is a value left out: the default.
 */
export interface EventRow {
  id: string;
  name: string;
  /** The sum of the tiers' capacities (a seated event's: its seats). */
  capacity: number;
  venue: string | null;
  startsAt: string | null;
  /** The hold time as a duration: `10m`, `1h30m`. */
  hold: string;
  /** Only for an event of one tier `GA` without a code or window of its own (else each tier has its price). */
  price: string | null;
  currency: string;
  /** Null for a plain event (`capacity` and `price` say it all). */
  tiers: TierRow[] | null;
  limitPerUser: number | null;
  /** The sales window as set (null: the default, not the start it falls back on). */
  salesStart: string | null;
  salesEnd: string | null;
  /** A seated event's map in the compact form, one text per group of rows (`Stalls:A-C:1-5|6-12`); null: general admission. */
  seats: string[] | null;
}

/** Whether an export writes access codes (`include`) or `(hidden)` in their place. */
export type ExportCodes = "include" | "hide";

/** The export's row of an event; `hide` writes `(hidden)` for each access code. */
export function toEventRow(event: EventRecord, codes: ExportCodes): EventRow {
  const only = event.tiers.length === 1 ? event.tiers[0]! : undefined;
  const plain = event.seatMap === null && only !== undefined && only.name === DEFAULT_TIER
    && only.accessCode === null && only.salesStart === null && only.salesEnd === null;
  return {
    id: event.id,
    name: event.name,
    capacity: event.capacity,
    venue: event.venue,
    startsAt: toIsoOrNull(event.startsAt),
    hold: formatDuration(event.holdSeconds),
    price: plain ? formatAmount(only.priceMinor, event.currency) : null,
    currency: event.currency,
    tiers: plain ? null : event.tiers.map((tier) => ({
      name: tier.name,
      capacity: tier.capacity,
      price: formatAmount(tier.priceMinor, event.currency),
      code: tier.accessCode === null ? null : codes === "include" ? tier.accessCode : HIDDEN_CODE,
      salesStart: toIsoOrNull(tier.salesStart),
      salesEnd: toIsoOrNull(tier.salesEnd),
    })),
    limitPerUser: event.limitPerUser,
    salesStart: toIsoOrNull(event.salesStart),
    salesEnd: toIsoOrNull(event.salesEnd),
    seats: event.seatMap === null ? null : event.seatMap.split("\n"),
  };
}

/** How many access codes a row shows as `(hidden)`. */
export function hiddenCodes(row: EventRow): number {
  return row.tiers?.filter((tier) => tier.code === HIDDEN_CODE).length ?? 0;
}
