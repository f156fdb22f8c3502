import { TixError, eventNotFound, invalidArgument } from "./errors.js";
import { checkEventSize, type EventDraft, type EventPatch } from "./event-input.js";
import { SYSTEM_ACTOR, logChange } from "./audit.js";
import { holdRefusal, type UserStanding } from "./holds.js";
import type { Change, Decision, EventRecord, IdSource, TierRecord, WaitlistEntry } from "./model.js";
import { formatAmount, parseAmount } from "./money.js";
import { checkWindows, eventWindow } from "./sales.js";
import { toIsoOrNull } from "./time.js";
import { tierFromSpec, withTotals, type TierSpec } from "./tiers.js";
import { promoteWaiting } from "./waitlist.js";

/**
 * The event's waiting users, in line order, each with what they already hold and own for the
 * event: a change of the per-user limit must not let a promotion exceed the new rule.
 */
export type WaitingUser = WaitlistEntry & { standing: UserStanding };

/**
 * How `create` treats an id that already exists: `merge` changes only the fields given (the CLI's
 * and the library's create-or-update), `replace` makes the event what the request describes, with
 * left-out fields at their defaults (the Web API's `POST /events`, as the seed does), `if-absent`
 * leaves it alone (`seed`).
 */
export type CreateMode = "merge" | "replace" | "if-absent";

/**
 * One field an update changed, in the contract's JSON names and forms (`price` "89.00",
 * `startsAt` ISO text, `holdSeconds` seconds). `tier` names the tier of an event with several;
 * a tier that did not exist before has `field: "tier"` and `from: null`. `salesStart` and `salesEnd`
 * are the values set (null: the default). An access code is never shown: `accessCode` goes from or
 * to `"hidden"` (a code) or null (none).
 */
export interface FieldChange {
  field: "name" | "venue" | "startsAt" | "capacity" | "price" | "holdSeconds" | "limitPerUser" | "tier" | "salesStart" | "salesEnd" | "accessCode";
  tier?: string;
  from: string | number | null;
  to: string | number | null;
}

export interface CreateEventResult {
  event: EventRecord;
  created: boolean;
  /** What an update of an existing event changed; empty when it was created or left alone. */
  changes: FieldChange[];
}

export interface UpdateEventResult {
  event: EventRecord;
  changes: FieldChange[];
}

/** A page of the event list, oldest first: at most `limit` events after the event `after` (its id). */
export interface EventPage {
  limit: number;
  after?: string | undefined;
}

export interface EventRequestBase {
  id: string;
  actor: string;
}

/**
 * `event create` (and `seed`, `import`, `POST /events`): a new event from `draft`, or — with an
 * existing id — by `mode`: the given fields (`patch`) applied as an update (`merge`), the whole
 * event as the draft describes it (`replace`), or nothing (`if-absent`).
 */
export function decideCreateEvent(
  existing: EventRecord | undefined,
  request: EventRequestBase & { draft: EventDraft; patch: EventPatch; mode: CreateMode },
  waiting: readonly WaitingUser[],
  now: number,
  ids: IdSource,
): Decision<CreateEventResult> {
  if (existing && request.mode === "if-absent") return { changes: [], result: { event: existing, created: false, changes: [] } };
  const { draft } = request;
  if (existing) {
    const patch = request.mode === "merge" ? request.patch : replacement(draft);
    const { changes, result } = decideUpdateEvent(existing, { id: request.id, actor: request.actor, patch }, waiting, now, ids);
    return { changes, result: { ...result, created: false } };
  }
  const event = withTotals({
    id: request.id, name: draft.name, venue: draft.venue, startsAt: draft.startsAt, capacity: 0, held: 0, sold: 0,
    tiers: draft.tiers.map((spec) => tierFromSpec(spec, draft.currency)), holdSeconds: draft.holdSeconds, priceMinor: 0,
    currency: draft.currency, limitPerUser: draft.limitPerUser, salesStart: draft.salesStart, salesEnd: draft.salesEnd,
    createdAt: now, updatedAt: now,
  });
  checkWindows(event);
  return {
    changes: [{ type: "saveEvent", event }, logChange("event.created", now, request.actor, { eventId: event.id }, describe(event))],
    result: { event, created: true, changes: [] },
  };
}

/** The whole event as `draft` describes it: fields left out take their defaults, as on creation. */
function replacement(draft: EventDraft): EventPatch {
  const only = draft.tiers[0]!;
  return {
    name: draft.name, venue: draft.venue, startsAt: draft.startsAt, holdSeconds: draft.holdSeconds,
    currency: draft.currency, limitPerUser: draft.limitPerUser, salesStart: draft.salesStart, salesEnd: draft.salesEnd,
    ...(draft.tiersGiven
      ? { tiers: draft.tiers.map((tier) => ({ ...tier, code: tier.code ?? null, salesStart: tier.salesStart ?? null, salesEnd: tier.salesEnd ?? null })) }
      : { capacity: only.capacity, price: only.price }),
  };
}

