import {
  DEFAULT_TEST_CARD,
  TixError,
  isTixError,
  counted,
  everOwnedBy,
  invalidArgument,
  newIdempotencyKey,
  normaliseCardNumber,
  parseCode,
  parseLookupId,
  parseTicketStatus,
  parseTierName,
  parseUserId,
  given,
  shorten,
  toTicketView,
  validateIdempotencyKey,
  wholeNumberGiven,
  type ReserveResult,
  type TicketFilter,
  type TicketRecord,
  type TicketStatus,
  type TicketView,
} from "../core/index.js";
import type { TixStore } from "../core/index.js";
import { pageLimit, wholeLimit } from "./page-limit.js";
import { ensureEvent, suggested, withSuggestions } from "./suggest.js";
import { described, fieldsOf, optionalRequest, requestObject } from "./request.js";

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
  /** Seated events: how many runs of neighbours the seats make (1: all side by side). */
  blocks?: number;
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
  /** True when the tickets brought the recipient to the event's per-user limit and so took them off its waiting list. */
  leftWaitlist: boolean;
}

export interface TicketPageResult {
  tickets: TicketView[];
  /** The last id of this page when more follow (pass it as `after`), else null. */
  next: string | null;
}

export interface TicketQuery {
  /** Whose tickets; omit for everyone's. */
  userId?: string | undefined;
  eventId?: string | undefined;
  status?: TicketStatus | undefined;
}

/** Reserve, purchase, cancel, check in: validate at the edge, then one atomic store operation each. */
export class TicketUseCases {
  /** Held in a private field: a program sees only the methods (`tix.tickets.store` is not there to write through). */
  readonly #store: TixStore;

  constructor(store: TixStore) {
    this.#store = store;
  }

