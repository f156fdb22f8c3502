import {
  decideCancel,
  decideCheckIn,
  decideCreateEvent,
  decideCreateVoucher,
  decideJoinWaitlist,
  decideLeaveWaitlist,
  decidePurchase,
  decideReserve,
  decideTransfer,
  decideUpdateEvent,
  isOrderId,
  type Decision,
  type EventRecord,
  type IdSource,
  type KeyRecord,
  type SeatIndex,
  type TicketRecord,
  type UserStanding,
  type VoucherRecord,
  type WaitingUser,
  type WaitlistEntry,
} from "../core/index.js";
import type { CreateEventRequest, TixStore } from "../core/index.js";

/**
 * What one decision reads, named before the transaction starts so that an adapter can lock what
 * it names and load all of it at once (PostgreSQL: one statement). Every adapter loads it after
 * the locks are granted and the due holds of the locked events are released.
 */
export interface SnapshotRequest {
  /** Events whose rows are locked and loaded; with `target`, the event of its tickets is too. */
  events: readonly string[];
  /** A ticket id or an order id: its tickets (and their event, locked). */
  target?: string;
  /** The binding of (userId, key), and the tickets of the order it made. */
  key?: { userId: string; key: string };
  /** A user's standing on an event; `TARGET_EVENT`: on the target's event. */
  standing?: { userId: string; eventId: string };
  /** A user's place in an event's waiting list; `TARGET_EVENT`: in the target's event's. */
  waitlistEntry?: { eventId: string; userId: string };
  /** An event's waiting list, the first WAITLIST_BATCH entries of each tier; `TARGET_EVENT`: the target's event's. */
  waiting?: string;
  /**
   * An event's whole waiting list, each entry with the user's standing: an update checks every
   * waiting user against its new rules (a promotion does not check them again).
   */
  waitingUsers?: string;
  /**
   * Vouchers of an event (`TARGET_EVENT`: the target's) named in `codes`, and those the target's
   * tickets were bought with. Their event's row lock serialises every change of their uses.
   */
  vouchers?: { eventId: string; codes: readonly string[] };
}

export interface Snapshot {
  /** The locked events, current. */
  events: ReadonlyMap<string, EventRecord>;
  /** The seats of the locked events that are seated, current; decisions never change them. */
  seats: ReadonlyMap<string, SeatIndex>;
  targets: TicketRecord[];
  keyRecord: KeyRecord | undefined;
  keyTickets: TicketRecord[];
  standing: UserStanding;
  waitlistEntry: WaitlistEntry | undefined;
  waiting: WaitlistEntry[];
  waitingUsers: WaitingUser[];
  vouchers: VoucherRecord[];
}

/** One intent of the port: what it locks and reads, and the core function that decides it. */
export interface Operation<T> {
  request: SnapshotRequest;
  /**
   * Names serialised across connections before any row lock (PostgreSQL advisory locks), besides
   * the key of `request.key` (see serialisedNames).
   */
  serialise?: readonly string[];
  decide(snapshot: Snapshot, now: number, ids: IdSource): Decision<T>;
}

/** In a request's `waiting`, `standing`, `waitlistEntry` or `vouchers`: the event of the target's tickets (not known before they are read). */
export const TARGET_EVENT = "\u001ftarget-event";

/** Never appears in ids, users or keys (all printable), so joined lock names cannot collide. */
const SEPARATOR = "\u001f";

/** One idempotency key of one user: the operations that use it are serialised. */
const keyLock = (userId: string, key: string) => `key${SEPARATOR}${userId}${SEPARATOR}${key}`;

/**
 * What an operation serialises across connections: its `serialise` names, and the idempotency key
 * its snapshot reads (the operations that use one key run one after another).
 */
export function serialisedNames(operation: Operation<unknown>): string[] {
  const { key } = operation.request;
  const names = key ? [keyLock(key.userId, key.key)] : [];
  if (operation.serialise) names.push(...operation.serialise);
  return names;
}

const eventOfTargets = (snapshot: Snapshot) => {
  const first = snapshot.targets[0];
  return first && snapshot.events.get(first.eventId);
};

export function createEventOperation(request: CreateEventRequest): Operation<Awaited<ReturnType<TixStore["createEvent"]>>> {
  return {
    // The event may not exist yet: no row to lock, so creations of one id are serialised by name.
    serialise: [["event", request.id].join(SEPARATOR)],
    request: { events: [request.id], waitingUsers: request.id },
    decide: (snapshot, now, ids) => decideCreateEvent(snapshot.events.get(request.id), request, snapshot.waitingUsers, now, ids, snapshot.seats),
  };
}

export function updateEventOperation(request: Parameters<TixStore["updateEvent"]>[0]): Operation<Awaited<ReturnType<TixStore["updateEvent"]>>> {
  return {
    request: { events: [request.id], waitingUsers: request.id },
    decide: (snapshot, now, ids) => decideUpdateEvent(snapshot.events.get(request.id), request, snapshot.waitingUsers, now, ids, snapshot.seats),
  };
}

