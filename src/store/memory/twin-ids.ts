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
    // The store's own ids: one call, no array (and no helper closures: made on every call, they cost more than the string).
    return String.fromCharCode(
      prefix.charCodeAt(0), prefix.charCodeAt(1), prefix.charCodeAt(2), prefix.charCodeAt(3),
      id.charCodeAt(4), id.charCodeAt(5), id.charCodeAt(6), id.charCodeAt(7), id.charCodeAt(8), id.charCodeAt(9), id.charCodeAt(10), id.charCodeAt(11),
      id.charCodeAt(12), id.charCodeAt(13), id.charCodeAt(14), id.charCodeAt(15), id.charCodeAt(16), id.charCodeAt(17), id.charCodeAt(18), id.charCodeAt(19),
    );
  }
  const codes = new Array<number>(id.length);
  for (let at = 0; at < PREFIX_LENGTH; at++) codes[at] = prefix.charCodeAt(at);
  for (let at = PREFIX_LENGTH; at < id.length; at++) codes[at] = id.charCodeAt(at);
  return String.fromCharCode(...codes);
}
