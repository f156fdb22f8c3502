import fc from "fast-check";
import { expect } from "vitest";
import type { ManualClock } from "../../src/core/index.js";
import type { Tix } from "../../src/app/open-tix.js";
import { rebuildCounts } from "../helpers/audit-rebuild.js";
import { CARDS, type CardKind, type ModelEvent, type ModelTicket, type Prediction, type ReferenceModel, type ReserveRequest } from "./reference-model.js";
import { specOf, type VenueSection } from "./reference-seating.js";

/**
 * One step of a model-based run, as plain data: fast-check prints a failing sequence as these
 * objects, which can be pasted as they are into regressions.ts. Events, tickets and bindings are
 * chosen by index into what the model knows at that moment (modulo its size; tickets and bindings
 * counted from the newest), so a sequence stays meaningful while fast-check shrinks it; an index
 * into an empty list means "an id that does not exist". `order: true` acts on the ticket's order
 * (`ord_…`) instead of the ticket.
 */
export type Step =
  | { op: "create"; capacity?: number; tiers?: string[]; hold?: number; id?: string; limit?: number } & Times
  /** A seated event (docs/seating.md) from small sections; `bad` sends a spec that is refused. */
  | ({ op: "createSeated"; sections: VenueSection[]; hold?: number; limit?: number; bad?: boolean } & Times)
  /** Named seats of the event, by index into its seats (`short`: without the section; `bogus`: one that is no seat). */
  | { op: "reserveSeats"; event: number; user: string; key: string; seats: number[]; short?: boolean; bogus?: boolean; tier?: TierChoice; code?: string }
  /** Best available on a seated event (or any event: a quantity), a split allowed or not. */
  | { op: "reserveBest"; event: number; user: string; key: string; quantity: number; tier?: TierChoice; split?: boolean; code?: string }
  | { op: "update"; event: number; capacity?: number; tiers?: string[]; hold?: number; limit?: number | "none" } & Times
  /** `code`: a tier's access code (docs/box-office.md), given with a reserve or a join. */
  | { op: "reserve"; event: number; user: string; key: string; tier?: TierChoice; quantity?: number; code?: string }
  | { op: "replay"; binding: number; vary?: "tier" | "quantity" | "seats" | "split" }
  | { op: "foreignKey"; binding: number; user: string }
  | { op: "purchase"; ticket: number; actor: Actor; card: CardKind; order?: boolean; voucher?: string }
  | { op: "transfer"; ticket: number; actor: Actor; to: string; order?: boolean }
  | { op: "voucher"; event: number; code: string; percent?: number; amount?: number; maxUses?: number }
  | { op: "cancel"; ticket: number; actor: Actor; order?: boolean }
  | { op: "checkin"; ticket: number; actor: Actor; order?: boolean }
  | { op: "join"; event: number; user: string; tier?: TierChoice; code?: string }
  | { op: "leave"; event: number; user: string }
  | { op: "advance"; ms: number };

/**
 * An event's start and sales window, each as milliseconds from the step's instant (so a sequence
 * means the same whenever it runs), or "none" (update: back to the default).
 */
export interface Times {
  startsIn?: number | "none";
  salesFrom?: number | "none";
  salesUntil?: number | "none";
}

/** A tier by name, or (a number) the event's tier at that index: a name may be one the event lacks. */
export type TierChoice = string | number;

/** Who acts on a ticket: its owner, or someone named (maybe the owner, maybe not, maybe invalid). */
export type Actor = "owner" | string;

export interface Real {
  tix: Tix;
  clock: ManualClock;
}

export const USERS = ["alice", "bob", "carol"] as const;
export const KEYS = ["k1", "k2", "order-1001"] as const;
const TIER_NAMES = ["VIP", "GA"] as const;
const CHOSEN_IDS = ["evt_a", "evt_b"] as const;
export const VOUCHER_CODES = ["SPRING", "FIVE"] as const;
/** Tiers' access codes: distinct from the voucher codes, so that no output may contain them. */
const ACCESS_CODES = ["FANS", "MEMBERS"] as const;
const MISSING_EVENT = "evt_missing";
const MISSING_TICKET = "tkt_missing";

// ---- generation ----

/**
 * Which event: by index into those the model knows (mostly the first, so that steps meet on one
 * event: its tiers fill up, users wait, places are released); -1 names one that does not exist.
 */
const eventIndex = fc.oneof(
  { weight: 1, arbitrary: fc.constant(-1) },
  { weight: 10, arbitrary: fc.constant(0) },
  { weight: 6, arbitrary: fc.nat({ max: 7 }) },
);
const hold = fc.constantFrom(1, 30, 600, 2 * 86_400);
const capacity = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5) });
const limit = fc.integer({ min: 1, max: 3 });
/**
 * A tier's access code as a spec writes it: mostly none, else a code (in any case), `none` (removes
 * one), now and then a bad one.
 */
