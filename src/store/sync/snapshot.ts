import { WAITLIST_BATCH, isOrderId, type EventRecord, type SeatIndex, type TicketRecord } from "../../core/index.js";
import { TARGET_EVENT, type Snapshot, type SnapshotRequest } from "../operations.js";
import type { SyncRepository } from "./repository.js";

const NO_STANDING = { liveHolds: 0, committed: 0 };
/** General admission: no map made per decision. */
const NO_SEATS: ReadonlyMap<string, SeatIndex> = new Map();
/** What a snapshot has none of (decisions never change a snapshot): no array made per decision. */
const NONE = Object.freeze([]) as unknown as never[];

/** A snapshot to fill (see loadSnapshot), holding nothing. */
export function emptySnapshot(): Snapshot {
  return { events: new Map(), seats: NO_SEATS, targets: NONE, keyRecord: undefined, keyTickets: NONE, standing: NO_STANDING, waitlistEntry: undefined, waiting: NONE, waitingUsers: NONE, vouchers: NONE };
}

/**
 * Loads what a decision reads, one lookup per part (each an index lookup; nothing waits), into
 * `snapshot`, the caller's, written over: a decision reads its snapshot only while it decides,
 * so a runner gives every decision the same one — no object made per decision, and no map: its
 * events map is emptied and filled here (most hold the one event the decision before held,
 * written over).
 */
export function loadSnapshot(repository: SyncRepository, request: SnapshotRequest, snapshot: Snapshot): Snapshot {
  const events = snapshot.events as Map<string, EventRecord>;
  const targets = request.target === undefined ? NONE : targetsOf(repository, request.target);
  keepOnly(events, request.events.length === 1 ? request.events[0] : request.events.length === 0 ? targets[0]?.eventId : undefined);
  let seats: Map<string, SeatIndex> | undefined;
  for (const id of request.events) seats = addEvent(repository, events, seats, id);
  if (targets.length > 0) seats = addEvent(repository, events, seats, targets[0]!.eventId);
  const keyRecord = request.key && repository.findKey(request.key.userId, request.key.key);
  const waitingFor = ofTarget(request.waiting, targets);
  const standingOn = ofTarget(request.standing?.eventId, targets);
  const entryOn = ofTarget(request.waitlistEntry?.eventId, targets);
  const vouchersOf = ofTarget(request.vouchers?.eventId, targets);
  snapshot.seats = seats ?? NO_SEATS;
  snapshot.targets = targets;
  snapshot.keyRecord = keyRecord;
  snapshot.keyTickets = keyRecord ? repository.findOrder(keyRecord.orderId) : NONE;
  snapshot.standing = request.standing && standingOn !== undefined ? repository.userStanding(request.standing.userId, standingOn) : NO_STANDING;
  snapshot.waitlistEntry = request.waitlistEntry && entryOn !== undefined ? repository.findWaitlistEntry(entryOn, request.waitlistEntry.userId) : undefined;
  snapshot.waiting = waitingFor === undefined ? NONE : repository.listWaitlist(waitingFor, WAITLIST_BATCH);
  snapshot.waitingUsers = request.waitingUsers === undefined ? NONE : repository.listWaitingUsers(request.waitingUsers, Number.MAX_SAFE_INTEGER);
  snapshot.vouchers = request.vouchers && vouchersOf !== undefined ? repository.findVouchers(vouchersOf, voucherCodes(request.vouchers.codes, targets)) : NONE;
  return snapshot;
}

/** An event id of the request; TARGET_EVENT is the event of the target's tickets. */
function ofTarget(eventId: string | undefined, targets: readonly TicketRecord[]): string | undefined {
  return eventId === TARGET_EVENT ? targets[0]?.eventId : eventId;
}

/** The codes asked for, and those the target's tickets were bought with. */
function voucherCodes(codes: readonly string[], targets: readonly TicketRecord[]): string[] {
  return [...new Set([...codes, ...targets.flatMap((ticket) => (ticket.voucher === null ? [] : [ticket.voucher]))])];
}

/** Empties `events` unless it holds only `id` (to be written over): Map#clear makes a new table. */
function keepOnly(events: Map<string, EventRecord>, id: string | undefined): void {
  if (events.size > 1 || (events.size === 1 && (id === undefined || !events.has(id)))) events.clear();
}

/** Adds the event `id` (when it exists) and its seats (when seated); answers the seats map, made at the first. */
function addEvent(repository: SyncRepository, events: Map<string, EventRecord>, seats: Map<string, SeatIndex> | undefined, id: string): Map<string, SeatIndex> | undefined {
  const event = repository.findEvent(id);
  if (!event) {
    events.delete(id);
    return seats;
  }
  events.set(id, event);
  const index = event.seatMap === null ? undefined : repository.findSeats(event);
  if (index) (seats ??= new Map()).set(id, index);
  return seats;
}

function targetsOf(repository: SyncRepository, targetId: string): TicketRecord[] {
  if (isOrderId(targetId)) return repository.findOrder(targetId);
  const ticket = repository.findTicket(targetId);
  return ticket ? [ticket] : NONE;
}
