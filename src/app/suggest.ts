import { TixError, closestMatches, eventNotFound, isOrderId, isTixError } from "../core/index.js";
import type { EventRecord, TixStore } from "../core/index.js";

/** What a request named, to find what it may have meant when that does not exist. */
export interface Named {
  eventId?: string | undefined;
  ticketId?: string | undefined;
  /** Whose tickets to look among: only the acting user's own are ever suggested. */
  userId?: string | undefined;
}

/**
 * Runs `work`; an unknown event or ticket id is answered with the nearest ids that exist ("no event
 * with id evt_jazz; did you mean evt_jazz_evening?"). Tickets are looked for among the acting
 * user's own only: another user's ticket ids are never revealed.
 */
export function withSuggestions<T>(store: TixStore, named: Named, work: () => Promise<T>): Promise<T> {
  // A promise chain, not an async function: the success path (every reservation) costs one step.
  let working: Promise<T>;
  try {
    working = work();
  } catch (error) {
    working = Promise.reject(error);
  }
  return working.then(undefined, async (error: unknown) => {
    throw await suggested(store, named, error);
  });
}

/** The event, or EVENT_NOT_FOUND with the nearest ids that exist. */
export async function ensureEvent(store: TixStore, eventId: string): Promise<EventRecord> {
  const event = await store.getEvent(eventId);
  if (!event) throw await suggested(store, { eventId }, eventNotFound(eventId));
  return event;
}

/** `error`, with the nearest ids that exist when it is an unknown event or ticket (see withSuggestions). */
export async function suggested(store: TixStore, named: Named, error: unknown): Promise<unknown> {
  if (!isTixError(error)) return error;
  try {
    if (error.code === "EVENT_NOT_FOUND" && named.eventId !== undefined) {
      return withCandidates(error, named.eventId, (await store.listEvents()).map((event) => event.id));
    }
    if (error.code === "TICKET_NOT_FOUND" && named.ticketId !== undefined && named.userId !== undefined && !isOrderId(named.ticketId)) {
      return withCandidates(error, named.ticketId, (await store.listTickets({ userId: named.userId })).map((ticket) => ticket.id));
    }
  } catch {
    // Looking for suggestions must never hide the real answer.
  }
  return error;
}

function withCandidates(error: TixError, typed: string, ids: readonly string[]): TixError {
  const close = closestMatches(typed, ids);
  if (close.length === 0) return error;
  const list = close.length === 1 ? close[0] : `${close.slice(0, -1).join(", ")} or ${close.at(-1)}`;
  return new TixError(error.code, `${error.message}; did you mean ${list}?`, { cause: error.cause });
}
