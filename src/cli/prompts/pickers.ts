import { TixError, parseEventPatch, type TicketView } from "../../core/index.js";
import type { Tix } from "../../app/open-tix.js";
import type { Marks } from "../output/style.js";
import { escapeControl, relativeTime } from "../output/text.js";
import { validatorOf } from "./guided.js";
import type { Prompter } from "./prompter.js";

// Each list is worded with `marks`, the style's (`—` and `·` between a choice's parts; `-` on a
// terminal whose locale is not UTF-8). Names are shown as stored.

/** `reserve` without an event id: every event with its availability; sold-out ones cannot be picked. */
export async function pickEvent(tix: Tix, prompter: Prompter, marks: Marks): Promise<string> {
  const events = await tix.events.list();
  if (events.length === 0) {
    throw new TixError("EVENT_NOT_FOUND", "there are no events yet; create one with `tix event create` or load samples with `tix seed`");
  }
  if (events.every((event) => event.available === 0)) throw new TixError("SOLD_OUT", "every event is sold out");
  return prompter.select("Which event?", events.map((event) => ({
    value: event.id,
    name: `${escapeControl(event.name)} ${marks.dash} ${event.available} of ${event.capacity} available, ${event.price} ${event.currency}`,
    description: [event.id, event.venue === null ? null : escapeControl(event.venue), event.startsAt].filter(Boolean).join(` ${marks.dot} `),
    disabled: event.available === 0 ? "(sold out)" : undefined,
  })));
}

/** `purchase` without a ticket id: the user's live holds, each with the time it has left. */
export async function pickHeldTicket(tix: Tix, userId: string, prompter: Prompter, now: number, marks: Marks): Promise<TicketView> {
  const held = await tix.tickets.list({ userId, status: "reserved" });
  if (held.length === 0) {
    throw new TixError("TICKET_NOT_FOUND", `${userId} holds no tickets to purchase; reserve one first with \`tix reserve\``);
  }
  return pickTicket(tix, prompter, "Which ticket?", held, marks, (ticket) => `expires ${relativeTime(ticket.expiresAt, now)}`);
}

/** `cancel` without a ticket id: the user's live holds and purchased tickets not yet used at the door. */
export async function pickCancellableTicket(tix: Tix, userId: string, prompter: Prompter, now: number, marks: Marks): Promise<TicketView> {
  const live = (await tix.tickets.list({ userId })).filter((ticket) =>
    ticket.status === "reserved" || (ticket.status === "purchased" && ticket.checkedInAt === null));
  if (live.length === 0) {
    throw new TixError("TICKET_NOT_FOUND", `${userId} has no held or purchased tickets to cancel`);
  }
  return pickTicket(tix, prompter, "Which ticket to cancel?", live, marks, (ticket) =>
    ticket.status === "reserved" ? `held, expires ${relativeTime(ticket.expiresAt, now)}` : `purchased, refund to the card ending ${ticket.cardLast4}`);
}

async function pickTicket(tix: Tix, prompter: Prompter, question: string, tickets: TicketView[], marks: Marks, state: (ticket: TicketView) => string): Promise<TicketView> {
  const names = new Map((await tix.events.list()).map((event) => [event.id, escapeControl(event.name)]));
  return prompter.select(question, tickets.map((ticket) => ({
    value: ticket,
    // Its state first: on a narrow terminal a choice is cut at the end, and held or purchased
    // (a refund) is what the choice turns on.
    name: `${ticket.id} ${marks.dash} ${state(ticket)}, ${names.get(ticket.eventId) ?? ticket.eventId}, ${ticket.price} ${ticket.currency}`,
  })));
}

export const askEventName = (prompter: Prompter): Promise<string> =>
  prompter.input("Event name:", validatorOf((name) => parseEventPatch({ name })));

export const askCapacity = (prompter: Prompter): Promise<string> =>
  prompter.input("Capacity (how many tickets):", validatorOf((capacity) => parseEventPatch({ capacity })));
