import { RANDOM_IDS, type IdSource } from "../../core/index.js";

const TICKET_PREFIX = "tkt_";
const ORDER_PREFIX = "ord_";
const PREFIX_LENGTH = 4;
/** `tkt_` or `ord_` and 16 random characters. */
const RANDOM_ID_LENGTH = 20;

/**
 * The memory store's ids: wholly random (see RANDOM_IDS), made in twins — an order id and the
 * next ticket id made after it (or a ticket id and the next order id) share their random part,
 * `ord_X` and `tkt_X` — so the order of a reservation of one ticket is found through that ticket
 * (see isTwin), with no entry of its own in the index of orders. Ids stay unique: a twin's random
 * part is as fresh as the id it was made after.
 */
export class TwinIds implements IdSource {
  /** The last id made whose twin is not made yet. */
  private unpaired: string | undefined;

  ticket(): string {
    return this.next(TICKET_PREFIX);
  }

  order(): string {
    return this.next(ORDER_PREFIX);
  }

  private next(prefix: string): string {
    const unpaired = this.unpaired;
    if (unpaired !== undefined && !unpaired.startsWith(prefix)) {
      this.unpaired = undefined;
      const twin = twinOf(unpaired, prefix);
      lastTicket = prefix === TICKET_PREFIX ? twin : unpaired;
      lastOrder = prefix === TICKET_PREFIX ? unpaired : twin;
      return twin;
    }
    return (this.unpaired = prefix === TICKET_PREFIX ? RANDOM_IDS.ticket() : RANDOM_IDS.order());
  }
}

/** The last twins made (ticket id, order id): most checks are of the pair just made, the same strings. */
let lastTicket = "";
let lastOrder = "";

/** Whether `ticketId` is `orderId`'s twin (tkt_X and ord_X, whoever made them). */
export function isTwin(ticketId: string, orderId: string): boolean {
  if (ticketId === lastTicket && orderId === lastOrder) return true;
  const length = ticketId.length;
  if (length !== orderId.length || length <= PREFIX_LENGTH || !ticketId.startsWith(TICKET_PREFIX) || !orderId.startsWith(ORDER_PREFIX)) return false;
  for (let at = PREFIX_LENGTH; at < length; at++) if (ticketId.charCodeAt(at) !== orderId.charCodeAt(at)) return false;
  return true;
}

/** The id of `orderId`'s twin ticket (which may not exist), or undefined when it is no order id. */
export function twinTicketId(orderId: string): string | undefined {
  return orderId.startsWith(ORDER_PREFIX) && orderId.length > PREFIX_LENGTH ? twinOf(orderId, TICKET_PREFIX) : undefined;
}

/** The id of the order `ticketId` is the twin of. */
export function twinOrderId(ticketId: string): string {
  return twinOf(ticketId, ORDER_PREFIX);
}

/** `id` with another prefix, made as one flat string (a stored id then costs one object, not a concatenation). */
function twinOf(id: string, prefix: string): string {
  if (id.length === RANDOM_ID_LENGTH) {
    // The store's own ids: one call, no array.
    const c = (at: number): number => id.charCodeAt(at);
    const p = (at: number): number => prefix.charCodeAt(at);
    return String.fromCharCode(p(0), p(1), p(2), p(3), c(4), c(5), c(6), c(7), c(8), c(9), c(10), c(11), c(12), c(13), c(14), c(15), c(16), c(17), c(18), c(19));
  }
  const codes = new Array<number>(id.length);
  for (let at = 0; at < PREFIX_LENGTH; at++) codes[at] = prefix.charCodeAt(at);
  for (let at = PREFIX_LENGTH; at < id.length; at++) codes[at] = id.charCodeAt(at);
  return String.fromCharCode(...codes);
}