const codeOption = fc.oneof(
  { weight: 10, arbitrary: fc.constant("") },
  { weight: 4, arbitrary: fc.constantFrom(...ACCESS_CODES.map((code) => `,code=${code}`), ",code=fans") },
  { weight: 2, arbitrary: fc.constant(",code=none") },
  { weight: 1, arbitrary: fc.constantFrom(",code=bad code", ",code=", ",cod=FANS") },
);
/** `NAME:CAPACITY:PRICE[,code=CODE]`, small capacities so that tiers fill up; now and then a bad one. */
const tierSpec = (names: fc.Arbitrary<string>) => fc.oneof(
  {
    weight: 12,
    arbitrary: fc.tuple(names, fc.integer({ min: 1, max: 2 }), fc.constantFrom("120.00", "45.00", "0", "9.5"), codeOption)
      .map(([name, size, price, code]) => `${name}:${size}:${price}${code}`),
  },
  { weight: 1, arbitrary: fc.constantFrom("VIP:0:10.00", "GA:2", "GA:2:4.567", "A:B:2:1.00") },
);
/** `NAME:PRICE[,code=CODE]` on an update: a seated event's tier price (Stalls, Circle), refused on general admission (VIP). */
const oneValueTierSpec = fc.tuple(fc.constantFrom("Stalls", "Circle", "VIP"), fc.constantFrom("30.00", "9.5", "4.567"), codeOption)
  .map(([name, price, code]) => `${name}:${price}${code}`);
/** The access code a reserve or a join gives: mostly none, else a right or wrong one, or a bad one. */
const accessCode = fc.option(fc.constantFrom<string>("FANS", "fans", "members", "WRONG", "bad code"), { nil: undefined, freq: 2 });
const tiers = fc.uniqueArray(tierSpec(fc.constantFrom<string>(...TIER_NAMES)), { minLength: 1, maxLength: 2, selector: (spec) => spec.split(":")[0] });
/** A tier to reserve or wait for: one the events may have, one they never have, a bad name, or none. */
const tierChoice = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<string>(...TIER_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom("Balcony", "A:B") },
);
const quantity = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 51) });
const user = fc.constantFrom<string>(...USERS);
// Bad input is part of the sequence too: it must be refused and change nothing.
const anyUser = fc.oneof({ weight: 8, arbitrary: user }, { weight: 1, arbitrary: fc.constantFrom("has space", "") });
const key = fc.oneof({ weight: 8, arbitrary: fc.constantFrom<string>(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom("", "bell\u0007", "x".repeat(256)) });
const actor = fc.oneof({ weight: 5, arbitrary: fc.constant<Actor>("owner") }, { weight: 1, arbitrary: anyUser });
const card = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<CardKind>("default", "approved") },
  { weight: 2, arbitrary: fc.constant<CardKind>("declined") },
  { weight: 1, arbitrary: fc.constantFrom<CardKind>("luhn", "malformed") },
);
/** Which ticket (or binding): counted from the newest; -1 names one that does not exist. */
const pick = fc.oneof({ weight: 1, arbitrary: fc.constant(-1) }, { weight: 12, arbitrary: fc.nat({ max: 15 }) });
const advanceMs = fc.constantFrom(999, 1_000, 29_000, 30_000, 600_000, 3_600_000, 86_400_000 - 1, 86_400_000, 2 * 86_400_000);
/** Now and then a step acts on the whole order (`ord_…`) rather than on one ticket. */
const byOrder = (weight: number) => fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(true) });
const tierIndex = fc.nat({ max: 3 });
/** Offsets from now: a start or a window that closes within the steps' clock moves, or one already past. */
const offset = fc.constantFrom(-1_000, 0, 30_000, 600_000, 3_600_000, 86_400_000);
/** Mostly left out (an event that always sells), now and then given. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>, weight: number) =>
  fc.oneof({ weight, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
const times = { startsIn: rarely(offset, 3), salesFrom: rarely(offset, 8), salesUntil: rarely(offset, 6) };
const orNone = fc.oneof(offset, fc.constant("none" as const));
const timesOrNone = { startsIn: rarely(orNone, 4), salesFrom: rarely(orNone, 8), salesUntil: rarely(orNone, 6) };
/** A voucher code: one the event may have (in any case), or one it never has, or a bad one. */
const voucherCode = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom<string>(...VOUCHER_CODES, "spring") },
  { weight: 1, arbitrary: fc.constantFrom("NOPE", "bad code") },
);

/** Small sections, so that rows fill up and splits happen: 1-3 rows of 1-5 seats, sometimes an aisle. */
const venueSection = fc.record({
  name: fc.constantFrom("Stalls", "Circle", "Box"),
  tier: fc.constantFrom("Stalls", "Circle"),
  rows: fc.integer({ min: 1, max: 3 }),
  seats: fc.integer({ min: 1, max: 5 }),
  aisleAfter: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
}, { requiredKeys: ["name", "tier", "rows", "seats"] });
const venue = fc.uniqueArray(venueSection, { minLength: 1, maxLength: 2, selector: (section) => section.name });
const seatPicks = fc.array(fc.nat({ max: 40 }), { minLength: 1, maxLength: 3 });
const createSeated = fc.record({
  op: fc.constant("createSeated" as const), sections: venue, hold: fc.option(hold, { nil: undefined }),
  limit: fc.option(limit, { nil: undefined, freq: 2 }), bad: fc.option(fc.constant(true), { nil: undefined, freq: 12 }), ...times,
}, { requiredKeys: ["op", "sections"] });

