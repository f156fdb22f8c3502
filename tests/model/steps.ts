import fc from "fast-check";
import { expect } from "vitest";
import type { ManualClock } from "../../src/core/index.js";
import type { Tix } from "../../src/engine/open-tix.js";
import { CARDS, type CardKind, type ModelTicket, type Prediction, type ReferenceModel } from "./reference-model.js";

/**
 * One step of a model-based run, as plain data: fast-check prints a failing sequence as these
 * objects, which can be pasted as they are into regressions.ts. Events, tickets and bindings are
 * chosen by index into what the model knows at that moment (modulo its size; tickets and bindings
 * counted from the newest), so a sequence stays
 * meaningful while fast-check shrinks it; an index into an empty list means "an id that does not exist".
 */
export type Step =
  | { op: "create"; capacity: number; hold?: number; id?: string }
  | { op: "update"; event: number; capacity?: number; hold?: number }
  | { op: "reserve"; event: number; user: string; key: string }
  | { op: "replay"; binding: number }
  | { op: "foreignKey"; binding: number; user: string }
  | { op: "purchase"; ticket: number; actor: Actor; card: CardKind }
  | { op: "cancel"; ticket: number; actor: Actor }
  | { op: "advance"; ms: number };

/** Who acts on a ticket: its owner, or someone named (maybe the owner, maybe not, maybe invalid). */
export type Actor = "owner" | string;

export interface Real {
  tix: Tix;
  clock: ManualClock;
}

export const USERS = ["alice", "bob", "carol"] as const;
export const KEYS = ["k1", "k2", "order-1001"] as const;
const CHOSEN_IDS = ["evt_a", "evt_b"] as const;
const MISSING_EVENT = "evt_missing";
const MISSING_TICKET = "tkt_missing";

// ---- generation ----

const eventIndex = fc.nat({ max: 7 });
const hold = fc.constantFrom(1, 30, 600, 2 * 86_400);
const capacity = fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5) });
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

export const stepArbitraries: ReadonlyArray<fc.Arbitrary<Step>> = [
  fc.record({ op: fc.constant("create" as const), capacity, hold: fc.option(hold, { nil: undefined }), id: fc.option(fc.constantFrom<string>(...CHOSEN_IDS), { nil: undefined }) }, { requiredKeys: ["op", "capacity"] }),
  fc.record({ op: fc.constant("update" as const), event: eventIndex, capacity: fc.option(capacity, { nil: undefined }), hold: fc.option(hold, { nil: undefined }) }, { requiredKeys: ["op", "event"] }),
  fc.record({ op: fc.constant("reserve" as const), event: eventIndex, user: anyUser, key }),
  fc.record({ op: fc.constant("reserve" as const), event: eventIndex, user, key: fc.constantFrom<string>(...KEYS) }),
  fc.record({ op: fc.constant("replay" as const), binding: fc.nat({ max: 15 }) }),
  fc.record({ op: fc.constant("foreignKey" as const), binding: fc.nat({ max: 15 }), user }),
  fc.record({ op: fc.constant("purchase" as const), ticket: pick, actor, card }),
  fc.record({ op: fc.constant("purchase" as const), ticket: pick, actor, card }),
  fc.record({ op: fc.constant("cancel" as const), ticket: pick, actor }),
  fc.record({ op: fc.constant("advance" as const), ms: advanceMs }),
];

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
function expectSameOutcome<T>(step: Step, real: Outcome<unknown>, predicted: Prediction<T>): real is { ok: true; value: never } {
  const describe = (outcome: Outcome<unknown> | Prediction<T>) => (outcome.ok ? "success" : outcome.code);
  const detail = real.ok ? "" : ` (${real.message})`;
  expect(describe(real), `${JSON.stringify(step)} answered ${describe(real)}${detail}, the model expected ${describe(predicted)}`).toBe(describe(predicted));
  return real.ok;
}

