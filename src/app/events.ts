import {
  parseEventId,
  buildReport,
  invalidArgument,
  invalidArgumentNamed,
  quote,
  newEventId,
  nextAnnualDate,
  parseIsoTime,
  systemClock,
  isTixError,
  withDetail,
  type TixError,
  parseEventDraft,
  parseEventPatch,
  parseLookupId,
  eventNotFound,
  seatMapNotFound,
  parseUserId,
  toEventView,
  toEventRow,
  type Clock,
  type EventRow,
  type ExportCodes,
  type SeatMapView,
  type CreateMode,
  type EventDraft,
  type EventFields,
  type MissingDraft,
  type EventReport,
  type EventView,
  type FieldChange,
  type LeftWaitlist,
} from "../core/index.js";
import type { CreateEventRequest, EventRecord, TixStore, WriteManyOptions } from "../core/index.js";
import { SEED_EVENTS } from "./seed-events.js";
import { ensureEvent, withSuggestions } from "./suggest.js";
import { pageLimit, wholeLimit } from "./page-limit.js";
import { described, fieldsOf, onlyKnownFields, optionalRequest, requestObject } from "./request.js";

export interface EventWriteResult {
  event: EventView;
  /** False when an existing event was updated (or, for seed, left as it was). */
  created: boolean;
  /** What the update of an existing event changed (empty when it was created or left as it was). */
  changes: FieldChange[];
  /** The waiting users the update of an existing event took off its waiting list, each with why. */
  leftWaitlist: LeftWaitlist[];
}

export interface EventUpdateResult {
  event: EventView;
  /** Every field the update changed, before and after. */
  changes: FieldChange[];
  /**
   * The waiting users the update took off the event's waiting list, each with why: a changed
   * per-user limit refuses them, or their tier's sales no longer open yet (a start moved later).
   */
  leftWaitlist: LeftWaitlist[];
}


export interface EventPageResult {
  events: EventView[];
  /** The last id of this page when more follow (pass it as `after`), else null. */
  next: string | null;
}

/** A page of `exportPage`: rows that `tix import` (as CSV or JSON) makes into the same events. */
export interface EventExportPage {
  events: EventRow[];
  /** The last id of this page when more follow (pass it as `after`), else null. */
  next: string | null;
}

/** Who the audit log names when a program changes events without saying who acts. */
export const LIBRARY_ACTOR = "library";

export type EventInput = EventFields & { id?: string | undefined };

/** Who acts, as the audit log names them; left out, "library". */
export interface Actor {
  actor?: string | undefined;
}

/**
 * An event to create, or, with the `id` of an existing one, to update: by default only the fields
 * given change (`merge`); `replace` makes it what the fields describe, defaults included.
 */
export type EventCreateRequest = EventInput & Actor & { mode?: "merge" | "replace" | undefined };

/** The fields to change of the event `id`. */
export type EventUpdateRequest = EventFields & Actor & { id: string };

const EVENT_FIELDS = ["name", "capacity", "venue", "startsAt", "hold", "price", "currency", "tiers", "limitPerUser", "salesStart", "salesEnd", "seats", "seatMap"] as const;
const EVENT_INPUT_FIELDS = fieldsOf<EventInput>()("id", ...EVENT_FIELDS);
const CREATE_FIELDS = fieldsOf<EventCreateRequest>()("id", ...EVENT_FIELDS, "actor", "mode");
const CREATE_MANY_FIELDS = fieldsOf<Parameters<EventUseCases["createMany"]>[0]>()("events", "actor", "onProgress");
const UPDATE_FIELDS = fieldsOf<EventUpdateRequest>()("id", ...EVENT_FIELDS, "actor");

/** Events: validate at the edge, then one atomic store operation each. */
export class EventUseCases {
  /** Held in private fields: a program sees only the methods (`tix.events.store` is not there to write through). */
  readonly #store: TixStore;
  /** Where "now" comes from for what the use cases compute themselves (the samples' dates). */
  readonly #clock: Clock;

  constructor(store: TixStore, clock: Clock = systemClock) {
    this.#store = store;
    this.#clock = clock;
  }

