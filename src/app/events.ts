import {
  ID_PATTERN,
  buildReport,
  eventNotFound,
  invalidArgument,
  newEventId,
  nextAnnualDate,
  parseIsoTime,
  systemClock,
  parseEventDraft,
  parseEventPatch,
  parseLookupId,
  toEventView,
  type Clock,
  type CreateMode,
  type EventFields,
  type EventReport,
  type EventView,
  type FieldChange,
} from "../core/index.js";
import type { CreateEventRequest, EventRecord, TixStore } from "../core/index.js";
import { SEED_EVENTS } from "./seed-events.js";

export interface EventWriteResult {
  event: EventView;
  /** False when an existing event was updated (or, for seed, left as it was). */
  created: boolean;
  /** What the update of an existing event changed (empty when it was created or left as it was). */
  changes: FieldChange[];
}

export interface EventUpdateResult {
  event: EventView;
  /** Every field the update changed, before and after. */
  changes: FieldChange[];
}

/** The largest page `page` answers. */
export const MAX_PAGE_SIZE = 1_000;

export interface EventPageResult {
  events: EventView[];
  /** The last id of this page when more follow (pass it as `after`), else null. */
  next: string | null;
}

/** Who the audit log names when a program changes events without saying who acts. */
export const LIBRARY_ACTOR = "library";

export type EventInput = EventFields & { id?: string | undefined };

/** Events: validate at the edge, then one atomic store operation each. */
export class EventUseCases {
  constructor(
    private readonly store: TixStore,
    /** Where "now" comes from for what the use cases compute themselves (the samples' dates). */
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Creates an event; with the `id` of an existing one, updates it instead: by default only the
   * fields given change (`merge`); `replace` makes it what `fields` describe, defaults included.
   */
  async create(fields: EventInput, actor = LIBRARY_ACTOR, mode: "merge" | "replace" = "merge"): Promise<EventWriteResult> {
    return writeResult(await this.store.createEvent(prepareCreate(fields, actor, mode)));
  }

  /** Validates every input first; then writes them all in one transaction, or none (existing ids merge). */
  async createMany(inputs: readonly EventInput[], actor = LIBRARY_ACTOR): Promise<EventWriteResult[]> {
    const results = await this.store.createEvents(inputs.map((fields) => prepareCreate(fields, actor)));
    return results.map(writeResult);
  }

  /** Changes the fields given; the answer lists what changed. */
  async update(id: string, fields: EventFields, actor = LIBRARY_ACTOR): Promise<EventUpdateResult> {
    const patch = parseEventPatch(fields);
    if (Object.keys(patch).length === 0) {
      throw invalidArgument("event", "nothing to change; give at least one of --name, --capacity, --venue, --starts-at, --hold, --price, --tier, --limit-per-user, --sales-start, --sales-end");
    }
    const { event, changes } = await this.store.updateEvent({ id: parseLookupId(id, "event id"), patch, actor });
    return { event: toEventView(event), changes };
  }

  async get(id: string): Promise<EventView> {
    const event = await this.store.getEvent(parseLookupId(id, "event id"));
    if (!event) throw eventNotFound(id);
    return toEventView(event);
  }

  /** Every event, oldest first. */
  async list(): Promise<EventView[]> {
    return (await this.store.listEvents()).map(toEventView);
  }

  /**
   * One page of the event list, oldest first: at most `limit` events (1 to 1000) after the event
   * `after` (the last id of the previous page; left out for the first). `next` is what to pass as
   * `after` for the following page, or null when this page is the last.
   */
  async page(request: { limit: number; after?: string | undefined }): Promise<EventPageResult> {
    const { limit } = request;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      throw invalidArgument("limit", `must be a whole number from 1 to ${MAX_PAGE_SIZE}, got "${limit}"`);
    }
    const after = request.after === undefined ? undefined : parseLookupId(request.after, "after");
    const events = await this.store.listEvents({ limit: limit + 1, after });
    // An unknown `after` gives an empty page, which must not read as "the end of the list".
    if (events.length === 0 && after !== undefined && !(await this.store.getEvent(after))) {
      throw invalidArgument("after", `no event ${after}; give the last id of the previous page`);
    }
    const shown = events.slice(0, limit);
    return { events: shown.map(toEventView), next: events.length > limit ? shown[shown.length - 1]!.id : null };
  }

  /** Sold, held and available per tier, revenue, refunds and check-ins. */
  async report(id: string): Promise<EventReport> {
    const event = await this.store.getEvent(parseLookupId(id, "event id"));
    if (!event) throw eventNotFound(id);
    return buildReport(event, await this.store.listTickets({ eventId: event.id }));
  }

  /**
   * Loads the sample events, each on the next date with its month, day and time of day that is
   * still ahead (samples are upcoming events); those already present are left exactly as they are.
   */
  async seed(actor = LIBRARY_ACTOR): Promise<EventWriteResult[]> {
    const results: EventWriteResult[] = [];
    const now = this.clock.now();
    for (const { id, startsAt, ...fields } of SEED_EVENTS) {
      const upcoming = nextAnnualDate(parseIsoTime(startsAt, "startsAt"), now);
      const request: CreateEventRequest = { ...prepareCreate({ ...fields, startsAt: upcoming, id }, actor), mode: "if-absent" };
      results.push(writeResult(await this.store.createEvent(request)));
    }
    return results;
  }
}

/** Validates a create request exactly as `create` does; import uses it to check every row first. */
export function prepareCreate(fields: EventInput, actor: string, mode: CreateMode = "merge"): CreateEventRequest {
  const draft = parseEventDraft(fields);
  const id = fields.id === undefined ? newEventId() : parseEventId(fields.id);
  return { id, draft, patch: parseEventPatch(fields), mode, actor };
}

function writeResult(result: { event: EventRecord; created: boolean; changes: FieldChange[] }): EventWriteResult {
  return { event: toEventView(result.event), created: result.created, changes: result.changes };
}

function parseEventId(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw invalidArgument("id", `"${id}" must be 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit`);
  }
  return id;
}
