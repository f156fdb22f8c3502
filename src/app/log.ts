import { parseLookupId, toLogEntryView, type LogEntryView } from "../core/index.js";
import type { TixStore } from "../core/index.js";

export interface LogQuery {
  /** Only this event's entries. */
  eventId?: string | undefined;
  /** Only this ticket's entries. */
  ticketId?: string | undefined;
}

/** The audit log: every change, in the order it happened. */
export class LogUseCases {
  constructor(private readonly store: TixStore) {}

  /** The entries, oldest first. */
  async list(filter: LogQuery = {}): Promise<LogEntryView[]> {
    const entries = await this.store.listLog({
      eventId: filter.eventId === undefined ? undefined : parseLookupId(filter.eventId, "event"),
      ticketId: filter.ticketId === undefined ? undefined : parseLookupId(filter.ticketId, "ticket"),
    });
    return entries.map(toLogEntryView);
  }
}
