import { SYSTEM_ACTOR, logChange, logReserved, logTicket } from "./audit.js";
import { TixError, eventNotFound, invalidArgument } from "./errors.js";
import { checkUserMayHold, effectiveStatus, holdHasExpired, newHold, type UserStanding } from "./holds.js";
import { boundPurchase, boundReserve, isKeyLive, isPurchaseBinding, isSameReserve, liveBinding, purchaseFingerprint, reserveFingerprint, type ResolvedReserve } from "./idempotency.js";
import { isOrderId } from "./ids.js";
import { quote } from "./text.js";
import { tierAvailable, type Change, type DecidedChange, type Decision, type EventRecord, type IdSource, type KeyRecord, type ReserveChange, type TicketRecord, type VoucherRecord, type WaitlistEntry } from "./model.js";
import { authorise } from "./payment.js";
import { checkEventOnSale, checkNotStarted, checkTierOpen } from "./sales.js";
import { adjustTier, resolveTier, tierNamed } from "./tiers.js";
import { redeemVoucher } from "./vouchers.js";
import { promoteWaiting } from "./waitlist.js";
import { checkSeatsFree, chooseSeats, countBlocks, findNamedSeats, type SeatChoice } from "./seating/best-available.js";
import { SeatDraft, SeatDrafts } from "./seating/draft.js";
import { SEAT_FREE, SEAT_HELD, SEAT_SOLD, type SeatIndex } from "./seating/free-index.js";
import { findSeat, labelOfSeat, tierOfSeat } from "./seating/layout.js";
import { toIso } from "./time.js";
import { counted, plural } from "./plural.js";

export interface ReserveRequest {
  eventId: string;
  userId: string;
  key: string;
  tier?: string | undefined;
  /** How many tickets; with `seats`, their number. */
  quantity: number;
  /** The access code for a tier that requires one (upper-case). */
  code?: string | undefined;
  /** Seated events: exactly these seats (`A12`, `Stalls:A12`), all or none. */
  seats?: readonly string[] | undefined;
  /** Seated events: best available may seat the order apart when no `quantity` seats side by side are left. */
  allowSplit?: boolean | undefined;
}

export interface ReserveSnapshot {
  event: EventRecord | undefined;
  /** The binding of (userId, key), if any, and the tickets of the order it made. */
  keyRecord: KeyRecord | undefined;
  keyTickets: TicketRecord[];
  standing: UserStanding;
  /** The user's place on this event's waiting list: a reservation takes them off it. */
  waitlistEntry: WaitlistEntry | undefined;
  /** The seats of the locked events that are seated (read only). */
  seats?: ReadonlyMap<string, SeatIndex> | undefined;
}

export interface ReserveResult {
  tickets: TicketRecord[];
  orderId: string;
  replayed: boolean;
  /** Seated events: how many runs of neighbours the order's seats make (1: all side by side). */
  blocks?: number;
}

