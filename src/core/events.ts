import { TixError, invalidArgument } from "./errors.js";
import type { EventDraft, EventPatch } from "./event-input.js";
import { parseAmount } from "./money.js";
import type { Decision, EventRecord } from "./model.js";

/** How `create` treats an id that already exists. */
export type CreateMode = "upsert" | "if-absent";

export interface CreateEventResult {
  event: EventRecord;
  created: boolean;
}

/** `event create` (and `seed`): a new event, or — with an existing id — an update or nothing. */
export function decideCreateEvent(
  existing: EventRecord | undefined,
  request: { id: string; draft: EventDraft; mode: CreateMode },
  now: number,
): Decision<CreateEventResult> {
  if (existing && request.mode === "if-absent") return { changes: [], result: { event: existing, created: false } };
  if (existing) {
    if (existing.currency !== request.draft.currency) {
      throw invalidArgument("currency", `event ${existing.id} is priced in ${existing.currency}; its currency cannot change`);
    }
    const event = applyChanges(existing, request.draft, now);
    return { changes: [{ type: "saveEvent", event }], result: { event, created: false } };
  }
  const event: EventRecord = { id: request.id, ...request.draft, held: 0, sold: 0, createdAt: now, updatedAt: now };
  return { changes: [{ type: "saveEvent", event }], result: { event, created: true } };
}

export function decideUpdateEvent(
  existing: EventRecord | undefined,
  request: { id: string; patch: EventPatch },
  now: number,
): Decision<EventRecord> {
  if (!existing) throw eventNotFound(request.id);
  if (request.patch.currency !== undefined && request.patch.currency !== existing.currency) {
    throw invalidArgument("currency", `event ${existing.id} is priced in ${existing.currency}; its currency cannot change`);
  }
  const { price, ...fields } = request.patch;
  const priceMinor = price === undefined ? undefined : parseAmount(price, existing.currency);
  const event = applyChanges(existing, { ...fields, priceMinor }, now);
  return { changes: [{ type: "saveEvent", event }], result: event };
}

type EventChanges = Omit<EventPatch, "price" | "currency"> & { priceMinor?: number | undefined };

function applyChanges(existing: EventRecord, patch: EventChanges, now: number): EventRecord {
  const committed = existing.held + existing.sold;
  if (patch.capacity !== undefined && patch.capacity < committed) {
    throw new TixError(
      "CAPACITY_BELOW_COMMITTED",
      `capacity ${patch.capacity} is below the ${committed} tickets already held or sold for ${existing.id}`,
    );
  }
  return {
    ...existing,
    name: patch.name ?? existing.name,
    capacity: patch.capacity ?? existing.capacity,
    venue: patch.venue !== undefined ? patch.venue : existing.venue,
    startsAt: patch.startsAt !== undefined ? patch.startsAt : existing.startsAt,
    holdSeconds: patch.holdSeconds ?? existing.holdSeconds,
    priceMinor: patch.priceMinor ?? existing.priceMinor,
    updatedAt: now,
  };
}

export function eventNotFound(id: string): TixError {
  return new TixError("EVENT_NOT_FOUND", `no event with id ${id}`);
}
