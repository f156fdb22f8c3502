import { formatAmount } from "./money.js";
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

/** What an event's tickets of one tier add up to: the money and the counts a report shows. */
export interface TierTotals {
  tier: string;
  /** Tickets purchased and not refunded, at the prices charged. */
  revenueMinor: number;
  discountsMinor: number;
  /** Purchased tickets cancelled since (refunded). */
  refunds: number;
  refundedMinor: number;
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
    if (!line) totals.set(ticket.tier, (line = { tier: ticket.tier, revenueMinor: 0, discountsMinor: 0, refunds: 0, refundedMinor: 0, checkedIn: 0 }));
    if (ticket.status === "purchased") {
      line.revenueMinor += ticket.priceMinor;
      line.discountsMinor += ticket.discountMinor;
    }
    if (ticket.status === "cancelled" && ticket.purchasedAt !== null) {
      line.refunds += 1;
      line.refundedMinor += ticket.priceMinor;
    }
    if (ticket.checkedInAt !== null) line.checkedIn += 1;
  }
  return [...totals.values()];
}

/** An event's sales per tier, from its tickets' totals (tierTotalsOf); counts of places come from the event itself. */
export function buildReport(event: EventRecord, totals: readonly TierTotals[]): EventReport {
  const money = (minor: number) => formatAmount(minor, event.currency);
  const byTier = new Map(totals.map((line) => [line.tier, line]));
  const lines = new Map(event.tiers.map((tier) => {
    const counted = byTier.get(tier.name);
    return [tier.name, {
      tier: tier.name, capacity: tier.capacity, sold: tier.sold, held: tier.held, available: tierAvailable(tier),
      revenueMinor: counted?.revenueMinor ?? 0, discountsMinor: counted?.discountsMinor ?? 0, refunds: counted?.refunds ?? 0,
      refundedMinor: counted?.refundedMinor ?? 0, checkedIn: counted?.checkedIn ?? 0,
    }];
  }));
  const tiers = [...lines.values()];
  const sum = (pick: (line: (typeof tiers)[number]) => number) => tiers.reduce((total, line) => total + pick(line), 0);
  const total = {
    tier: "TOTAL", capacity: sum((l) => l.capacity), sold: sum((l) => l.sold), held: sum((l) => l.held), available: sum((l) => l.available),
    revenueMinor: sum((l) => l.revenueMinor), discountsMinor: sum((l) => l.discountsMinor), refunds: sum((l) => l.refunds), refundedMinor: sum((l) => l.refundedMinor), checkedIn: sum((l) => l.checkedIn),
  };
  const withMoney = (line: typeof total): ReportLine => ({
    ...line, revenue: money(line.revenueMinor), discounts: money(line.discountsMinor), refunded: money(line.refundedMinor),
  });
  return { eventId: event.id, name: event.name, currency: event.currency, tiers: tiers.map(withMoney), total: withMoney(total) };
}
