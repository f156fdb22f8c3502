import { Command } from "commander";
import { invalidArgument, isTixError, parseIsoTime, renameField, type EventFields, type EventView } from "../../core/index.js";
import { eventExists } from "../../app/events.js";
import type { CommandContext } from "../command-context.js";
import { collect } from "../option-values.js";
import { addListOptions, eventPages, listLimit, listWindow, type ListFlags } from "../output/list-window.js";
import { updatedMessage } from "../output/changes.js";
import { valueOrAsk } from "../prompts/guided.js";
import { askCapacity, askEventName } from "../prompts/pickers.js";

interface EventFlags {
  name?: string;
  capacity?: string;
  venue?: string;
  startsAt?: string;
  hold?: string;
  price?: string;
  currency?: string;
  id?: string;
  tier?: string[];
  limitPerUser?: string;
  salesStart?: string;
  salesEnd?: string;
  code?: string;
  seats?: string[];
  seatMap?: string;
}

const fieldsOf = async (flags: EventFlags): Promise<EventFields> => ({
  ...(await seatFields(flags)),
  name: flags.name,
  capacity: flags.capacity,
  venue: flags.venue?.trim().toLowerCase() === "none" ? null : flags.venue, // as --code/--sales-start: 'none' clears
  startsAt: flags.startsAt,
  hold: flags.hold,
  price: flags.price,
  currency: flags.currency,
  tiers: tiersOf(flags),
  limitPerUser: flags.limitPerUser,
  salesStart: flags.salesStart,
  salesEnd: flags.salesEnd,
});

/** `--code` protects the one tier given with it: `--tier "Presale:200:39.00" --code FANS`. */
function tiersOf(flags: EventFlags): string[] | undefined {
  if (flags.code === undefined) return flags.tier;
  if (flags.tier === undefined) {
    // Said how, not "with several tiers" (none was given): the one tier an event without --tier has is named with it.
    throw invalidArgument("code", "protects the one --tier given with it: --tier GA:100:45.00 --code FANS; to protect an event's existing tier, --tier GA:: --code FANS (an empty capacity and price keep the tier's)");
  }
  if (flags.tier.length !== 1) {
    throw invalidArgument("code", "protects the one --tier given with it; with several tiers, write each one's code in its spec: NAME:CAPACITY:PRICE,code=CODE");
  }
  return [`${flags.tier[0]},code=${flags.code}`];
}

/** `--seats` as given, or `--seat-map FILE` read into the same compact specs. */
async function seatFields(flags: EventFlags): Promise<Pick<EventFields, "seats">> {
  if (flags.seatMap === undefined) return flags.seats ? { seats: flags.seats } : {};
  if (flags.seats) throw invalidArgument("seats", "give the seat map once: --seats or --seat-map, not both");
  const { readVenueFile } = await import("../venue-file.js"); // csv-parse only here
  return { seats: readVenueFile(flags.seatMap) };
}

function withEventFlags(command: Command): Command {
  return command
    .option("--name <name>", "what the event is called")
    .option("--capacity <count>", "how many tickets exist (a whole number from 1 to 10,000,000)")
    .option("--venue <venue>", "where it takes place ('none' clears it)")
    .option("--starts-at <iso>", "when it starts, ISO-8601 (UTC unless an offset is given)")
    .option("--hold <duration>", "how long a reservation holds a ticket: 45s, 10m, 2h, 1h30m (default 10m)")
    .option("--price <amount>", "ticket price in the event's currency, e.g. 45.00")
    .option("--tier <spec>", "a tier NAME:CAPACITY:PRICE, e.g. VIP:50:120.00, then if wanted ,code=CODE ,sales-start=ISO ,sales-end=ISO; repeat for several (capacity is their sum); on an update VIP::95.00 keeps the tier's capacity, VIP:60: its price; seated: NAME:PRICE, when created and on an update, then the same options", collect)
    .option("--code <code>", "an access code the one --tier given requires to be reserved ('none' removes it)")
    .option("--limit-per-user <n>", "tickets one user may hold and own (default: one hold at a time; 'none' restores it)")
    .option("--sales-start <iso>", "when sales open, ISO-8601 (default: at once; 'none' restores it)")
    .option("--sales-end <iso>", "when sales close, ISO-8601 (default: when the event starts; 'none' restores it)")
    .option("--seats <spec>", "seated: a block of seats SECTION[@TIER]:ROWS:SEATS, e.g. Floor:A-T:1-30 (| is an aisle); repeat for more; capacity is the seats", collect)
    .option("--seat-map <file>", "seated: the seats from a venue file, JSON or CSV (see docs/seating.md)");
}

/** The event group's subcommands, in the order its help lists them. */
export const EVENT_SUBCOMMANDS = ["create", "update", "list", "show"] as const;

