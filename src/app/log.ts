import { TixError, invalidArgument, parseLookupId, quote, shorten, toLogEntryView, type LogEntryView, type LogFilter } from "../core/index.js";
import { ensureEvent } from "./suggest.js";
import type { TixStore } from "../core/index.js";
import { fieldsOf, optionalRequest, requestObject } from "./request.js";

export interface LogQuery {
  /** Only this event's entries. */
  eventId?: string | undefined;
  /** Only this ticket's entries. */
  ticketId?: string | undefined;
}

const LOG_QUERY_FIELDS = fieldsOf<LogQuery>()("eventId", "ticketId");
const LATEST_FIELDS = fieldsOf<LogQuery & { limit: number }>()("eventId", "ticketId", "limit");

/** The audit log: every change, in the order it happened. */
export class LogUseCases {
  constructor(private readonly store: TixStore) {}

  /** Every entry, oldest first. */
  async list(query: LogQuery = {}): Promise<LogEntryView[]> {
    const filter = await this.filter(optionalRequest(query, "log.list", "{ eventId, ticketId }", LOG_QUERY_FIELDS));
    return (await this.store.listLog(filter)).map(toLogEntryView);
  }

  /**
   * The newest `limit` entries, oldest first, and how many there are: the end of a long log
   * without reading all of it (what a terminal shows).
   */
  async latest(request: LogQuery & { limit: number }): Promise<{ entries: LogEntryView[]; total: number }> {
    const { limit, ...query } = requestObject(request, "log.latest", "{ eventId, limit: 30 }", LATEST_FIELDS);
    if (!Number.isSafeInteger(limit) || limit < 1) throw invalidArgument("limit", `must be a whole number from 1, got ${quote(String(limit))}`);
    const { entries, total } = await this.store.listLatestLog(await this.filter(query), limit);
    return { entries: entries.map(toLogEntryView), total };
  }

  /** An event or ticket that does not exist is EVENT_NOT_FOUND / TICKET_NOT_FOUND, not an empty log. */
  private async filter(query: Partial<LogQuery>): Promise<LogFilter> {
    const eventId = query.eventId === undefined ? undefined : parseLookupId(query.eventId, "event");
    const ticketId = query.ticketId === undefined ? undefined : parseLookupId(query.ticketId, "ticket");
    if (eventId !== undefined) await ensureEvent(this.store, eventId);
    if (ticketId !== undefined && !(await this.store.getTicket(ticketId))) {
      throw new TixError("TICKET_NOT_FOUND", `no ticket with id ${shorten(ticketId)}`);
    }
    return { eventId, ticketId };
  }
}
