import { parseLookupId, toLogEntryView, type LogEntryView } from "../core/index.js";
import type { TixStore } from "../core/index.js";

/** The audit log: every change, in the order it happened. */
export class LogUseCases {
  constructor(private readonly store: TixStore) {}

  async list(filter: { eventId?: string | undefined; ticketId?: string | undefined } = {}): Promise<LogEntryView[]> {
    const entries = await this.store.listLog({
      eventId: filter.eventId === undefined ? undefined : parseLookupId(filter.eventId, "event"),
      ticketId: filter.ticketId === undefined ? undefined : parseLookupId(filter.ticketId, "ticket"),
    });
    return entries.map(toLogEntryView);
  }
}