export const stepArbitraries: ReadonlyArray<fc.Arbitrary<Step>> = [
  createSeated,
  createSeated,
  fc.record({
    op: fc.constant("reserveSeats" as const), event: eventIndex, user, key: fc.constantFrom<string>(...KEYS), seats: seatPicks,
    short: fc.option(fc.constant(true), { nil: undefined, freq: 3 }), bogus: fc.option(fc.constant(true), { nil: undefined, freq: 10 }),
    tier: fc.option(tierIndex, { nil: undefined, freq: 6 }), code: accessCode,
  }, { requiredKeys: ["op", "event", "user", "key", "seats"] }),
  fc.record({
    op: fc.constant("reserveBest" as const), event: eventIndex, user, key: fc.constantFrom<string>(...KEYS), quantity: fc.integer({ min: 1, max: 4 }),
    tier: fc.option(tierIndex, { nil: undefined, freq: 2 }), split: fc.option(fc.constant(true), { nil: undefined, freq: 2 }), code: accessCode,
  }, { requiredKeys: ["op", "event", "user", "key", "quantity"] }),
  fc.record({
    op: fc.constant("create" as const), capacity, hold: fc.option(hold, { nil: undefined }),
    id: fc.option(fc.constantFrom<string>(...CHOSEN_IDS), { nil: undefined }), limit: fc.option(limit, { nil: undefined, freq: 2 }), ...times,
  }, { requiredKeys: ["op", "capacity"] }),
  fc.record({
    op: fc.constant("create" as const), tiers, hold: fc.option(hold, { nil: undefined }),
    id: fc.option(fc.constantFrom<string>(...CHOSEN_IDS), { nil: undefined }), limit: fc.option(limit, { nil: undefined, freq: 2 }), ...times,
  }, { requiredKeys: ["op", "tiers"] }),
  fc.record({
    op: fc.constant("update" as const), event: eventIndex, capacity: fc.option(capacity, { nil: undefined }),
    hold: fc.option(hold, { nil: undefined }), limit: fc.option(fc.oneof(limit, fc.constant("none" as const)), { nil: undefined }), ...timesOrNone,
  }, { requiredKeys: ["op", "event"] }),
  fc.record({
    op: fc.constant("update" as const), event: eventIndex,
    tiers: fc.array(fc.oneof({ weight: 6, arbitrary: tierSpec(fc.constantFrom("VIP", "GA", "Balcony")) }, { weight: 1, arbitrary: oneValueTierSpec }), { minLength: 1, maxLength: 1 }),
  }),
  fc.record({ op: fc.constant("reserve" as const), event: eventIndex, user: anyUser, key, tier: tierChoice, quantity, code: accessCode }, { requiredKeys: ["op", "event", "user", "key"] }),
  fc.record({ op: fc.constant("reserve" as const), event: eventIndex, user, key: fc.constantFrom<string>(...KEYS), tier: tierIndex, quantity: fc.integer({ min: 1, max: 3 }), code: accessCode }, { requiredKeys: ["op", "event", "user", "key"] }),
  fc.record({ op: fc.constant("reserve" as const), event: eventIndex, user, key: fc.constantFrom<string>(...KEYS), tier: tierIndex, code: accessCode }, { requiredKeys: ["op", "event", "user", "key"] }),
  fc.record({ op: fc.constant("replay" as const), binding: fc.nat({ max: 15 }), vary: fc.constantFrom<"tier" | "quantity" | "seats" | "split">("tier", "quantity", "seats", "split") }, { requiredKeys: ["op", "binding"] }),
  fc.record({ op: fc.constant("foreignKey" as const), binding: fc.nat({ max: 15 }), user }),
  fc.record({ op: fc.constant("purchase" as const), ticket: pick, actor, card, order: byOrder(2) }, { requiredKeys: ["op", "ticket", "actor", "card"] }),
  fc.record({ op: fc.constant("purchase" as const), ticket: pick, actor, card, order: byOrder(2), voucher: voucherCode }, { requiredKeys: ["op", "ticket", "actor", "card"] }),
  fc.record({ op: fc.constant("transfer" as const), ticket: pick, actor, to: anyUser, order: byOrder(3) }, { requiredKeys: ["op", "ticket", "actor", "to"] }),
  fc.record({ op: fc.constant("purchase" as const), ticket: fc.nat({ max: 3 }), actor: fc.constant("owner"), card: fc.constant<CardKind>("default"), voucher: voucherCode }),
  fc.record({ op: fc.constant("transfer" as const), ticket: fc.nat({ max: 3 }), actor: fc.constant("owner"), to: user }),
  fc.tuple(
    fc.record({ op: fc.constant("voucher" as const), event: eventIndex, code: voucherCode, maxUses: rarely(fc.constantFrom(0, 1, 2, 3), 1) }),
    fc.oneof(
      { weight: 5, arbitrary: fc.record({ percent: fc.constantFrom(20, 50, 100) }) },
      { weight: 5, arbitrary: fc.record({ amount: fc.constantFrom(500, 20_000) }) },
      { weight: 1, arbitrary: fc.constantFrom({ percent: 0 }, { amount: 0 }, {}, { percent: 10, amount: 100 }) },
    ),
  ).map(([step, discount]) => ({ ...dropUndefined(step), ...discount })),
  fc.record({ op: fc.constant("cancel" as const), ticket: pick, actor, order: byOrder(2) }, { requiredKeys: ["op", "ticket", "actor"] }),
  fc.record({ op: fc.constant("checkin" as const), ticket: pick, actor: fc.oneof(actor, fc.constant("door")), order: byOrder(8) }, { requiredKeys: ["op", "ticket", "actor"] }),
  fc.record({ op: fc.constant("join" as const), event: eventIndex, user: anyUser, tier: tierChoice, code: accessCode }, { requiredKeys: ["op", "event", "user"] }),
  fc.record({ op: fc.constant("join" as const), event: eventIndex, user, tier: tierIndex, code: accessCode }, { requiredKeys: ["op", "event", "user"] }),
  fc.record({ op: fc.constant("leave" as const), event: eventIndex, user: anyUser }),
  fc.record({ op: fc.constant("advance" as const), ms: advanceMs }),
];

