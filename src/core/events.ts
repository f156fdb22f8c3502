import { TixError, eventNotFound, invalidArgument } from "./errors.js";
import { checkEventSize, type EventDraft, type EventPatch } from "./event-input.js";
import { SYSTEM_ACTOR, logChange } from "./audit.js";
import { holdRefusal, type UserStanding } from "./holds.js";
import type { Change, Decision, EventRecord, IdSource, TierRecord, WaitlistEntry } from "./model.js";
import { parseAmount } from "./money.js";
import { tierFromSpec, withTotals, type TierSpec } from "./tiers.js";
import { promoteWaiting } from "./waitlist.js";

/**
 * The event's waiting users, in line order, each with what they already hold and own for the
 * event: a change of the per-user limit must not let a promotion exceed the new rule.
 */
export type WaitingUser = WaitlistEntry & { standing: UserStanding };

/** How `create` treats an id that already exists. */
export type CreateMode = "upsert" | "if-absent";

export interface CreateEventResult {
  event: EventRecord;
  created: boolean;
}

export interface EventRequestBase {
  id: string;
  actor: string;
}

/**
 * `event create` (and `seed`, `import`): a new event, or — with an existing id — the given fields
 * applied to it as an update (`upsert`), or nothing (`if-absent`).
 */
export function decideCreateEvent(
  existing: EventRecord | undefined,
  request: EventRequestBase & { draft: EventDraft; mode: CreateMode },
  waiting: readonly WaitingUser[],
  now: number,
  ids: IdSource,
): Decision<CreateEventResult> {
  if (existing && request.mode === "if-absent") return { changes: [], result: { event: existing, created: false } };
  const { draft } = request;
  if (existing) {
    // The command describes the whole event: fields left out take their defaults, as on creation.
    const only = draft.tiers[0]!;
    const patch: EventPatch = {
      name: draft.name, venue: draft.venue, startsAt: draft.startsAt, holdSeconds: draft.holdSeconds,
      currency: draft.currency, limitPerUser: draft.limitPerUser,
      ...(draft.tiersGiven ? { tiers: draft.tiers } : { capacity: only.capacity, price: only.price }),
    };
    const { changes, result } = decideUpdateEvent(existing, { id: request.id, actor: request.actor, patch }, waiting, now, ids);
    return { changes, result: { event: result, created: false } };
  }
  const event = withTotals({
    id: request.id, name: draft.name, venue: draft.venue, startsAt: draft.startsAt, capacity: 0, held: 0, sold: 0,
    tiers: draft.tiers.map((spec) => tierFromSpec(spec, draft.currency)), holdSeconds: draft.holdSeconds, priceMinor: 0,
    currency: draft.currency, limitPerUser: draft.limitPerUser, createdAt: now, updatedAt: now,
  });
  return {
    changes: [{ type: "saveEvent", event }, logChange("event.created", now, request.actor, { eventId: event.id }, describe(event))],
    result: { event, created: true },
  };
}