/** Holds `quantity` tickets of one tier as one order, all or none; on a seated event, one a seat. */
export function decideReserve(snapshot: ReserveSnapshot, request: ReserveRequest, now: number, ids: IdSource): Decision<ReserveResult> {
  const { event, keyRecord, keyTickets } = snapshot;
  const seats = snapshot.seats?.get(request.eventId);
  // A key a purchase bound (`purchase --key`) is another request whatever its order holds: say what it paid for.
  if (isKeyLive(keyRecord, now) && isPurchaseBinding(keyRecord.request)) liveBinding(keyRecord, () => false, request.key, now, boundPurchase);
  if (isKeyLive(keyRecord, now) && keyTickets.length > 0) {
    // A tier left out is the event's only tier; on an event of several, nothing to differ from the order's.
    const orderTier = keyTickets[0]!.tier;
    // A tier named in another case is the tier it names (`vip` replays an order of VIP).
    const named = request.tier === undefined || !event ? request.tier : tierNamedQuietly(event, request.tier);
    const tier = named ?? (event?.tiers.length === 1 ? event.tiers[0]!.name : orderTier);
    const resolved = resolveRequest(request, tier, seats);
    const bound = liveBinding(keyRecord, (stored) => isSameReserve(stored, orderTier, resolved), request.key, now, () => boundOrder(keyTickets))!;
    const blocks = seats && keyTickets.every((ticket) => ticket.eventId === request.eventId) ? { blocks: blocksOf(seats, keyTickets) } : {};
    return { changes: [], result: { tickets: keyTickets, orderId: bound.orderId, replayed: true, ...blocks } };
  }
  if (isKeyLive(keyRecord, now)) {
    // Its order's tickets were all transferred to another user: nothing to replay, and a retry must not buy again.
    throw new TixError("IDEMPOTENCY_KEY_REUSED", `key ${quote(request.key)} reserved order ${keyRecord.orderId}, whose tickets were since transferred; use a new key`);
  }
  if (!event) throw eventNotFound(request.eventId);
  if (event.seatMap !== null) return reserveSeats(event, seats, snapshot, request, now, ids);
  if (request.seats !== undefined) {
    throw invalidArgument("seats", `event ${event.id} is general admission: it has no seats to name; reserve a quantity instead`);
  }
  const tier = resolveTier(event, request.tier);
  checkEventOnSale(event, now);
  checkTierOpen(event, tier, request.code, now);
  checkUserMayHold(event, snapshot.standing, request.userId, request.quantity);
  const left = tierAvailable(tier);
  if (left < request.quantity) {
    const what = event.tiers.length > 1 ? `tier ${tier.name} of event ${event.id}` : `event ${event.id}`;
    throw new TixError("SOLD_OUT", left === 0 ? `${what} is sold out` : `${what} has only ${counted(left, "ticket")} left`);
  }
  const orderId = ids.order();
  // Made at their size: a push onto an empty array makes room for 17.
  const tickets = new Array<TicketRecord>(request.quantity);
  for (let count = 0; count < request.quantity; count++) tickets[count] = newHold(event, tier, request.userId, ids.ticket(), orderId, now);
  const fingerprint = reserveFingerprint({ eventId: event.id, tier: tier.name, quantity: request.quantity });
  return { changes: [reserveChange(snapshot, request, fingerprint, adjustTier(event, tier.name, request.quantity), tickets)], result: { tickets, orderId, replayed: false } };
}

/**
 * A seated event: the named seats (all or none; SEAT_TAKEN when any is held or sold) or the best
 * available (docs/seating.md), one ticket a seat, each in its section's tier at its price.
 */
function reserveSeats(
  event: EventRecord, index: SeatIndex | undefined, snapshot: ReserveSnapshot, request: ReserveRequest, now: number, ids: IdSource,
): Decision<ReserveResult> {
  if (!index) throw new TixError("INTERNAL", `the seats of event ${event.id} were not loaded`);
  const draft = new SeatDraft(event.id, index);
  const asked = request.tier === undefined ? undefined : resolveTier(event, request.tier);
  checkEventOnSale(event, now);
  let choice: SeatChoice;
  let resolvedTier: string;
  if (request.seats !== undefined) {
    const named = findNamedSeats(index.layout, request.seats, asked?.name);
    // The seats decide the tiers: each must be on sale, and open to the code given.
    for (const name of new Set(named.map((seat) => tierOfSeat(index.layout, seat)))) checkTierOpen(event, resolveTier(event, name), request.code, now);
    checkUserMayHold(event, snapshot.standing, request.userId, named.length);
    checkSeatsFree(index, named);
    choice = { seats: named, blocks: countBlocks(index.layout, named) };
    resolvedTier = "";
  } else {
    const tier = asked ?? resolveTier(event, undefined);
    checkTierOpen(event, tier, request.code, now);
    checkUserMayHold(event, snapshot.standing, request.userId, request.quantity);
    // A split marks seats while it chooses: on the decision's own copy.
    choice = chooseSeats(request.allowSplit ? draft.writable() : index, { tier: tier.name, quantity: request.quantity, allowSplit: request.allowSplit ?? false });
    resolvedTier = tier.name;
  }
  const fingerprint = reserveFingerprint(resolveRequest(request, resolvedTier, index));
  draft.set(choice.seats, SEAT_HELD);
  const orderId = ids.order();
  let updated = event;
  const tickets = choice.seats.map((seat) => {
    const tier = event.tiers.find((candidate) => candidate.name === draft.tierOf(seat));
    if (!tier) throw new TixError("INTERNAL", `seat ${labelOfSeat(index.layout, seat)} is in tier ${draft.tierOf(seat)}, which event ${event.id} does not sell`);
    updated = adjustTier(updated, tier.name, 1);
    return newHold(event, tier, request.userId, ids.ticket(), orderId, now, labelOfSeat(index.layout, seat));
  });
  const changes = [reserveChange(snapshot, request, fingerprint, updated, tickets), ...draft.changes()];
  return { changes, result: { tickets, orderId, replayed: false, blocks: choice.blocks } };
}

