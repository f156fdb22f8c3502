import { invalidArgument } from "./errors.js";
import { TICKET_STATUSES, type TicketStatus } from "./model.js";

/** A ticket status given as text (a filter): one of TICKET_STATUSES, else INVALID_ARGUMENT. */
export function parseTicketStatus(text: string): TicketStatus {
  if (!(TICKET_STATUSES as readonly string[]).includes(text)) {
    throw invalidArgument("status", `"${text}" is not one of ${TICKET_STATUSES.join(", ")}`);
  }
  return text as TicketStatus;
}
