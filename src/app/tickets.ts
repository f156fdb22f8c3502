import {
  DEFAULT_TEST_CARD,
  TICKET_STATUSES,
  TixError,
  invalidArgument,
  newIdempotencyKey,
  normaliseCardNumber,
  parseCode,
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

export interface TransferOutcome extends TicketsOutcome {
  /** Who gave the tickets away; `userId` of each ticket is now the recipient. */
  from: string;
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
    /** The access code of a tier that requires one. */
    code?: string | undefined;
  }): Promise<ReserveOutcome> {
    const key = request.key === undefined ? newIdempotencyKey() : validateIdempotencyKey(request.key);
    const { tickets, orderId, replayed } = await this.store.reserve({
      eventId: parseLookupId(request.eventId, "event id"),
      userId: parseUserId(request.userId),
      key,
      tier: request.tier === undefined ? undefined : parseTierName(request.tier),
      quantity: parseQuantity(request.quantity ?? 1),
      code: request.code === undefined ? undefined : parseCode(request.code, "code"),
    });
    return { ...this.outcome(tickets, orderId), replayed, key };
  }

  /**
   * Pays for a held ticket, or for every held ticket of an order (`ord_…`), with a simulated card.
   * With a `key`, a retry of a successful purchase replays it (`replayed: true`, charged once),
   * and the key with another request is IDEMPOTENCY_KEY_REUSED. With a `voucher` code of the
   * event, each ticket is charged its discounted price and counts one use of the voucher.
   */
  async purchase(request: {
    ticketId: string;
    userId: string;
    card?: string | undefined;
    key?: string | undefined;
    voucher?: string | undefined;
  }): Promise<PurchaseOutcome> {
    const card = normaliseCardNumber(request.card ?? DEFAULT_TEST_CARD);
    const key = request.key === undefined ? undefined : validateIdempotencyKey(request.key);
    const { tickets, declined, replayed } = await this.store.purchase({
      targetId: parseLookupId(request.ticketId, "ticket id"),
      userId: parseUserId(request.userId),
      card,
      key,
      voucher: request.voucher === undefined ? undefined : parseCode(request.voucher, "voucher"),
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

  /**
   * Marks a purchased ticket used at the door; `actor` is who scanned it. With `holder` (who
   * presents it), the ticket must be theirs (NOT_TICKET_OWNER otherwise).
   */
  async checkIn(ticketId: string, actor: string, options: { holder?: string | undefined } = {}): Promise<TicketView> {
    return this.view(await this.store.checkIn({
      ticketId: parseLookupId(ticketId, "ticket id"),
      actor: parseUserId(actor),
      holder: options.holder === undefined ? undefined : parseUserId(options.holder),
    }));
  }

  /** Gives purchased tickets (a ticket, or those of an order) that are not checked in to another user, as a new order of theirs. */
  async transfer(request: { ticketId: string; userId: string; to: string }): Promise<TransferOutcome> {
    const { tickets, orderId, from } = await this.store.transfer({
      targetId: parseLookupId(request.ticketId, "ticket id"),
      userId: parseUserId(request.userId),
      to: parseUserId(request.to),
    });
    return { ...this.outcome(tickets, orderId), from };
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
