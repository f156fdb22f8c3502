import { Command } from "commander";
import { MAX_QUANTITY } from "../../app/tickets.js";
import type { Tix } from "../../app/open-tix.js";
import { plural, tierNamed, type TicketView } from "../../core/index.js";
import type { CommandContext, LineContext } from "../command-context.js";
import type { Globals, RawGlobals } from "../globals.js";
import { relativeTime } from "../output/text.js";
import { valueOrAsk } from "../prompts/guided.js";
import { pickEvent } from "../prompts/pickers.js";

/** reserve's own options, as commander hands them to its action. */
export interface ReserveFlags {
  key?: string;
  tier?: string;
  quantity?: string;
  code?: string;
  seats?: string;
  allowSplit?: boolean;
}

/** `ticket tkt_…`, `3 tickets (order ord_…)`, `seats Stalls:A3, Stalls:A4 (order ord_…)`. */
function describeReserved(tickets: readonly TicketView[], orderId: string, blocks: number | undefined): string {
  const seats = tickets.map((ticket) => ticket.seat).filter((seat) => seat !== null);
  if (seats.length > 0) {
    const apart = blocks !== undefined && blocks > 1 ? `, in ${blocks} blocks` : "";
    return `${plural(seats.length, "seat")} ${seats.join(", ")} (${tickets.length === 1 ? `ticket ${tickets[0]!.id}` : `order ${orderId}`}${apart})`;
  }
  return tickets.length > 1 ? `${tickets.length} tickets (order ${orderId})` : `ticket ${tickets[0]!.id}`;
}

export function reserveCommand(ctx: CommandContext): Command {
  return new Command("reserve")
    .description("hold tickets (one by default) for the event's hold time; safe to retry with the same --key")
    .argument("[eventId]", "the event (on a terminal, left out: pick one from a list; over 100 events, type to search)")
    .option("--key <key>", "idempotency key: retrying with it never makes a second ticket (generated and printed when omitted)")
    .option("--tier <name>", "which tier, in any case (the event's only tier by default)")
    .option("--quantity <n>", "how many tickets to hold together, as one order, all or none (default 1); seated: the best seats side by side")
    .option("--code <code>", "the access code of a tier that requires one (a presale)")
    .option("--seats <list>", "seated events: exactly these seats, all or none, e.g. A12,A13 or Stalls:A12")
    .option("--allow-split", "seated events: when no --quantity seats side by side are left, seat the order in as few blocks as possible (general admission: no effect, with a note)")
    .addHelpText("after", `
Examples:
  $ tix reserve evt_rock_night_2025 --key order-1001
  $ tix reserve evt_rock_night_2025 --key order-1001   # a retry: the same ticket, "replayed"
  $ tix reserve                                        # on a terminal: pick the event from a list
  $ ticket=$(tix reserve evt_jazz_evening --json | jq -r .ticket.id)
  $ tix reserve evt_gala --tier VIP --quantity 4 --key party-of-4
  $ tix reserve evt_tour --tier Presale --code FANS
  $ tix reserve evt_string_quartet_night --seats Stalls:C11,Stalls:C12  # seated: these two, or none
  $ tix reserve evt_string_quartet_night --quantity 3 --tier Stalls --allow-split
  $ tix reserve evt_string_quartet_night                          # on a terminal: pick seats on the map`)
    .action(ctx.action((line, given: string | undefined, flags: ReserveFlags, command: Command) =>
      reserveLine(line, given, flags, command.optsWithGlobals<RawGlobals>())));
}

/**
 * reserve's action, given what the line's parse gave: by commander, or for a plain batch line by
 * readPlainReserve (repl/plain-reserve.ts), which gives the same.
 */
export function reserveLine(line: LineContext, given: string | undefined, flags: ReserveFlags, raw: RawGlobals): Promise<void> {
  return line.performWith(raw, async (tix, globals) => {
    const eventId = await valueOrAsk(given, globals, { field: "event id", usage: "tix reserve EVENT_ID", pick: true },
      () => pickEvent(tix, line.f.prompterFor(globals.style), globals.style.marks, line.f.clock.now()));
    const seats = flags.seats ?? (await seatsToPick(tix, eventId, flags, globals, line));
    const outcome = await tix.tickets.reserve({
      eventId, userId: globals.user, key: flags.key, tier: flags.tier, quantity: flags.quantity, code: flags.code, seats, allowSplit: flags.allowSplit,
    });
    const { ticket, tickets, orderId, replayed, key, blocks } = outcome;
    const what = describeReserved(tickets, orderId, blocks);
    const message = replayed
      ? `↺ Key ${key} already reserved ${what}; nothing new was created`
      : `✓ Reserved ${what}; the hold expires ${relativeTime(ticket.expiresAt, line.f.clock.now())}`;
    // A replay answers what the key made, as it is now: a hold that has lapsed holds nothing.
    const warnings = replayed && ticket.status === "expired"
      ? [`warning: that hold expired at ${ticket.expiresAt}; reserve again with a new key`]
      : [];
    // ... and a ticket cancelled since holds no place either (it replayed in silence, exit 0).
    const cancelled = replayed ? tickets.filter((one) => one.status === "cancelled") : [];
    if (cancelled.length > 0) warnings.push(cancelledSince(cancelled, tickets.length));
    // Splitting is about seats side by side: on a general-admission event it changes nothing, and says so.
    // (Seats named are refused on general admission: a reservation of them was of a seated event.)
    if (flags.allowSplit === true && seats === undefined && ticket.seat === null) warnings.push(`note: --allow-split has no effect: event ${ticket.eventId} is general admission (no seats to keep together)`);
    // On a terminal the answer names the event and its date.
    const event = globals.mode === "tty" ? await tix.events.get(ticket.eventId) : undefined;
    return { type: "ticket", ticket, order: { orderId, tickets }, reservation: { key, replayed, ...(blocks === undefined ? {} : { blocks }) }, message, warnings, action: "reserve", ...(event ? { event } : {}) };
  });
}

/** A replay's tickets cancelled since the key made them: they hold no place. */
function cancelledSince(cancelled: readonly TicketView[], of: number): string {
  const again = "reserve again with a new key";
  if (of === 1) return `warning: that ticket was cancelled at ${cancelled[0]!.cancelledAt}; it holds no place: ${again}`;
  if (cancelled.length === of) return `warning: all ${of} of those tickets were cancelled since; they hold no place: ${again}`;
  const one = cancelled.length === 1;
  return `warning: ${cancelled.length} of those ${of} tickets ${one ? "was" : "were"} cancelled since (${cancelled.map((ticket) => ticket.id).join(", ")}); ${one ? "it holds" : "they hold"} no place`;
}

/**
 * On a terminal, a seated event reserved with neither --seats nor --quantity: the seats are
 * picked on its map. Anywhere else (or with either given, or on TERM=dumb) nothing is asked: one best seat.
 */
async function seatsToPick(tix: Tix, eventId: string, flags: ReserveFlags, globals: Globals, line: LineContext): Promise<string[] | undefined> {
  if (flags.quantity !== undefined || !globals.canPick) return undefined;
  const event = await tix.events.get(eventId);
  if (!event.seated) return undefined;
  const { seats } = await tix.events.seats({ eventId, userId: globals.user });
  // The picker compares the tier as the event spells it (`--tier stalls` is Stalls, as the reservation reads it).
  const tier = flags.tier === undefined ? undefined : (tierNamed(event, flags.tier)?.name ?? flags.tier);
  return line.f.prompterFor(globals.style).pickSeats(seats, { title: event.name, tier, limit: event.limitPerUser ?? MAX_QUANTITY, style: globals.style });
}