/**
 * A reservation's writes as one record (see ReserveChange), where they were four changes a ticket
 * and their log entry, details and binding: objects a store that keeps them as the ticket's row
 * (memory) made only to drop.
 */
function reserveChange(snapshot: ReserveSnapshot, request: ReserveRequest, fingerprint: string, updated: EventRecord, tickets: TicketRecord[]): ReserveChange {
  return { type: "reserve", tickets, event: updated, key: request.key, request: fingerprint, leavesWaitlist: snapshot.waitlistEntry?.tier ?? null };
}

/**
 * A reservation's record as the changes it stands for, in the order a store applies them: each
 * ticket and its `ticket.reserved` entry, the event, the key's binding, the waitlist entry removed.
 */
export function reservationChanges(change: ReserveChange): Change[] {
  const { tickets, event, key } = change;
  const { userId, orderId, reservedAt: at, id: ticketId } = tickets[0]!;
  const changes: Change[] = [];
  for (const ticket of tickets) changes.push({ type: "saveTicket", ticket }, logReserved(at, userId, ticket, key));
  changes.push({ type: "saveEvent", event }, { type: "bindKey", record: { userId, key, request: change.request, ticketId, orderId, createdAt: at } });
  if (change.leavesWaitlist !== null) changes.push(...leftLineByReserving(event.id, userId, change.leavesWaitlist, at));
  return changes;
}

/**
 * A user who reserves on their own leaves the event's waiting list: the entry goes, and the log
 * says so (`waitlist.left` by the user, `reason: "reserved"`), as it says they joined.
 */
export function leftLineByReserving(eventId: string, userId: string, tier: string, at: number): Change[] {
  return [
    { type: "removeWaitlistEntry", eventId, userId },
    logChange("waitlist.left", at, userId, { eventId }, { tier, reason: "reserved" }),
  ];
}

/** A decision's changes with each reservation's record listed as its changes (for a store that writes them one by one). */
export function plainChanges(changes: readonly DecidedChange[]): Change[] {
  if (!changes.some((change) => change.type === "reserve")) return changes as Change[];
  return changes.flatMap((change) => (change.type === "reserve" ? reservationChanges(change) : [change]));
}

/**
 * The request as its key remembers it (see ResolvedReserve): on a seated event, named seats by
 * their names in the map, sorted, with the tier they are in (`*` for several) — whatever tier was
 * named, since the seats decide it; best available with the tier it resolves to, and a split allowed.
 */
function resolveRequest(request: ReserveRequest, tier: string, index: SeatIndex | undefined): ResolvedReserve {
  const resolved: ResolvedReserve = { eventId: request.eventId, tier, quantity: request.quantity };
  if (request.seats !== undefined) {
    const tiers = new Set<string>();
    resolved.seats = request.seats.map((name) => {
      const found = index && findSeat(index.layout, name, request.tier);
      if (!found || !("seat" in found)) return name.trim().toUpperCase();
      tiers.add(tierOfSeat(index.layout, found.seat));
      return labelOfSeat(index.layout, found.seat);
    }).sort();
    resolved.tier = tiers.size === 1 ? [...tiers][0]! : "*";
  } else if (index && request.allowSplit) {
    resolved.allowSplit = true;
  }
  return resolved;
}

function blocksOf(index: SeatIndex, tickets: readonly TicketRecord[]): number {
  const draft = new SeatDraft("", index);
  const seats = tickets.filter((ticket) => ticket.seat !== null).map((ticket) => draft.seatOf(ticket)).sort((a, b) => a - b);
  return countBlocks(index.layout, seats);
}

/** The tickets a purchase or cancel acts on: one ticket, or every ticket of an order. */
export interface TargetSnapshot {
  tickets: TicketRecord[];
  event: EventRecord | undefined;
  /** The seats of the target's event, when it is seated (read only). */
  seats?: ReadonlyMap<string, SeatIndex> | undefined;
}

export interface PurchaseSnapshot extends TargetSnapshot {
  /** The binding of (userId, key) when the purchase carries a key. */
  keyRecord?: KeyRecord | undefined;
  /** The event's voucher the purchase names, if it has one. */
  vouchers?: readonly VoucherRecord[] | undefined;
}

