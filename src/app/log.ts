import { TixError, parseLookupId, shorten, toLogEntryView, type LogEntryView } from "../core/index.js";
import { ensureEvent } from "./suggest.js";
import type { TixStore } from "../core/index.js";
import { fieldsOf, optionalRequest } from "./request.js";

export interface LogQuery {
  /** Only this event's entries. */
  eventId?: string | undefined;
  /** Only this ticket's entries. */
  ticketId?: string | undefined;
}

const LOG_QUERY_FIELDS = fieldsOf<LogQuery>()("eventId", "ticketId");

/** The audit log: every change, in the order it happened. */
export class LogUseCases {
  constructor(private readonly store: TixStore) {}

  /** An event or ticket that does not exist is EVENT_NOT_FOUND / TICKET_NOT_FOUND, not an empty log. */
  async list(query: LogQuery = {}): Promise<LogEntryView[]> {
    const filter = optionalRequest(query, "log.list", "{ eventId, ticketId }", LOG_QUERY_FIELDS);
    const eventId = filter.eventId === undefined ? undefined : parseLookupId(filter.eventId, "event");
    const ticketId = filter.ticketId === undefined ? undefined : parseLookupId(filter.ticketId, "ticket");
    if (eventId !== undefined) await ensureEvent(this.store, eventId);
    if (ticketId !== undefined && !(await this.store.getTicket(ticketId))) {
      throw new TixError("TICKET_NOT_FOUND", `no ticket with id ${shorten(ticketId)}`);
    }
    const entries = await this.store.listLog({ eventId, ticketId });
    return entries.map(toLogEntryView);
  }
}
