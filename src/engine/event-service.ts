import {
  ID_PATTERN,
  eventNotFound,
  invalidArgument,
  newEventId,
  parseEventDraft,
  parseEventPatch,
  parseLookupId,
  toEventView,
  type EventFields,
  type EventView,
} from "../core/index.js";
import type { TixStore } from "../store/port.js";
import { SEED_EVENTS } from "./seed-events.js";

export interface EventWriteResult {
  event: EventView;
  /** False when an existing event was updated (or, for seed, left as it was). */
  created: boolean;
}

/** Events: validate at the edge, then one atomic store operation each. */
export class EventService {
  constructor(private readonly store: TixStore) {}

  /** Creates an event; with the `id` of an existing one, updates it instead. */
  async create(fields: EventFields & { id?: string | undefined }): Promise<EventWriteResult> {
    const draft = parseEventDraft(fields);
    const id = fields.id === undefined ? newEventId() : parseEventId(fields.id);
    const { event, created } = await this.store.createEvent({ id, draft, mode: "upsert" });
    return { event: toEventView(event), created };
  }

  async update(id: string, fields: EventFields): Promise<EventView> {
    const patch = parseEventPatch(fields);
    if (Object.keys(patch).length === 0) {
      throw invalidArgument("event", "nothing to change; give at least one of --name, --capacity, --venue, --starts-at, --hold, --price");
    }
    return toEventView(await this.store.updateEvent({ id: parseLookupId(id, "event id"), patch }));
  }

  async get(id: string): Promise<EventView> {
    const event = await this.store.getEvent(parseLookupId(id, "event id"));
    if (!event) throw eventNotFound(id);
    return toEventView(event);
  }

  async list(): Promise<EventView[]> {
    return (await this.store.listEvents()).map(toEventView);
  }

  /** Loads the sample events; those already present are left exactly as they are. */
  async seed(): Promise<EventWriteResult[]> {
    const results: EventWriteResult[] = [];
    for (const { id, ...fields } of SEED_EVENTS) {
      const { event, created } = await this.store.createEvent({ id, draft: parseEventDraft(fields), mode: "if-absent" });
      results.push({ event: toEventView(event), created });
    }
    return results;
  }
}

function parseEventId(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw invalidArgument("id", `"${id}" must be 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit`);
  }
  return id;
}
