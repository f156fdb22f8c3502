import { WAITLIST_BATCH, isOrderId, type EventRecord, type SeatIndex, type TicketRecord } from "../../core/index.js";
import { TARGET_EVENT, type Snapshot, type SnapshotRequest } from "../operations.js";
import type { SyncRepository } from "./repository.js";

const NO_STANDING = { liveHolds: 0, committed: 0 };
/** General admission: no map made per decision. */
const NO_SEATS: ReadonlyMap<string, SeatIndex> = new Map();
/** What a snapshot has none of (decisions never change a snapshot): no array made per decision. */
const NONE = Object.freeze([]) as unknown as never[];

/** Loads what a decision reads, one lookup per part (each an index lookup; nothing waits). */
export function loadSnapshot(repository: SyncRepository, request: SnapshotRequest): Snapshot {
  const targets = request.target === undefined ? NONE : targetsOf(repository, request.target);
  const events = new Map<string, EventRecord>();
  for (const id of request.events) addEvent(repository, events, id);
  if (targets.length > 0) addEvent(repository, events, targets[0]!.eventId);
  let seats: Map<string, SeatIndex> | undefined;
  for (const event of events.values()) {
    const index = event.seatMap === null ? undefined : repository.findSeats(event);
    if (index) (seats ??= new Map()).set(event.id, index);
  }
  const keyRecord = request.key && repository.findKey(request.key.userId, request.key.key);
  const waitingFor = ofTarget(request.waiting, targets);
  const standingOn = ofTarget(request.standing?.eventId, targets);
  const vouchersOf = ofTarget(request.vouchers?.eventId, targets);
  return {
    events,
    seats: seats ?? NO_SEATS,
    targets,
    keyRecord,
    keyTickets: keyRecord ? repository.findOrder(keyRecord.orderId) : NONE,
    standing: request.standing && standingOn !== undefined ? repository.userStanding(request.standing.userId, standingOn) : NO_STANDING,
    waitlistEntry: request.waitlistEntry && repository.findWaitlistEntry(request.waitlistEntry.eventId, request.waitlistEntry.userId),
    waiting: waitingFor === undefined ? NONE : repository.listWaitlist(waitingFor, WAITLIST_BATCH),
    waitingUsers: request.waitingUsers === undefined ? NONE : repository.listWaitingUsers(request.waitingUsers, WAITLIST_BATCH),
    vouchers: request.vouchers && vouchersOf !== undefined ? repository.findVouchers(vouchersOf, voucherCodes(request.vouchers.codes, targets)) : NONE,
  };
}

/** An event id of the request; TARGET_EVENT is the event of the target's tickets. */
function ofTarget(eventId: string | undefined, targets: readonly TicketRecord[]): string | undefined {
  return eventId === TARGET_EVENT ? targets[0]?.eventId : eventId;
}

function addEvent(repository: SyncRepository, events: Map<string, EventRecord>, id: string): void {
  const event = repository.findEvent(id);
  if (event) events.set(id, event);
}

/** The codes asked for, and those the target's tickets were bought with. */
function voucherCodes(codes: readonly string[], targets: readonly TicketRecord[]): string[] {
  return [...new Set([...codes, ...targets.flatMap((ticket) => (ticket.voucher === null ? [] : [ticket.voucher]))])];
}

function targetsOf(repository: SyncRepository, targetId: string): TicketRecord[] {
  if (isOrderId(targetId)) return repository.findOrder(targetId);
  const ticket = repository.findTicket(targetId);
  return ticket ? [ticket] : NONE;
}