/** The event group; given `only` (one of its subcommands, as program.ts passes it), with that one alone. */
export function eventCommand(ctx: CommandContext, only?: string): Command {
  const event = new Command("event").description("create, change and inspect events")
    .addHelpText("after", `
Examples:
  $ tix event create --name "Blues Night" --capacity 200 --price 30.00
  $ tix event update evt_jazz_evening --capacity 1600
  $ tix event list
  $ tix event show evt_jazz_evening`);
  const define: Record<(typeof EVENT_SUBCOMMANDS)[number], () => void> = {
    create: () => defineCreate(event, ctx),
    update: () => defineUpdate(event, ctx),
    list: () => defineList(event, ctx),
    show: () => defineShow(event, ctx),
  };
  for (const name of EVENT_SUBCOMMANDS) if (only === undefined || only === name) define[name]();
  return event;
}

function defineCreate(event: Command, ctx: CommandContext): void {
  withEventFlags(event.command("create"))
    .description("create an event; with --id of an existing event, update it: fields not given keep their values")
    .option("--currency <code>", "ISO 4217 currency of the price (default USD)")
    .option("--id <id>", "choose the event's id; an existing id updates that event (only the flags given change: --name and --capacity may be left out; a new id asks for them on a terminal)")
    .addHelpText("after", `
Examples:
  $ tix event create --name "Rock Night 2025" --capacity 5000 --venue "Seattle Dome" \\
      --starts-at 2025-06-15T20:00Z --price 89.00 --hold 10m
  $ tix event create --id evt_rock --name "Rock Night" --capacity 6000   # create evt_rock, or change these fields
  $ tix event create --name "Gala" --tier "VIP:50:120.00" --tier "GA:500:45.00" --limit-per-user 4
  $ tix event create --name Tour --starts-at 2027-09-01T20:00Z \\
      --sales-start 2027-03-01T10:00Z --tier GA:800:49.00 \\
      --tier Presale:200:39.00,code=FANS,sales-end=2027-03-08
  $ tix event create --name "Chamber Night" --seats "Stalls:A-K:1-5|6-17|18-22" --seats "Circle@Gold:A-C:1-20" \\
      --tier Stalls:35.00 --tier Gold:60.00                         # seated: capacity is its 302 seats
  $ tix event create --name "Prom" --seat-map riverside-hall.json --price 40.00
  $ tix event create --venue "Blue Room"     # on a terminal: asks for the name and capacity`)
    .action(ctx.action((line, flags: EventFlags, command: Command) =>
      line.perform(command, async (tix, globals) => {
        // On a terminal, the required flags left out are asked for (in the order of the usage line);
        // with tiers, their capacities add up to the event's, so there is none to ask for. With --id,
        // an existing event keeps what is left out: only a new id needs them (asked for on a
        // terminal as for a plain create; elsewhere the library says they are missing).
        const leftOut = flags.name === undefined || (flags.capacity === undefined && !flags.tier && !flags.seats && !flags.seatMap);
        const required = flags.id === undefined || (globals.canPrompt && leftOut && !(await eventExists(tix.events, flags.id)));
        const name = required ? await valueOrAsk(flags.name, globals, { field: "name", usage: "tix event create --name N --capacity C" },
          () => askEventName(line.f.prompterFor(globals.style))) : flags.name;
        const capacity = !required || flags.tier || flags.seats || flags.seatMap ? flags.capacity : await valueOrAsk(flags.capacity, globals, { field: "capacity", usage: "tix event create --name N --capacity C" },
          () => askCapacity(line.f.prompterFor(globals.style)));
        const { event, created, changes, leftWaitlist } = await tix.events.create({ ...(await fieldsOf(flags)), name, capacity, id: flags.id, actor: globals.user });
        const warnings = salesEndNotes(flags, event, line.f.clock.now());
        if (created) return { type: "event", event, message: `✓ Created event ${event.id}`, warnings };
        return { type: "event", event, changes, leftWaitlist, message: updatedMessage(event.id, changes, leftWaitlist, globals.style.marks), warnings };
      })));
}

/**
 * Sales never run past the event's start: a --sales-end given later than it is kept, but sales
 * end at the start (the event's salesEnd says so). Said, so that the time given is not dropped in
 * silence; and a start or sales end given in the past is said too: that event cannot be reserved.
 * A tier's own `sales-end=` is said the same way (it was kept in silence, later than the event's
 * end or already past, and the tier never on sale then).
 */
function salesEndNotes(flags: EventFlags, event: EventView, now: number): string[] {
  const notes: string[] = [];
  if (flags.salesEnd !== undefined && flags.salesEnd.trim().toLowerCase() !== "none" && event.startsAt !== null
    && parseIsoTime(flags.salesEnd, "sales-end") > Date.parse(event.startsAt)) {
    notes.push(`note: sales end when event ${event.id} starts, ${event.startsAt}: the --sales-end given (${flags.salesEnd}) is later`);
  }
  const timesGiven = flags.startsAt !== undefined || flags.salesEnd !== undefined;
  const eventClosed = event.salesEnd !== null && Date.parse(event.salesEnd) <= now;
  if (timesGiven && eventClosed) {
    const why = event.startsAt !== null && event.salesEnd === event.startsAt ? `event ${event.id} starts ${event.startsAt}` : `sales of event ${event.id} end ${event.salesEnd}`;
    notes.push(`note: ${why}, in the past: it cannot be reserved`);
  }
  // A tier's own sales end, given in its spec, is said as the event's is: kept, but cut to the
  // event's end when later, and an end already past leaves the tier that can never be reserved.
  for (const given of tierSalesEndsGiven(flags)) {
    const tier = event.tiers.find((candidate) => candidate.name.toLowerCase() === given.name.toLowerCase());
    if (!tier || tier.salesEnd === null) continue;
    const own = Date.parse(tier.salesEnd);
    const what = `tier ${tier.name} of event ${event.id}`;
    if (event.salesEnd !== null && own > Date.parse(event.salesEnd)) {
      const when = event.startsAt !== null && event.salesEnd === event.startsAt ? `event ${event.id} starts` : `those of event ${event.id} end`;
      notes.push(`note: sales of ${what} end when ${when}, ${event.salesEnd}: the sales-end given (${given.text}) is later`);
    } else if (own <= now && !(timesGiven && eventClosed)) {
      notes.push(`note: sales of ${what} end ${tier.salesEnd}, in the past: it cannot be reserved`);
    }
  }
  return notes;
}

