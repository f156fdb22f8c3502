import {
  DEFAULT_TEST_CARD,
  TICKET_STATUSES,
  TixError,
  invalidArgument,
  newIdempotencyKey,
  normaliseCardNumber,
  parseLookupId,
  parseTierName,
  parseUserId,
  toTicketView,
  validateIdempotencyKey,
  type TicketRecord,
  type TicketStatus,
  type TicketView,
} from "../core/index.js";
import type { TixStore } from "../core/index.js";

export const MAX_QUANTITY = 50;

/** One ticket or an order of several: `ticket` is the first, `tickets` all of them. */
export interface TicketsOutcome {
  ticket: TicketView;
  tickets: TicketView[];
  orderId: string;
}

export interface ReserveOutcome extends TicketsOutcome {
  /** True when the key had already reserved this order: nothing new was created. */
  replayed: boolean;
  key: string;
}

export interface PurchaseOutcome extends TicketsOutcome {
  /** True when the key had already paid for this ticket or order: nothing was charged again. */
  replayed: boolean;
  /** The idempotency key, when one was given. */
  key?: string;
}

export interface TicketQuery {
  /** Whose tickets; omit for everyone's. */
  userId?: string | undefined;
  eventId?: string | undefined;
  status?: string | undefined;
}

/** Reserve, purchase, cancel, check in: validate at the edge, then one atomic store operation each. */
export class TicketUseCases {
  constructor(private readonly store: TixStore) {}

  /** Holds `quantity` tickets (default 1) of one tier as one order. Without a key one is generated. */
  async reserve(request: {
    eventId: string;
    userId: string;
    key?: string | undefined;
    tier?: string | undefined;
    quantity?: number | string | undefined;
  }): Promise<ReserveOutcome> {
    const key = request.key === undefined ? newIdempotencyKey() : validateIdempotencyKey(request.key);
    const { tickets, orderId, replayed } = await this.store.reserve({
      eventId: parseLookupId(request.eventId, "event id"),
      userId: parseUserId(request.userId),
      key,
      tier: request.tier === undefined ? undefined : parseTierName(request.tier),
      quantity: parseQuantity(request.quantity ?? 1),
    });
    return { ...this.outcome(tickets, orderId), replayed, key };
  }

  /**
   * Pays for a held ticket, or for every held ticket of an order (`ord_…`), with a simulated card.
   * With a `key`, a retry of a successful purchase replays it (`replayed: true`, charged once),
   * and the key with another request is IDEMPOTENCY_KEY_REUSED.
   */
  async purchase(request: { ticketId: string; userId: string; card?: string | undefined; key?: string | undefined }): Promise<PurchaseOutcome> {
    const card = normaliseCardNumber(request.card ?? DEFAULT_TEST_CARD);
    const key = request.key === undefined ? undefined : validateIdempotencyKey(request.key);
    const { tickets, declined, replayed } = await this.store.purchase({
      targetId: parseLookupId(request.ticketId, "ticket id"),
      userId: parseUserId(request.userId),
      card,
      key,
    });
    if (declined) {
      throw new TixError("PAYMENT_DECLINED", `the card ending ${declined.cardLast4} was declined (${declined.reason}); the hold stays until it expires`);
    }
    return { ...this.outcome(tickets, tickets[0]!.orderId), replayed, ...(key === undefined ? {} : { key }) };
  }

  /** Releases a hold or refunds a purchase; with an order id, every ticket of the order. */
  async cancel(request: { ticketId: string; userId: string }): Promise<TicketsOutcome> {
    const tickets = await this.store.cancel({ targetId: parseLookupId(request.ticketId, "ticket id"), userId: parseUserId(request.userId) });
    return this.outcome(tickets, tickets[0]!.orderId);
  }

  /** Marks a purchased ticket used at the door; `actor` is who scanned it. */
  async checkIn(ticketId: string, actor: string): Promise<TicketView> {
    return this.view(await this.store.checkIn({ ticketId: parseLookupId(ticketId, "ticket id"), actor: parseUserId(actor) }));
  }

  async get(ticketId: string): Promise<TicketView> {
    const ticket = await this.store.getTicket(parseLookupId(ticketId, "ticket id"));
    if (!ticket) throw new TixError("TICKET_NOT_FOUND", `no ticket with id ${ticketId}`);
    return this.view(ticket);
  }

  async list(query: TicketQuery = {}): Promise<TicketView[]> {
    const tickets = await this.store.listTickets({
      userId: query.userId === undefined ? undefined : parseUserId(query.userId),
      eventId: query.eventId === undefined ? undefined : parseLookupId(query.eventId, "event"),
      status: query.status === undefined ? undefined : parseStatus(query.status),
    });
    return tickets.map((ticket) => this.view(ticket));
  }

  private outcome(tickets: readonly TicketRecord[], orderId: string): TicketsOutcome {
    const views = tickets.map((ticket) => this.view(ticket));
    return { ticket: views[0]!, tickets: views, orderId };
  }

  private view(ticket: TicketRecord): TicketView {
    return toTicketView(ticket);
  }
}

function parseQuantity(value: number | string): number {
  const number = typeof value === "number" ? value : /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_QUANTITY) {
    throw invalidArgument("quantity", `must be a whole number from 1 to ${MAX_QUANTITY}, got "${value}"`);
  }
  return number;
}

function parseStatus(text: string): TicketStatus {
  if (!(TICKET_STATUSES as readonly string[]).includes(text)) {
    throw invalidArgument("status", `"${text}" is not one of ${TICKET_STATUSES.join(", ")}`);
  }
  return text as TicketStatus;
}