const at = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);
/** Tickets and bindings are counted from the newest: small indices (fast-check's bias) pick live ones. */
const recent = <T>(items: readonly T[], index: number): T | undefined =>
  (items.length === 0 || index < 0 ? undefined : items[items.length - 1 - (index % items.length)]);
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

function expectTicket(actual: { id: string; status: string }, expected: ModelTicket, model: ReferenceModel): void {
  expect(actual).toMatchObject({
    id: expected.id,
    eventId: expected.eventId,
    userId: expected.userId,
    status: model.status(expected),
    reservedAt: iso(expected.reservedAt),
    expiresAt: iso(expected.expiresAt),
    purchasedAt: iso(expected.purchasedAt),
    cancelledAt: iso(expected.cancelledAt),
    cardLast4: expected.cardLast4,
  });
}

/** Runs one step on the engine and on the model, and compares their answers. */
export async function runStep(model: ReferenceModel, { tix, clock }: Real, step: Step): Promise<void> {
  switch (step.op) {
    case "create": {
      const predicted = model.predictCreate({ id: step.id, capacity: step.capacity, holdSeconds: step.hold });
      const real = await attempt(() => tix.events.create({
        id: step.id, name: "Model Show", capacity: step.capacity, hold: step.hold,
      }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      const { event, created } = real.value as Awaited<ReturnType<Tix["events"]["create"]>>;
      expect(created).toBe(predicted.value === "created");
      if (step.id !== undefined) expect(event.id).toBe(step.id);
      else expect(model.event(event.id), "a new event must get a new id").toBeUndefined();
      model.applyCreate(event.id, { capacity: step.capacity, holdSeconds: step.hold });
      return;
    }
    case "update": {
      const eventId = at(model.events, step.event)?.id ?? MISSING_EVENT;
      const patch = { capacity: step.capacity, holdSeconds: step.hold };
      const predicted = model.predictUpdate(eventId, patch);
      const real = await attempt(() => tix.events.update(eventId, { capacity: step.capacity, hold: step.hold }));
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expect(real.value).toMatchObject({ id: eventId, capacity: predicted.value.capacity, holdSeconds: predicted.value.holdSeconds });
      model.applyUpdate(predicted.value);
      return;
    }
    case "reserve":
      return reserve(model, tix, { eventId: at(model.events, step.event)?.id ?? MISSING_EVENT, userId: step.user, key: step.key }, step);
    case "replay": {
      const binding = recent(model.bindings(), step.binding);
      if (!binding) return;
      return reserve(model, tix, { eventId: binding.eventId, userId: binding.userId, key: binding.key }, step);
    }
    case "foreignKey": {
      // Another user sends a key someone else bound: it must never reveal or return their ticket.
      const binding = recent(model.bindings(), step.binding);
      if (!binding) return;
      return reserve(model, tix, { eventId: binding.eventId, userId: step.user, key: binding.key }, step);
    }
    case "purchase": {
      const ticket = recent(model.tickets, step.ticket);
      const request = { ticketId: ticket?.id ?? MISSING_TICKET, userId: actorOf(step.actor, ticket), card: step.card };
      const predicted = model.predictPurchase(request);
      const real = await attempt(async () => (await tix.tickets.purchase({ ...request, card: CARDS[step.card] })).ticket);
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expectTicket(real.value, predicted.value, model);
      model.applyTicket(predicted.value);
      return;
    }
    case "cancel": {
      const ticket = recent(model.tickets, step.ticket);
      const request = { ticketId: ticket?.id ?? MISSING_TICKET, userId: actorOf(step.actor, ticket) };
      const predicted = model.predictCancel(request);
      const real = await attempt(async () => (await tix.tickets.cancel(request)).ticket);
      if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
      expectTicket(real.value, predicted.value, model);
      model.applyTicket(predicted.value);
      return;
    }
    case "advance":
      model.advance(step.ms);
      clock.advance(step.ms);
      return;
  }
}

function actorOf(actor: Actor, ticket: ModelTicket | undefined): string {
  return actor === "owner" ? ticket?.userId ?? USERS[0] : actor;
}

async function reserve(model: ReferenceModel, tix: Tix, request: { eventId: string; userId: string; key: string }, step: Step): Promise<void> {
  const predicted = model.predictReserve(request);
  const real = await attempt(() => tix.tickets.reserve(request));
  if (!expectSameOutcome(step, real, predicted) || !predicted.ok) return;
  const { ticket, replayed, key } = real.value as Awaited<ReturnType<Tix["tickets"]["reserve"]>>;
  expect(key).toBe(request.key);
  expect(ticket.userId, "a key must never return another user's ticket").toBe(request.userId);
  if ("replay" in predicted.value) {
    expect(replayed, `${JSON.stringify(step)}: a live key for the same event replays`).toBe(true);
    expectTicket(ticket, predicted.value.replay, model);
    return;
  }
  expect(replayed).toBe(false);
  expect(model.ticket(ticket.id), "a new reservation must get a new ticket id").toBeUndefined();
  expectTicket(ticket, model.applyReserve(ticket.id, request), model);
}

/**
 * The invariants, read back from the store after every step: held + sold ≤ capacity; each
 * event's counts equal its tickets' statuses; every ticket is as the model says; each (user, key)
 * maps to at most one ticket, that user's own, and only while the key is retained.
 */
export async function checkInvariants(model: ReferenceModel, { tix }: Real): Promise<void> {
  const events = await tix.events.list();
  expect(events.map((event) => event.id)).toEqual(model.events.map((event) => event.id));
  for (const event of events) {
    const tickets = await tix.tickets.list({ eventId: event.id });
    const count = (status: string) => tickets.filter((ticket) => ticket.status === status).length;
    expect(event.held + event.sold, `event ${event.id} is oversold`).toBeLessThanOrEqual(event.capacity);
    expect({ held: event.held, sold: event.sold }, `event ${event.id}: counts vs its tickets`).toEqual({ held: count("reserved"), sold: count("purchased") });
    expect(event.available).toBe(event.capacity - event.held - event.sold);
    const expected = model.event(event.id)!;
    expect({ capacity: event.capacity, holdSeconds: event.holdSeconds, held: event.held, sold: event.sold }, `event ${event.id} vs the model`)
      .toEqual({ capacity: expected.capacity, holdSeconds: expected.holdSeconds, held: model.held(event.id), sold: model.sold(event.id) });
  }

  const tickets = await tix.tickets.list({});
  expect(tickets.map((ticket) => ticket.id).sort()).toEqual(model.tickets.map((ticket) => ticket.id).sort());
  for (const ticket of tickets) expectTicket(ticket, model.ticket(ticket.id)!, model);

  for (const userId of USERS) {
    for (const key of KEYS) {
      const binding = model.liveBinding(userId, key);
      const found = await tix.idempotency.lookup(userId, key);
      if (!binding) {
        expect(found, `key (${userId}, ${key}) should be unbound`).toBeUndefined();
        continue;
      }
      expect(found?.ticket.id, `key (${userId}, ${key})`).toBe(binding.ticketId);
      expect(found?.ticket.userId).toBe(userId);
      expect(found?.boundAt).toBe(iso(binding.boundAt));
    }
  }
}

/**
 * The fast-check command for a step. Indices resolve against the model; a step about tickets or
 * keys waits until there are some (unless it asks for a missing one), so that runs spend their
 * steps on states worth checking.
 */
export class StepCommand implements fc.AsyncCommand<ReferenceModel, Real> {
  constructor(readonly step: Step) {}

  check(model: Readonly<ReferenceModel>): boolean {
    switch (this.step.op) {
      case "purchase":
      case "cancel":
        return this.step.ticket < 0 || model.tickets.length > 0;
      case "replay":
      case "foreignKey":
        return model.keys.size > 0;
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
