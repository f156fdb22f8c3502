import { TixError, invalidArgument, invalidArgumentNamed } from "./errors.js";
import type { EventRecord, TierRecord } from "./model.js";
import { checkAccessCode } from "./tiers.js";
import { toIso } from "./time.js";

/**
 * Sales windows. An event sells from its sales start (none: from its creation) until its sales
 * end (none: until it starts; an event without a start time sells until its sales end, if any);
 * sales never run past the event's start. A tier may narrow that window with its own start and
 * end. Starts are inclusive, ends exclusive: at the sales end (or the start) sales are closed.
 */
export interface SalesWindow {
  /** Null: open from the beginning. */
  start: number | null;
  /** Null: never closes. */
  end: number | null;
}

type EventTimes = Pick<EventRecord, "salesStart" | "salesEnd" | "startsAt">;
type TierTimes = Pick<TierRecord, "salesStart" | "salesEnd">;

/** The event's window: its own sales start and end, the end defaulting to (and capped by) its start. */
export function eventWindow(event: EventTimes): SalesWindow {
  return { start: event.salesStart, end: eventEnd(event) };
}

/** The window a tier sells in: the event's, narrowed by the tier's own start and end. */
export function tierWindow(event: EventTimes, tier: TierTimes): SalesWindow {
  return { start: tierStart(event, tier), end: tierEnd(event, tier) };
}

// The bounds, one function each: the checks every reservation makes read them without making a window.
const eventEnd = (event: EventTimes): number | null => earliest(event.salesEnd, event.startsAt);
const tierStart = (event: EventTimes, tier: TierTimes): number | null => latest(event.salesStart, tier.salesStart);
const tierEnd = (event: EventTimes, tier: TierTimes): number | null => earliest(eventEnd(event), tier.salesEnd);

export function isOpen(window: SalesWindow, now: number): boolean {
  return (window.start === null || now >= window.start) && (window.end === null || now < window.end);
}

/** Whether the tier can be reserved at `now` (waiting users are given places only then). */
export function isOnSale(event: EventRecord, tier: TierRecord, now: number): boolean {
  return isOpen(tierWindow(event, tier), now);
}

/**
 * Whether the tier's sales have not opened yet at `now` (its start, or the event's, is later):
 * they will open by the clock alone, with no operation to give waiting users the places then free.
 */
export function opensLater(event: EventRecord, tier: TierRecord, now: number): boolean {
  const start = tierStart(event, tier);
  return start !== null && now < start;
}

/** SALES_CLOSED unless the event's window is open at `now`; the message says when it opens or closed. */
export function checkEventOnSale(event: EventRecord, now: number): void {
  const refusal = windowRefusal(event.salesStart, eventEnd(event), now, event, undefined);
  if (refusal) throw refusal;
}

/** SALES_CLOSED unless the tier's own window (within the event's) is open at `now`. */
export function checkTierOnSale(event: EventRecord, tier: TierRecord, now: number): void {
  const refusal = windowRefusal(tierStart(event, tier), tierEnd(event, tier), now, event, tier);
  if (refusal) throw refusal;
}

/** A tier may be reserved: its code given (when it needs one), then its own window open. */
export function checkTierOpen(event: EventRecord, tier: TierRecord, code: string | undefined, now: number): void {
  checkAccessCode(event, tier, code);
  checkTierOnSale(event, tier, now);
}

/** A hold may be paid for until the event starts, even after sales closed; after the start, SALES_CLOSED. */
export function checkNotStarted(event: EventRecord, now: number): void {
  if (event.startsAt !== null && now >= event.startsAt) {
    throw new TixError("SALES_CLOSED", `event ${event.id} started at ${toIso(event.startsAt)}; sales are closed`);
  }
}

function windowName(event: EventRecord, tier: TierRecord | undefined): string {
  return tier ? `tier ${tier.name} of event ${event.id}` : `event ${event.id}`;
}

/** Why the window from `start` to `end` is closed at `now` (the tier's, when `tier` is given), or undefined. */
function windowRefusal(start: number | null, end: number | null, now: number, event: EventRecord, tier: TierRecord | undefined): TixError | undefined {
  if (start !== null && now < start) {
    return new TixError("SALES_CLOSED", `sales for ${windowName(event, tier)} open at ${toIso(start)}`);
  }
  if (end !== null && now >= end) {
    if (event.startsAt !== null && end === event.startsAt) {
      return new TixError("SALES_CLOSED", `sales for ${windowName(event, tier)} closed at ${toIso(end)}, when the event started`);
    }
    return new TixError("SALES_CLOSED", `sales for ${windowName(event, tier)} closed at ${toIso(end)}`);
  }
  return undefined;
}

/** The times an update may set that bound the event's window. */
export type WindowField = "salesStart" | "salesEnd" | "startsAt";

/**
 * Refuses windows that could never open: an event whose sales start is not before its sales end
 * (or its start), a tier whose window within the event's is empty. `given`: the times the request
 * set, so that the refusal names the one given (an update's `--sales-end` too early was refused
 * as its sales start, which it had not touched).
 */
export function checkWindows(event: EventRecord, given: readonly WindowField[] = []): void {
  const outer = eventWindow(event);
  if (isEmpty(outer)) throw emptyWindow(event, outer, given);
  for (const tier of event.tiers) {
    const window = tierWindow(event, tier);
    if (isEmpty(window)) {
      throw invalidArgumentNamed("tier", `tier ${tier.name} would never be on sale: its sales open at ${toIso(window.start!)} and close at ${toIso(window.end!)}`);
    }
  }
}

function emptyWindow(event: EventRecord, outer: SalesWindow, given: readonly WindowField[]): TixError {
  const start = toIso(outer.start!);
  const end = toIso(outer.end!);
  if (!given.includes("salesStart")) {
    if (given.includes("salesEnd") && event.salesEnd === outer.end) {
      return invalidArgument("salesEnd", `${end} is not after the start of sales (${start}); the event would never be on sale`);
    }
    if (given.includes("startsAt") && event.startsAt === outer.end) {
      return invalidArgument("startsAt", `${end} is not after the start of sales (${start}), and sales end when the event starts; the event would never be on sale`);
    }
  }
  return invalidArgument("salesStart", `${start} is not before the end of sales (${end}); the event would never be on sale`);
}

function isEmpty(window: SalesWindow): boolean {
  return window.start !== null && window.end !== null && window.start >= window.end;
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}

function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