  /** Creates an event; with the `id` of an existing one, updates it instead (see EventCreateRequest). */
  async create(request: EventCreateRequest): Promise<EventWriteResult> {
    const { actor = LIBRARY_ACTOR, mode = "merge", ...fields } = requestObject(request, "events.create", '{ name, capacity, price }', CREATE_FIELDS);
    // Any mode but "merge" is taken as a replacement: a misspelt one ("Merge") would replace the whole event.
    if (mode !== "merge" && mode !== "replace") throw invalidArgument("mode", `must be "merge" or "replace", got ${described(mode)}`);
    return writeResult(await this.#store.createEvent(prepareCreate(fields, parseUserId(actor, "actor"), mode)));
  }

  /** Validates every event first; then writes them all in one transaction, or none (existing ids merge). */
  async createMany(request: { events: readonly EventInput[] } & Actor & WriteManyOptions): Promise<EventWriteResult[]> {
    const { events, actor = LIBRARY_ACTOR, ...options } = requestObject(request, "events.createMany", "{ events: [{ name, capacity }] }", CREATE_MANY_FIELDS);
    if (!Array.isArray(events)) throw invalidArgument("events", "must be a list of events");
    // Called for each event decided, inside the store's transaction: not a function would fail there as a TypeError.
    if (options.onProgress !== undefined && typeof options.onProgress !== "function") throw invalidArgument("onProgress", `must be a function (done, total) => void, got ${described(options.onProgress)}`);
    const by = parseUserId(actor, "actor");
    const results = await this.#store.createEvents(events.map((fields, index) => {
      if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
        throw invalidArgument("events", `event ${index + 1} must be an object such as { name, capacity }, got ${described(fields)}`);
      }
      onlyKnownFields(fields, `events.createMany's event ${index + 1}`, EVENT_INPUT_FIELDS);
      return prepareCreate(fields, by);
    }), options);
    return results.map(writeResult);
  }

  /** Changes the fields given; the answer lists what changed. */
  async update(request: EventUpdateRequest): Promise<EventUpdateResult> {
    const { id, actor = LIBRARY_ACTOR, ...fields } = requestObject(request, "events.update", '{ id, price: "50.00" }', UPDATE_FIELDS);
    const patch = parseEventPatch(fields);
    if (Object.keys(patch).length === 0) {
      // Named as every refusal of the request as a whole is (`request: …`): `event` is no field of the call.
      throw invalidArgument("request", "events.update has nothing to change; give at least one of name, capacity, venue, startsAt, hold, price, tiers, limitPerUser, salesStart, salesEnd");
    }
    const eventId = parseLookupId(id, "id");
    const by = parseUserId(actor, "actor");
    const { event, changes, leftWaitlist } = await withSuggestions(this.#store, { eventId }, () => this.#store.updateEvent({ id: eventId, patch, actor: by }));
    return { event: toEventView(event), changes, leftWaitlist };
  }

  /** One event. An id that is not text is INVALID_ARGUMENT naming `eventId`, as the methods taking a request name their fields. */
  async get(eventId: string): Promise<EventView> {
    return toEventView(await ensureEvent(this.#store, parseLookupId(eventId, "eventId")));
  }

  /** Every event, oldest first. */
  async list(...nothing: []): Promise<EventView[]> {
    // A JavaScript caller's `list({ limit: 10 })` would get every event: it takes no request.
    if ((nothing as unknown[]).length > 0) throw invalidArgument("request", "events.list takes no request and answers every event; for a part of them use events.page({ limit, after }) or events.upcomingFirst({ limit })");
    return (await this.#store.listEvents()).map(toEventView);
  }

  /** Event ids that start with `prefix`, in id order, at most `limit` (1 to 100,000): what shell completion offers. */
  async ids(request: { prefix?: string | undefined; limit: number }): Promise<string[]> {
    const { prefix = "", limit } = requestObject(request, "events.ids", '{ prefix: "evt_", limit: 200 }', ["prefix", "limit"]);
    pageLimit(limit);
    if (typeof prefix !== "string") throw invalidArgument("prefix", "must be text");
    return this.#store.listEventIds(prefix, limit);
  }

  /**
   * The event list as a person plans it (PLANNING_ORDER): those still ahead, the soonest first;
   * then those without a start time; then those that have started, the latest first. At most
   * `limit` (all when left out); `total`: how many events there are.
   */
  async upcomingFirst(request: { limit?: number | undefined } = {}): Promise<{ events: EventView[]; total: number }> {
    const { limit } = optionalRequest(request, "events.upcomingFirst", "{ limit: 20 }", ["limit"]);
    if (limit !== undefined) wholeLimit(limit);
    const { events, total } = await this.#store.listEventsPlanningOrder(limit);
    return { events: events.map(toEventView), total };
  }

  /**
   * One page of the event list, oldest first: at most `limit` events (1 to 100,000) after the event
   * `after` (the last id of the previous page; left out for the first). `next` is what to pass as
   * `after` for the following page, or null when this page is the last.
   */
  async page(request: { limit: number; after?: string | undefined }): Promise<EventPageResult> {
    const { limit, after } = requestObject(request, "events.page", "{ limit: 100, after }", ["limit", "after"]);
    const page = await this.#pageOfRecords({ limit, after });
    return { events: page.events.map(toEventView), next: page.next };
  }

  async #pageOfRecords(request: { limit: number; after?: string | undefined }): Promise<{ events: EventRecord[]; next: string | null }> {
    const { limit, after: afterId } = request;
    pageLimit(limit);
    const after = afterId === undefined ? undefined : parseLookupId(afterId, "after");
    const events = await this.#store.listEvents({ limit: limit + 1, after });
    // An unknown `after` gives an empty page, which must not read as "the end of the list".
    if (events.length === 0 && after !== undefined && !(await this.#store.getEvent(after))) {
      throw invalidArgument("after", `no event ${after}; give the last id of the previous page`);
    }
    const shown = events.slice(0, limit);
    return { events: shown, next: events.length > limit ? shown[shown.length - 1]!.id : null };
  }

  /**
   * One page of every event as an export writes it (`tix export events`): the fields `tix import`
   * reads, oldest first, as `page` reads them. `codes`: `include` writes each tier's access code,
   * `hide` writes `(hidden)` in its place (an import refuses it): say which, a code is a secret.
   */
  async exportPage(request: { limit: number; after?: string | undefined; codes: ExportCodes }): Promise<EventExportPage> {
    const { limit, after, codes } = requestObject(request, "events.exportPage", '{ limit: 1000, codes: "include" }', ["limit", "after", "codes"]);
    // A code is a secret: the caller says which, and leaving it out is named as such (not "undefined").
    if (codes !== "include" && codes !== "hide") throw invalidArgument("codes", `must be "include" or "hide" (a tier's access code is a secret: say which), got ${described(codes)}`);
    const page = await this.#pageOfRecords({ limit, after });
    return { events: page.events.map((event) => toEventRow(event, codes)), next: page.next };
  }

  /**
   * A seated event's map with each seat's state: free, held, sold, or `yours` (held or bought by
   * `userId`). SEAT_MAP_NOT_FOUND for a general-admission event: it exists, its map does not (it was
   * INVALID_ARGUMENT, HTTP 400, as if the id were malformed).
   */
  async seats(request: { eventId: string; userId?: string | undefined }): Promise<{ event: EventView; seats: SeatMapView }> {
    const { eventId: eventName, userId: userName } = requestObject(request, "events.seats", "{ eventId, userId }", ["eventId", "userId"]);
    const eventId = parseLookupId(eventName, "eventId");
    const userId = userName === undefined ? undefined : parseUserId(userName, "userId");
    const found = await withSuggestions(this.#store, { eventId }, async () => {
      const answer = await this.#store.getSeats({ eventId, userId });
      if (!answer) throw eventNotFound(eventId);
      return answer;
    });
    if (!found.seats) throw seatMapNotFound(eventId);
    return { event: toEventView(found.event), seats: found.seats };
  }

  /** Sold, held and available per tier, revenue, refunds and check-ins. */
  async report(eventId: string): Promise<EventReport> {
    const event = await ensureEvent(this.#store, parseLookupId(eventId, "eventId"));
    return buildReport(event, await this.#store.ticketTotals(event.id));
  }

  /**
   * Loads the sample events, each on the next date with its month, day and time of day that is
   * still ahead (samples are upcoming events); those already present are left exactly as they are.
   */
  async seed(request: Actor = {}): Promise<EventWriteResult[]> {
    const { actor = LIBRARY_ACTOR } = optionalRequest(request, "events.seed", '{ actor: "ops" }', ["actor"]);
    // Checked as every other write's actor is: unchecked, a number or an object went into the audit log.
    const by = parseUserId(actor, "actor");
    const results: EventWriteResult[] = [];
    const now = this.#clock.now();
    for (const { id, startsAt, ...fields } of SEED_EVENTS) {
      const upcoming = nextAnnualDate(parseIsoTime(startsAt, "startsAt"), now);
      const request = prepareWholeEvent({ ...fields, startsAt: upcoming, id }, by, "if-absent");
      results.push(writeResult(await this.#store.createEvent(request)));
    }
    return results;
  }
}

/** Whether the event `id` is in the store (events are never removed: it still is when it is written to). */
export async function eventExists(events: EventUseCases, id: string): Promise<boolean> {
  try {
    await events.get(id);
    return true;
  } catch (error) {
    if (isTixError(error) && error.code === "EVENT_NOT_FOUND") return false;
    throw error;
  }
}

/** Validates a create request exactly as `create` does. */
export function prepareCreate(fields: EventInput, actor: string, mode: CreateMode = "merge"): CreateEventRequest {
  if (fields.id !== undefined && mode === "replace") return prepareReplacement(fields, actor);
  if (fields.id === undefined || mode !== "merge") return prepareWholeEvent(fields, actor, mode);
  // Create-or-update by id: an existing event keeps what is left out, so only a new one needs a name and capacity.
  const id = parseEventId(fields.id);
  const patch = parseEventPatch(fields);
  return { id, draft: draftOrMissing(fields, id), patch, mode, actor };
}

/**
 * A create request whose fields describe the whole event (a new one, a replacement, an import
 * row, which is checked as one even when its id exists): its draft is complete, or this throws.
 */
export function prepareWholeEvent(fields: EventInput, actor: string, mode: CreateMode): CreateEventRequest & { draft: EventDraft } {
  const draft = parseEventDraft(fields);
  return { id: fields.id === undefined ? newEventId() : parseEventId(fields.id), draft, patch: parseEventPatch(fields), mode, actor };
}

/**
 * A replacement by id: a whole draft, as for a new event, but a tier given without a capacity is
 * refused in words that fit an existing event too: its tier is not new, but a replacement gives
 * each tier it names its capacity (tiers it does not name are kept as they are).
 */
function prepareReplacement(fields: EventInput, actor: string): CreateEventRequest {
  const id = parseEventId(fields.id!);
  const patch = parseEventPatch(fields);
  const unsized = patch.seatMap === undefined ? patch.tiers?.find((tier) => tier.capacity === undefined) : undefined;
  if (!unsized) return prepareWholeEvent(fields, actor, "replace");
  // A new id is refused as a new event's tier without a capacity is.
  let missing: TixError;
  try {
    return { id, draft: parseEventDraft(fields), patch, mode: "replace", actor };
  } catch (error) {
    if (!isTixError(error)) throw error;
    missing = error;
  }
  const replacing = invalidArgumentNamed("tier", `tier ${quote(unsized.name)} has no capacity: a replacement of event ${id} gives each tier it names its capacity (an update keeps a tier's own)`);
  return { id, draft: { missing, replacing }, patch, mode: "replace", actor };
}

/** The draft, or (every field given being valid, as parseEventPatch found) what a new event `id` would lack. */
function draftOrMissing(fields: EventFields, id: string): EventDraft | MissingDraft {
  try {
    return parseEventDraft(fields);
  } catch (error) {
    if (!isTixError(error) || error.field === undefined) throw error;
    return { missing: withDetail(error as TixError & { field: string }, `${error.detail} (no event has the id ${id}, so this creates one)`) };
  }
}

function writeResult(result: { event: EventRecord; created: boolean; changes: FieldChange[]; leftWaitlist: LeftWaitlist[] }): EventWriteResult {
  return { event: toEventView(result.event), created: result.created, changes: result.changes, leftWaitlist: result.leftWaitlist };
}
