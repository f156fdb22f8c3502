import { TixError, eventNotFound, invalidArgument } from "./errors.js";
import { checkEventSize, priceShownOf, type EventDraft, type EventPatch, type MissingDraft } from "./event-input.js";
import { logChange } from "./audit.js";
import { holdRefusal, type UserStanding } from "./holds.js";
import type { Change, Decision, EventRecord, IdSource, TierRecord, WaitlistEntry } from "./model.js";
import { formatAmount, parseAmount } from "./money.js";
import { checkWindows, eventWindow, opensLater, type WindowField } from "./sales.js";
import { toIsoOrNull } from "./time.js";
import { asTier, capacityOfNewTier, settleOneValue, tierFromSpec, tierNamed, withTotals, type TierSpec } from "./tiers.js";
import { promoteWaiting, takenOffLine, type LeaveReason } from "./waitlist.js";
import { SeatDraft } from "./seating/draft.js";
import { SEAT_FREE, SeatIndex } from "./seating/free-index.js";
import { compileSeatMap, findSeat, labelOfSeat, tierOfSeat, type SeatLayout } from "./seating/layout.js";
import { seatCount } from "./seating/map.js";
import { loadSeatMap } from "./seating/spec.js";
import { counted, plural } from "./plural.js";

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
  /** `seats`: the seat map changed; from and to describe the maps ("328 seats in 3 sections"). */
  field: "name" | "venue" | "startsAt" | "capacity" | "price" | "holdSeconds" | "limitPerUser" | "tier" | "salesStart" | "salesEnd" | "accessCode" | "seats";
  tier?: string;
  from: string | number | null;
  to: string | number | null;
}

/** A waiting user an update took off the event's waiting list, and why (as its `waitlist.left` log entry says). */
export interface LeftWaitlist {
  userId: string;
  tier: string;
  reason: Exclude<LeaveReason, "per-user limit reached by a transfer">;
}

export interface CreateEventResult {
  event: EventRecord;
  created: boolean;
  /** What an update of an existing event changed; empty when it was created or left alone. */
  changes: FieldChange[];
  /** The waiting users an update of an existing event took off its waiting list. */
  leftWaitlist: LeftWaitlist[];
}

export interface UpdateEventResult {
  event: EventRecord;
  changes: FieldChange[];
  /** The waiting users the update took off the event's waiting list (see waitersLeaving). */
  leftWaitlist: LeftWaitlist[];
}

/** A page of the event list, oldest first: at most `limit` events after the event `after` (its id). */
export interface EventPage {
  limit: number;
  after?: string | undefined;
}

/**
 * The event list as a person plans it, in three parts: `ahead` — starting at `now` or later, the
 * soonest first; `undated` — no start time; `started` — starting before `now`, the latest first.
 * Ties keep the order the events were made in.
 */
export const PLANNING_ORDER = ["ahead", "undated", "started"] as const;

/** One part of the planning order (see PLANNING_ORDER), at most `limit` events (all when undefined). */
export interface EventsByStart {
  part: (typeof PLANNING_ORDER)[number];
  now: number;
  limit?: number | undefined;
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
  request: EventRequestBase & { draft: EventDraft | MissingDraft; patch: EventPatch; mode: CreateMode },
  waiting: readonly WaitingUser[],
  now: number,
  ids: IdSource,
  seats: ReadonlyMap<string, SeatIndex> = new Map(),
): Decision<CreateEventResult> {
  if (existing && request.mode === "if-absent") return { changes: [], result: { event: existing, created: false, changes: [], leftWaitlist: [] } };
  if (existing) {
    const patch = request.mode === "merge" ? request.patch : replacement(wholeDraft(request.draft, true), request.patch);
    const { changes, result } = decideUpdateEvent(existing, { id: request.id, actor: request.actor, patch }, waiting, now, ids, seats);
    return { changes, result: { ...result, created: false } };
  }
  const draft = wholeDraft(request.draft, false);
  const event = withTotals({
    id: request.id, name: draft.name, venue: draft.venue, startsAt: draft.startsAt, holdSeconds: draft.holdSeconds,
    currency: draft.currency, limitPerUser: draft.limitPerUser, salesStart: draft.salesStart, salesEnd: draft.salesEnd,
    seatMap: draft.seatMap, createdAt: now, updatedAt: now,
  }, draft.tiers.map((spec) => tierFromSpec(spec, draft.currency)));
  checkWindows(event);
  const seating: Change[] = draft.seatMap === null ? [] : [{ type: "saveSeats", eventId: event.id, seats: SeatIndex.open(layoutOf(draft.seatMap)) }];
  return {
    changes: [{ type: "saveEvent", event }, ...seating, logChange("event.created", now, request.actor, { eventId: event.id }, describe(event, true))],
    result: { event, created: true, changes: [], leftWaitlist: [] },
  };
}