/** The tiers given with a `sales-end=` of their own (not `none`), by name, with the time as written. */
function tierSalesEndsGiven(flags: EventFlags): { name: string; text: string }[] {
  return (flags.tier ?? []).flatMap((spec) => {
    const end = /,\s*sales-end\s*=\s*([^,]*)/i.exec(spec)?.[1]?.trim();
    return end === undefined || end === "" || end.toLowerCase() === "none" ? [] : [{ name: spec.slice(0, Math.max(spec.indexOf(":"), 0)).trim(), text: end }];
  });
}

function defineUpdate(event: Command, ctx: CommandContext): void {
  withEventFlags(event.command("update"))
    .description("change an event; capacity never drops below the tickets held and sold")
    .argument("<id>", "the event to change")
    .addHelpText("after", `
Examples:
  $ tix event update evt_rock_night_2025 --capacity 6000
  $ tix event update evt_jazz_evening --price 50.00 --hold 15m
  $ tix event update evt_gala --tier "VIP:60:120.00"      # change (or add) one tier
  $ tix event update evt_gala --tier Presale:200:39.00 --code FANS  # a presale
  $ tix event update evt_string_quartet_night --tier Stalls:60.00   # seated: NAME:PRICE
  $ tix event update evt_gala --sales-end 2027-08-31T23:59Z`)
    .action(ctx.action((line, id: string, flags: EventFlags, command: Command) => {
      // Said here, in the flags' names, before the store is opened (the library words it in its fields').
      if (Object.values(flags).every((value) => value === undefined)) {
        throw invalidArgument("event update", `nothing to change; give at least one of ${command.options.map((option) => option.long).join(", ")}`);
      }
      return line.perform(command, async (tix, globals) => {
        // The library's `id` is this command's EVENT_ID argument, and named so.
        const { event: updated, changes, leftWaitlist } = await tix.events.update({ id, ...(await fieldsOf(flags)), actor: globals.user })
          .catch((error: unknown) => { throw isTixError(error) && error.field === "id" ? renameField(error, "event id") : error; });
        return { type: "event", event: updated, changes, leftWaitlist, message: updatedMessage(updated.id, changes, leftWaitlist, globals.style.marks), warnings: salesEndNotes(flags, updated, line.f.clock.now()) };
      });
    }));
}

function defineList(event: Command, ctx: CommandContext): void {
  addListOptions(event
    .command("list")
    .description("events with their capacity, held, sold and available tickets; on a terminal, upcoming first"))
    .addHelpText("after", `
On a terminal: the first 30, upcoming events first (soonest first), then
those that have started. Piped and with --json: every event, in the order
they were created, unless --limit is given.

Examples:
  $ tix event list
  $ tix event list --all
  $ tix event list --json | jq '.events[] | select(.available > 0) | .id'`)
    .action(ctx.action((line, flags: ListFlags, command: Command) =>
      line.perform(command, async (tix, globals) => {
        if (globals.mode !== "tty" && line.session === undefined) {
          // A script's list is read and printed a page at a time: a million events never sit in memory at once.
          // Every page from one snapshot: the counts of each event as of one moment.
          const limit = listLimit(flags, globals.mode);
          const view = await tix.snapshot();
          const { first, rest } = await eventPages((request) => view.events.page(request), limit, view);
          return { type: "events", events: first, pages: rest };
        }
        // A person's list: only the rows shown are read, however many events there are.
        if (globals.mode === "tty") return { type: "events", ...(await tix.events.upcomingFirst({ limit: listLimit(flags, globals.mode) })) };
        const { items, total } = listWindow(await tix.events.list(), flags, globals.mode);
        return { type: "events", events: items, total };
      })));
}

function defineShow(event: Command, ctx: CommandContext): void {
  event
    .command("show")
    .description("one event with its counts")
    .argument("<id>", "the event")
    .addHelpText("after", `
Examples:
  $ tix event show evt_rock_night_2025`)
    .action(ctx.action((line, id: string, _flags: object, command: Command) =>
      line.perform(command, async (tix) => ({ type: "event", event: await tix.events.get(id) }))));
}
