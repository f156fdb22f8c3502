import { formatAmount, type EventView, type TicketView } from "../../core/index.js";
import { renderFieldLines, renderRecord, tablePieces, tsvPieces, type Cell, type TableSpec } from "./table.js";
import { column, orDash, text, timeColumn, type View } from "./view.js";

/** Tickets. Piped rows keep their first columns stable; later additions (tier, order, check-in) go at the end. */
export function ticketList(tickets: readonly TicketView[], view: View): string {
  return [...ticketListPieces(tickets, view)].join("");
}

/**
 * The same list in pieces (a terminal's table: see tablePieces), each made as the one before is
 * written. `seated`: whether the whole list has a seat column (a page of a longer list is told).
 * `everyone`: every user's tickets (`--all-users`), whose USER column is what the list is read for,
 * so on a narrow terminal it gives way last, not second: after the status, seat and event too (the
 * columns on the right, dropped once `giveWay` is done, took USER before a STATUS beside it).
 * One user's list keeps its STATUS the same way: its seat and then its event give way first.
 */
export function ticketListPieces(tickets: readonly TicketView[], view: View, seated = tickets.some((ticket) => ticket.seat !== null), everyone = false): Iterable<string> {
  // A seat column only when some ticket has a seat; piped, a seat is the last column.
  if (view.mode === "plain") {
    return tsvPieces(tickets, (ticket) => [ticket.id, ticket.eventId, ticket.userId, ticket.status, ticket.reservedAt, ticket.expiresAt,
      ticket.price, ticket.currency, ticket.cardLast4, ticket.tier, ticket.orderId, ticket.checkedInAt, ...(seated ? [ticket.seat] : [])]);
  }
  const spec: TableSpec<TicketView> = {
    columns: {
      id: column("ID", (ticket) => text(ticket.id)),
      event: column("EVENT", (ticket) => text(ticket.eventId)),
      tier: column("TIER", (ticket) => text(ticket.tier), { shrinkTo: 8 }),
      ...(seated ? { seat: column("SEAT", (ticket) => orDash(ticket.seat, view)) } : {}),
      user: column("USER", (ticket) => text(ticket.userId), { shrinkTo: 8 }),
      status: column("STATUS", (ticket) => statusCell(ticket, view)),
      reserved: timeColumn("RESERVED", (ticket) => ticket.reservedAt, view),
      expires: column("EXPIRES", (ticket) => expiryCell(ticket, view, (iso) => view.time.relative(iso))),
      price: column("PRICE", (ticket) => text(`${ticket.price} ${ticket.currency}`), { align: "right" }),
      card: column("CARD", (ticket) => orDash(ticket.cardLast4, view)),
    },
    giveWay: everyone
      ? ["card", "reserved>", "reserved>", "tier", "price", "reserved", "expires", "status", "seat", "event", "user"]
      // One user's list is read for what state each ticket is in: STATUS stays longest, its seat
      // and event give way before it (left to the columns on the right, a seated list at 60
      // columns was ID EVENT SEAT and at 40 its ids alone, no ticket saying whether it was held,
      // bought or gone).
      : ["card", "user", "reserved>", "reserved>", "tier", "price", "reserved", "expires", "seat", "event"],
  };
  return tablePieces(spec, tickets, view.width, view.style);
}

