import type { TicketRecord } from "../../core/index.js";

/**
 * The fields of a ticket that many tickets have alike — event, tier, status, price, … everything
 * but its id, order, user and instants of reservation — kept once for all the tickets that share
 * them (frozen: rows point at it), as a hidden class is shared by objects of one shape.
 */
export interface CommonPart {
  readonly eventId: string;
  readonly tier: string;
  readonly status: TicketRecord["status"];
  readonly purchasedAt: number | null;
  readonly cancelledAt: number | null;
  readonly checkedInAt: number | null;
  readonly priceMinor: number;
  readonly currency: string;
  readonly cardLast4: string | null;
  readonly voucher: string | null;
  readonly discountMinor: number;
  readonly seat: string | null;
}

/**
 * `Object.freeze`, read once: a part is made only for a new event or tier, at first before the
 * code that saves tickets has any feedback, and reading the property then deoptimised that code.
 */
const freeze = Object.freeze;

/** The last part made: the next ticket of a run of reservations shares it. */
let lastMade: CommonPart | undefined;

/** `ticket`'s common part: `current` (its row's part) or the last made when alike, else a new one. */
export function commonPartOf(ticket: TicketRecord, current: CommonPart | undefined): CommonPart {
  if (current !== undefined && isCommonPartOf(current, ticket)) return current;
  if (lastMade !== undefined && isCommonPartOf(lastMade, ticket)) return lastMade;
  return (lastMade = freeze({
    eventId: ticket.eventId, tier: ticket.tier, status: ticket.status, purchasedAt: ticket.purchasedAt, cancelledAt: ticket.cancelledAt,
    checkedInAt: ticket.checkedInAt, priceMinor: ticket.priceMinor, currency: ticket.currency, cardLast4: ticket.cardLast4, voucher: ticket.voucher,
    discountMinor: ticket.discountMinor, seat: ticket.seat,
  }));
}

function isCommonPartOf(part: CommonPart, ticket: TicketRecord): boolean {
  return part.eventId === ticket.eventId && part.tier === ticket.tier && part.status === ticket.status && part.purchasedAt === ticket.purchasedAt &&
    part.cancelledAt === ticket.cancelledAt && part.checkedInAt === ticket.checkedInAt && part.priceMinor === ticket.priceMinor &&
    part.currency === ticket.currency && part.cardLast4 === ticket.cardLast4 && part.voucher === ticket.voucher &&
    part.discountMinor === ticket.discountMinor && part.seat === ticket.seat;
}
