import type { Tix } from "../../app/open-tix.js";
import type { TicketStatus, TicketView } from "../../core/index.js";
import type { IdKind } from "./tree.js";

/** At most this many ids are offered at once: a shell lists them, and a store of any size answers fast. */
export const COMPLETION_IDS = 200;

/** Tickets read from the store at a time while looking for those to offer. */
const TICKET_PAGE = 1000;

/**
 * The tickets each command can act on, as src/core decides (a ticket id typed for another
 * command is offered whatever it is): the statuses to list, and the test each ticket must pass.
 */
const ACTIONABLE: Readonly<Record<string, { statuses: TicketStatus[]; can: (ticket: TicketView) => boolean }>> = {
  // decidePurchase: a live hold (a purchased one is ALREADY_PURCHASED, an expired one HOLD_EXPIRED).
  purchase: { statuses: ["reserved"], can: (ticket) => ticket.status === "reserved" },
  // decideCancel: a live hold, or a purchased ticket not checked in.
  cancel: { statuses: ["reserved", "purchased"], can: (ticket) => ticket.status === "reserved" || (ticket.status === "purchased" && ticket.checkedInAt === null) },
  // decideTransfer: purchased, not checked in.
  transfer: { statuses: ["purchased"], can: (ticket) => ticket.status === "purchased" && ticket.checkedInAt === null },
  // decideCheckIn: purchased, not checked in (the acting user's own: no other user's id is offered).
  checkin: { statuses: ["purchased"], can: (ticket) => ticket.status === "purchased" && ticket.checkedInAt === null },
};

/**
 * The ids completion offers that start with what was typed, at most COMPLETION_IDS, in id order:
 * the events' (the first ones of an indexed range of ids, never every event); the acting user's
 * tickets that `command` (its path: `purchase`, `ticket show`) can act on, every one of theirs for
 * a command not in ACTIONABLE or none named: the first COMPLETION_IDS found in their list's order
 * (oldest first), read a page at a time, so a Tab stops reading once that many are found.
 */
export async function listIds(tix: Tix, kind: IdKind, user: string, prefix = "", command = ""): Promise<string[]> {
  if (kind === "event") return tix.events.ids({ prefix, limit: COMPLETION_IDS });
  const actionable = ACTIONABLE[command];
  const found: string[] = [];
  for (const status of actionable?.statuses ?? [undefined]) {
    let after: string | undefined;
    do {
      const { tickets, next } = await tix.tickets.page({ userId: user, status, limit: TICKET_PAGE, after });
      for (const ticket of tickets) if (ticket.id.startsWith(prefix) && (actionable?.can(ticket) ?? true)) found.push(ticket.id);
      after = next ?? undefined;
    } while (after !== undefined && found.length < COMPLETION_IDS);
  }
  return found.sort().slice(0, COMPLETION_IDS);
}