/** Every field of one ticket (the reservation's key too, when there is one). */
export function ticketRecord(ticket: TicketView, view: View, reservation?: { key: string; replayed: boolean }): string {
  if (view.mode === "plain") {
    return renderFieldLines([
      ["id", ticket.id], ["eventId", ticket.eventId], ["tier", ticket.tier], ...(ticket.seat === null ? [] : [["seat", ticket.seat]] as Array<[string, string]>), ["orderId", ticket.orderId], ["userId", ticket.userId],
      ["status", ticket.status], ["reservedAt", ticket.reservedAt], ["expiresAt", ticket.expiresAt], ["purchasedAt", ticket.purchasedAt],
      ["cancelledAt", ticket.cancelledAt], ["checkedInAt", ticket.checkedInAt], ["price", ticket.price], ["currency", ticket.currency],
      ["cardLast4", ticket.cardLast4],
      ...(ticket.voucher === null ? [] : [["voucher", ticket.voucher], ["discount", ticket.discount]] as Array<[string, string]>),
      ...(reservation ? [["key", reservation.key], ["replayed", String(reservation.replayed)]] as Array<[string, string]> : []),
    ]);
  }
  const time = (iso: string | null) => orDash(iso === null ? null : view.time.full(iso), view);
  const fields: Array<[string, Cell]> = [
    ["ID", text(ticket.id)],
    ["Event", text(ticket.eventId)],
    ["Tier", text(ticket.tier)],
    ...(ticket.seat === null ? [] : [["Seat", text(ticket.seat)]] as Array<[string, Cell]>),
    ["Order", text(ticket.orderId)],
    ["User", text(ticket.userId)],
    ["Status", statusCell(ticket, view)],
    ["Reserved", time(ticket.reservedAt)],
    ["Expires", expiryCell(ticket, view, (iso) => view.time.full(iso))],
    ["Purchased", time(ticket.purchasedAt)],
    ["Cancelled", time(ticket.cancelledAt)],
    ["Checked in", time(ticket.checkedInAt)],
    ["Price", text(`${ticket.price} ${ticket.currency}`)],
    ["Card", text(ticket.cardLast4 === null ? view.style.marks.dash : `${view.style.marks.hidden.repeat(4)} ${ticket.cardLast4}`)],
    ...voucherFields(ticket, view),
  ];
  if (reservation) fields.push(["Key", text(reservation.key)], ["Replayed", text(String(reservation.replayed))]);
  return renderRecord(fields, view.width, view.style);
}

/**
 * Several tickets reserved, bought or cancelled together. On a terminal: the list, then the
 * order's id and key. Piped: one record per ticket, as one ticket's (its `orderId:`, and after a
 * reserve `key:` and `replayed:`), a blank line between — the shape of `--quantity 1`, so a script
 * reading `id:` lines works for any quantity (it was the list's tab-separated rows followed by
 * `orderId:`/`key:`/`replayed:` lines: two shapes in one output).
 */
export function orderRecord(order: { orderId: string; tickets: TicketView[] }, view: View, reservation?: { key: string; replayed: boolean }): string {
  if (view.mode === "plain") return order.tickets.map((ticket) => ticketRecord(ticket, view, reservation)).join("\n");
  const list = ticketList(order.tickets, view);
  const fields: Array<[string, Cell]> = [["Order", text(order.orderId)]];
  if (reservation) fields.push(["Key", text(reservation.key)], ["Replayed", text(String(reservation.replayed))]);
  return `${list}${renderRecord(fields, view.width, view.style)}`;
}

export interface Answer {
  action: "reserve" | "purchase";
  tickets: readonly TicketView[];
  orderId: string;
  event?: EventView | undefined;
  reservation?: { key: string; replayed: boolean } | undefined;
}

/**
 * What a person at a terminal needs after reserving or buying, in a few lines: the ticket, the
 * event's name and date, the tier and price, then the expiry and the key, or what was charged.
 */
