import type { Tix } from "../../app/open-tix.js";
import type { TicketView } from "../../core/index.js";
import type { IdKind } from "./tree.js";

/** At most this many ids are offered at once: a shell lists them, and a store of any size answers fast. */
export const COMPLETION_IDS = 200;

/** Tickets read from the store at a time while looking for those a command can act on. */
const TICKET_PAGE = COMPLETION_IDS;

/**
 * The tickets each command can act on, as src/core decides (a ticket id typed for another
 * command is offered whatever it is): the test each ticket must pass.
 */
const ACTIONABLE: Readonly<Record<string, { can: (ticket: TicketView) => boolean }>> = {
  // decidePurchase: a live hold (a purchased one is ALREADY_PURCHASED, an expired one HOLD_EXPIRED).
  purchase: { can: (ticket) => ticket.status === "reserved" },
  // decideCancel: a live hold, or a purchased ticket not checked in.
  cancel: { can: (ticket) => ticket.status === "reserved" || (ticket.status === "purchased" && ticket.checkedInAt === null) },
  // decideTransfer: purchased, not checked in.
  transfer: { can: (ticket) => ticket.status === "purchased" && ticket.checkedInAt === null },
  // decideCheckIn: purchased, not checked in (the acting user's own: no other user's id is offered).
  checkin: { can: (ticket) => ticket.status === "purchased" && ticket.checkedInAt === null },
};

/**
 * The ids completion offers that start with what was typed, at most COMPLETION_IDS, in id order:
 * the events' (the first ones of an indexed range of ids, never every event); the acting user's
 * tickets that `command` (its path: `purchase`, `ticket show`) can act on, every one of theirs for
 * a command not in ACTIONABLE or none named: the first COMPLETION_IDS in id order, read through an
 * index on the user's ids (`tickets.byIdPrefix`) a page at a time, so a Tab reads the user's
 * tickets with that prefix until that many are found, never the rest of their list.
 */
export async function listIds(tix: Tix, kind: IdKind, user: string, prefix = "", command = ""): Promise<string[]> {
  if (kind === "event") return tix.events.ids({ prefix, limit: COMPLETION_IDS });
  const actionable = ACTIONABLE[command];
  if (!actionable) return (await tix.tickets.byIdPrefix({ userId: user, prefix, limit: COMPLETION_IDS })).map((ticket) => ticket.id);
  const found: string[] = [];
  let after: string | undefined;
  for (;;) {
    const tickets = await tix.tickets.byIdPrefix({ userId: user, prefix, limit: TICKET_PAGE, after });
    for (const ticket of tickets) {
      if (actionable.can(ticket)) found.push(ticket.id);
      if (found.length === COMPLETION_IDS) return found;
    }
    if (tickets.length < TICKET_PAGE) return found;
    after = tickets[tickets.length - 1]!.id;
  }
}
