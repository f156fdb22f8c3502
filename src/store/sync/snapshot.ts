import { WAITLIST_BATCH, isOrderId, type EventRecord, type SeatIndex, type TicketRecord } from "../../core/index.js";
import { TARGET_EVENT, type Snapshot, type SnapshotRequest } from "../operations.js";
import type { SyncRepository } from "./repository.js";

const NO_STANDING = { liveHolds: 0, committed: 0 };
/** General admission: no map made per decision. */
const NO_SEATS: ReadonlyMap<string, SeatIndex> = new Map();

/** Loads what a decision reads, one lookup per part (each an index lookup; nothing waits). */
export function loadSnapshot(repository: SyncRepository, request: SnapshotRequest): Snapshot {
  const targets = targetsOf(repository, request.target);
  const events = new Map<string, EventRecord>();
  for (const id of request.events) addEvent(repository, events, id);
  if (targets.length > 0) addEvent(repository, events, targets[0]!.eventId);
  let seats: Map<string, SeatIndex> | undefined;
  for (const event of events.values()) {
    const index = event.seatMap === null ? undefined : repository.findSeats(event);
    if (index) (seats ??= new Map()).set(event.id, index);
  }
  const keyRecord = request.key && repository.findKey(request.key.userId, request.key.key);
  const ofTarget = (eventId: string | undefined) => (eventId === TARGET_EVENT ? targets[0]?.eventId : eventId);
  const waitingFor = ofTarget(request.waiting);
  const standingOn = ofTarget(request.standing?.eventId);
  const vouchersOf = ofTarget(request.vouchers?.eventId);
  return {
    events,
    seats: seats ?? NO_SEATS,
    targets,
    keyRecord,
    keyTickets: keyRecord ? repository.findOrder(keyRecord.orderId) : [],
    standing: request.standing && standingOn !== undefined ? repository.userStanding(request.standing.userId, standingOn) : NO_STANDING,
    waitlistEntry: request.waitlistEntry && repository.findWaitlistEntry(request.waitlistEntry.eventId, request.waitlistEntry.userId),
    waiting: waitingFor === undefined ? [] : repository.listWaitlist(waitingFor, WAITLIST_BATCH),
    waitingUsers: request.waitingUsers === undefined ? [] : repository.listWaitingUsers(request.waitingUsers, WAITLIST_BATCH),
    vouchers: request.vouchers && vouchersOf !== undefined ? repository.findVouchers(vouchersOf, voucherCodes(request.vouchers.codes, targets)) : [],
  };
}

function addEvent(repository: SyncRepository, events: Map<string, EventRecord>, id: string): void {
  const event = repository.findEvent(id);
  if (event) events.set(id, event);
}

/** The codes asked for, and those the target's tickets were bought with. */
function voucherCodes(codes: readonly string[], targets: readonly TicketRecord[]): string[] {
  return [...new Set([...codes, ...targets.flatMap((ticket) => (ticket.voucher === null ? [] : [ticket.voucher]))])];
}

function targetsOf(repository: SyncRepository, targetId: string | undefined): TicketRecord[] {
  if (targetId === undefined) return [];
  if (isOrderId(targetId)) return repository.findOrder(targetId);
  const ticket = repository.findTicket(targetId);
  return ticket ? [ticket] : [];
}