/** Only a merge into an existing event does without a whole draft: anything else needs one. */
function wholeDraft(draft: EventDraft | MissingDraft, existing: boolean): EventDraft {
  // An existing event replaced is told what a replacement lacks, where that is said otherwise.
  if ("missing" in draft) throw (existing ? draft.replacing : undefined) ?? draft.missing;
  return draft;
}

/** The whole event as `draft` describes it: fields left out take their defaults, as on creation (but a tier's price). */
function replacement(draft: EventDraft, given: EventPatch): EventPatch {
  const only = draft.tiers[0]!;
  return {
    name: draft.name, venue: draft.venue, startsAt: draft.startsAt, holdSeconds: draft.holdSeconds,
    currency: draft.currency, limitPerUser: draft.limitPerUser, salesStart: draft.salesStart, salesEnd: draft.salesEnd,
    // A tier given without a price keeps the one it has (the draft priced it 0, as for a new event).
    ...(draft.tiersGiven
      ? {
        tiers: (given.tiers ?? draft.tiers).map((tier) => ({ ...tier, code: tier.code ?? null, salesStart: tier.salesStart ?? null, salesEnd: tier.salesEnd ?? null })),
        // A capacity given is the event's total once replaced, types not sent kept: checked against
        // it (updatedTiers), not dropped. `{Capacity: 9, TicketTypes: [GA]}` on an event with GA and
        // VIP made GA 9 and left VIP's 10: a total of 19 answered 200 for a request that said 9.
        ...(given.capacity !== undefined && { capacity: given.capacity }),
      }
      : { capacity: only.capacity, price: only.price, ...priceShownOf(only) }),
    ...(draft.seatMap === null ? {} : { seatMap: draft.seatMap }),
  };
}

const WINDOW_FIELDS: readonly WindowField[] = ["salesStart", "salesEnd", "startsAt"];