export interface PurchaseResult {
  tickets: TicketRecord[];
  /** Set when the card was declined: nothing changed but the log. */
  declined?: { cardLast4: string; reason: string };
  /** True when the key had already paid for this target: nothing was charged again. */
  replayed: boolean;
}

/**
 * Pays for the held tickets of the target. With a key, the first success binds it (in the same
 * transaction as the payment); the same request again replays — the target's tickets as they are
 * now, charged once — and another request with the key is IDEMPOTENCY_KEY_REUSED. A declined card
 * binds nothing, so it may be retried with the same key. Held tickets may be paid for after sales
 * closed, until the event starts. A voucher discounts each ticket paid for and counts one use each.
 * `card` must already be normalised (digits only, Luhn-valid): bad input never reaches a transaction.
 */
export function decidePurchase(
  snapshot: PurchaseSnapshot,
  request: { targetId: string; userId: string; card: string; key?: string | undefined; voucher?: string | undefined },
  now: number,
): Decision<PurchaseResult> {
  const fingerprint = purchaseFingerprint(request.targetId, request.card, request.voucher);
  if (request.key !== undefined && liveBinding(snapshot.keyRecord, (stored) => stored === fingerprint, request.key, now, (stored) => boundPurchase(stored) || boundReserve(stored))) {
    return { changes: [], result: { tickets: ownedTargets(snapshot, request).tickets, replayed: true } };
  }
  const { tickets, event } = ownedTargets(snapshot, request);
  const payable = tickets.filter((ticket) => effectiveStatus(ticket, now) === "reserved");
  if (payable.length === 0) throw stateError(tickets[0]!, now, "purchase");
  checkNotStarted(event, now);
  const code = request.voucher;
  const redeemed = code === undefined ? undefined
    : redeemVoucher(snapshot.vouchers?.find((voucher) => voucher.code === code), code, event, payable, now);
  const charged = redeemed?.tickets ?? payable;
  const discount = (ticket: TicketRecord) => (ticket.voucher === null ? {} : { voucher: ticket.voucher, discountMinor: ticket.discountMinor });
  const payment = authorise(request.card);
  if (!payment.approved) {
    const declined = { cardLast4: payment.cardLast4, reason: payment.reason };
    return {
      changes: charged.map((ticket) => logTicket("payment.declined", now, request.userId, ticket, { ...declined, amountMinor: ticket.priceMinor, ...discount(ticket) })),
      result: { tickets, declined, replayed: false },
    };
  }
  let updated = event;
  const purchased = charged.map((ticket) => {
    updated = adjustTier(updated, ticket.tier, -1, 1);
    return { ...ticket, status: "purchased" as const, purchasedAt: notBefore(now, ticket.reservedAt), cardLast4: payment.cardLast4 };
  });
  const first = purchased[0]!;
  const seats = seatDraftOf(snapshot, event);
  seats?.setTickets(purchased, SEAT_SOLD);
  const binding: Change[] = request.key === undefined ? [] : [{
    type: "bindKey",
    record: { userId: request.userId, key: request.key, request: fingerprint, ticketId: first.id, orderId: first.orderId, createdAt: now },
  }];
  return {
    changes: [
      ...purchased.flatMap((ticket) => [
        { type: "saveTicket", ticket } as const,
        logTicket("ticket.purchased", now, request.userId, ticket, {
          amountMinor: ticket.priceMinor, cardLast4: ticket.cardLast4, ...discount(ticket), ...(request.key === undefined ? {} : { key: request.key }),
        }),
      ]),
      { type: "saveEvent", event: updated },
      ...(redeemed ? [{ type: "saveVoucher", voucher: redeemed.voucher } as const] : []),
      ...binding,
      ...seats?.changes() ?? [],
    ],
    result: { tickets: replaceAll(tickets, purchased), replayed: false },
  };
}

/**
 * Releases holds, or cancels and refunds purchases; the places go to waiting users, or back on
 * sale. A refunded ticket bought with a voucher gives its use back.
 */