/** Keeps printed steps short: a key left out is not written as `undefined`. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}

// ---- execution ----

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string") throw error; // not a TixError: a crash, which fails the run as it is
    return { ok: false, code, message: (error as Error).message };
  }
}

/** The engine's answer must be the model's: the same error code, or a success. */
function expectSameOutcome<T, P>(step: Step, real: Outcome<T>, predicted: Prediction<P>): real is { ok: true; value: T } {
  const describe = (outcome: Outcome<T> | Prediction<P>) => (outcome.ok ? "success" : outcome.code);
  const detail = real.ok ? "" : ` (${real.message})`;
  expect(describe(real), `${JSON.stringify(step)} answered ${describe(real)}${detail}, the model expected ${describe(predicted)}`).toBe(describe(predicted));
  return real.ok;
}

const at = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 || index < 0 ? undefined : items[index % items.length]);
/** Tickets and bindings are counted from the newest: small indices (fast-check's bias) pick live ones. */
const recent = <T>(items: readonly T[], index: number): T | undefined =>
  (items.length === 0 || index < 0 ? undefined : items[items.length - 1 - (index % items.length)]);
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

function expectTicket(actual: { id: string; status: string }, expected: ModelTicket, model: ReferenceModel): void {
  expect(actual).toMatchObject({
    id: expected.id,
    eventId: expected.eventId,
    tier: expected.tier,
    orderId: expected.orderId,
    userId: expected.userId,
    status: model.status(expected),
    reservedAt: iso(expected.reservedAt),
    expiresAt: iso(expected.expiresAt),
    purchasedAt: iso(expected.purchasedAt),
    cancelledAt: iso(expected.cancelledAt),
    checkedInAt: iso(expected.checkedInAt),
    priceMinor: expected.priceMinor,
    cardLast4: expected.cardLast4,
    voucher: expected.voucher,
    discountMinor: expected.discountMinor,
    seat: expected.seat,
  });
}

function expectTickets(actual: ReadonlyArray<{ id: string; status: string }>, expected: readonly ModelTicket[], model: ReferenceModel): void {
  expect(actual.map((ticket) => ticket.id)).toEqual(expected.map((ticket) => ticket.id));
  actual.forEach((ticket, index) => expectTicket(ticket, expected[index]!, model));
}

function expectDefinition(
  actual: {
    id: string; tiers: Array<{ name: string; capacity: number; priceMinor: number; requiresCode: boolean }>; holdSeconds: number; limitPerUser: number | null;
    startsAt: string | null; salesStart: string | null; salesEnd: string | null; seated: boolean;
  },
  expected: ModelEvent,
  model: ReferenceModel,
): void {
  expect({
    id: actual.id, tiers: actual.tiers.map(({ name, capacity, priceMinor, requiresCode }) => ({ name, capacity, priceMinor, requiresCode })), holdSeconds: actual.holdSeconds,
    limitPerUser: actual.limitPerUser, startsAt: actual.startsAt, salesStart: actual.salesStart, salesEnd: actual.salesEnd, seated: actual.seated,
  }).toEqual({
    id: expected.id, tiers: expected.tiers.map(({ name, capacity, priceMinor, code }) => ({ name, capacity, priceMinor, requiresCode: code !== null })), holdSeconds: expected.holdSeconds, limitPerUser: expected.limit, startsAt: iso(expected.startsAt),
    salesStart: iso(expected.salesStart), salesEnd: iso(model.salesEnd(expected)), seated: expected.venue !== undefined,
  });
}

