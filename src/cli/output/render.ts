import { formatDuration, type EventView, type TicketView } from "../../core/index.js";
import type { Globals } from "../globals.js";
import type { CliIo } from "../io.js";
import type { CommandResult } from "../result.js";
import { renderBoxOffice } from "./box-office.js";
import { renderImport } from "./import-summary.js";
import { successEnvelope } from "./envelope.js";
import type { Rendered } from "./rendered.js";
import type { Style } from "./style.js";
import { renderFields, renderList, type Cell, type HumanMode, type OutputMode } from "./table.js";
import { relativeTime } from "./text.js";

/** Prints a command's result: data on stdout; warnings, and on a terminal the chatter, on stderr. */
export function printResult(result: CommandResult, globals: Globals, io: CliIo, now: number): void {
  const { stdout, note, warnings = [], more = [] } = render(result, globals.mode, globals.style, now);
  for (const warning of warnings) io.stderr.write(`${warning}\n`);
  io.stdout.write(stdout);
  for (const piece of more) io.stdout.write(piece);
  if (note && globals.mode === "tty") io.stderr.write(`${note}\n`);
}

export function render(result: CommandResult, mode: OutputMode, style: Style, now: number): Rendered {
  const formatIsJson = result.type === "export" || (result.type === "report" && result.format === "json");
  if (result.type === "import") return renderImport(result, mode, style);
  if (mode === "json" || formatIsJson) return { stdout: `${JSON.stringify(successEnvelope(result))}\n` };
  const view = new HumanView(mode, style, now);
  switch (result.type) {
    case "event":
      return { stdout: view.event(result.event), note: result.message };
    case "events":
      return { stdout: view.events(result.events), note: result.message ?? (result.events.length === 0 ? "No events. Create one with `tix event create` or load samples with `tix seed`." : undefined) };
    case "ticket":
      return {
        stdout: result.order && result.order.tickets.length > 1 ? view.order(result.order, result.reservation) : view.ticket(result.ticket, result.reservation),
        note: result.message,
        warnings: result.warnings,
      };
    case "tickets":
      return { stdout: view.tickets(result.tickets), note: result.tickets.length === 0 ? "No tickets match." : undefined };
    case "token":
      // Alone on stdout, so that `TOKEN=$(tix token create)` just works.
      return { stdout: `${result.token}\n`, note: result.message };
    default:
      return renderBoxOffice(result, mode, style, now);
  }
}

const plainCell = (value: string | number | null): Cell => ({ value: value === null ? "" : String(value) });

class HumanView {
  constructor(
    private readonly mode: HumanMode,
    private readonly style: Style,
    private readonly now: number,
  ) {}

  event(event: EventView): string {
    return renderFields(this.mode, [
      ["id", "ID", plainCell(event.id)],
      ["name", "Name", { value: event.name, color: this.style.chalk.bold }],
      ["venue", "Venue", plainCell(event.venue)],
      ["startsAt", "Starts", this.time(event.startsAt)],
      ["capacity", "Capacity", plainCell(event.capacity)],
      ["held", "Held", plainCell(event.held)],
      ["sold", "Sold", plainCell(event.sold)],
      ["available", "Available", this.available(event)],
      ["holdSeconds", "Hold time", plainCell(this.mode === "plain" ? event.holdSeconds : formatDuration(event.holdSeconds))],
      ...this.priceFields(event),
      ["limitPerUser", "Per user", plainCell(event.limitPerUser === null ? (this.mode === "plain" ? "" : "one hold at a time") : event.limitPerUser)],
      ["salesStart", "Sales open", this.time(event.salesStart, "since created")],
      ["salesEnd", "Sales close", this.time(event.salesEnd, "never")],
      ["tiers", "Tiers", plainCell(this.tierSummary(event))],
    ], this.style);
  }

  events(events: EventView[]): string {
    return renderList(this.mode, ["id", "name", "venue", "starts", "capacity", "held", "sold", "available", "price"],
      events.map((event) => [
        plainCell(event.id),
        plainCell(event.name),
        plainCell(event.venue),
        this.time(event.startsAt),
        plainCell(event.capacity),
        plainCell(event.held),
        plainCell(event.sold),
        this.available(event),
        ...this.money(event.price, event.currency),
      ]), this.style);
  }