export function decideCancel(
  snapshot: TargetSnapshot & { waiting: readonly WaitlistEntry[]; vouchers?: readonly VoucherRecord[] | undefined },
  request: { targetId: string; userId: string },
  now: number,
  ids: IdSource,
): Decision<TicketRecord[]> {
  const { tickets, event } = ownedTargets(snapshot, request);
  const cancellable = tickets.filter((ticket) => {
    const status = effectiveStatus(ticket, now);
    return status === "reserved" || (status === "purchased" && ticket.checkedInAt === null);
  });
  if (cancellable.length === 0) throw stateError(tickets[0]!, now, "cancel");
  const seats = seatDraftOf(snapshot, event);
  seats?.setTickets(cancellable, SEAT_FREE);
  let updated = event;
  const changes: Change[] = [];
  const vouchers = new Map((snapshot.vouchers ?? []).map((voucher) => [voucher.code, voucher]));
  const returned = new Set<string>();
  const cancelled = cancellable.map((ticket) => {
    const wasSold = ticket.status === "purchased";
    updated = wasSold ? adjustTier(updated, ticket.tier, 0, -1) : adjustTier(updated, ticket.tier, -1);
    const next = { ...ticket, status: "cancelled" as const, cancelledAt: notBefore(now, ticket.purchasedAt ?? ticket.reservedAt) };
    const voucher = wasSold && ticket.voucher !== null ? vouchers.get(ticket.voucher) : undefined;
    if (voucher) {
      vouchers.set(voucher.code, { ...voucher, uses: voucher.uses - 1 });
      returned.add(voucher.code);
    }
    changes.push({ type: "saveTicket", ticket: next }, wasSold
      ? logTicket("ticket.refunded", now, request.userId, next, { amountMinor: ticket.priceMinor, ...(voucher ? { voucher: voucher.code } : {}) })
      : logTicket("ticket.cancelled", now, request.userId, next));
    return next;
  });
  for (const code of returned) changes.push({ type: "saveVoucher", voucher: vouchers.get(code)! });
  const promotion = promoteWaiting(updated, snapshot.waiting, now, ids, seats);
  changes.push({ type: "saveEvent", event: updated }, ...promotion.changes, ...seats?.changes() ?? []);
  return { changes, result: replaceAll(tickets, cancelled) };
}

/**
 * Marks a purchased ticket used at the door, once. Anyone at the door may scan; with `holder`
 * (who presents it), the ticket must be theirs: after a transfer, the new owner's, not the old one's.
 */
export function decideCheckIn(
  snapshot: { ticket: TicketRecord | undefined },
  request: { ticketId: string; actor: string; holder?: string | undefined },
  now: number,
): Decision<TicketRecord> {
  const { ticket } = snapshot;
  if (!ticket) throw new TixError("TICKET_NOT_FOUND", `no ticket with id ${request.ticketId}`);
  if (request.holder !== undefined && request.holder !== ticket.userId) {
    throw new TixError("NOT_TICKET_OWNER", `ticket ${ticket.id} belongs to another user, not ${request.holder}`);
  }
  if (ticket.checkedInAt !== null) {
    throw new TixError("ALREADY_CHECKED_IN", `ticket ${ticket.id} was already checked in at ${new Date(ticket.checkedInAt).toISOString()}`);
  }
  const status = effectiveStatus(ticket, now);
  if (status !== "purchased") throw new TixError("TICKET_NOT_PURCHASED", `ticket ${ticket.id} is ${status}, not purchased; it cannot be checked in`);
  const checkedIn = { ...ticket, checkedInAt: notBefore(now, ticket.purchasedAt ?? ticket.reservedAt) };
  return { changes: [{ type: "saveTicket", ticket: checkedIn }, logTicket("ticket.checked_in", now, request.actor, checkedIn)], result: checkedIn };
}

/**
 * Holds found past their expiry stop holding a place (and their seat), which goes to the next
 * waiting user. `events` must hold each hold's event, `waiting` each event's waiting list, and
 * `seats` the seats of each one that is seated.
 */
export function decideExpiry(
  dueHolds: readonly TicketRecord[],
  events: ReadonlyMap<string, EventRecord>,
  waiting: ReadonlyMap<string, readonly WaitlistEntry[]>,
  now: number,
  ids: IdSource,
  seats: ReadonlyMap<string, SeatIndex> = new Map(),
): Change[] {
  const changes: Change[] = [];
  const updated = new Map<string, EventRecord>();
  const drafts = new SeatDrafts(seats);
  for (const hold of dueHolds) {
    if (!holdHasExpired(hold, now)) continue;
    const event = updated.get(hold.eventId) ?? events.get(hold.eventId);
    if (!event) throw new TixError("INTERNAL", `ticket ${hold.id} refers to a missing event ${hold.eventId}`);
    updated.set(event.id, adjustTier(event, hold.tier, -1));
    if (hold.seat !== null) drafts.of(event.id).setTickets([hold], SEAT_FREE);
    const expired = { ...hold, status: "expired" as const };
    // The entry is made when the lapse is handled (the next operation on the store); when the hold
    // ended is its own time, in the details.
    changes.push({ type: "saveTicket", ticket: expired }, logTicket("ticket.expired", now, SYSTEM_ACTOR, expired, { userId: hold.userId, expiresAt: toIso(hold.expiresAt) }));
  }
  for (const event of updated.values()) {
    const eventSeats = event.seatMap === null ? undefined : drafts.of(event.id);
    changes.push({ type: "saveEvent", event }, ...promoteWaiting(event, waiting.get(event.id) ?? [], now, ids, eventSeats).changes);
  }
  changes.push(...drafts.changes());
  return changes;
}