export function decideUpdateEvent(
  existing: EventRecord | undefined,
  request: EventRequestBase & { patch: EventPatch },
  waiting: readonly WaitingUser[],
  now: number,
  ids: IdSource,
): Decision<EventRecord> {
  if (!existing) throw eventNotFound(request.id);
  const { patch } = request;
  if (patch.currency !== undefined && patch.currency !== existing.currency) {
    throw invalidArgument("currency", `event ${existing.id} is priced in ${existing.currency}; its currency cannot change`);
  }
  const updated = withTotals({
    ...existing,
    name: patch.name ?? existing.name,
    venue: patch.venue !== undefined ? patch.venue : existing.venue,
    startsAt: patch.startsAt !== undefined ? patch.startsAt : existing.startsAt,
    holdSeconds: patch.holdSeconds ?? existing.holdSeconds,
    limitPerUser: patch.limitPerUser !== undefined ? patch.limitPerUser : existing.limitPerUser,
    tiers: updatedTiers(existing, patch),
    updatedAt: now,
  });
  // A waiting user was admitted under the old limit; one the new rule refuses leaves the line.
  // (Otherwise a standing only shrinks while waiting — reserving takes a user off the line.)
  const limitChanged = updated.limitPerUser !== existing.limitPerUser;
  const refused = limitChanged ? waiting.filter((user) => holdRefusal(updated, user.standing, user.userId, 1)) : [];
  const admitted = waiting.filter((user) => !refused.includes(user));
  // Raising a capacity frees places: waiting users get them first.
  const promotion = promoteWaiting(updated, admitted, now, ids);
  const changes: Change[] = [
    { type: "saveEvent", event: updated },
    logChange("event.updated", now, request.actor, { eventId: updated.id }, describe(updated)),
    ...refused.flatMap((user): Change[] => [
      { type: "removeWaitlistEntry", eventId: user.eventId, userId: user.userId },
      logChange("waitlist.left", now, SYSTEM_ACTOR, { eventId: user.eventId }, { userId: user.userId, tier: user.tier, reason: "per-user limit changed" }),
    ]),
    ...promotion.changes,
  ];
  return { changes, result: promotion.event };
}

/** `--tier` upserts tiers by name; `--capacity`/`--price` change the only tier of a single-tier event. */
function updatedTiers(existing: EventRecord, patch: EventPatch): TierRecord[] {
  let specs: TierSpec[] = patch.tiers ?? [];
  if (patch.capacity !== undefined || patch.price !== undefined) {
    if (existing.tiers.length > 1 && !patch.tiers) {
      const field = patch.capacity !== undefined ? "capacity" : "price";
      throw invalidArgument(field, `event ${existing.id} has several tiers; change a tier (NAME:CAPACITY:PRICE) instead`);
    }
    const only = existing.tiers[0]!;
    if (!patch.tiers) {
      specs = [{ name: only.name, capacity: patch.capacity ?? only.capacity, price: patch.price ?? "" }];
    } else if (patch.capacity !== undefined && patch.capacity !== totalAfter(existing, patch.tiers)) {
      throw invalidArgument("capacity", `${patch.capacity} is not the sum of the tiers' capacities; leave it out`);
    }
  }
  const tiers = existing.tiers.map((tier) => ({ ...tier }));
  for (const spec of specs) {
    const priceMinor = spec.price === "" ? undefined : parseAmount(spec.price, existing.currency, "price");
    const tier = tiers.find((candidate) => candidate.name === spec.name);
    if (!tier) {
      tiers.push({ name: spec.name, capacity: spec.capacity, priceMinor: priceMinor ?? 0, held: 0, sold: 0 });
      continue;
    }
    const committed = tier.held + tier.sold;
    if (spec.capacity < committed) {
      const what = existing.tiers.length > 1 ? `tier ${tier.name} of ${existing.id}` : existing.id;
      throw new TixError("CAPACITY_BELOW_COMMITTED", `capacity ${spec.capacity} is below the ${committed} tickets already held or sold for ${what}`);
    }
    tier.capacity = spec.capacity;
    if (priceMinor !== undefined) tier.priceMinor = priceMinor;
  }
  checkEventSize(tiers);
  return tiers;
}

function totalAfter(existing: EventRecord, specs: readonly TierSpec[]): number {
  const byName = new Map(existing.tiers.map((tier) => [tier.name, tier.capacity]));
  for (const spec of specs) byName.set(spec.name, spec.capacity);
  return [...byName.values()].reduce((sum, capacity) => sum + capacity, 0);
}

/** What the audit log records of an event's state after a change. */
function describe(event: EventRecord): Record<string, unknown> {
  return {
    name: event.name,
    capacity: event.capacity,
    tiers: event.tiers.map((tier) => ({ name: tier.name, capacity: tier.capacity, priceMinor: tier.priceMinor })),
    holdSeconds: event.holdSeconds,
    limitPerUser: event.limitPerUser,
  };
}