export function reserveOperation(request: Parameters<TixStore["reserve"]>[0]): Operation<Awaited<ReturnType<TixStore["reserve"]>>> {
  return new ReserveOperation(request);
}

/** A reservation's operation: its decision a method, where a closure over the request was two objects more a reservation. */
class ReserveOperation implements Operation<Awaited<ReturnType<TixStore["reserve"]>>> {
  readonly request: SnapshotRequest;

  constructor(private readonly reserve: Parameters<TixStore["reserve"]>[0]) {
    // The request names the user, the key and the event: it is itself each part's lookup (no copies).
    this.request = { events: [reserve.eventId], key: reserve, standing: reserve, waitlistEntry: reserve };
  }

  decide(snapshot: Snapshot, now: number, ids: IdSource): Decision<Awaited<ReturnType<TixStore["reserve"]>>> {
    const reserve = this.reserve;
    return decideReserve({
      event: snapshot.events.get(reserve.eventId), keyRecord: snapshot.keyRecord, keyTickets: snapshot.keyTickets,
      standing: snapshot.standing, waitlistEntry: snapshot.waitlistEntry, seats: snapshot.seats,
    }, reserve, now, ids);
  }
}

export function purchaseOperation(request: Parameters<TixStore["purchase"]>[0]): Operation<Awaited<ReturnType<TixStore["purchase"]>>> {
  const { key, userId, voucher } = request;
  return {
    request: {
      events: [],
      target: request.targetId,
      ...(key === undefined ? {} : { key: { userId, key } }),
      ...(voucher === undefined ? {} : { vouchers: { eventId: TARGET_EVENT, codes: [voucher] } }),
    },
    decide: (snapshot, now) =>
      decidePurchase({ tickets: snapshot.targets, event: eventOfTargets(snapshot), keyRecord: snapshot.keyRecord, vouchers: snapshot.vouchers, seats: snapshot.seats }, request, now),
  };
}

export function cancelOperation(request: Parameters<TixStore["cancel"]>[0]): Operation<TicketRecord[]> {
  return {
    request: { events: [], target: request.targetId, waiting: TARGET_EVENT, vouchers: { eventId: TARGET_EVENT, codes: [] } },
    decide: (snapshot, now, ids) =>
      decideCancel({ tickets: snapshot.targets, event: eventOfTargets(snapshot), waiting: snapshot.waiting, vouchers: snapshot.vouchers, seats: snapshot.seats }, request, now, ids),
  };
}

export function transferOperation(request: Parameters<TixStore["transfer"]>[0]): Operation<Awaited<ReturnType<TixStore["transfer"]>>> {
  return {
    // The recipient's standing and place in line on the tickets' event: a transfer that fills their limit ends their wait.
    request: { events: [], target: request.targetId, standing: { userId: request.to, eventId: TARGET_EVENT }, waitlistEntry: { userId: request.to, eventId: TARGET_EVENT } },
    decide: (snapshot, now, ids) => decideTransfer(
      { tickets: snapshot.targets, event: eventOfTargets(snapshot), recipient: snapshot.standing, recipientEntry: snapshot.waitlistEntry }, request, now, ids),
  };
}

export function createVoucherOperation(request: Parameters<TixStore["createVoucher"]>[0]): Operation<VoucherRecord> {
  return {
    request: { events: [request.eventId], vouchers: { eventId: request.eventId, codes: [request.code] } },
    decide: (snapshot, now) =>
      decideCreateVoucher({ event: snapshot.events.get(request.eventId), existing: snapshot.vouchers.find((voucher) => voucher.code === request.code) }, request, now),
  };
}

export function checkInOperation(request: Parameters<TixStore["checkIn"]>[0]): Operation<TicketRecord> {
  return {
    request: { events: [], target: request.ticketId },
    // Check-in takes a ticket id only: an order's id names no ticket here.
    decide: (snapshot, now) => decideCheckIn({ ticket: isOrderId(request.ticketId) ? undefined : snapshot.targets[0] }, request, now),
  };
}

export function joinWaitlistOperation(request: Parameters<TixStore["joinWaitlist"]>[0]): Operation<Awaited<ReturnType<TixStore["joinWaitlist"]>>> {
  const { eventId, userId } = request;
  return {
    request: { events: [eventId], waitlistEntry: { eventId, userId }, standing: { userId, eventId }, waiting: eventId },
    decide: (snapshot, now, ids) =>
      decideJoinWaitlist({ ...snapshot, event: snapshot.events.get(eventId), entry: snapshot.waitlistEntry }, request, now, ids),
  };
}

export function leaveWaitlistOperation(request: Parameters<TixStore["leaveWaitlist"]>[0]): Operation<WaitlistEntry> {
  return {
    request: { events: [request.eventId], waitlistEntry: request },
    decide: (snapshot, now) => decideLeaveWaitlist({ event: snapshot.events.get(request.eventId), entry: snapshot.waitlistEntry }, request, now),
  };
}
