import {
  DEFAULT_TEST_CARD,
  TICKET_STATUSES,
  TixError,
  invalidArgument,
  newIdempotencyKey,
  newTicketId,
  normaliseCardNumber,
  parseLookupId,
  parseUserId,
  toTicketView,
  validateIdempotencyKey,
  type Clock,
  type TicketStatus,
  type TicketView,
} from "../core/index.js";
import type { TixStore } from "../store/port.js";

export interface ReserveOutcome {
  ticket: TicketView;
  /** True when the key had already reserved this ticket: nothing new was created. */
  replayed: boolean;
  key: string;
}

export interface TicketQuery {
  /** Whose tickets; omit for everyone's. */
  userId?: string | undefined;
  eventId?: string | undefined;
  status?: string | undefined;
}

/** Reserve, purchase, cancel: validate at the edge, then one atomic store operation each. */
export class TicketEngine {
  constructor(
    private readonly store: TixStore,
    private readonly clock: Clock,
  ) {}

  /** Holds one ticket. Without a key one is generated; keep it to retry safely. */
  async reserve(request: { eventId: string; userId: string; key?: string | undefined }): Promise<ReserveOutcome> {
    const key = request.key === undefined ? newIdempotencyKey() : validateIdempotencyKey(request.key);
    const { ticket, replayed } = await this.store.reserve({
      eventId: parseLookupId(request.eventId, "event id"),
      userId: parseUserId(request.userId),
      key,
      ticketId: newTicketId(),
    });
    return { ticket: this.view(ticket), replayed, key };
  }

  /** Pays for a held ticket with a (simulated) card; the default is the succeeding test card. */
  async purchase(request: { ticketId: string; userId: string; card?: string | undefined }): Promise<TicketView> {
    const card = normaliseCardNumber(request.card ?? DEFAULT_TEST_CARD);
    const ticket = await this.store.purchase({
      ticketId: parseLookupId(request.ticketId, "ticket id"),
      userId: parseUserId(request.userId),
      card,
    });
    return this.view(ticket);
  }

  async cancel(request: { ticketId: string; userId: string }): Promise<TicketView> {
    const ticket = await this.store.cancel({
      ticketId: parseLookupId(request.ticketId, "ticket id"),
      userId: parseUserId(request.userId),
    });
    return this.view(ticket);
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

  private view(ticket: Parameters<typeof toTicketView>[0]): TicketView {
    return toTicketView(ticket, this.clock.now());
  }
}

function parseStatus(text: string): TicketStatus {
  if (!(TICKET_STATUSES as readonly string[]).includes(text)) {
    throw invalidArgument("status", `"${text}" is not one of ${TICKET_STATUSES.join(", ")}`);
  }
  return text as TicketStatus;
}
