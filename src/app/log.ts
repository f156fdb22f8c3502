import { LOG_ACTIONS, TixError, described, given, invalidArgument, numberShown, parseLookupId, quote, shorten, toLogEntryView, type LogEntryView, type LogFilter, type LogTimeCounts, type LogTimeSpan } from "../core/index.js";
import { pageLimit, wholeLimit } from "./page-limit.js";
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
const PAGE_FIELDS = fieldsOf<LogQuery & { limit: number; after?: number | undefined }>()("eventId", "ticketId", "limit", "after");

export interface LogPageResult {
  entries: LogEntryView[];
  /** The last entry's seq when more may follow (pass it as `after`), else null. */
  next: number | null;
}

/** The audit log: every change, in the order it happened. */
export class LogUseCases {
  /** Held in a private field: a program sees only the methods (`tix.log.store` is not there to write through). */
  readonly #store: TixStore;

  constructor(store: TixStore) {
    this.#store = store;
  }

  /** Every entry, oldest first. */
  async list(query: LogQuery = {}): Promise<LogEntryView[]> {
    const filter = await this.#filter(optionalRequest(query, "log.list", "{ eventId, ticketId }", LOG_QUERY_FIELDS));
    return (await this.#store.listLog(filter)).map(toLogEntryView);
  }

  /**
   * The newest `limit` entries, oldest first, and how many there are: the end of a long log
   * without reading all of it (what a terminal shows).
   */
  async latest(request: LogQuery & { limit: number }): Promise<{ entries: LogEntryView[]; total: number }> {
    const { limit, ...query } = requestObject(request, "log.latest", "{ eventId, limit: 30 }", LATEST_FIELDS);
    wholeLimit(limit);
    const { entries, total } = await this.#store.listLatestLog(await this.#filter(query), limit);
    return { entries: entries.map(toLogEntryView), total };
  }

  /**
   * One page of the log, oldest first: at most `limit` entries (1 to 100,000) after the entry
   * numbered `after` (the `next` of the previous page; left out for the first). A long log is
   * read a page at a time, never whole.
   */
  async page(request: LogQuery & { limit: number; after?: number | undefined }): Promise<LogPageResult> {
    const { limit, after, ...query } = requestObject(request, "log.page", "{ eventId, limit: 100, after }", PAGE_FIELDS);
    pageLimit(limit);
    if (after !== undefined && (!Number.isSafeInteger(after) || after < 0)) throw invalidArgument("after", `must be an entry's seq, got ${numberShown(after) ?? described(after)}`);
    const entries = await this.#store.listLog(await this.#filter(query), { limit: limit + 1, after });
    const shown = entries.slice(0, limit);
    return { entries: shown.map(toLogEntryView), next: entries.length > limit ? shown[shown.length - 1]!.seq : null };
  }

  /**
   * An event's entries of one action (`ticket.purchased`: its sales) counted per bucket of time,
   * the counting done by the store: `bucketing` picks the buckets from the entries' span.
   * Undefined when there are none.
   */
  async countByTime(request: { eventId: string; action: string; bucketing: (span: LogTimeSpan) => { size: number; offset: number } }): Promise<LogTimeCounts | undefined> {
    const { eventId, action, bucketing } = requestObject(request, "log.countByTime", '{ eventId, action: "ticket.purchased", bucketing }', ["eventId", "action", "bucketing"]);
    // An unknown action would count nothing (undefined, as for an event without sales), and a
    // bucketing that is not a function would fail inside the store's read as a TypeError.
    if (!(LOG_ACTIONS as readonly unknown[]).includes(action)) throw invalidArgument("action", `${quote(String(action))} is not one of ${LOG_ACTIONS.join(", ")}`);
    if (typeof bucketing !== "function") throw invalidArgument("bucketing", "must be a function (span) => ({ size, offset }), sizes and offsets in ms");
    // Required: left out, the filter would read as "every event" and count nothing (undefined, as for an event without sales).
    const { eventId: id } = await this.#filter({ eventId: parseLookupId(eventId, "eventId") });
    return this.#store.countLogByTime({ eventId: id!, action, bucketing: (span) => checkedBuckets(called(bucketing, span)) });
  }

  /** An event or ticket that does not exist is EVENT_NOT_FOUND / TICKET_NOT_FOUND, not an empty log. */
  async #filter(query: Partial<LogQuery>): Promise<LogFilter> {
    const eventId = query.eventId === undefined ? undefined : parseLookupId(query.eventId, "eventId");
    const ticketId = query.ticketId === undefined ? undefined : parseLookupId(query.ticketId, "ticketId");
    if (eventId !== undefined) await ensureEvent(this.#store, eventId);
    if (ticketId !== undefined && !(await this.#store.getTicket(ticketId))) {
      throw new TixError("TICKET_NOT_FOUND", `no ticket with id ${shorten(ticketId)}`);
    }
    return { eventId, ticketId };
  }
}

/**
 * A caller's bucketing, called: what it throws is INVALID_ARGUMENT naming bucketing with what it
 * threw (its own Error passed through untyped, not a TixError a program or tix serve can answer).
 */
function called(bucketing: (span: LogTimeSpan) => { size: number; offset: number }, span: LogTimeSpan): { size: number; offset: number } {
  try {
    return bucketing(span);
  } catch (failure) {
    const thrown = failure instanceof Error ? shorten(`${failure.name}: ${failure.message}`) : described(failure);
    throw new TixError("INVALID_ARGUMENT", `bucketing: threw ${thrown}`, { field: "bucketing", detail: `threw ${thrown}`, cause: failure });
  }
}

/** What a caller's bucketing picked, checked before the store counts with it (a size of 0 would put every entry in a null bucket). */
function checkedBuckets(picked: { size: number; offset: number }): { size: number; offset: number } {
  // Refused below: its rejection, should it reject, is the refusal's, not an unhandled one that ends the program.
  if (isThenable(picked)) Promise.resolve(picked).catch(() => undefined);
  const { size, offset } = (picked ?? {}) as Partial<typeof picked>;
  if (!Number.isSafeInteger(size) || size! < 1 || !Number.isSafeInteger(offset)) {
    throw invalidArgument("bucketing", `must answer { size, offset }: size a whole number of ms from 1, offset a whole number of ms; got ${pickedShown(picked)}`);
  }
  return { size: size!, offset: offset! };
}

/**
 * What a bucketing answered, as the refusal shows it: each field as the call gave it (NaN as NaN,
 * text quoted), where JSON showed `{"size":null}` for NaN; a promise is named (an async bucketing,
 * which JSON showed as `"{}"`): the store counts inside its read, so the answer is needed at once.
 */
function pickedShown(picked: unknown): string {
  if (isThenable(picked)) {
    return "a Promise (bucketing is called inside the store's read: it must answer at once, not be async)";
  }
  if (picked === null || typeof picked !== "object" || Array.isArray(picked)) return described(picked);
  const { size, offset } = picked as Record<string, unknown>;
  return `{ size: ${given(size)}, offset: ${given(offset)} }`;
}

function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null | undefined)?.then === "function";
}