/**
 * When a ticket's next step happened: now, or — a clock stepped back since the step before (NTP, a
 * VM restored, another machine's clock on a shared store) — that step's own time, so a ticket's
 * times never run backwards (purchasedAt before reservedAt, cancelledAt or checkedInAt before
 * purchasedAt). The audit log keeps the clock's own reading.
 */
function notBefore(now: number, earlier: number): number {
  return now < earlier ? earlier : now;
}

/** The draft of the event's seats, for a seated event. */
export function seatDraftOf(snapshot: TargetSnapshot, event: EventRecord): SeatDraft | undefined {
  if (event.seatMap === null) return undefined;
  const index = snapshot.seats?.get(event.id);
  if (!index) throw new TixError("INTERNAL", `the seats of event ${event.id} were not loaded`);
  return new SeatDraft(event.id, index);
}

/** The target's tickets, all the user's own (else NOT_TICKET_OWNER), and their event. */
export function ownedTargets(snapshot: TargetSnapshot, request: { targetId: string; userId: string }) {
  const { tickets, event } = snapshot;
  const first = tickets[0];
  if (!first) {
    throw new TixError("TICKET_NOT_FOUND", isOrderId(request.targetId) ? `no order with id ${request.targetId}` : `no ticket with id ${request.targetId}`);
  }
  if (tickets.some((ticket) => ticket.userId !== request.userId)) {
    throw new TixError("NOT_TICKET_OWNER", `${isOrderId(request.targetId) ? "order" : "ticket"} ${request.targetId} belongs to another user`);
  }
  if (!event) throw new TixError("INTERNAL", `ticket ${first.id} refers to a missing event ${first.eventId}`);
  return { tickets, event };
}

/** Why nothing in the target can be purchased or cancelled, judged by its first ticket. */
function stateError(ticket: TicketRecord, now: number, action: "purchase" | "cancel"): TixError {
  const status = effectiveStatus(ticket, now);
  if (status === "purchased" && action === "purchase") return new TixError("ALREADY_PURCHASED", `ticket ${ticket.id} is already purchased; it was not charged again`);
  if (status === "purchased") return new TixError("ALREADY_CHECKED_IN", `ticket ${ticket.id} was checked in; it can no longer be cancelled`);
  if (status === "cancelled") return new TixError("ALREADY_CANCELLED", `ticket ${ticket.id} is ${action === "cancel" ? "already " : ""}cancelled`);
  return new TixError("HOLD_EXPIRED", `the hold on ticket ${ticket.id} expired at ${new Date(ticket.expiresAt).toISOString()}; reserve again`);
}

function replaceAll(tickets: readonly TicketRecord[], changed: readonly TicketRecord[]): TicketRecord[] {
  const byId = new Map(changed.map((ticket) => [ticket.id, ticket]));
  return tickets.map((ticket) => byId.get(ticket.id) ?? ticket);
}

/** What a key's order holds, to set beside a different request: "2 VIP tickets of event evt_gala". */
function boundOrder(tickets: readonly TicketRecord[]): string {
  const tiers = [...new Set(tickets.map((ticket) => ticket.tier))];
  return `it holds ${tickets.length} ${tiers.length === 1 ? `${tiers[0]} ` : ""}${plural(tickets.length, "ticket")} of event ${tickets[0]!.eventId}`;
}

/** The name of the tier `name` names (see tierNamed), or `name` itself when it names none, or several: a replay compares it as given. */
function tierNamedQuietly(event: EventRecord, name: string): string {
  try {
    return tierNamed(event, name)?.name ?? name;
  } catch {
    return name;
  }
}
