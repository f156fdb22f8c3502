import type { EventView, TicketView } from "../core/index.js";

/** What a command hands to the renderer: data only; the output mode decides how it looks. */
export type CommandResult =
  | { type: "event"; event: EventView; message?: string }
  | { type: "events"; events: EventView[]; message?: string; created?: number }
  | { type: "ticket"; ticket: TicketView; message?: string; reservation?: { key: string; replayed: boolean } }
  | { type: "tickets"; tickets: TicketView[] };

/** The contract's JSON envelope for a success. */
export function toJsonEnvelope(result: CommandResult): Record<string, unknown> {
  switch (result.type) {
    case "event":
      return { status: "success", event: result.event };
    case "events":
      return result.created === undefined
        ? { status: "success", events: result.events }
        : { status: "success", events: result.events, created: result.created };
    case "ticket":
      return result.reservation
        ? { status: "success", ticket: result.ticket, replayed: result.reservation.replayed, key: result.reservation.key }
        : { status: "success", ticket: result.ticket };
    case "tickets":
      return { status: "success", tickets: result.tickets };
  }
}
