import { formatTotal } from "./money.js";
import { tierAvailable, type EventRecord, type TicketRecord } from "./model.js";

export interface ReportLine {
  tier: string;
  capacity: number;
  sold: number;
  held: number;
  available: number;
  /** Money kept: tickets purchased and not refunded, at the prices charged (after discounts). */
  revenue: string;
  revenueMinor: number;
  /** What vouchers took off the tickets counted in revenue. */
  discounts: string;
  discountsMinor: number;
  refunds: number;
  refunded: string;
  refundedMinor: number;
  checkedIn: number;
}

export interface EventReport {
  eventId: string;
  name: string;
  currency: string;
  tiers: ReportLine[];
  total: ReportLine;
}

/**
 * What an event's tickets of one tier add up to: the money and the counts a report shows. Money
 * is summed exactly, as a bigint: a tier's capacity times the largest price (10^7 × 10^10 minor
 * units), and refunds over resales, go past 2^53, where a number's sum drifts by whole units.
 */
export interface TierTotals {
  tier: string;
  /** Tickets purchased and not refunded, at the prices charged. */
  revenueMinor: bigint;
  discountsMinor: bigint;
  /** Purchased tickets cancelled since (refunded). */
  refunds: number;
  refundedMinor: bigint;
  checkedIn: number;
}

/**
 * The report's rule, over tickets (the memory store; the SQL stores write the same sums as one
 * GROUP BY, checked equal by the store contract): revenue is what purchased tickets were charged,
 * a refund a purchased ticket cancelled, a check-in any ticket checked in.
 */
export function tierTotalsOf(tickets: Iterable<TicketRecord>): TierTotals[] {
  const totals = new Map<string, TierTotals>();
  for (const ticket of tickets) {
    let line = totals.get(ticket.tier);
    if (!line) totals.set(ticket.tier, (line = { tier: ticket.tier, revenueMinor: 0n, discountsMinor: 0n, refunds: 0, refundedMinor: 0n, checkedIn: 0 }));
    if (ticket.status === "purchased") {
      line.revenueMinor += BigInt(ticket.priceMinor);
      line.discountsMinor += BigInt(ticket.discountMinor);
    }
    if (ticket.status === "cancelled" && ticket.purchasedAt !== null) {
      line.refunds += 1;
      line.refundedMinor += BigInt(ticket.priceMinor);
    }
    if (ticket.checkedInAt !== null) line.checkedIn += 1;
  }
  return [...totals.values()];
}

/** An event's sales per tier, from its tickets' totals (tierTotalsOf); counts of places come from the event itself. */
export function buildReport(event: EventRecord, totals: readonly TierTotals[]): EventReport {
  const money = (minor: bigint) => formatTotal(minor, event.currency);
  const byTier = new Map(totals.map((line) => [line.tier, line]));
  const lines = new Map(event.tiers.map((tier) => {
    const counted = byTier.get(tier.name);
    return [tier.name, {
      tier: tier.name, capacity: tier.capacity, sold: tier.sold, held: tier.held, available: tierAvailable(tier),
      revenueMinor: counted?.revenueMinor ?? 0n, discountsMinor: counted?.discountsMinor ?? 0n, refunds: counted?.refunds ?? 0,
      refundedMinor: counted?.refundedMinor ?? 0n, checkedIn: counted?.checkedIn ?? 0,
    }];
  }));
  const tiers = [...lines.values()];
  const sum = (pick: (line: (typeof tiers)[number]) => number) => tiers.reduce((total, line) => total + pick(line), 0);
  const sumMoney = (pick: (line: (typeof tiers)[number]) => bigint) => tiers.reduce((total, line) => total + pick(line), 0n);
  const total = {
    tier: "TOTAL", capacity: sum((l) => l.capacity), sold: sum((l) => l.sold), held: sum((l) => l.held), available: sum((l) => l.available),
    revenueMinor: sumMoney((l) => l.revenueMinor), discountsMinor: sumMoney((l) => l.discountsMinor), refunds: sum((l) => l.refunds), refundedMinor: sumMoney((l) => l.refundedMinor), checkedIn: sum((l) => l.checkedIn),
  };
  // The texts are exact; the *Minor numbers too up to 2^53 - 1 minor units, beyond which JSON's numbers (doubles) cannot go.
  const withMoney = (line: typeof total): ReportLine => ({
    ...line, revenueMinor: Number(line.revenueMinor), discountsMinor: Number(line.discountsMinor), refundedMinor: Number(line.refundedMinor),
    revenue: money(line.revenueMinor), discounts: money(line.discountsMinor), refunded: money(line.refundedMinor),
  });
  return { eventId: event.id, name: event.name, currency: event.currency, tiers: tiers.map(withMoney), total: withMoney(total) };
}