/** Runs one step on the engine and on the model, and compares their answers. */
export async function runStep(model: ReferenceModel, { tix, clock }: Real, step: Step): Promise<void> {
  switch (step.op) {
    case "create": {
      const when = timesAt(model.now, step);
      const request = { capacity: step.capacity, tiers: step.tiers, holdSeconds: step.hold, limit: step.limit, ...when };
      const predicted = model.predictCreate(step.id, request);
      const real = await attempt(() => tix.events.create({
        id: step.id, name: "Model Show", capacity: step.capacity, tiers: step.tiers, hold: step.hold, limitPerUser: step.limit, ...engineTimes(when),
      }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      const { event, created } = real.value;
      expect(created).toBe(predicted.value.created);
      if (step.id !== undefined) expect(event.id).toBe(step.id);
      else expect(model.event(event.id), "a new event must get a new id").toBeUndefined();
      expectDefinition(event, model.applyEvent({ ...predicted.value.event, id: event.id }), model);
      return;
    }
    case "createSeated": {
      const specs = step.sections.map(specOf);
      if (step.bad) specs.push("Balcony:A:0-3");
      const when = timesAt(model.now, step);
      const predicted = step.bad ? { ok: false as const, code: "INVALID_ARGUMENT" } : model.predictCreateSeated(step.sections, { holdSeconds: step.hold, limit: step.limit, ...when });
      const real = await attempt(() => tix.events.create({ name: "Model Hall", seats: specs, hold: step.hold, limitPerUser: step.limit, ...engineTimes(when) }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expect(real.value.created).toBe(true);
      expect(model.event(real.value.event.id), "a new event must get a new id").toBeUndefined();
      expectDefinition(real.value.event, model.applyEvent({ ...predicted.value, id: real.value.event.id }), model);
      return;
    }
    case "reserveSeats": {
      const event = at(model.events, step.event);
      const seats = event?.venue?.seats ?? [];
      const names = step.seats.map((pick) => {
        const seat = seats[pick % Math.max(1, seats.length)];
        if (!seat) return `A${pick + 1}`;
        return step.short ? `${seat.row.toLowerCase()}${seat.number}` : seat.label;
      });
      if (step.bogus) names.push("Z99");
      return reserve(model, tix, { eventId: event?.id ?? MISSING_EVENT, userId: step.user, key: step.key, seats: names, tier: step.tier === undefined ? undefined : tierOf(event, step.tier), code: step.code }, step);
    }
    case "reserveBest": {
      const event = at(model.events, step.event);
      return reserve(model, tix, {
        eventId: event?.id ?? MISSING_EVENT, userId: step.user, key: step.key, quantity: step.quantity,
        tier: step.tier === undefined ? undefined : tierOf(event, step.tier), allowSplit: step.split, code: step.code,
      }, step);
    }
    case "update": {
      const eventId = at(model.events, step.event)?.id ?? MISSING_EVENT;
      const when = timesAt(model.now, step);
      const predicted = model.predictUpdate(eventId, { capacity: step.capacity, tiers: step.tiers, holdSeconds: step.hold, limit: step.limit, ...when });
      const real = await attempt(() => tix.events.update({
        id: eventId, capacity: step.capacity, tiers: step.tiers, hold: step.hold, limitPerUser: step.limit, ...engineTimes(when),
      }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expectDefinition(real.value.event, model.applyEvent(predicted.value), model);
      return;
    }
    case "reserve": {
      const event = at(model.events, step.event);
      return reserve(model, tix, { eventId: event?.id ?? MISSING_EVENT, userId: step.user, key: step.key, tier: tierOf(event, step.tier), quantity: step.quantity, code: step.code }, step);
    }
    case "replay": {
      // The same request replays; another tier or quantity with the key is another request.
      const binding = recent(model.bindings(), step.binding);
      if (!binding) return;
      const tier = step.vary === "tier" ? (binding.tier === "VIP" ? "GA" : "VIP") : binding.tier;
      const seats = step.vary === "seats" ? [...binding.seats ?? [], "Z99"] : binding.seats;
      const quantity = seats ? seats.length : step.vary === "quantity" ? binding.quantity % 3 + 1 : binding.quantity;
      const allowSplit = step.vary === "split" ? !binding.allowSplit : binding.allowSplit;
      return reserve(model, tix, { eventId: binding.eventId, userId: binding.userId, key: binding.key, tier, quantity, seats, allowSplit }, step);
    }
    case "foreignKey": {
      // Another user sends a key someone else bound: it must never reveal or return their tickets.
      const binding = recent(model.bindings(), step.binding);
      if (!binding) return;
      return reserve(model, tix, {
        eventId: binding.eventId, userId: step.user, key: binding.key, tier: binding.tier, quantity: binding.quantity, seats: binding.seats, allowSplit: binding.allowSplit,
      }, step);
    }
    case "purchase": {
      const ticket = recent(model.tickets, step.ticket);
      const request = { targetId: targetOf(ticket, step.order), userId: actorOf(step.actor, ticket), card: step.card, voucher: step.voucher };
      const predicted = model.predictPurchase(request);
      const real = await attempt(() => tix.tickets.purchase({ ticketId: request.targetId, userId: request.userId, card: CARDS[step.card], voucher: step.voucher }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expectTickets(real.value.tickets, predicted.value, model);
      expect(real.value.orderId).toBe(predicted.value[0]!.orderId);
      model.applyTickets(predicted.value);
      return;
    }
    case "cancel": {
      const ticket = recent(model.tickets, step.ticket);
      const request = { targetId: targetOf(ticket, step.order), userId: actorOf(step.actor, ticket) };
      const predicted = model.predictCancel(request);
      const real = await attempt(() => tix.tickets.cancel({ ticketId: request.targetId, userId: request.userId }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expectTickets(real.value.tickets, predicted.value, model);
      model.applyTickets(predicted.value);
      return;
    }
    case "checkin": {
      const ticket = recent(model.tickets, step.ticket);
      const request = { ticketId: targetOf(ticket, step.order), actor: actorOf(step.actor, ticket) };
      const predicted = model.predictCheckIn(request);
      const real = await attempt(() => tix.tickets.checkIn({ ticketId: request.ticketId, actor: request.actor }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expectTicket(real.value, predicted.value, model);
      model.applyTickets([predicted.value]);
      return;
    }
    case "transfer": {
      const ticket = recent(model.tickets, step.ticket);
      const request = { targetId: targetOf(ticket, step.order), userId: actorOf(step.actor, ticket), to: step.to };
      const predicted = model.predictTransfer(request);
      const real = await attempt(() => tix.tickets.transfer({ ticketId: request.targetId, userId: request.userId, to: request.to }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      const { tickets, orderId, from, leftWaitlist } = real.value;
      expect(from).toBe(request.userId);
      expect(tickets.map((moved) => moved.id)).toEqual(predicted.value.map((moved) => moved.id));
      expect(model.order(orderId), "a transfer makes a new order").toEqual([]);
      expect(leftWaitlist, "a transfer that fills the recipient's limit says they left the waiting list")
        .toBe(model.applyTransfer(predicted.value, request.to, orderId));
      expectTickets(tickets, predicted.value.map((moved) => model.ticket(moved.id)!), model);
      return;
    }
    case "voucher": {
      const eventId = at(model.events, step.event)?.id ?? MISSING_EVENT;
      const request = { eventId, code: step.code, percent: step.percent, amountMinor: step.amount, maxUses: step.maxUses };
      const predicted = model.predictVoucher(request);
      const real = await attempt(() => tix.vouchers.create({
        eventId, code: step.code, percent: step.percent, amount: step.amount === undefined ? undefined : (step.amount / 100).toFixed(2), maxUses: step.maxUses,
      }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expect(real.value).toMatchObject({ eventId, code: predicted.value.code, percent: predicted.value.percent, amountMinor: predicted.value.amountMinor, maxUses: predicted.value.maxUses, uses: 0 });
      model.applyVoucher(predicted.value);
      return;
    }
    case "join": {
      const event = at(model.events, step.event);
      const request = { eventId: event?.id ?? MISSING_EVENT, userId: step.user, tier: tierOf(event, step.tier), code: step.code };
      const predicted = model.predictJoin(request);
      const real = await attempt(() => tix.waitlist.join(request));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expect({ joined: real.value.joined, tier: real.value.entry.tier, userId: real.value.entry.userId })
        .toEqual({ joined: predicted.value.joined, tier: predicted.value.tier, userId: request.userId });
      if (predicted.value.joined) model.applyJoin(request, predicted.value.tier);
      // A free place is given at once: the hold is the one the model promoted (its ids learned here).
      const given = model.pending().find((ticket) => ticket.eventId === request.eventId && ticket.userId === request.userId);
      expect(real.value.ticket?.userId, `${JSON.stringify(step)}: a hold given on joining`).toBe(given?.userId);
      if (given && real.value.ticket) {
        model.adopt(given, real.value.ticket);
        expectTicket(real.value.ticket, given, model);
      }
      return;
    }
    case "leave": {
      const request = { eventId: at(model.events, step.event)?.id ?? MISSING_EVENT, userId: step.user };
      const predicted = model.predictLeave(request);
      const real = await attempt(() => tix.waitlist.leave(request));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      model.applyLeave(request);
      return;
    }
    case "advance":
      model.advance(step.ms);
      clock.advance(step.ms);
      return;
  }
}

/** The step's offsets as times from `now`. */
function timesAt(now: number, step: Times): { startsAt?: number | "none"; salesStart?: number | "none"; salesEnd?: number | "none" } {
  const time = (offset: number | "none" | undefined) => (offset === undefined || offset === "none" ? offset : now + offset);
  return { startsAt: time(step.startsIn), salesStart: time(step.salesFrom), salesEnd: time(step.salesUntil) };
}

/** The same times as the engine takes them: `startsAt: null` removes a start; sales times take "none". */
function engineTimes(when: ReturnType<typeof timesAt>) {
  return { startsAt: when.startsAt === "none" ? null : when.startsAt, salesStart: when.salesStart, salesEnd: when.salesEnd };
}

function tierOf(event: ModelEvent | undefined, tier: TierChoice | undefined): string | undefined {
  return typeof tier === "number" ? (event ? event.tiers[tier % event.tiers.length]!.name : "GA") : tier;
}

function targetOf(ticket: ModelTicket | undefined, order: boolean | undefined): string {
  if (!ticket) return MISSING_TICKET;
  return order ? ticket.orderId : ticket.id;
}

function actorOf(actor: Actor, ticket: ModelTicket | undefined): string {
  return actor === "owner" ? ticket?.userId ?? USERS[0] : actor;
}

async function reserve(model: ReferenceModel, tix: Tix, request: ReserveRequest, step: Step): Promise<void> {
  const predicted = model.predictReserve(request);
  const real = await attempt(() => tix.tickets.reserve(request));
  if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
  const { tickets, orderId, replayed, key } = real.value;
  expect(key).toBe(request.key);
  expect(tickets.every((ticket) => ticket.userId === request.userId), "a key must never return another user's ticket").toBe(true);
  expect(tickets.every((ticket) => ticket.orderId === orderId), "an order's tickets share its id").toBe(true);
  if ("replay" in predicted.value) {
    expect(replayed, `${JSON.stringify(step)}: a live key for the same request replays`).toBe(true);
    expectTickets(tickets, predicted.value.replay, model);
    expect(real.value.blocks, `${JSON.stringify(step)}: the blocks of a replayed order`).toBe(predicted.value.blocks);
    return;
  }
  expect(replayed).toBe(false);
  expect(tickets).toHaveLength(predicted.value.fresh.quantity);
  expect(real.value.blocks, `${JSON.stringify(step)}: the blocks of the seats chosen`).toBe(predicted.value.fresh.blocks);
  for (const ticket of tickets) expect(model.ticket(ticket.id), "a new reservation must get new ticket ids").toBeUndefined();
  expect(model.order(orderId), "a new reservation must get a new order id").toEqual([]);
  expectTickets(tickets, model.applyReserve({ ticketIds: tickets.map((ticket) => ticket.id), orderId }, request), model);
}

/**
 * Holds the engine gave to waiting users (after a cancel, an expiry, a capacity raise) get their
 * ids from the engine: each must be exactly one new ticket of that user and event.
 */
async function adoptPromotions(model: ReferenceModel, tix: Tix): Promise<void> {
  const pending = model.pending();
  if (pending.length === 0) return;
  const unknown = (await tix.tickets.list({})).filter((ticket) => !model.ticket(ticket.id));
  const describe = (tickets: ReadonlyArray<{ eventId: string; userId: string; tier: string }>) =>
    tickets.map(({ eventId, userId, tier }) => `${eventId}/${tier}/${userId}`).sort();
  expect(describe(unknown), "holds given to waiting users").toEqual(describe(pending));
  for (const ticket of pending) {
    const real = unknown.find((candidate) => candidate.eventId === ticket.eventId && candidate.userId === ticket.userId)!;
    model.adopt(ticket, real);
  }
}

/**
 * The invariants, read back from the store after every step: per tier held + sold ≤ capacity and
 * the counts equal the tickets' statuses; the event's totals are its tiers' sums; every event,
 * ticket and waiting list is as the model says; nobody waits for a tier with a free place; a
 * waiting user could take the place they wait for; each (user, key) maps to at most one order,
 * that user's own, and only while the key is retained; the audit log alone rebuilds every tier's
 * capacity, held and sold.
 */
export async function checkInvariants(model: ReferenceModel, { tix }: Real): Promise<void> {
  await adoptPromotions(model, tix);
  const events = await tix.events.list();
  expect(events.map((event) => event.id)).toEqual(model.events.map((event) => event.id));
  const log = await tix.log.list();
  // docs/box-office.md: no output shows an access code (`requiresCode` says there is one).
  const shown = JSON.stringify({ events, log });
  for (const code of ACCESS_CODES) expect(shown.includes(code), `an event or the audit log shows the access code ${code}`).toBe(false);
  for (const event of events) {
    const tickets = await tix.tickets.list({ eventId: event.id });
    const count = (tier: string, status: string) => tickets.filter((ticket) => ticket.tier === tier && ticket.status === status).length;
    const sum = (field: "capacity" | "held" | "sold") => event.tiers.reduce((total, tier) => total + tier[field], 0);
    for (const tier of event.tiers) {
      expect(tier.held + tier.sold, `event ${event.id} tier ${tier.name} is oversold`).toBeLessThanOrEqual(tier.capacity);
      expect({ held: tier.held, sold: tier.sold }, `event ${event.id} tier ${tier.name}: counts vs its tickets`)
        .toEqual({ held: count(tier.name, "reserved"), sold: count(tier.name, "purchased") });
      expect(tier.available).toBe(tier.capacity - tier.held - tier.sold);
    }
    expect({ capacity: event.capacity, held: event.held, sold: event.sold, priceMinor: event.priceMinor }, `event ${event.id}: totals vs its tiers`)
      .toEqual({ capacity: sum("capacity"), held: sum("held"), sold: sum("sold"), priceMinor: Math.min(...event.tiers.map((tier) => tier.priceMinor)) });
    expect(event.available).toBe(event.capacity - event.held - event.sold);
    const expected = model.event(event.id)!;
    expectDefinition(event, expected, model);
    expect(event.tiers.map(({ name, held, sold }) => ({ name, held, sold })), `event ${event.id} vs the model`)
      .toEqual(expected.tiers.map(({ name }) => ({ name, held: model.held(event.id, name), sold: model.sold(event.id, name) })));

    const line = await tix.waitlist.show(event.id);
    expect(line.map(({ userId, tier, joinedAt, position }) => ({ userId, tier, joinedAt, position })), `waiting list of ${event.id}`)
      .toEqual(model.line(event.id).map(({ userId, tier, joinedAt }, index) => ({ userId, tier, joinedAt: iso(joinedAt), position: index + 1 })));
    for (const entry of line) {
      const tier = event.tiers.find((candidate) => candidate.name === entry.tier)!;
      // The waiting list closes with sales: a place freed after they closed is given to nobody.
      if (model.onSale(expected)) expect(tier.available, `${entry.userId} waits for ${event.id}/${tier.name}, which has a free place`).toBe(0);
      // Joining is refused as a reservation would be, reserving leaves the line, and a changed
      // limit takes off the line whom it refuses: a waiting user holds nothing (no limit) or is below it.
      const mine = tickets.filter((ticket) => ticket.userId === entry.userId);
      const live = mine.filter((ticket) => ticket.status === "reserved").length;
      if (event.limitPerUser === null) expect(live, `${entry.userId} waits for ${event.id} while holding a ticket`).toBe(0);
      else expect(live + mine.filter((ticket) => ticket.status === "purchased").length, `${entry.userId} waits for ${event.id} at the limit`).toBeLessThan(event.limitPerUser);
    }

    if (expected.venue) {
      // docs/seating.md: each seat is held or sold by at most one live ticket; the stored states
      // are the live tickets' seats (held ↔ reserved and unexpired, sold ↔ purchased).
      const live = tickets.filter((ticket) => ticket.status === "reserved" || ticket.status === "purchased");
      const seatsOf = live.map((ticket) => ticket.seat);
      expect(new Set(seatsOf).size, `event ${event.id}: a seat on two live tickets`).toBe(seatsOf.length);
      expect(seatsOf.every((seat) => seat !== null), `event ${event.id}: a live ticket without a seat`).toBe(true);
      const { seats: view } = await tix.events.seats({ eventId: event.id });
      const states = Object.fromEntries(view.sections.flatMap((section) => section.rows.flatMap((row) => row.seats.map((seat) => [seat.seat, seat.state]))));
      const want = Object.fromEntries(expected.venue.seats.map((seat) => {
        const holder = live.find((ticket) => ticket.seat === seat.label);
        return [seat.label, holder ? (holder.status === "reserved" ? "held" : "sold") : "free"];
      }));
      expect(states, `event ${event.id}: the stored seats vs the live tickets`).toEqual(want);
      expect({ free: view.free, held: view.held, sold: view.sold }).toEqual({ free: event.available, held: event.held, sold: event.sold });
    }

    const rebuilt = rebuildCounts(log.filter((entry) => entry.eventId === event.id));
    expect(rebuilt, `event ${event.id}: the audit log rebuilds its tiers`)
      .toEqual(Object.fromEntries(event.tiers.map((tier) => [tier.name, { capacity: tier.capacity, held: tier.held, sold: tier.sold }])));
  }

  const tickets = await tix.tickets.list({});
  expect(tickets.map((ticket) => ticket.id).sort()).toEqual(model.tickets.map((ticket) => ticket.id).sort());
  for (const ticket of tickets) expectTicket(ticket, model.ticket(ticket.id)!, model);

  // A voucher's uses are the tickets bought with it and not refunded, never more than its maximum.
  const vouchers = await tix.vouchers.list();
  expect(vouchers.map(({ eventId, code, uses, maxUses }) => ({ eventId, code, uses, maxUses })))
    .toEqual(model.vouchers.map(({ eventId, code, uses, maxUses }) => ({ eventId, code, uses, maxUses })));
  for (const voucher of vouchers) {
    const redeemed = tickets.filter((ticket) => ticket.eventId === voucher.eventId && ticket.voucher === voucher.code && ticket.status === "purchased");
    expect(voucher.uses, `voucher ${voucher.eventId}/${voucher.code}: uses vs the tickets bought with it`).toBe(redeemed.length);
    if (voucher.maxUses !== null) expect(voucher.uses).toBeLessThanOrEqual(voucher.maxUses);
  }

  for (const userId of USERS) {
    for (const key of KEYS) {
      const binding = model.liveBinding(userId, key);
      const found = await tix.idempotency.lookup({ userId, key });
      // A key whose order was transferred away whole answers nothing.
      if (!binding || model.order(binding.orderId).length === 0) {
        expect(found, `key (${userId}, ${key}) should be unbound`).toBeUndefined();
        continue;
      }
      expect(found?.orderId, `key (${userId}, ${key})`).toBe(binding.orderId);
      expect(found?.tickets.map((ticket) => ticket.id)).toEqual(model.order(binding.orderId).map((ticket) => ticket.id));
      expect(found?.tickets.every((ticket) => ticket.userId === userId)).toBe(true);
      expect(found?.boundAt).toBe(iso(binding.boundAt));
    }
  }
}

/**
 * The fast-check command for a step. Indices resolve against the model; a step about events, tickets
 * or keys waits until there are some (unless it asks for a missing one), so that runs spend their
 * steps on states worth checking.
 */
export class StepCommand implements fc.AsyncCommand<ReferenceModel, Real> {
  constructor(readonly step: Step) {}

  check(model: Readonly<ReferenceModel>): boolean {
    switch (this.step.op) {
      case "purchase":
      case "cancel":
      case "checkin":
      case "transfer":
        return this.step.ticket < 0 || model.tickets.length > 0;
      case "replay":
      case "foreignKey":
        return model.keys.size > 0;
      case "update":
      case "reserve":
      case "reserveSeats":
      case "reserveBest":
      case "join":
      case "leave":
      case "voucher":
        return this.step.event < 0 || model.events.length > 0;
      default:
        return true;
    }
  }

  async run(model: ReferenceModel, real: Real): Promise<void> {
    await runStep(model, real, this.step);
    await checkInvariants(model, real);
  }

  toString(): string {
    return JSON.stringify(this.step);
  }
}

export const commandArbitraries = stepArbitraries.map((arbitrary) => arbitrary.map((step) => new StepCommand(step)));
