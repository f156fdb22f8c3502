import type { EventReport, EventView, FieldChange, LogEntryView, TicketView, WaitlistEntryView } from "../core/index.js";
import type { RowProblem } from "../app/import-events.js";
import type { JoinOutcome } from "../app/waitlist.js";

/** What a command hands to the renderer: data only; the output mode decides how it looks. */
export type CommandResult =
  /** `changes`: what an update changed (the JSON adds it as `changes`). */
  | { type: "event"; event: EventView; message?: string; changes?: FieldChange[] }
  | { type: "events"; events: EventView[]; message?: string; created?: number }
  | {
      type: "ticket";
      ticket: TicketView;
      /** Every ticket of the order, when the command acted on an order. */
      order?: { orderId: string; tickets: TicketView[] };
      message?: string;
      reservation?: { key: string; replayed: boolean };
    }
  | { type: "tickets"; tickets: TicketView[] }
  | { type: "export"; tickets: TicketView[] }
  | { type: "report"; report: EventReport; format: "table" | "json" }
  /** Text already in its final form (CSV), printed as it is except under --json. */
  | { type: "text"; text: string; data: Record<string, unknown> }
  | { type: "waitlist"; eventId: string; entries: WaitlistEntryView[] }
  | { type: "waitlist-join"; outcome: JoinOutcome; message: string }
  | { type: "log"; entries: LogEntryView[] }
  | { type: "import"; events: EventView[]; skipped: RowProblem[]; message: string }
  | { type: "done"; message: string; data: Record<string, unknown> };

/** The contract's JSON envelope for a success. */
export function toJsonEnvelope(result: CommandResult): Record<string, unknown> {
  const success = (fields: Record<string, unknown>) => ({ status: "success", ...fields });
  switch (result.type) {
    case "event":
      return success(result.changes === undefined ? { event: result.event } : { event: result.event, changes: result.changes });
    case "events":
      return success(result.created === undefined ? { events: result.events } : { events: result.events, created: result.created });
    case "ticket":
      return success({
        ticket: result.ticket,
        ...(result.order ? { tickets: result.order.tickets, orderId: result.order.orderId } : {}),
        ...(result.reservation ? { replayed: result.reservation.replayed, key: result.reservation.key } : {}),
      });
    case "tickets":
    case "export":
      return success({ tickets: result.tickets });
    case "report":
      return success({ report: result.report });
    case "waitlist":
      return success({ eventId: result.eventId, waitlist: result.entries });
    case "waitlist-join":
      return success({ entry: result.outcome.entry, joined: result.outcome.joined, ticket: result.outcome.ticket });
    case "log":
      return success({ entries: result.entries });
    case "import":
      return success({ imported: result.events.length, events: result.events, skipped: result.skipped });
    case "done":
    case "text":
      return success(result.data);
  }
}