  ticket(ticket: TicketView, reservation?: { key: string; replayed: boolean }): string {
    const fields: Array<[string, string, Cell]> = [
      ["id", "ID", plainCell(ticket.id)],
      ["eventId", "Event", plainCell(ticket.eventId)],
      ["tier", "Tier", plainCell(ticket.tier)],
      ["orderId", "Order", plainCell(ticket.orderId)],
      ["userId", "User", plainCell(ticket.userId)],
      ["status", "Status", this.status(ticket)],
      ["reservedAt", "Reserved", this.time(ticket.reservedAt)],
      ["expiresAt", "Expires", this.expiry(ticket)],
      ["purchasedAt", "Purchased", this.time(ticket.purchasedAt)],
      ["cancelledAt", "Cancelled", this.time(ticket.cancelledAt)],
      ["checkedInAt", "Checked in", this.time(ticket.checkedInAt)],
      ...this.priceFields(ticket),
      ["cardLast4", "Card", plainCell(this.mode === "plain" ? ticket.cardLast4 : ticket.cardLast4 === null ? "—" : `•••• ${ticket.cardLast4}`)],
    ];
    if (ticket.voucher !== null) {
      fields.push(["voucher", "Voucher", plainCell(ticket.voucher)], ["discount", "Discount", plainCell(this.mode === "plain" ? ticket.discount : `${ticket.discount} ${ticket.currency}`)]);
    }
    if (reservation) {
      fields.push(["key", "Key", plainCell(reservation.key)], ["replayed", "Replayed", plainCell(String(reservation.replayed))]);
    }
    return renderFields(this.mode, fields, this.style);
  }

  /** Piped rows keep their first columns stable; later additions (tier, order, check-in) go at the end. */
  tickets(tickets: TicketView[]): string {
    const headers = ["id", "event", "tier", "user", "status", "reserved", "expires", "price", "card"];
    return renderList(this.mode, headers, tickets.map((ticket) => this.mode === "plain"
      ? [ticket.id, ticket.eventId, ticket.userId, ticket.status, ticket.reservedAt, ticket.expiresAt, ticket.price, ticket.currency,
        ticket.cardLast4, ticket.tier, ticket.orderId, ticket.checkedInAt].map(plainCell)
      : [
        plainCell(ticket.id),
        plainCell(ticket.eventId),
        plainCell(ticket.tier),
        plainCell(ticket.userId),
        this.status(ticket),
        this.time(ticket.reservedAt),
        this.expiry(ticket),
        ...this.money(ticket.price, ticket.currency),
        plainCell(ticket.cardLast4),
      ]), this.style);
  }

  /** Several tickets reserved, bought or cancelled together: the list, then the order's id and key. */
  order(order: { orderId: string; tickets: TicketView[] }, reservation?: { key: string; replayed: boolean }): string {
    const fields: Array<[string, string, Cell]> = [["orderId", "Order", plainCell(order.orderId)]];
    if (reservation) fields.push(["key", "Key", plainCell(reservation.key)], ["replayed", "Replayed", plainCell(String(reservation.replayed))]);
    return this.tickets(order.tickets) + renderFields(this.mode, fields, this.style);
  }

  private tierSummary(event: EventView): string {
    if (this.mode === "plain") return event.tiers.map((tier) => `${tier.name}:${tier.capacity}:${tier.price}`).join(";");
    return event.tiers.map((tier) => {
      const window = [tier.salesStart && `sales open ${relativeTime(tier.salesStart, this.now)}`, tier.salesEnd && `sales close ${relativeTime(tier.salesEnd, this.now)}`];
      const extras = [tier.requiresCode ? "access code" : null, ...window].filter(Boolean).map((text) => `, ${text}`).join("");
      return `${tier.name} ${tier.sold}/${tier.capacity} sold, ${tier.held} held, ${tier.price} ${event.currency}${extras}`;
    }).join("; ");
  }

  private priceFields(item: { price: string; currency: string }): Array<[string, string, Cell]> {
    return this.mode === "plain"
      ? [["price", "Price", plainCell(item.price)], ["currency", "Currency", plainCell(item.currency)]]
      : [["price", "Price", plainCell(`${item.price} ${item.currency}`)]];
  }

  private status(ticket: TicketView): Cell {
    return { value: ticket.status, color: () => this.style.status(ticket.status) };
  }

  /** ISO when piped; relative on a terminal. */
  private time(iso: string | null, none = "—"): Cell {
    if (iso === null) return plainCell(this.mode === "plain" ? null : none);
    return plainCell(this.mode === "plain" ? iso : relativeTime(iso, this.now));
  }

  /** A live hold says how long it has left; other tickets no longer have an expiry that matters. */
  private expiry(ticket: TicketView): Cell {
    if (this.mode === "plain") return plainCell(ticket.expiresAt);
    if (ticket.status === "reserved") return { value: `expires ${relativeTime(ticket.expiresAt, this.now)}`, color: this.style.chalk.yellow };
    if (ticket.status === "expired") return { value: `expired ${relativeTime(ticket.expiresAt, this.now)}`, color: this.style.chalk.dim };
    return plainCell("—");
  }

  private available(event: EventView): Cell {
    const color = event.available === 0 ? this.style.chalk.red : undefined;
    return { value: event.available === 0 && this.mode === "tty" ? "sold out" : String(event.available), color };
  }

  /** Piped output keeps amount and currency in separate columns, for scripts. */
  private money(amount: string, currency: string): Cell[] {
    return this.mode === "plain" ? [plainCell(amount), plainCell(currency)] : [plainCell(`${amount} ${currency}`)];
  }
}
