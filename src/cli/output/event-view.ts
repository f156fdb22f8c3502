import { formatDuration, type EventView } from "../../core/index.js";
import { occupancyBars } from "./charts.js";
import { renderFieldLines, renderRecord, renderTsv, tablePieces, type Cell, type ColumnForm, type TableSpec } from "./table.js";
import { column, numberColumn, orDash, text, timeColumn, type View } from "./view.js";

/** Events: a table on a terminal (fitted to its width, in pieces: see tablePieces), tab-separated lines when piped. */
export function eventList(events: readonly EventView[], view: View): Iterable<string> {
  if (view.mode === "plain") {
    return [renderTsv(events.map((event) => [event.id, event.name, event.venue, event.startsAt, event.capacity, event.held, event.sold, event.available, event.price, event.currency]))];
  }
  const spec: TableSpec<EventView> = {
    columns: {
      id: column("ID", (event) => text(event.id)),
      name: column("NAME", (event) => text(event.name), { shrinkTo: 16 }),
      venue: column("VENUE", (event) => orDash(event.venue, view), { shrinkTo: 12 }),
      starts: timeColumn("STARTS", (event) => event.startsAt, view),
      capacity: { forms: [countForm("CAPACITY", (event) => event.capacity), countForm("CAP", (event) => event.capacity)], align: "right" },
      held: numberColumn("HELD", (event) => event.held),
      sold: numberColumn("SOLD", (event) => event.sold),
      available: { forms: [{ header: "AVAILABLE", cell: (event) => availability(event, view) }, { header: "AVAIL", cell: (event) => availability(event, view) }], align: "right" },
      price: column("PRICE", (event) => text(fromPrice(event)), { align: "right" }),
    },
    // The counts the contract lists (capacity, held, sold, available) and a relative start stay
    // longest; the weekday, venue, price and the date go first.
    giveWay: ["starts>", "venue", "price", "capacity>", "available>", "starts>", "held", "capacity", "sold", "starts", "available"],
    rowColor: (event) => (view.time.startedMark(event.startsAt) ? view.style.chalk.dim : undefined),
  };
  return tablePieces(spec, events, view.width, view.style);
}

/** One event: its fields, then (on a terminal) a bar per tier of what is sold, held and free. */
export function eventRecord(event: EventView, view: View): string {
  if (view.mode === "plain") {
    return renderFieldLines([
      ["id", event.id], ["name", event.name], ["venue", event.venue], ["startsAt", event.startsAt], ["capacity", event.capacity],
      ["held", event.held], ["sold", event.sold], ["available", event.available], ["holdSeconds", event.holdSeconds],
      ["price", event.price], ["currency", event.currency], ["limitPerUser", event.limitPerUser],
      ["salesStart", event.salesStart], ["salesEnd", event.salesEnd],
      ["tiers", event.tiers.map((tier) => `${tier.name}:${tier.capacity}:${tier.price}`).join(";")],
    ]);
  }
  const fields: Array<[string, Cell]> = [
    ["ID", text(event.id)],
    ["Name", { value: event.name, color: view.style.chalk.bold }],
    ["Venue", orDash(event.venue, view)],
    ["Starts", startsCell(event, view)],
    ["Capacity", text(event.capacity)],
    ["Held", text(event.held)],
    ["Sold", text(event.sold)],
    ["Available", event.available === 0 ? { value: "sold out", color: view.style.chalk.red } : text(event.available)],
    ["Hold time", text(formatDuration(event.holdSeconds))],
    ["Price", text(priceText(event, view))],
    ["Per user", text(event.limitPerUser === null ? "one hold at a time" : event.limitPerUser)],
    ["Sales open", text(event.salesStart === null ? "since created" : view.time.full(event.salesStart))],
    ["Sales close", text(event.salesEnd === null ? "never" : view.time.full(event.salesEnd))],
    ...tierRules(event, view),
  ];
  return `${renderRecord(fields, view.width, view.style)}\n${occupancyBars("Tiers", event.tiers, view)}`;
}

/** A line per tier with its own sales window or an access code: "Presale: access code · sales close Mon 8 Mar 2027 00:00 UTC". */
function tierRules(event: EventView, view: View): Array<[string, Cell]> {
  return event.tiers.flatMap((tier): Array<[string, Cell]> => {
    const rules = [
      tier.requiresCode ? "access code" : null,
      tier.salesStart === null ? null : `sales open ${view.time.full(tier.salesStart)}`,
      tier.salesEnd === null ? null : `sales close ${view.time.full(tier.salesEnd)}`,
    ].filter((rule) => rule !== null);
    return rules.length === 0 ? [] : [[`Tier ${tier.name}`, text(rules.join(` ${view.style.marks.dot} `))]];
  });
}

/** "Sun 15 Jun 2025 20:00 UTC · 1y 5mo ago · ended" */
export function startsCell(event: EventView, view: View): Cell {
  if (event.startsAt === null) return text(view.style.marks.dash);
  const mark = view.time.startedMark(event.startsAt);
  return { value: `${view.time.full(event.startsAt)}${mark ? ` ${view.style.marks.dot} ${mark}` : ""}`, color: mark ? view.style.chalk.dim : undefined };
}

function priceText(event: EventView, view: View): string {
  if (event.tiers.length <= 1) return `${event.price} ${event.currency}`;
  return event.tiers.map((tier) => `${tier.name} ${tier.price}`).join(` ${view.style.marks.dot} `) + ` ${event.currency}`;
}

/**
 * An event's price in a line of a list (the event list's PRICE, the reserve picker's choice):
 * `40.00 USD`, or `from 40.00 USD` when its tiers cost different amounts. `price` is the lowest
 * tier's, which alone read as what every ticket costs (a hall's 55.00 stalls showed as 40.00).
 */
export function fromPrice(event: EventView): string {
  const amount = `${event.price} ${event.currency}`;
  return event.tiers.some((tier) => tier.priceMinor !== event.priceMinor) ? `from ${amount}` : amount;
}

/** Places left to sell: "sold out" in red; once the event has started, "started" or "ended" instead. */
function availability(event: EventView, view: View): Cell {
  const mark = view.time.startedMark(event.startsAt);
  if (mark) return text(mark);
  return event.available === 0 ? { value: "sold out", color: view.style.chalk.red } : text(event.available);
}

function countForm(header: string, count: (event: EventView) => number): ColumnForm<EventView> {
  return { header, cell: (event) => text(count(event)) };
}