export function decideUpdateEvent(
  existing: EventRecord | undefined,
  request: EventRequestBase & { patch: EventPatch },
  waiting: readonly WaitingUser[],
  now: number,
  ids: IdSource,
  seats: ReadonlyMap<string, SeatIndex> = new Map(),
): Decision<UpdateEventResult> {
  if (!existing) throw eventNotFound(request.id);
  if (request.patch.currency !== undefined && request.patch.currency !== existing.currency) {
    throw invalidArgument("currency", `event ${existing.id} is priced in ${existing.currency}; its currency cannot change`);
  }
  const { patch, draft } = reseat(existing, settleTiers(existing, request.patch), seats);
  const updated = withTotals({
    ...existing,
    name: patch.name ?? existing.name,
    venue: patch.venue !== undefined ? patch.venue : existing.venue,
    startsAt: patch.startsAt !== undefined ? patch.startsAt : existing.startsAt,
    holdSeconds: patch.holdSeconds ?? existing.holdSeconds,
    limitPerUser: patch.limitPerUser !== undefined ? patch.limitPerUser : existing.limitPerUser,
    salesStart: patch.salesStart !== undefined ? patch.salesStart : existing.salesStart,
    salesEnd: patch.salesEnd !== undefined ? patch.salesEnd : existing.salesEnd,
    seatMap: patch.seatMap ?? existing.seatMap,
    updatedAt: now,
  }, updatedTiers(existing, patch));
  checkWindows(updated, WINDOW_FIELDS.filter((field) => patch[field] !== undefined));
  const leaving = waitersLeaving(existing, updated, waiting, now);
  const admitted = waiting.filter((user) => !leaving.has(user));
  // Raising a capacity frees places: waiting users get them first.
  const promotion = promoteWaiting(updated, admitted, now, ids, draft);
  const fieldChanges = changedFields(existing, updated);
  const draftChanges = draft?.changes() ?? [];
  // An update that changes nothing (an import's unchanged row, a retried PATCH) writes nothing: no
  // log entry, no new updatedAt — the log says what changed, and this did not.
  if (fieldChanges.length === 0 && leaving.size === 0 && promotion.changes.length === 0 && draftChanges.length === 0) {
    return { changes: [], result: { event: existing, changes: [], leftWaitlist: [] } };
  }
  const changes: Change[] = [
    { type: "saveEvent", event: updated },
    logChange("event.updated", now, request.actor, { eventId: updated.id }, { ...describe(updated), changes: fieldChanges }),
    ...[...leaving].flatMap(([user, reason]) => takenOffLine(user, reason, now)),
    ...promotion.changes,
    ...draftChanges,
  ];
  const leftWaitlist = [...leaving].map(([user, reason]): LeftWaitlist => ({ userId: user.userId, tier: user.tier, reason }));
  return { changes, result: { event: promotion.event, changes: fieldChanges, leftWaitlist } };
}

/** The patch with each tier written `NAME:VALUE` made definite by the event (settleOneValue). */
function settleTiers(existing: EventRecord, patch: EventPatch): EventPatch {
  if (!patch.tiers?.some((spec) => spec.oneValue !== undefined)) return patch;
  return { ...patch, tiers: patch.tiers.map((spec) => settleOneValue(spec, existing)) };
}

/**
 * The waiting users an update takes off the line, each with why. One admitted under the old
 * per-user limit whom the new rule refuses (otherwise a standing only shrinks while waiting:
 * reserving takes a user off the line). One whose
 * tier's sales the update leaves not yet open (a start moved later) — the waiting list closes with
 * sales —: sales would then open by the clock alone, with nobody to give them the places freed
 * meanwhile. And one waiting for a tier whose access code the update sets or changes: they joined
 * without that code, and a promotion would hold them a place the code now guards.
 */
function waitersLeaving(existing: EventRecord, updated: EventRecord, waiting: readonly WaitingUser[], now: number): Map<WaitingUser, LeftWaitlist["reason"]> {
  const limitChanged = updated.limitPerUser !== existing.limitPerUser;
  const leaving = new Map<WaitingUser, LeftWaitlist["reason"]>();
  for (const user of waiting) {
    const tier = updated.tiers.find((candidate) => candidate.name === user.tier);
    const before = existing.tiers.find((candidate) => candidate.name === user.tier);
    if (limitChanged && holdRefusal(updated, user.standing, user.userId, 1)) leaving.set(user, "per-user limit changed");
    else if (tier && opensLater(updated, tier, now)) leaving.set(user, "sales not open yet");
    else if (tier && tier.accessCode !== null && tier.accessCode !== (before?.accessCode ?? null)) leaving.set(user, "access code changed");
  }
  return leaving;
}

/**
 * A seated event's patch, checked against its map: a new map (`seatMap`) must sell the event's
 * tiers and keep every seat held or sold, in its tier, which keeps its state; without one, the
 * capacities stay the map's. Answers the patch to apply and the draft of the event's seats.
 */