  /**
   * Holds `quantity` tickets (default 1) of one tier as one order. Without a key one is generated.
   * On a seated event: the seats named in `seats` (`"A12,A13"` or a list; all or none), or the best
   * `quantity` seats side by side — apart only with `allowSplit`.
   */
  reserve(request: ReserveInput): Promise<ReserveOutcome> {
    // A promise chain, not an async function: a reservation costs one step and no frame of its own.
    let asked: Parameters<TixStore["reserve"]>[0];
    try {
      asked = reserveRequest(request);
    } catch (error) {
      return Promise.reject(error);
    }
    let reserving: Promise<ReserveResult>;
    try {
      reserving = this.#store.reserve(asked);
    } catch (error) {
      reserving = Promise.reject(error);
    }
    return reserving.then(
      (decided) => reserveOutcome(decided, asked.key),
      async (error: unknown) => {
        // "Retry with the same key" needs the key: one tix made up was never shown to the caller.
        if (request.key === undefined && isTixError(error) && error.inDoubt) {
          throw new TixError(error.code, `${error.message}; this reservation's key was ${asked.key}`, { cause: error, inDoubt: true });
        }
        throw await suggested(this.#store, { eventId: asked.eventId }, error);
      });
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
    requestObject(request, "tickets.purchase", "{ ticketId, userId, card }", PURCHASE_FIELDS);
    const card = normaliseCardNumber(request.card ?? DEFAULT_TEST_CARD);
    const key = request.key === undefined ? undefined : validateIdempotencyKey(request.key);
    const voucher = request.voucher === undefined ? undefined : parseCode(request.voucher, "voucher");
    const named = { ticketId: parseLookupId(request.ticketId, "ticketId"), userId: parseUserId(request.userId, "userId") };
    const { tickets, declined, replayed } = await withSuggestions(this.#store, named,
      () => this.#store.purchase({ targetId: named.ticketId, userId: named.userId, card, key, voucher }));
    if (declined) {
      throw new TixError("PAYMENT_DECLINED", `the card ending ${declined.cardLast4} was declined (${declined.reason}); the hold stays until it expires`);
    }
    return { ...this.#outcome(tickets, tickets[0]!.orderId), replayed, ...(key === undefined ? {} : { key }) };
  }

  /** Releases a hold or refunds a purchase; with an order id, every ticket of the order. */
  async cancel(request: { ticketId: string; userId: string }): Promise<TicketsOutcome> {
    requestObject(request, "tickets.cancel", "{ ticketId, userId }", CANCEL_FIELDS);
    const named = { ticketId: parseLookupId(request.ticketId, "ticketId"), userId: parseUserId(request.userId, "userId") };
    const tickets = await withSuggestions(this.#store, named, () => this.#store.cancel({ targetId: named.ticketId, userId: named.userId }));
    return this.#outcome(tickets, tickets[0]!.orderId);
  }

  /**
   * Marks a purchased ticket used at the door; `actor` is who scanned it. With `holder` (who
   * presents it), the ticket must be theirs (NOT_TICKET_OWNER otherwise).
   */
  async checkIn(request: { ticketId: string; actor: string; holder?: string | undefined }): Promise<TicketView> {
    requestObject(request, "tickets.checkIn", '{ ticketId, actor: "door-1" }', CHECK_IN_FIELDS);
    return this.#view(await this.#store.checkIn({
      ticketId: parseLookupId(request.ticketId, "ticketId"),
      actor: parseUserId(request.actor, "actor"),
      holder: request.holder === undefined ? undefined : parseUserId(request.holder, "holder"),
    }));
  }

  /** Gives purchased tickets (a ticket, or those of an order) that are not checked in to another user, as a new order of theirs. */
  async transfer(request: { ticketId: string; userId: string; to: string }): Promise<TransferOutcome> {
    requestObject(request, "tickets.transfer", "{ ticketId, userId, to }", TRANSFER_FIELDS);
    const named = { ticketId: parseLookupId(request.ticketId, "ticketId"), userId: parseUserId(request.userId, "userId") };
    const to = parseUserId(request.to, "to");
    const { tickets, orderId, from, leftWaitlist } = await withSuggestions(this.#store, named,
      () => this.#store.transfer({ targetId: named.ticketId, userId: named.userId, to }));
    return { ...this.#outcome(tickets, orderId), from, leftWaitlist: leftWaitlist !== undefined };
  }

  /**
   * One ticket. With `userId`, only that user's own (else NOT_TICKET_OWNER, as the HTTP API
   * answers); without, anyone's.
   */
  async get(ticketId: string, userId?: string): Promise<TicketView> {
    const named = { ticketId: parseLookupId(ticketId, "ticketId"), userId: userId === undefined ? undefined : parseUserId(userId, "userId") };
    const ticket = await withSuggestions(this.#store, named, async () => {
      const found = await this.#store.getTicket(named.ticketId);
      if (!found) throw new TixError("TICKET_NOT_FOUND", `no ticket with id ${shorten(ticketId)}`);
      return found;
    });
    if (named.userId !== undefined && ticket.userId !== named.userId) {
      throw new TixError("NOT_TICKET_OWNER", `ticket ${ticket.id} belongs to another user`);
    }
    return this.#view(ticket);
  }

  /** Oldest first; an event that does not exist is EVENT_NOT_FOUND, not an empty list. */
  async list(request: TicketQuery = {}): Promise<TicketView[]> {
    const query = optionalRequest(request, "tickets.list", '{ eventId, userId, status: "purchased" }', TICKET_QUERY_FIELDS);
    const tickets = await this.#store.listTickets(await this.#filter(query));
    return tickets.map((ticket) => this.#view(ticket));
  }

  /**
   * The same list's first `limit` tickets (all when left out), and how many it holds: a screenful
   * of a long list without reading the rest of it (what `tix ticket list` shows on a terminal).
   */
  async first(request: TicketQuery & { limit?: number | undefined }): Promise<{ tickets: TicketView[]; total: number }> {
    const { limit, ...query } = requestObject(request, "tickets.first", "{ userId, limit: 30 }", TICKET_SEATED_FIELDS);
    if (limit !== undefined) wholeLimit(limit);
    const { tickets, total } = await this.#store.listFirstTickets(await this.#filter(query), limit);
    return { tickets: tickets.map((ticket) => this.#view(ticket)), total };
  }

  /**
   * A user's tickets whose id starts with `prefix`, in id order, at most `limit` (1 to 100,000),
   * those after the id `after` when given (the last of the previous call): read through an index
   * on the user's ids, so a prefix few of them share costs as little as one many share (what
   * completion offers of a user's ticket ids).
   */
  async byIdPrefix(request: { userId: string; prefix?: string | undefined; limit: number; after?: string | undefined }): Promise<TicketView[]> {
    const { userId, prefix = "", limit, after } = requestObject(request, "tickets.byIdPrefix", '{ userId, prefix: "tkt_", limit: 200 }', TICKET_ID_PREFIX_FIELDS);
    pageLimit(limit);
    if (typeof prefix !== "string") throw invalidArgument("prefix", "must be text");
    if (after !== undefined && typeof after !== "string") throw invalidArgument("after", "must be a ticket id");
    const tickets = await this.#store.listTicketsByIdPrefix({ userId: parseUserId(userId, "userId"), prefix, after, limit });
    return tickets.map((ticket) => this.#view(ticket));
  }

  /**
   * One page of the same list: at most `limit` tickets (1 to 100,000) after the ticket `after` (the
   * last id of the previous page; left out for the first). `next` is what to pass as `after` for
   * the following page, or null when this page is the last. A long list is read a page at a time.
   * With `userId`, `after` must be a ticket that is or was that user's (transferred away since: the
   * page goes on after its place), INVALID_ARGUMENT otherwise, as for an unknown id.
   */
  async page(request: TicketQuery & { limit: number; after?: string | undefined }): Promise<TicketPageResult> {
    const { limit, after: afterId, ...query } = requestObject(request, "tickets.page", "{ eventId, limit: 100, after }", TICKET_PAGE_FIELDS);
    pageLimit(limit);
    const filter = await this.#filter(query);
    const after = afterId === undefined ? undefined : parseLookupId(afterId, "after");
    // One user's list pages only after a ticket that is or was theirs: another user's ticket is
    // refused as an unknown one is (it answered a page, so a user could tell whose ids exist:
    // HTTP's GET /tickets). The page goes on after the ticket's place in the list's order (its
    // reservation time, then id) whatever it is now: one transferred away, cancelled or bought
    // while its owner paged (it left `status=reserved`) does not break the paging (transferred
    // away, it was 400).
    const [tickets, from] = await Promise.all([
      this.#store.listTickets(filter, { limit: limit + 1, after }),
      after !== undefined && filter.userId !== undefined ? this.#store.getTicket(after) : undefined,
    ]);
    const notInList = after !== undefined && (filter.userId !== undefined
      ? !(await this.#wasListed(from, filter.userId))
      // An unknown `after` gives an empty page, which must not read as "the end of the list".
      : tickets.length === 0 && !(await this.#store.getTicket(after)));
    if (notInList) throw invalidArgument("after", `no ticket ${shorten(after)}; give the last id of the previous page`);
    const shown = tickets.slice(0, limit);
    return { tickets: shown.map((ticket) => this.#view(ticket)), next: tickets.length > limit ? shown[shown.length - 1]!.id : null };
  }

  /**
   * Whether `ticket` was ever in `userId`'s own list: theirs now, or once (transferred since, as
   * its log says). The log is read only for a ticket that is someone else's now, which is rare.
   */
  async #wasListed(ticket: TicketRecord | undefined, userId: string): Promise<boolean> {
    if (ticket === undefined) return false;
    if (ticket.userId === userId) return true;
    return everOwnedBy(ticket, await this.#store.listLog({ ticketId: ticket.id }), userId);
  }

  /**
   * Whether any of the list's first `limit` tickets (all without) has a seat, answered by the
   * store without reading them: a list printed a page at a time needs it for its first line.
   */
  async anySeated(request: TicketQuery & { limit?: number | undefined }): Promise<boolean> {
    const { limit, ...query } = requestObject(request, "tickets.anySeated", "{ eventId, limit: 100 }", TICKET_SEATED_FIELDS);
    if (limit !== undefined) wholeLimit(limit);
    return this.#store.ticketsHaveSeats(await this.#filter(query), limit);
  }

  async #filter(query: TicketQuery): Promise<TicketFilter> {
    const eventId = query.eventId === undefined ? undefined : parseLookupId(query.eventId, "eventId");
    const filter = {
      userId: query.userId === undefined ? undefined : parseUserId(query.userId, "userId"),
      eventId,
      status: query.status === undefined ? undefined : parseTicketStatus(query.status),
    };
    if (eventId !== undefined) await ensureEvent(this.#store, eventId);
    return filter;
  }

  #outcome(tickets: readonly TicketRecord[], orderId: string): TicketsOutcome {
    const views = tickets.map(toTicketView);
    return { ticket: views[0]!, tickets: views, orderId };
  }

  #view(ticket: TicketRecord): TicketView {
    return toTicketView(ticket);
  }
}

/** What `reserve` takes: validated at the edge by reserveRequest. */
export interface ReserveInput {
  eventId: string;
  userId: string;
  key?: string | undefined;
  tier?: string | undefined;
  quantity?: number | string | undefined;
  /** The access code of a tier that requires one. */
  code?: string | undefined;
  seats?: string | readonly string[] | undefined;
  allowSplit?: boolean | undefined;
}

const RESERVE_FIELDS = fieldsOf<ReserveInput>()("eventId", "userId", "key", "tier", "quantity", "code", "seats", "allowSplit");
const PURCHASE_FIELDS = fieldsOf<Parameters<TicketUseCases["purchase"]>[0]>()("ticketId", "userId", "card", "key", "voucher");
const CANCEL_FIELDS = fieldsOf<Parameters<TicketUseCases["cancel"]>[0]>()("ticketId", "userId");
const CHECK_IN_FIELDS = fieldsOf<Parameters<TicketUseCases["checkIn"]>[0]>()("ticketId", "actor", "holder");
const TRANSFER_FIELDS = fieldsOf<Parameters<TicketUseCases["transfer"]>[0]>()("ticketId", "userId", "to");
const TICKET_QUERY_FIELDS = fieldsOf<TicketQuery>()("eventId", "userId", "status");
/** A filter and a bound on the list's first tickets (anySeated, first). */
const TICKET_SEATED_FIELDS = fieldsOf<TicketQuery & { limit?: number | undefined }>()("eventId", "userId", "status", "limit");
const TICKET_ID_PREFIX_FIELDS = fieldsOf<Parameters<TicketUseCases["byIdPrefix"]>[0]>()("userId", "prefix", "limit", "after");
const TICKET_PAGE_FIELDS = fieldsOf<TicketQuery & { limit: number; after?: string | undefined }>()("eventId", "userId", "status", "limit", "after");

/** The store's request for a reservation; without a key one is generated. */
function reserveRequest(request: ReserveInput): Parameters<TixStore["reserve"]>[0] {
  requestObject(request, "tickets.reserve", "{ eventId, userId, key }", RESERVE_FIELDS);
  const key = request.key === undefined ? newIdempotencyKey() : validateIdempotencyKey(request.key);
  // Read as truthy, the text "false" would split a group apart.
  if (request.allowSplit !== undefined && typeof request.allowSplit !== "boolean") throw invalidArgument("allowSplit", `must be true or false, got ${described(request.allowSplit)}`);
  const eventId = parseLookupId(request.eventId, "eventId");
  const seats = request.seats === undefined ? undefined : parseSeatNames(request.seats);
  const quantity = parseQuantity(request.quantity ?? seats?.length ?? 1);
  if (seats && quantity !== seats.length) {
    throw invalidArgument("quantity", `${quantity} does not match the ${counted(seats.length, "seat")} named; leave it out`);
  }
  const asked: Parameters<TixStore["reserve"]>[0] = {
    eventId,
    userId: parseUserId(request.userId, "userId"),
    key,
    tier: request.tier === undefined ? undefined : parseTierName(request.tier),
    quantity,
    code: request.code === undefined ? undefined : parseCode(request.code, "code"),
  };
  // Set only when given (no object spread on the on-sale path).
  if (seats !== undefined) asked.seats = seats;
  if (request.allowSplit) asked.allowSplit = true;
  return asked;
}

function reserveOutcome(decided: ReserveResult, key: string): ReserveOutcome {
  const { tickets, orderId, replayed, blocks } = decided;
  const views = tickets.length === 1 ? [toTicketView(tickets[0]!)] : tickets.map(toTicketView);
  const outcome: ReserveOutcome = { ticket: views[0]!, tickets: views, orderId, replayed, key };
  if (blocks !== undefined) outcome.blocks = blocks;
  return outcome;
}

function parseQuantity(value: number | string): number {
  const number = wholeNumberGiven(value, 3);
  if (!Number.isSafeInteger(number) || number < 1 || number > MAX_QUANTITY) {
    throw invalidArgument("quantity", `must be a whole number from 1 to ${MAX_QUANTITY}, got ${given(value)}`);
  }
  return number;
}

/** `A12,A13` or a list: 1 to MAX_QUANTITY names (each checked against the map by the core). */
function parseSeatNames(value: string | readonly string[]): string[] {
  // A library caller's number, object or null would fail below as a TypeError (not iterable).
  if (typeof value !== "string" && !Array.isArray(value)) {
    throw invalidArgument("seats", `must be seat names such as "A12,A13" or a list of them, got ${described(value)}`);
  }
  const names = (typeof value === "string" ? value.split(",") : [...value]).map((name) => {
    if (typeof name !== "string") throw invalidArgument("seats", "each seat must be a name like A12 or Stalls:A12");
    return name.trim();
  });
  if (names.length === 0) throw invalidArgument("seats", "name at least one seat, like A12,A13 (or Stalls:A12); to have the best seats, leave seats out and give a quantity");
  if (names.some((name) => name === "")) throw invalidArgument("seats", "name seats like A12,A13 (or Stalls:A12), with no empty name");
  if (names.length > MAX_QUANTITY) throw invalidArgument("seats", `at most ${MAX_QUANTITY} seats at once, got ${names.length}`);
  return names;
}
