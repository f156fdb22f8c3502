import {
  ID_PATTERN,
  buildReport,
  invalidArgument,
  newEventId,
  parseEventDraft,
  parseEventPatch,
  parseLookupId,
  quote,
  toEventView,
  type EventFields,
  type EventReport,
  type EventView,
} from "../core/index.js";
import type { CreateEventRequest, TixStore, WriteManyOptions } from "../core/index.js";
import { SEED_EVENTS } from "./seed-events.js";
import { ensureEvent, withSuggestions } from "./suggest.js";

export interface EventWriteResult {
  event: EventView;
  /** False when an existing event was updated (or, for seed, left as it was). */
  created: boolean;
}

/** Who the audit log names when a program changes events without saying who acts. */
export const LIBRARY_ACTOR = "library";

export type EventInput = EventFields & { id?: string | undefined };

/** Events: validate at the edge, then one atomic store operation each. */
export class EventUseCases {
  constructor(private readonly store: TixStore) {}

  /** Creates an event; with the `id` of an existing one, applies the given fields to it instead. */
  async create(fields: EventInput, actor = LIBRARY_ACTOR): Promise<EventWriteResult> {
    const { event, created } = await this.store.createEvent(prepareCreate(fields, actor));
    return { event: toEventView(event), created };
  }

  /** Validates every input first; then writes them all in one transaction, or none. */
  async createMany(inputs: readonly EventInput[], actor = LIBRARY_ACTOR, options: WriteManyOptions = {}): Promise<EventWriteResult[]> {
    const results = await this.store.createEvents(inputs.map((fields) => prepareCreate(fields, actor)), options);
    return results.map(({ event, created }) => ({ event: toEventView(event), created }));
  }

  async update(id: string, fields: EventFields, actor = LIBRARY_ACTOR): Promise<EventView> {
    const patch = parseEventPatch(fields);
    if (Object.keys(patch).length === 0) {
      throw invalidArgument("event", "nothing to change; give at least one of name, capacity, venue, startsAt, hold, price, tiers, limitPerUser");
    }
    const eventId = parseLookupId(id, "event id");
    return toEventView(await withSuggestions(this.store, { eventId }, () => this.store.updateEvent({ id: eventId, patch, actor })));
  }

  async get(id: string): Promise<EventView> {
    return toEventView(await ensureEvent(this.store, parseLookupId(id, "event id")));
  }

  async list(): Promise<EventView[]> {
    return (await this.store.listEvents()).map(toEventView);
  }

  /** Sold, held and available per tier, revenue, refunds and check-ins. */
  async report(id: string): Promise<EventReport> {
    const event = await ensureEvent(this.store, parseLookupId(id, "event id"));
    return buildReport(event, await this.store.listTickets({ eventId: event.id }));
  }

  /** Loads the sample events; those already present are left exactly as they are. */
  async seed(actor = LIBRARY_ACTOR): Promise<EventWriteResult[]> {
    const results: EventWriteResult[] = [];
    for (const { id, ...fields } of SEED_EVENTS) {
      const request: CreateEventRequest = { ...prepareCreate({ ...fields, id }, actor), mode: "if-absent" };
      const { event, created } = await this.store.createEvent(request);
      results.push({ event: toEventView(event), created });
    }
    return results;
  }
}

/** Validates a create request exactly as `create` does; import uses it to check every row first. */
export function prepareCreate(fields: EventInput, actor: string): CreateEventRequest {
  const draft = parseEventDraft(fields);
  const id = fields.id === undefined ? newEventId() : parseEventId(fields.id);
  return { id, draft, mode: "upsert", actor };
}

function parseEventId(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw invalidArgument("id", `${quote(id)} must be 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit`);
  }
  return id;
}