function reseat(existing: EventRecord, patch: EventPatch, seats: ReadonlyMap<string, SeatIndex>): { patch: EventPatch; draft: SeatDraft | undefined } {
  if (existing.seatMap === null) {
    if (patch.seatMap !== undefined) {
      throw invalidArgument("seats", `event ${existing.id} is general admission; a seat map is given when an event is created`);
    }
    return { patch, draft: undefined };
  }
  const index = seats.get(existing.id);
  if (!index) throw new TixError("INTERNAL", `the seats of event ${existing.id} were not loaded`);
  if (patch.seatMap === undefined || patch.seatMap === existing.seatMap) {
    const { seatMap: _same, ...rest } = patch;
    checkSeatedCapacities(existing, rest);
    const { capacity: _capacity, ...kept } = rest;
    return { patch: kept, draft: new SeatDraft(existing.id, index) };
  }
  const layout = layoutOf(patch.seatMap);
  const tiers = [...layout.tiers.keys()];
  const missing = existing.tiers.filter((tier) => !layout.tiers.has(tier.name)).map((tier) => tier.name);
  const added = tiers.filter((name) => !existing.tiers.some((tier) => tier.name === name));
  if (missing.length > 0 || added.length > 0) {
    throw invalidArgument("seats", `the new seat map's tiers (${tiers.join(", ")}) must be the event's (${existing.tiers.map((tier) => tier.name).join(", ")})`);
  }
  const states = new Uint8Array(layout.seatCount);
  const lost: string[] = [];
  for (let seat = 0; seat < index.layout.seatCount; seat++) {
    const state = index.state(seat);
    if (state === SEAT_FREE) continue;
    const label = labelOfSeat(index.layout, seat);
    const found = findSeat(layout, label);
    if ("reason" in found || tierOfSeat(layout, found.seat) !== tierOfSeat(index.layout, seat)) lost.push(label);
    else states[found.seat] = state;
  }
  if (lost.length > 0) {
    const names = lost.slice(0, 5).join(", ") + (lost.length > 5 ? ` and ${lost.length - 5} more` : "");
    throw new TixError("CAPACITY_BELOW_COMMITTED", `the new seat map must keep every seat held or sold, in its tier: ${names} of ${existing.id} ${plural(lost.length, "is", "are")} missing`, { field: "seats" });
  }
  return { patch, draft: SeatDraft.fresh(existing.id, SeatIndex.open(layout, states)) };
}

/** Without a new map, a seated event's capacities are its map's: a patch may only repeat them. */
function checkSeatedCapacities(existing: EventRecord, patch: EventPatch): void {
  if (patch.capacity !== undefined && patch.capacity !== existing.capacity) {
    throw invalidArgument("capacity", `event ${existing.id} is seated: its capacity is its ${counted(existing.capacity, "seat")}; give a new seat map to change it`);
  }
  for (const spec of patch.tiers ?? []) {
    // In any case, as updatedTiers and a reservation read it (`--tier stalls:30` prices Stalls).
    const tier = tierNamed(existing, spec.name);
    if (!tier) throw invalidArgument("tier", `event ${existing.id} is seated: the seat map has no seats in tier "${spec.name}"; give a new seat map to add one`);
    if (spec.capacity !== undefined && spec.capacity !== tier.capacity) {
      throw invalidArgument("tier", `event ${existing.id} is seated: tier ${tier.name} has ${counted(tier.capacity, "seat")}; give a new seat map to change it`);
    }
  }
}

