import { invalidArgument } from "./errors.js";
import { quote } from "./text.js";
import { requireText } from "./text-input.js";
import { TICKET_STATUSES, type TicketStatus } from "./model.js";

/**
 * A ticket status given as text (a filter): one of TICKET_STATUSES in any case, else INVALID_ARGUMENT.
 * Any case, as gh's enum flags (`--state OPEN`) and as tix serve's `?status=Purchased` (the seed's
 * Web API writes statuses capitalised): the CLI, the library and HTTP read the same words. Only ASCII
 * letters are folded: no other character's lower case (the Kelvin sign's is `k`) spells a status.
 */
export function parseTicketStatus(text: string): TicketStatus {
  // A library caller's number or null would fail below as a TypeError (text.replace).
  requireText(text, "status", "purchased");
  const folded = text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
  if (!(TICKET_STATUSES as readonly string[]).includes(folded)) {
    throw invalidArgument("status", `${quote(text)} is not one of ${TICKET_STATUSES.join(", ")}`);
  }
  return folded as TicketStatus;
}
