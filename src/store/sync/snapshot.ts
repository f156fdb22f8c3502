import { WAITLIST_BATCH, isOrderId, type EventRecord, type SeatIndex, type TicketRecord } from "../../core/index.js";
import { TARGET_EVENT, type Snapshot, type SnapshotRequest } from "../operations.js";
import type { SyncRepository } from "./repository.js";

const NO_STANDING = { liveHolds: 0, committed: 0 };

/** Loads what a decision reads, one lookup per part (each an index lookup; nothing waits). */
export function loadSnapshot(repository: SyncRepository, request: SnapshotRequest): Snapshot {
  const targets = targetsOf(repository, request.target);
  const events = new Map<string, EventRecord>();
  for (const id of [...request.events, ...targets.slice(0, 1).map((ticket) => ticket.eventId)]) {
    const event = repository.findEvent(id);
    if (event) events.set(id, event);
  }
  const seats = new Map<string, SeatIndex>();
  for (const event of events.values()) {
    const index = repository.findSeats(event);
    if (index) seats.set(event.id, index);
  }
  const keyRecord = request.key && repository.findKey(request.key.userId, request.key.key);
  const ofTarget = (eventId: string | undefined) => (eventId === TARGET_EVENT ? targets[0]?.eventId : eventId);
  const waitingFor = ofTarget(request.waiting);
  const standingOn = ofTarget(request.standing?.eventId);
  const vouchersOf = ofTarget(request.vouchers?.eventId);
  return {
    events,
    seats,
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