/** A stored map compiled for best available. */
export function layoutOf(stored: string): SeatLayout {
  return compileSeatMap(loadSeatMap(stored));
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
  if (before.seatMap !== after.seatMap) {
    changes.push({ field: "seats", from: describeMap(before.seatMap), to: describeMap(after.seatMap) });
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
      // In words every face shares: NAME:CAPACITY:PRICE is the command line's and import's text, not a library call's or a JSON body's.
      throw invalidArgument(field, `event ${existing.id} has several tiers; change a tier's ${field} instead`);
    }
    const only = existing.tiers[0]!;
    if (!patch.tiers) {
      specs = [{ name: only.name, capacity: patch.capacity ?? only.capacity, price: patch.price ?? "", ...priceShownOf(patch) }];
    } else if (patch.capacity !== undefined && patch.capacity !== totalAfter(existing, patch.tiers)) {
      // The sum said, as on creation: the update's tiers together with those it keeps.
      const kept = existing.tiers.filter((tier) => !patch.tiers!.some((spec) => tierNamed(existing, spec.name) === tier));
      const keptText = kept.length === 0 ? "" : `, with ${kept.map((tier) => `${tier.name} (${tier.capacity})`).join(", ")}, not given, kept as ${kept.length === 1 ? "it is" : "they are"}`;
      throw invalidArgument("capacity", `${patch.capacity} is not the sum of the tiers' capacities (${totalAfter(existing, patch.tiers)}${keptText}); leave it out`);
    }
  }
  const tiers = existing.tiers.map((tier) => ({ ...tier }));
  for (const spec of specs) {
    // A tier given names itself, as on creation (tier "VIP": its price …); the event's own price is `price`.
    const pricing = () => parseAmount(spec.price, existing.currency, "price", spec.priceShown);
    const priceMinor = spec.price === "" ? undefined : patch.tiers ? asTier(spec.name, "its price", pricing) : pricing();
    // A tier named in another case is that tier (`--tier vip:60:` changes VIP), as a reservation reads it; not a new one.
    const tier = tierNamed({ id: existing.id, tiers }, spec.name);
    if (!tier) {
      tiers.push({
        name: spec.name, capacity: capacityOfNewTier(spec), priceMinor: priceMinor ?? 0, held: 0, sold: 0,
        salesStart: spec.salesStart ?? null, salesEnd: spec.salesEnd ?? null, accessCode: spec.code ?? null,
      });
      continue;
    }
    // A tier given without a capacity keeps its own, as one without a price keeps its price.
    const capacity = spec.capacity ?? tier.capacity;
    const committed = tier.held + tier.sold;
    if (capacity < committed) {
      const what = existing.tiers.length > 1 ? `tier ${tier.name} of ${existing.id}` : existing.id;
      const detail = `${capacity} is below the ${counted(committed, "ticket")} already held or sold for ${what}`;
      // The field a face (an import's column) may name it by: a tier's capacity is given in `tiers`.
      throw new TixError("CAPACITY_BELOW_COMMITTED", `capacity ${detail}`, patch.tiers ? { field: "tiers", detail: `capacity ${detail}` } : { field: "capacity", detail });
    }
    tier.capacity = capacity;
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
  // A tier named in another case is that tier, as updatedTiers reads it (`--tier ga:10:` changes GA, adds none).
  for (const spec of specs) {
    const name = tierNamed(existing, spec.name)?.name ?? spec.name;
    byName.set(name, spec.capacity ?? byName.get(name) ?? 0);
  }
  return [...byName.values()].reduce((sum, capacity) => sum + capacity, 0);
}

/** How a change of access code is shown: that there is one, never what it is. */
const HIDDEN = "hidden";

/** What the audit log records of an event's state after a change (never an access code). */
function describe(event: EventRecord, created = false): Record<string, unknown> {
  const window = eventWindow(event);
  return {
    name: event.name,
    capacity: event.capacity,
    tiers: event.tiers.map((tier) => ({
      name: tier.name, capacity: tier.capacity, priceMinor: tier.priceMinor,
      ...(tier.accessCode === null ? {} : { requiresCode: true }),
      // Times in the log are ISO-8601 UTC text, as everywhere in the JSON.
      ...(tier.salesStart === null ? {} : { salesStart: toIsoOrNull(tier.salesStart) }),
      ...(tier.salesEnd === null ? {} : { salesEnd: toIsoOrNull(tier.salesEnd) }),
    })),
    holdSeconds: event.holdSeconds,
    limitPerUser: event.limitPerUser,
    salesStart: toIsoOrNull(window.start),
    salesEnd: toIsoOrNull(window.end),
    // The map itself once, when the event is made; an update lists a new map among its changes.
    ...(event.seatMap === null ? {} : created ? { seatMap: event.seatMap } : { seated: true }),
  };
}

/** `328 seats in 3 sections`, or `general admission`. */
function describeMap(stored: string | null): string {
  if (stored === null) return "general admission";
  const map = loadSeatMap(stored);
  const sections = map.sections.length;
  return `${counted(seatCount(map), "seat")} in ${counted(sections, "section")}`;
}

