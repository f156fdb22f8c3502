import { TixError, parseEventPatch, type EventView, type TicketView } from "../../core/index.js";
import type { Tix } from "../../app/open-tix.js";
import type { Marks } from "../output/style.js";
import { fromPrice } from "../output/event-view.js";
import { escapeControl, relativeTime } from "../output/text.js";
import { TimeFormat } from "../output/time.js";
import { validatorOf } from "./guided.js";
import type { PromptChoice, Prompter } from "./prompter.js";

// Each list is worded with `marks`, the style's (`—` and `·` between a choice's parts; `-` on a
// terminal whose locale is not UTF-8). Names are shown as stored.

/**
 * Up to this many events, `reserve`'s picker lists every one, those that can be reserved first
 * (each part in the planning order: the soonest ahead first, as `event list` on a terminal), the others shown with the reason but not pickable. More, and it is a
 * search (pickManyEvents): every event in one list took seconds to read and draw at 3,000 events,
 * and inquirer draws all of a list's choices at every key.
 */
export const PICK_FROM_ALL_UP_TO = 100;
/** What a search of many events shows: at most this many, the most relevant first. */
export const SEARCH_SHOWS = 50;
/** A search reads the events this many at a time (checking between pages whether more was typed). */
const SEARCH_PAGE = 500;

/**
 * `reserve` without an event id: every event with its availability; those that cannot be reserved
 * now (sold out, started, sales closed or not yet open) show why and cannot be picked. When no
 * event can be reserved there is nothing to pick: a one-line error, exit 4.
 */
export async function pickEvent(tix: Tix, prompter: Prompter, marks: Marks, now: number): Promise<string> {
  const { events: first, total } = await tix.events.upcomingFirst({ limit: PICK_FROM_ALL_UP_TO + 1 });
  if (total > PICK_FROM_ALL_UP_TO) return pickManyEvents(tix, prompter, marks, now, first, total);
  // Every event is in `first`, in the planning order `event list` and the search show: the
  // soonest ahead first, then those without a date, then those started.
  const events = first;
  if (events.length === 0) {
    throw new TixError("EVENT_NOT_FOUND", "there are no events yet; create one with `tix event create` or load samples with `tix seed`");
  }
  const refusals = events.map((event) => refusalOf(event, now));
  if (refusals.every((refusal) => refusal !== undefined)) throw noneReservable(refusals);
  const choices = events.map((event, index) => eventChoice(event, marks, now, refusals[index]));
  // Those that can be reserved first; each part in the list's order (sort is stable).
  return prompter.select("Which event?", choices.sort((a, b) => Number(a.disabled !== undefined) - Number(b.disabled !== undefined)));
}

/**
 * Nothing to pick: every event refused, as `refusals` say why. SOLD_OUT when every one is sold
 * out, SALES_CLOSED otherwise (both exit 4), with how many for each reason.
 */
function noneReservable(refusals: ReadonlyArray<string | undefined>): TixError {
  const counts = new Map<string, number>();
  for (const refusal of refusals) counts.set(refusal!, (counts.get(refusal!) ?? 0) + 1);
  const soldOut = counts.get(SOLD_OUT) ?? 0;
  if (soldOut === refusals.length) return new TixError("SOLD_OUT", refusals.length === 1 ? "the one event is sold out" : `all ${refusals.length} events are sold out`);
  const why = [...counts].map(([refusal, count]) => `${count} ${refusal.slice(1, -1)}`).join(", ");
  return new TixError("SALES_CLOSED", `no event can be reserved now (${why})`);
}

/** A choice of an event; its description says when it starts as every view does ("Tue 1 Jun 2027 10:00 UTC · in 5mo"), not in ISO. */
function eventChoice(event: EventView, marks: Marks, now: number, disabled: string | undefined): PromptChoice<string> {
  const starts = event.startsAt === null ? null : new TimeFormat(now, marks.dot).full(event.startsAt);
  return {
    value: event.id,
    name: `${escapeControl(event.name)} ${marks.dash} ${event.available} of ${event.capacity} available, ${fromPrice(event)}`,
    description: [event.id, event.venue === null ? null : escapeControl(event.venue), starts].filter(Boolean).join(` ${marks.dot} `),
    disabled,
  };
}

const SOLD_OUT = "(sold out)";

/** Why an event cannot be reserved now, as a list shows it; undefined when it can. */
function refusalOf(event: EventView, now: number): string | undefined {
  if (event.available === 0) return SOLD_OUT;
  if (event.startsAt !== null && Date.parse(event.startsAt) <= now) return "(started)";
  // salesEnd is the window's end: the event's own, or its start.
  if (event.salesEnd !== null && Date.parse(event.salesEnd) <= now) return "(sales closed)";
  if (event.salesStart !== null && Date.parse(event.salesStart) > now) return "(not on sale yet)";
  return undefined;
}