export function decideUpdateEvent(
  existing: EventRecord | undefined,
  request: EventRequestBase & { patch: EventPatch },
  waiting: readonly WaitingUser[],
  now: number,
  ids: IdSource,
): Decision<UpdateEventResult> {
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
    salesStart: patch.salesStart !== undefined ? patch.salesStart : existing.salesStart,
    salesEnd: patch.salesEnd !== undefined ? patch.salesEnd : existing.salesEnd,
    tiers: updatedTiers(existing, patch),
    updatedAt: now,
  });
  checkWindows(updated);
  // A waiting user was admitted under the old limit; one the new rule refuses leaves the line.
  // (Otherwise a standing only shrinks while waiting — reserving takes a user off the line.)
  const limitChanged = updated.limitPerUser !== existing.limitPerUser;
  const refused = limitChanged ? waiting.filter((user) => holdRefusal(updated, user.standing, user.userId, 1)) : [];
  const admitted = waiting.filter((user) => !refused.includes(user));
  // Raising a capacity frees places: waiting users get them first.
  const promotion = promoteWaiting(updated, admitted, now, ids);
  const fieldChanges = changedFields(existing, updated);
  const changes: Change[] = [
    { type: "saveEvent", event: updated },
    logChange("event.updated", now, request.actor, { eventId: updated.id }, { ...describe(updated), changes: fieldChanges }),
    ...refused.flatMap((user): Change[] => [
      { type: "removeWaitlistEntry", eventId: user.eventId, userId: user.userId },
      logChange("waitlist.left", now, SYSTEM_ACTOR, { eventId: user.eventId }, { userId: user.userId, tier: user.tier, reason: "per-user limit changed" }),
    ]),
    ...promotion.changes,
  ];
  return { changes, result: { event: promotion.event, changes: fieldChanges } };
}

/** Every field that differs between two versions of an event, in the order a person reads them. */
export function changedFields(before: EventRecord, after: EventRecord): FieldChange[] {
  const changes: FieldChange[] = [];
  const compare = (field: FieldChange["field"], from: FieldChange["from"], to: FieldChange["to"], tier?: string) => {
    if (from !== to) changes.push({ field, ...(tier === undefined ? {} : { tier }), from, to });
  };
  const price = (minor: number) => formatAmount(minor, after.currency);
  compare("name", before.name, after.name);
  compare("venue", before.venue, after.venue);
  compare("startsAt", toIsoOrNull(before.startsAt), toIsoOrNull(after.startsAt));
  compare("salesStart", toIsoOrNull(before.salesStart), toIsoOrNull(after.salesStart));
  compare("salesEnd", toIsoOrNull(before.salesEnd), toIsoOrNull(after.salesEnd));
  compare("capacity", before.capacity, after.capacity);
  if (after.tiers.length === 1 && before.tiers.length === 1) {
    compare("price", price(before.tiers[0]!.priceMinor), price(after.tiers[0]!.priceMinor));
  } else {
    for (const tier of after.tiers) {
      const old = before.tiers.find((candidate) => candidate.name === tier.name);
      if (!old) {
        compare("tier", null, `${tier.name}:${tier.capacity}:${price(tier.priceMinor)}`, tier.name);
        continue;
      }
      compare("capacity", old.capacity, tier.capacity, tier.name);
      compare("price", price(old.priceMinor), price(tier.priceMinor), tier.name);
    }
  }
  // A tier's own window and code: always named by their tier, even on a single-tier event.
  for (const tier of after.tiers) {
    const old = before.tiers.find((candidate) => candidate.name === tier.name);
    compare("salesStart", toIsoOrNull(old?.salesStart ?? null), toIsoOrNull(tier.salesStart), tier.name);
    compare("salesEnd", toIsoOrNull(old?.salesEnd ?? null), toIsoOrNull(tier.salesEnd), tier.name);
    if ((old?.accessCode ?? null) !== tier.accessCode) {
      changes.push({ field: "accessCode", tier: tier.name, from: old?.accessCode ? HIDDEN : null, to: tier.accessCode ? HIDDEN : null });
    }
  }
  compare("holdSeconds", before.holdSeconds, after.holdSeconds);
  compare("limitPerUser", before.limitPerUser, after.limitPerUser);
  return changes;
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
      tiers.push({
        name: spec.name, capacity: spec.capacity, priceMinor: priceMinor ?? 0, held: 0, sold: 0,
        salesStart: spec.salesStart ?? null, salesEnd: spec.salesEnd ?? null, accessCode: spec.code ?? null,
      });
      continue;
    }
    const committed = tier.held + tier.sold;
    if (spec.capacity < committed) {
      const what = existing.tiers.length > 1 ? `tier ${tier.name} of ${existing.id}` : existing.id;
      throw new TixError("CAPACITY_BELOW_COMMITTED", `capacity ${spec.capacity} is below the ${committed} tickets already held or sold for ${what}`);
    }
    tier.capacity = spec.capacity;
    if (priceMinor !== undefined) tier.priceMinor = priceMinor;
    if (spec.code !== undefined) tier.accessCode = spec.code;
    if (spec.salesStart !== undefined) tier.salesStart = spec.salesStart;
    if (spec.salesEnd !== undefined) tier.salesEnd = spec.salesEnd;
  }
  checkEventSize(tiers);
  return tiers;
}

function totalAfter(existing: EventRecord, specs: readonly TierSpec[]): number {
  const byName = new Map(existing.tiers.map((tier) => [tier.name, tier.capacity]));
  for (const spec of specs) byName.set(spec.name, spec.capacity);
  return [...byName.values()].reduce((sum, capacity) => sum + capacity, 0);
}

/** How a change of access code is shown: that there is one, never what it is. */
const HIDDEN = "hidden";

/** What the audit log records of an event's state after a change (never an access code). */
function describe(event: EventRecord): Record<string, unknown> {
  const window = eventWindow(event);
  return {
    name: event.name,
    capacity: event.capacity,
    tiers: event.tiers.map((tier) => ({
      name: tier.name, capacity: tier.capacity, priceMinor: tier.priceMinor,
      ...(tier.accessCode === null ? {} : { requiresCode: true }),
      ...(tier.salesStart === null ? {} : { salesStart: tier.salesStart }),
      ...(tier.salesEnd === null ? {} : { salesEnd: tier.salesEnd }),
    })),
    holdSeconds: event.holdSeconds,
    limitPerUser: event.limitPerUser,
    salesStart: window.start,
    salesEnd: window.end,
  };
}