export function shortAnswer(answer: Answer, view: View): string {
  const { tickets, event } = answer;
  const first = tickets[0]!;
  const several = tickets.length > 1;
  const fields: Array<[string, Cell]> = [
    [several ? "Tickets" : "Ticket", { value: `${tickets.map((ticket) => ticket.id).join(" ")} ${view.style.marks.dot} ${statuses(tickets)}`, color: undefined }],
  ];
  if (several) fields.push(["Order", text(answer.orderId)]);
  fields.push(["Event", text(event ? [event.name, ...(event.startsAt ? [view.time.full(event.startsAt)] : [])].join(` ${view.style.marks.dot} `) : first.eventId)]);
  // A purchase's tier line is of the tickets it paid for (their price is after a voucher), not of those cancelled before.
  const priced = answer.action === "purchase" && paidNow(tickets).length > 0 ? paidNow(tickets) : tickets;
  const sample = priced[0]!;
  fields.push(["Tier", text(`${sample.tier} ${view.style.marks.dot} ${priced.length > 1 ? `${priced.length} ${view.style.marks.times} ` : ""}${sample.price} ${sample.currency}`)]);
  const seats = tickets.flatMap((ticket) => (ticket.seat === null ? [] : [ticket.seat]));
  if (seats.length > 0) fields.push([seats.length > 1 ? "Seats" : "Seat", text(seats.join(" "))]);
  if (answer.action === "purchase") {
    fields.push(["Charged", text(charged(tickets, view))], ...voucherFields(paidNow(tickets)[0] ?? first, view));
  } else if (first.status === "reserved" || first.status === "expired") {
    fields.push(["Expires", expiryCell(first, view, (iso) => view.time.full(iso))]);
  }
  if (answer.reservation) fields.push(["Key", text(`${answer.reservation.key}${answer.reservation.replayed ? ` ${view.style.marks.dot} replayed` : ""}`)]);
  return renderRecord(fields, view.width, view.style);
}

/** "purchased", or for an order whose tickets differ, "2 purchased, 1 cancelled" (in the order first seen). */
function statuses(tickets: readonly TicketView[]): string {
  const counts = new Map<string, number>();
  for (const ticket of tickets) counts.set(ticket.status, (counts.get(ticket.status) ?? 0) + 1);
  return counts.size === 1 ? tickets[0]!.status : [...counts].map(([status, count]) => `${count} ${status}`).join(", ");
}

/**
 * The tickets a purchase paid for, of an order's answer (which holds every ticket of the order,
 * also those cancelled or bought before): those with the latest purchase time (one transaction).
 */
export function paidNow(tickets: readonly TicketView[]): TicketView[] {
  const bought = tickets.filter((ticket) => ticket.purchasedAt !== null);
  const latest = bought.reduce((at, ticket) => (ticket.purchasedAt! > at ? ticket.purchasedAt! : at), "");
  return bought.filter((ticket) => ticket.purchasedAt === latest);
}

/** "360.00 USD for 3 tickets, card ending 4242": the tickets this purchase paid for (the latest purchase time). */
function charged(tickets: readonly TicketView[], view: View): string {
  const paid = paidNow(tickets);
  const total = paid.reduce((sum, ticket) => sum + ticket.priceMinor, 0);
  const first = paid[0] ?? tickets[0]!;
  const count = paid.length === 1 ? "" : ` for ${paid.length} tickets`;
  return `${formatAmount(total, first.currency)} ${first.currency}${count}, card ending ${first.cardLast4 ?? view.style.marks.dash}`;
}

/** The voucher a purchase used and what it took off each ticket (the price shown is after it). */
function voucherFields(ticket: TicketView, view: View): Array<[string, Cell]> {
  return ticket.voucher === null ? [] : [["Voucher", text(`${ticket.voucher} ${view.style.marks.dot} ${ticket.discount} ${ticket.currency} off`)]];
}

function statusCell(ticket: TicketView, view: View): Cell {
  return { value: ticket.status, color: view.style.statusColor(ticket.status) };
}

/** A live hold says when it ends; an expired one, when it did (dimmed); other tickets have no expiry that matters. */
function expiryCell(ticket: TicketView, view: View, show: (iso: string) => string): Cell {
  if (ticket.status === "reserved") return { value: show(ticket.expiresAt), color: view.style.chalk.yellow };
  if (ticket.status === "expired") return { value: show(ticket.expiresAt), color: view.style.chalk.dim };
  return text(view.style.marks.dash);
}