/**
 * Many events (as gh lists many): before anything is typed, the first SEARCH_SHOWS that can be
 * reserved, in the planning order (the soonest ahead first, then those without a date); typed
 * text narrows to the events whose name, id or venue holds it (any case), those that can be
 * reserved first, then names that start with it, then the planning order. Only SEARCH_SHOWS are
 * drawn; a search reads the events a page at a time and keeps only that many.
 */
async function pickManyEvents(tix: Tix, prompter: Prompter, marks: Marks, now: number, first: readonly EventView[], total: number): Promise<string> {
  const opening = first.filter((event) => refusalOf(event, now) === undefined).slice(0, SEARCH_SHOWS);
  if (opening.length === 0) await someReservable(tix, now);
  return prompter.search(`Which event? Type to search all ${total}:`, async (term, signal) => {
    const needle = term?.trim().toLowerCase() ?? "";
    if (needle === "" && opening.length > 0) return opening.map((event) => eventChoice(event, marks, now, undefined));
    const rank = rankFor(needle, now);
    // A turn of the event loop before each page is read: keys typed meanwhile are read, and abort this search.
    const typedMeanwhile = async (): Promise<boolean> => {
      await new Promise((resolve) => setImmediate(resolve));
      return signal.aborted;
    };
    let best: Array<{ event: EventView; key: Rank }> = [];
    if (await typedMeanwhile()) return [];
    for await (const events of eventPages(tix)) {
      for (const event of events) {
        const key = rank(event);
        if (key) best.push({ event, key });
      }
      best = best.sort((a, b) => compareRanks(a.key, b.key)).slice(0, SEARCH_SHOWS);
      if (await typedMeanwhile()) return [];
    }
    return best.map(({ event }) => eventChoice(event, marks, now, refusalOf(event, now)));
  });
}

/**
 * Throws noneReservable unless some event can be reserved: read a page at a time (only when the
 * soonest events, read first, have none), stopping at the first that can.
 */
async function someReservable(tix: Tix, now: number): Promise<void> {
  const refusals: Array<string | undefined> = [];
  for await (const events of eventPages(tix)) {
    for (const event of events) {
      const refusal = refusalOf(event, now);
      if (refusal === undefined) return;
      refusals.push(refusal);
    }
  }
  throw noneReservable(refusals);
}

/** Every event, SEARCH_PAGE at a time, in the store's order; a page is read only when asked for. */
async function* eventPages(tix: Tix): AsyncGenerator<readonly EventView[]> {
  let after: string | undefined;
  do {
    const page = await tix.events.page({ limit: SEARCH_PAGE, after });
    yield page.events;
    after = page.next ?? undefined;
  } while (after !== undefined);
}

/** A search's order: [can be reserved? 0 : 1, name starts with the text? 0 : 1, planning part, time key, id]. */
type Rank = [number, number, number, number, string];

function rankFor(needle: string, now: number): (event: EventView) => Rank | undefined {
  return (event) => {
    const name = event.name.toLowerCase();
    if (needle !== "" && !name.includes(needle) && !event.id.toLowerCase().includes(needle) && !(event.venue ?? "").toLowerCase().includes(needle)) return undefined;
    const starts = event.startsAt === null ? null : Date.parse(event.startsAt);
    // PLANNING_ORDER: ahead, the soonest first; undated; started, the latest first.
    const [part, time] = starts === null ? [1, 0] : starts > now ? [0, starts] : [2, -starts];
    return [refusalOf(event, now) === undefined ? 0 : 1, needle !== "" && name.startsWith(needle) ? 0 : 1, part, time, event.id];
  };
}

function compareRanks(a: Rank, b: Rank): number {
  for (let index = 0; index < 4; index++) {
    const difference = (a[index] as number) - (b[index] as number);
    if (difference !== 0) return difference;
  }
  return a[4] < b[4] ? -1 : a[4] > b[4] ? 1 : 0;
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
  // The names of the events these tickets are for, read one by one: the whole list of events (20,000
  // on a box office's store) was read to name a handful.
  const eventIds = [...new Set(tickets.map((ticket) => ticket.eventId))];
  const names = new Map(await Promise.all(eventIds.map(async (id) => [id, escapeControl((await tix.events.get(id)).name)] as const)));
  return prompter.select(question, tickets.map((ticket) => ({
    value: ticket,
    // What a buyer tells tickets apart by first (the event, the seat or tier, the price, then
    // whether held or purchased and till when): on a narrow terminal a choice is cut at the end,
    // and a 20-character id at the start left no room for the price at 60 columns. The id is the
    // description under the list, as the event picker shows an event's.
    name: `${names.get(ticket.eventId) ?? ticket.eventId} ${marks.dash} ${escapeControl(ticket.seat ?? ticket.tier)}, ${ticket.price} ${ticket.currency}, ${state(ticket)}`,
    description: ticket.id,
  })));
}

export const askEventName = (prompter: Prompter): Promise<string> =>
  prompter.input("Event name:", validatorOf((name) => parseEventPatch({ name })));

export const askCapacity = (prompter: Prompter): Promise<string> =>
  prompter.input("Capacity (how many tickets):", validatorOf((capacity) => parseEventPatch({ capacity })));
