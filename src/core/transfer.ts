import { logTicket } from "./audit.js";
import { TixError, invalidArgument } from "./errors.js";
import { effectiveStatus, type UserStanding } from "./holds.js";
import type { Decision, IdSource, LogEntry, TicketRecord, WaitlistEntry } from "./model.js";
import { ownedTargets, type TargetSnapshot } from "./tickets.js";
import { takenOffLine } from "./waitlist.js";
import { counted, plural } from "./plural.js";

export interface TransferSnapshot extends TargetSnapshot {
  /** What the recipient already holds and owns for the event (the per-user limit counts transfers too). */
  recipient: UserStanding;
  /** The recipient's place in the event's waiting list, if they wait for it. */
  recipientEntry: WaitlistEntry | undefined;
}

export interface TransferResult {
  /** The tickets moved, now the recipient's, in a new order of theirs. */
  tickets: TicketRecord[];
  orderId: string;
  from: string;
  /**
   * The recipient's place in the event's waiting list, taken away because the tickets brought
   * them to the event's per-user limit (a user at the limit can be given no more); else undefined.
   */
  leftWaitlist: WaitlistEntry | undefined;
}

/**
 * Moves the owner's purchased tickets that are not checked in — one ticket, or those of an
 * order — to another user, as one new order of the recipient's. The old owner can no longer
 * cancel or present them; the new one can. Each call moves them once; every move is logged.
 * Tickets that bring the recipient to the event's per-user limit also take them off its waiting
 * list (as a reservation of their own would): a promotion could give them nothing more.
 */
export function decideTransfer(
  snapshot: TransferSnapshot,
  request: { targetId: string; userId: string; to: string },
  now: number,
  ids: IdSource,
): Decision<TransferResult> {
  const { tickets, event } = ownedTargets(snapshot, request);
  if (request.to === request.userId) throw invalidArgument("to", `the ${plural(tickets.length, "ticket is", "tickets are")} already ${request.userId}'s`);
  const movable = tickets.filter((ticket) => effectiveStatus(ticket, now) === "purchased" && ticket.checkedInAt === null);
  if (movable.length === 0) throw notTransferable(tickets[0]!, now);
  const { limitPerUser } = event;
  if (limitPerUser !== null && snapshot.recipient.committed + movable.length > limitPerUser) {
    throw new TixError(
      "LIMIT_EXCEEDED",
      `event ${event.id} allows ${counted(limitPerUser, "ticket")} per user; ${request.to} has ${snapshot.recipient.committed} and would receive ${movable.length} more`,
    );
  }
  const orderId = ids.order();
  const moved = movable.map((ticket) => ({ ...ticket, userId: request.to, orderId }));
  const reachesLimit = limitPerUser !== null && snapshot.recipient.committed + movable.length >= limitPerUser;
  const leftWaitlist = reachesLimit ? snapshot.recipientEntry : undefined;
  return {
    changes: [
      ...moved.flatMap((ticket, index) => [
        { type: "saveTicket", ticket } as const,
        logTicket("ticket.transferred", now, request.userId, ticket, { from: request.userId, to: request.to, fromOrderId: movable[index]!.orderId }),
      ]),
      ...(leftWaitlist ? takenOffLine(leftWaitlist, "per-user limit reached by a transfer", now) : []),
    ],
    result: { tickets: moved, orderId, from: request.userId, leftWaitlist },
  };
}

/**
 * Whether `userId` owns `ticket` now or ever did, by its log (`ticket.transferred` entries name who
 * gave it and who received it): a ticket that was in that user's own list, which they may have
 * seen and paged after, though it has been transferred since. Its first owner is the first
 * transfer's giver (or, never transferred, its owner now).
 */
export function everOwnedBy(ticket: TicketRecord, log: readonly LogEntry[], userId: string): boolean {
  if (ticket.userId === userId) return true;
  return log.some((entry) => entry.ticketId === ticket.id && entry.action === "ticket.transferred" && (entry.details.from === userId || entry.details.to === userId));
}

function notTransferable(ticket: TicketRecord, now: number): TixError {
  if (ticket.checkedInAt !== null) return new TixError("ALREADY_CHECKED_IN", `ticket ${ticket.id} was checked in; it can no longer be transferred`);
  const status = effectiveStatus(ticket, now);
  if (status === "cancelled") return new TixError("ALREADY_CANCELLED", `ticket ${ticket.id} is cancelled`);
  return new TixError("TICKET_NOT_PURCHASED", `ticket ${ticket.id} is ${status}, not purchased; only purchased tickets can be transferred`);
}
