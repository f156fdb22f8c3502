import type { TierTotals } from "../core/index.js";

/** A row of the SQL stores' ticketTotals: the money sums as decimal text, exact (a number stops at 2^53). */
export interface TotalsRow {
  tier: string;
  revenueMinor: string;
  discountsMinor: string;
  refunds: number;
  refundedMinor: string;
  checkedIn: number;
}

/** The row as TierTotals: each sum a bigint, every minor unit kept. */
export function exactTotals(row: TotalsRow): TierTotals {
  return {
    tier: row.tier, revenueMinor: BigInt(row.revenueMinor), discountsMinor: BigInt(row.discountsMinor), refunds: row.refunds,
    refundedMinor: BigInt(row.refundedMinor), checkedIn: row.checkedIn,
  };
}
