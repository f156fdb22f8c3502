import { SYSTEM_ACTOR, logChange, logTicket } from "./audit.js";
import { TixError, eventNotFound, invalidArgument } from "./errors.js";
import { checkEventOnSale, checkTierOpen, isOnSale } from "./sales.js";
import { adjustTier, resolveTier } from "./tiers.js";
import { tierAvailable, type Change, type Decision, type EventRecord, type IdSource, type TicketRecord, type WaitlistEntry } from "./model.js";
import { checkUserMayHold, newHold, type UserStanding } from "./holds.js";
import { SeatDrafts, type SeatDraft } from "./seating/draft.js";
import type { SeatIndex } from "./seating/free-index.js";

/** Why a rule took a waiting user off the line (the `reason` of its `waitlist.left` entry). */
export type LeaveReason = "per-user limit changed" | "sales not open yet" | "access code changed" | "per-user limit reached by a transfer";

/** A rule, not the user, takes a waiting user off the line: the entry goes, logged by `system` with why. */
export function takenOffLine(entry: Pick<WaitlistEntry, "eventId" | "userId" | "tier">, reason: LeaveReason, now: number): Change[] {
  return [
    { type: "removeWaitlistEntry", eventId: entry.eventId, userId: entry.userId },
    logChange("waitlist.left", now, SYSTEM_ACTOR, { eventId: entry.eventId }, { userId: entry.userId, tier: entry.tier, reason }),
  ];
}

/**
 * Gives free places to waiting users, first come first served, one hold each (with the event's
 * normal hold time); on a seated event, the best available seat of their tier, taken in `seats`
 * (whose change the caller writes). Called by every decision that frees a place or adds a waiting user.
 * The waiting list closes with sales: outside a tier's sales window nobody is given a place.
 */
export function promoteWaiting(
  event: EventRecord,
  waiting: readonly WaitlistEntry[],
  now: number,
  ids: IdSource,
  seats?: SeatDraft,
): { event: EventRecord; changes: Change[]; promoted: TicketRecord[] } {
  const changes: Change[] = [];
  const promoted: TicketRecord[] = [];
  let current = event;
  for (const entry of waiting) {
    const tier = current.tiers.find((candidate) => candidate.name === entry.tier);
    if (!tier || tierAvailable(tier) <= 0 || !isOnSale(current, tier, now)) continue;
    const seat = event.seatMap === null ? null : takeSeat(seats, event, tier.name);
    const ticket = newHold(current, tier, entry.userId, ids.ticket(), ids.order(), now, seat);
    current = adjustTier(current, tier.name, 1);
    promoted.push(ticket);
    changes.push(
      { type: "saveTicket", ticket },
      { type: "removeWaitlistEntry", eventId: entry.eventId, userId: entry.userId },
      logTicket("waitlist.promoted", now, SYSTEM_ACTOR, ticket, { userId: entry.userId, waitedMs: Math.max(0, now - entry.joinedAt) }),
      logTicket("ticket.reserved", now, SYSTEM_ACTOR, ticket, { userId: entry.userId }),
    );
  }
  if (promoted.length > 0) changes.push({ type: "saveEvent", event: current });
  return { event: current, changes, promoted };
}

/** The best free seat of the tier: the counts say there is one, so the seats must agree. */
function takeSeat(seats: SeatDraft | undefined, event: EventRecord, tier: string): string {
  if (!seats) throw new TixError("INTERNAL", `the seats of event ${event.id} were not loaded`);
  const seat = seats.takeBestSeat(tier);
  if (seat === undefined) throw new TixError("INTERNAL", `tier ${tier} of event ${event.id} counts a free place, but none of its seats is free`);
  return seat;
}

export interface JoinWaitlistSnapshot {
  event: EventRecord | undefined;
  entry: WaitlistEntry | undefined;
  standing: UserStanding;
  /** The event's waiting users, in order. */
  waiting: readonly WaitlistEntry[];
  /** The event's seats, when it is seated (read only). */
  seats?: ReadonlyMap<string, SeatIndex> | undefined;
}

export interface JoinWaitlistResult {
  entry: WaitlistEntry;
  /** False when the user was already waiting. */
  joined: boolean;
  /** The hold given at once when a place was free. */
  ticket: TicketRecord | undefined;
}

export function decideJoinWaitlist(
  snapshot: JoinWaitlistSnapshot,
  request: { eventId: string; userId: string; tier?: string | undefined; code?: string | undefined },
  now: number,
  ids: IdSource,
): Decision<JoinWaitlistResult> {
  const { event, entry: existing } = snapshot;
  if (!event) throw eventNotFound(request.eventId);
  const tier = resolveTier(event, request.tier);
  if (existing && existing.tier !== tier.name) {
    // One place in line per user and event: answering "already waiting" would hide that it is for another tier.
    throw invalidArgument("tier", `user ${request.userId} is already waiting for tier ${existing.tier} of event ${event.id} (one place in line per event); leave the waiting list first to wait for ${tier.name}`);
  }
  if (existing) return { changes: [], result: { entry: existing, joined: false, ticket: undefined } };
  // Waiting for a place is reserving one later: the same window and the same code.
  checkEventOnSale(event, now);
  checkTierOpen(event, tier, request.code, now);
  checkUserMayHold(event, snapshot.standing, request.userId, 1);
  // The line is kept in order of joinedAt (then arrival, on SQL stores): a clock stepped back since
  // the last join (NTP, a restored VM, another machine's clock on a shared store) must not put this
  // user ahead of those already waiting, so the entry is never stamped before the latest of theirs.
  const joinedAt = snapshot.waiting.reduce((latest, waiting) => (waiting.joinedAt > latest ? waiting.joinedAt : latest), now);
  const entry: WaitlistEntry = { eventId: event.id, userId: request.userId, tier: tier.name, joinedAt };
  const seats = event.seatMap === null ? undefined : new SeatDrafts(snapshot.seats ?? new Map()).of(event.id);
  const promotion = promoteWaiting(event, [...snapshot.waiting, entry], now, ids, seats);
  const ticket = promotion.promoted.find((hold) => hold.userId === request.userId);
  return {
    changes: [
      { type: "saveWaitlistEntry", entry },
      logChange("waitlist.joined", now, request.userId, { eventId: event.id }, { tier: tier.name }),
      ...promotion.changes,
      ...seats?.changes() ?? [],
    ],
    result: { entry, joined: true, ticket },
  };
}

export function decideLeaveWaitlist(
  snapshot: { event: EventRecord | undefined; entry: WaitlistEntry | undefined },
  request: { eventId: string; userId: string },
  now: number,
): Decision<WaitlistEntry> {
  const { event, entry } = snapshot;
  // An id that names no event is that, as joining it is: "not on its waiting list" would hide a typo.
  if (!event) throw eventNotFound(request.eventId);
  if (!entry) throw new TixError("NOT_WAITING", `user ${request.userId} is not on the waiting list of ${request.eventId}`);
  return {
    changes: [
      { type: "removeWaitlistEntry", eventId: entry.eventId, userId: entry.userId },
      logChange("waitlist.left", now, request.userId, { eventId: entry.eventId }, { tier: entry.tier }),
    ],
    result: entry,
  };
}

/**
 * How many waiting users of each tier one operation considers; a larger burst of freed places takes
 * several. Per tier, not of the whole line: a tier's first waiting user behind 500 of another
 * tier's is still given the place freed in theirs.
 */
export const WAITLIST_BATCH = 500;
