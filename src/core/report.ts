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

/** An event's sales per tier, from its tickets; counts of places come from the event itself. */
export function buildReport(event: EventRecord, tickets: readonly TicketRecord[]): EventReport {
  const money = (minor: number) => formatAmount(minor, event.currency);
  const lines = new Map(event.tiers.map((tier) => [tier.name, {
    tier: tier.name, capacity: tier.capacity, sold: tier.sold, held: tier.held, available: tierAvailable(tier),
    revenueMinor: 0, discountsMinor: 0, refunds: 0, refundedMinor: 0, checkedIn: 0,
  }]));
  for (const ticket of tickets) {
    const line = lines.get(ticket.tier);
    if (!line) continue;
    const { status } = ticket; // current: the store released due holds before listing
    if (status === "purchased") {
      line.revenueMinor += ticket.priceMinor;
      line.discountsMinor += ticket.discountMinor;
    }
    if (status === "cancelled" && ticket.purchasedAt !== null) {
      line.refunds += 1;
      line.refundedMinor += ticket.priceMinor;
    }
    if (ticket.checkedInAt !== null) line.checkedIn += 1;
  }
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
