/**
 * A small reference model of the contract's rules, written from the contract and README alone.
 * It deliberately imports nothing from src/: if it shared the engine's code, comparing the two
 * would prove nothing. Times are epoch milliseconds; money is integer cents; ids are the real
 * engine's (learned from its answers), so model and engine can be compared entity by entity.
 *
 * It knows the box office too: tiers (each with its capacity and price), orders (`--quantity`,
 * all or none), the per-user limit, the waiting list with its promotions, and check-in; and the
 * second round: sales windows by the clock, access codes, vouchers and their uses, transfers.
 */

import { bestBlock, bestSplit, buildVenue, countBlocks, largestRun, resolveSeat, venueTiers, type ModelSeat, type ModelVenue, type VenueSection } from "./reference-seating.js";

export const MODEL_START = Date.UTC(2025, 4, 1, 12, 0, 0);
/** Contract: keys are kept at least 24 h; the README says "kept 24 hours, then forgotten". */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** README: default hold `10m`. */
export const DEFAULT_HOLD_SECONDS = 600;
/** README: an event made with `--capacity`/`--price` has one tier, `GA`. */
export const DEFAULT_TIER = "GA";
/** README: `reserve --quantity N` (1–50). */
export const MAX_QUANTITY = 50;

export interface ModelTier {
  name: string;
  capacity: number;
  priceMinor: number;
  /** docs/box-office.md: the tier's access code (kept upper-case), or null: none needed. */
  code: string | null;
}

/** A tier as a spec writes it: its code left out (kept as it is; a new tier: none), a code, or null (removed). */
type TierSpec = Omit<ModelTier, "code"> & { code?: string | null };

/**
 * README: on an update a tier written `NAME:PRICE` (one value) is a seated event's tier price; a
 * general-admission event refuses it. Its capacity is the tier's own; a bad price (NaN) is refused
 * once the event is found, as any price on an update.
 */
type UpdateTierSpec = TierSpec & { oneValue?: true };

export interface ModelEvent {
  id: string;
  tiers: ModelTier[];
  holdSeconds: number;
  /** Tickets one user may hold and own; null: one hold at a time. */
  limit: number | null;
  /** README: an event sells from its sales start (none: at once) until its sales end (none: when it starts). */
  startsAt: number | null;
  salesStart: number | null;
  salesEnd: number | null;
  /** docs/seating.md: a seated event's seats; each tier's capacity is its seats. */
  venue?: ModelVenue | undefined;
}

/** README: `voucher create --percent N | --amount A [--max-uses N]`; codes in any case. */
export interface ModelVoucher {
  eventId: string;
  code: string;
  percent: number | null;
  amountMinor: number | null;
  maxUses: number | null;
  uses: number;
}

export type StoredStatus = "reserved" | "purchased" | "cancelled" | "expired";
export type Status = StoredStatus;

export interface ModelTicket {
  /** Empty while a promotion's ticket waits to learn its id from the engine (see `adopt`). */
  id: string;
  eventId: string;
  tier: string;
  orderId: string;
  userId: string;
  status: StoredStatus;
  reservedAt: number;
  expiresAt: number;
  purchasedAt: number | null;
  cancelledAt: number | null;
  checkedInAt: number | null;
  /** What it costs: the tier's price, less the voucher's discount once bought with one. */
  priceMinor: number;
  cardLast4: string | null;
  voucher: string | null;
  discountMinor: number;
  /** The seat's name on a seated event; null for general admission. */
  seat: string | null;
}

export interface ModelBinding {
  userId: string;
  key: string;
  eventId: string;
  /** The tier the request resolved to and the quantity: the key's fingerprint. */
  tier: string;
  quantity: number;
  /** docs/seating.md: a seated request's seats by their names in the map, sorted; or a split allowed. */
  seats: string[] | undefined;
  allowSplit: boolean;
  orderId: string;
  boundAt: number;
}

export interface ModelWaiting {
  eventId: string;
  userId: string;
  tier: string;
  joinedAt: number;
}

/** What the model expects an operation to answer. */
export type Prediction<T> = { ok: true; value: T } | { ok: false; code: string };

const ok = <T>(value: T): Prediction<T> => ({ ok: true, value });
const fail = <T>(code: string): Prediction<T> => ({ ok: false, code });

/** Payment cards by what the contract says they do. */
export type CardKind = "default" | "approved" | "declined" | "luhn" | "malformed";

export const CARDS: Readonly<Record<CardKind, string | undefined>> = {
  default: undefined, // 4242424242424242
  approved: "5555 5555 5555 4444",
  declined: "4000000000000002",
  luhn: "4242424242424241",
  malformed: "4242-42",
};

/** An event definition as `event create` / `event update` give it. */
export interface EventRequest {
  capacity?: number | undefined;
  /** `NAME:CAPACITY:PRICE` texts, each maybe with `,code=CODE` (`none`: removed). */
  tiers?: readonly string[] | undefined;
  holdSeconds?: number | undefined;
  /** A number, or "none" (update only: restores the one-hold rule). */
  limit?: number | "none" | undefined;
  /** Times (epoch ms), or "none": the default. */
  startsAt?: number | "none" | undefined;
  salesStart?: number | "none" | undefined;
  salesEnd?: number | "none" | undefined;
}

export interface ReserveRequest {
  eventId: string;
  userId: string;
  key: string;
  tier?: string | undefined;
  quantity?: number | undefined;
  /** Seated events: these seats, all or none. */
  seats?: string[] | undefined;
  /** Seated events: best available may seat the order apart. */
  allowSplit?: boolean | undefined;
  /** docs/box-office.md: the access code of a tier that needs one (any case). */
  code?: string | undefined;
}

/** What a fresh reservation takes: a tier's places, or seats (each in its own tier). */
export interface FreshReservation {
  event: ModelEvent;
  tier: ModelTier;
  quantity: number;
  /** Seated events: the seats chosen, in the order the tickets are made, and the blocks they make. */
  seats?: ModelSeat[];
  blocks?: number;
}

export class ReferenceModel {
  now = MODEL_START;
  readonly events: ModelEvent[] = [];
  readonly tickets: ModelTicket[] = [];
  /** `${user}\u0000${key}` → the binding (live or not: liveness is computed from `now`). */
  readonly keys = new Map<string, ModelBinding>();
  /** Every event's line, first come first served (one place per user and event). */
  readonly waiting: ModelWaiting[] = [];
  readonly vouchers: ModelVoucher[] = [];

  event(id: string): ModelEvent | undefined {
    return this.events.find((event) => event.id === id);
  }

  ticket(id: string): ModelTicket | undefined {
    return this.tickets.find((ticket) => ticket.id === id);
  }

  order(orderId: string): ModelTicket[] {
    return this.tickets.filter((ticket) => ticket.orderId === orderId);
  }

  /** The contract: a reserved ticket whose expiresAt has passed counts as expired (`now >= expiresAt`). */
  status(ticket: ModelTicket): Status {
    return ticket.status === "reserved" && this.now >= ticket.expiresAt ? "expired" : ticket.status;
  }

  private count(eventId: string, tier: string | undefined, status: Status): number {
    return this.tickets.filter((ticket) =>
      ticket.eventId === eventId && (tier === undefined || ticket.tier === tier) && this.status(ticket) === status).length;
  }

  held(eventId: string, tier?: string): number {
    return this.count(eventId, tier, "reserved");
  }

  sold(eventId: string, tier?: string): number {
    return this.count(eventId, tier, "purchased");
  }

  free(event: ModelEvent, tier: ModelTier): number {
    return tier.capacity - this.held(event.id, tier.name) - this.sold(event.id, tier.name);
  }

  /** What a user has for an event: live holds, and holds plus purchases (what the limit counts). */
  standing(eventId: string, userId: string): { liveHolds: number; committed: number } {
    const mine = this.tickets.filter((ticket) => ticket.eventId === eventId && ticket.userId === userId);
    const liveHolds = mine.filter((ticket) => this.status(ticket) === "reserved").length;
    return { liveHolds, committed: liveHolds + mine.filter((ticket) => ticket.status === "purchased").length };
  }

  /** docs/seating.md: a seat is taken while a live ticket (held and unexpired, or purchased) has it. */
  takenSeats(eventId: string): Set<string> {
    return new Set(this.tickets.filter((ticket) =>
      ticket.eventId === eventId && ticket.seat !== null && ["reserved", "purchased"].includes(this.status(ticket))).map((ticket) => ticket.seat!));
  }

  line(eventId: string): ModelWaiting[] {
    return this.waiting.filter((entry) => entry.eventId === eventId);
  }

  liveBinding(userId: string, key: string): ModelBinding | undefined {
    const binding = this.keys.get(`${userId}\u0000${key}`);
    return binding && this.now - binding.boundAt < KEY_RETENTION_MS ? binding : undefined;
  }

  bindings(): ModelBinding[] {
    return [...this.keys.values()];
  }

  /** Time passes; holds due by now stop holding their place, which goes to the first waiting user of the tier. */
  advance(ms: number): void {
    this.now += ms;
    const touched = new Set<string>();
    for (const ticket of this.tickets) {
      if (ticket.status === "reserved" && this.now >= ticket.expiresAt) {
        ticket.status = "expired";
        touched.add(ticket.eventId);
      }
    }
    for (const eventId of touched) this.promote(this.event(eventId)!);
  }

  /**
   * README: whenever a place is released (a hold expires, a ticket is cancelled, capacity is
   * raised) or a user joins while a place is free, waiting users are given holds, in line order,
   * each in the tier they wait for, with the event's normal hold time. The hold's ids are the
   * engine's: `adopt` learns them after the step.
   */
  private promote(event: ModelEvent): void {
    // README: the waiting list closes with sales.
    if (!this.onSale(event)) return;
    for (const entry of this.line(event.id)) {
      const tier = event.tiers.find((candidate) => candidate.name === entry.tier);
      if (!tier || this.free(event, tier) <= 0) continue;
      // docs/seating.md: on a seated event, the best available single seat of the tier.
      const seat = event.venue ? bestBlock(event.venue, this.takenSeats(event.id), tier.name, 1)![0]!.label : null;
      this.tickets.push(this.newHold(event, tier, entry.userId, "", "", seat));
      this.leave(event.id, entry.userId);
    }
  }

  /** Promotions whose ids the engine has not told yet. */
  pending(): ModelTicket[] {
    return this.tickets.filter((ticket) => ticket.id === "");
  }

  /** Gives a promotion's hold the ids the engine chose. */
  adopt(ticket: ModelTicket, ids: { id: string; orderId: string }): void {
    ticket.id = ids.id;
    ticket.orderId = ids.orderId;
  }

  private newHold(event: ModelEvent, tier: ModelTier, userId: string, id: string, orderId: string, seat: string | null = null): ModelTicket {
    return {
      id, eventId: event.id, tier: tier.name, orderId, userId, status: "reserved", reservedAt: this.now,
      expiresAt: this.now + event.holdSeconds * 1000, purchasedAt: null, cancelledAt: null, checkedInAt: null,
      priceMinor: tier.priceMinor, cardLast4: null, voucher: null, discountMinor: 0, seat,
    };
  }

  /**
   * README: sales open at the sales start (none: at once) and close at the sales end, by default
   * when the event starts, and never run past the start; an event without either never closes.
   */
  salesEnd(event: Pick<ModelEvent, "startsAt" | "salesEnd">): number | null {
    if (event.salesEnd === null) return event.startsAt;
    return event.startsAt === null ? event.salesEnd : Math.min(event.salesEnd, event.startsAt);
  }

  onSale(event: ModelEvent): boolean {
    const end = this.salesEnd(event);
    return (event.salesStart === null || this.now >= event.salesStart) && (end === null || this.now < end);
  }

  /** README: a window whose start is not before its end could never open: INVALID_ARGUMENT. */
  private emptyWindow(event: Pick<ModelEvent, "startsAt" | "salesStart" | "salesEnd">): boolean {
    const end = this.salesEnd(event);
    return event.salesStart !== null && end !== null && event.salesStart >= end;
  }

  voucher(eventId: string, code: string): ModelVoucher | undefined {
    return this.vouchers.find((voucher) => voucher.eventId === eventId && voucher.code === code.toUpperCase());
  }

  private leave(eventId: string, userId: string): void {
    const index = this.waiting.findIndex((entry) => entry.eventId === eventId && entry.userId === userId);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  // ---- events ----

  /**
   * `event create` with an optional chosen id: a new event, or — for an existing id — the whole
   * definition applied as an update (fields left out take their defaults, as on creation).
   */
  predictCreate(id: string | undefined, request: EventRequest): Prediction<{ created: boolean; event: ModelEvent }> {
    const specs = request.tiers !== undefined && request.tiers.length > 0 ? parseTierSpecs(request.tiers) : undefined;
    if (specs === null) return fail("INVALID_ARGUMENT");
    if (bothTimesOutOfOrder(request)) return fail("INVALID_ARGUMENT");
    if (request.capacity !== undefined && !validCapacity(request.capacity)) return fail("INVALID_ARGUMENT");
    if (request.limit !== undefined && !validLimit(request.limit)) return fail("INVALID_ARGUMENT");
    if (!specs && request.capacity === undefined) return fail("INVALID_ARGUMENT");
    if (specs && request.capacity !== undefined && request.capacity !== specs.reduce((sum, tier) => sum + tier.capacity, 0)) {
      return fail("INVALID_ARGUMENT");
    }
    const limit = request.limit === undefined || request.limit === "none" ? null : request.limit;
    const existing = id === undefined ? undefined : this.event(id);
    if (!existing) {
      const tiers = specs?.map((spec) => ({ ...spec, code: spec.code ?? null })) ?? [{ name: DEFAULT_TIER, capacity: request.capacity!, priceMinor: 0, code: null }];
      const event = { id: id ?? "", tiers, holdSeconds: request.holdSeconds ?? DEFAULT_HOLD_SECONDS, limit, ...windowOf(request, undefined) };
      return this.emptyWindow(event) ? fail("INVALID_ARGUMENT") : ok({ created: true, event });
    }
    // README: on an existing id, fields not given keep their values. Without tiers, --capacity is
    // the only tier's (its price kept).
    const changes = specs ?? [{ name: "", capacity: request.capacity!, priceMinor: existing.tiers[0]!.priceMinor }];
    const updated = this.updateTiers(existing, changes, !specs);
    if (!updated.ok) return updated;
    const keptLimit = request.limit === undefined ? existing.limit : limit;
    const event = { ...existing, tiers: updated.value, holdSeconds: request.holdSeconds ?? existing.holdSeconds, limit: keptLimit, ...windowOf(request, existing) };
    return this.emptyWindow(event) ? fail("INVALID_ARGUMENT") : ok({ created: false, event });
  }

  /** docs/seating.md: a new seated event; its tiers are its sections' (prices 0 unless given), capacity its seats. */
  predictCreateSeated(sections: readonly VenueSection[], request: EventRequest): Prediction<ModelEvent> {
    if (request.limit !== undefined && !validLimit(request.limit)) return fail("INVALID_ARGUMENT");
    if (bothTimesOutOfOrder(request)) return fail("INVALID_ARGUMENT");
    const names = sections.map((section) => section.name.toLowerCase());
    if (new Set(names).size !== names.length || sections.some((section) => section.seats < 1 || section.rows < 1)) return fail("INVALID_ARGUMENT");
    const venue = buildVenue(sections);
    const tiers = venueTiers(venue).map((tier) => ({ ...tier, priceMinor: 0, code: null }));
    const limit = request.limit === undefined || request.limit === "none" ? null : request.limit;
    // README: a seated event keeps the same sales window as any other.
    const event = { id: "", tiers, holdSeconds: request.holdSeconds ?? DEFAULT_HOLD_SECONDS, limit, venue, ...windowOf(request, undefined) };
    return this.emptyWindow(event) ? fail("INVALID_ARGUMENT") : ok(event);
  }

  predictUpdate(eventId: string, patch: EventRequest): Prediction<ModelEvent> {
    const specs: UpdateTierSpec[] | null | undefined = patch.tiers !== undefined && patch.tiers.length > 0 ? parseTierSpecs(patch.tiers, true) : undefined;
    if (specs === null) return fail("INVALID_ARGUMENT");
    if (patch.capacity !== undefined && !validCapacity(patch.capacity)) return fail("INVALID_ARGUMENT");
    if (patch.limit !== undefined && !validLimit(patch.limit)) return fail("INVALID_ARGUMENT");
    if (bothTimesOutOfOrder(patch)) return fail("INVALID_ARGUMENT");
    const times = [patch.startsAt, patch.salesStart, patch.salesEnd];
    if (patch.capacity === undefined && patch.holdSeconds === undefined && !specs && patch.limit === undefined && times.every((time) => time === undefined)) {
      return fail("INVALID_ARGUMENT");
    }
    const event = this.event(eventId);
    if (!event) return fail("EVENT_NOT_FOUND");
    if (event.venue) {
      // docs/seating.md: a seated event's capacities are its map's; an update may only repeat them.
      const total = event.tiers.reduce((sum, tier) => sum + tier.capacity, 0);
      if (patch.capacity !== undefined && patch.capacity !== total) return fail("INVALID_ARGUMENT");
      for (const spec of specs ?? []) {
        const tier = event.tiers.find((candidate) => candidate.name === spec.name);
        if (!tier || (!spec.oneValue && tier.capacity !== spec.capacity) || Number.isNaN(spec.priceMinor)) return fail("INVALID_ARGUMENT");
      }
      const tiers = event.tiers.map((tier) => {
        const spec = specs?.find((candidate) => candidate.name === tier.name);
        return { ...tier, priceMinor: spec?.priceMinor ?? tier.priceMinor, code: spec?.code === undefined ? tier.code : spec.code };
      });
      const limit = patch.limit === undefined ? event.limit : patch.limit === "none" ? null : patch.limit;
      const seated = { ...event, tiers, holdSeconds: patch.holdSeconds ?? event.holdSeconds, limit, ...windowOf(patch, event) };
      return this.emptyWindow(seated) ? fail("INVALID_ARGUMENT") : ok(seated);
    }
    if (specs?.some((spec) => spec.oneValue)) return fail("INVALID_ARGUMENT");
    let tiers = event.tiers;
    if (specs) {
      if (patch.capacity !== undefined) {
        // README: --capacity alone only applies to single-tier events; with --tier it must be their sum.
        const after = new Map(event.tiers.map((tier) => [tier.name, tier.capacity]));
        for (const spec of specs) after.set(spec.name, spec.capacity);
        if ([...after.values()].reduce((sum, capacity) => sum + capacity, 0) !== patch.capacity) return fail("INVALID_ARGUMENT");
      }
      const updated = this.updateTiers(event, specs, false);
      if (!updated.ok) return updated;
      tiers = updated.value;
    } else if (patch.capacity !== undefined) {
      const only = event.tiers[0]!;
      const updated = this.updateTiers(event, [{ name: only.name, capacity: patch.capacity, priceMinor: only.priceMinor }], true);
      if (!updated.ok) return updated;
      tiers = updated.value;
    }
    const limit = patch.limit === undefined ? event.limit : patch.limit === "none" ? null : patch.limit;
    const updated = { ...event, tiers, holdSeconds: patch.holdSeconds ?? event.holdSeconds, limit, ...windowOf(patch, event) };
    return this.emptyWindow(updated) ? fail("INVALID_ARGUMENT") : ok(updated);
  }

  /**
   * README: `--tier` changes or adds one tier (never removes one); `--capacity` alone only
   * applies to single-tier events; no tier's capacity drops below its held + sold.
   */
  private updateTiers(event: ModelEvent, specs: readonly TierSpec[], onlyTier: boolean): Prediction<ModelTier[]> {
    if (onlyTier && event.tiers.length > 1) return fail("INVALID_ARGUMENT");
    const tiers = event.tiers.map((tier) => ({ ...tier }));
    for (const spec of specs) {
      const name = onlyTier ? tiers[0]!.name : spec.name;
      const tier = tiers.find((candidate) => candidate.name === name);
      if (!tier) {
        tiers.push({ ...spec, code: spec.code ?? null });
        continue;
      }
      if (spec.capacity < this.held(event.id, name) + this.sold(event.id, name)) return fail("CAPACITY_BELOW_COMMITTED");
      // docs/box-office.md: a spec without `code=` keeps the tier's code; `code=none` removes it.
      Object.assign(tier, { capacity: spec.capacity, priceMinor: spec.priceMinor, code: spec.code === undefined ? tier.code : spec.code });
    }
    return ok(tiers);
  }

  /**
   * Stores a created or updated event; raised capacity goes to waiting users first. README: when
   * the per-user limit changes, waiting users the new rule would refuse leave the line; and the
   * waiting list closes with sales: an update after which sales have not opened yet (the sales
   * start moved later) takes everyone off the line. docs/box-office.md: a tier's access code set
   * or changed takes those waiting for that tier off the line (they joined without that code).
   */
  applyEvent(event: ModelEvent): ModelEvent {
    const existing = this.event(event.id);
    const previousLimit = existing?.limit;
    const previousCodes = new Map(existing?.tiers.map((tier) => [tier.name, tier.code]) ?? []);
    if (existing) Object.assign(existing, event);
    else this.events.push(event);
    const stored = existing ?? event;
    if (existing && previousLimit !== stored.limit) {
      for (const entry of this.line(stored.id)) if (this.mayHold(stored, entry.userId, 1)) this.leave(stored.id, entry.userId);
    }
    if (existing && stored.salesStart !== null && this.now < stored.salesStart) {
      for (const entry of this.line(stored.id)) this.leave(stored.id, entry.userId);
    }
    if (existing) {
      for (const entry of this.line(stored.id)) {
        const code = stored.tiers.find((tier) => tier.name === entry.tier)?.code ?? null;
        if (code !== null && code !== (previousCodes.get(entry.tier) ?? null)) this.leave(stored.id, entry.userId);
      }
    }
    this.promote(stored);
    return stored;
  }

  // ---- tickets ----

  predictReserve(request: ReserveRequest): Prediction<{ replay: ModelTicket[]; blocks?: number } | { fresh: FreshReservation }> {
    const quantity = request.quantity ?? request.seats?.length ?? 1;
    if (!validUser(request.userId) || !validKey(request.key)) return fail("INVALID_ARGUMENT");
    if (request.tier !== undefined && !validTierName(request.tier)) return fail("INVALID_ARGUMENT");
    if (request.code !== undefined && !validCode(request.code)) return fail("INVALID_ARGUMENT");
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) return fail("INVALID_ARGUMENT");
    if (request.seats && (request.seats.length === 0 || request.seats.some((name) => name.trim() === "") || request.seats.length !== quantity)) {
      return fail("INVALID_ARGUMENT");
    }
    const event = this.event(request.eventId);
    // README: the key covers the order: the same key with another event, tier or quantity is
    // refused; docs/seating.md: and with other seats (by their names in the map), or a split allowed.
    const binding = this.liveBinding(request.userId, request.key);
    if (binding) {
      // README: the same request is the resolved one: an event's only tier named or left out are the same;
      // docs/seating.md: named seats by their names in the map, their tier the seats' (`*` for several).
      const only = event?.tiers;
      let tier = request.tier ?? (only?.length === 1 ? only[0]!.name : binding.tier);
      let seats: string[] | undefined;
      if (request.seats) {
        const resolved = request.seats.map((name) => (event?.venue ? resolveSeat(event.venue, name, request.tier) : undefined));
        seats = request.seats.map((name, index) => resolved[index]?.label ?? name.trim().toUpperCase()).sort();
        const tiers = new Set(resolved.flatMap((seat) => (seat ? [seat.tier] : [])));
        tier = tiers.size === 1 ? [...tiers][0]! : "*";
      }
      const allowSplit = !request.seats && event?.venue !== undefined && request.allowSplit === true;
      const same = binding.eventId === request.eventId && binding.tier === tier && binding.quantity === quantity &&
        JSON.stringify(binding.seats) === JSON.stringify(seats) && binding.allowSplit === allowSplit;
      // README: a key whose order was transferred away whole replays nothing and reserves nothing.
      const order = this.order(binding.orderId);
      if (!same || order.length === 0) return fail("IDEMPOTENCY_KEY_REUSED");
      const venue = this.event(binding.eventId)?.venue;
      return ok({ replay: order, ...(venue ? { blocks: countBlocks(seatsInMapOrder(venue, order)) } : {}) });
    }
    if (!event) return fail("EVENT_NOT_FOUND");
    if (event.venue) return this.predictSeats(event, event.venue, request, quantity);
    if (request.seats) return fail("INVALID_ARGUMENT");
    const tier = this.resolveTier(event, request.tier);
    if (!tier) return fail("INVALID_ARGUMENT");
    if (!this.onSale(event)) return fail("SALES_CLOSED");
    if (!opens(tier, request.code)) return fail("ACCESS_CODE_INVALID");
    const refusal = this.mayHold(event, request.userId, quantity);
    if (refusal) return fail(refusal);
    if (this.free(event, tier) < quantity) return fail("SOLD_OUT");
    return ok({ fresh: { event, tier, quantity } });
  }

  /**
   * docs/seating.md: named seats (each a seat of the map, of the tier asked for, once; then the
   * limit; then all free, else SEAT_TAKEN), or best available (the tier; the limit; enough free
   * seats, else SOLD_OUT; side by side, else — without a split — INVALID_ARGUMENT when no row of the
   * tier is that wide, SOLD_OUT otherwise).
   */
  private predictSeats(event: ModelEvent, venue: ModelVenue, request: ReserveRequest, quantity: number): Prediction<{ fresh: FreshReservation }> {
    const asked = request.tier === undefined ? undefined : event.tiers.find((tier) => tier.name === request.tier);
    if (request.tier !== undefined && !asked) return fail("INVALID_ARGUMENT");
    // README: seated events sell within their sales window too.
    if (!this.onSale(event)) return fail("SALES_CLOSED");
    const taken = this.takenSeats(event.id);
    if (request.seats) {
      const seats = request.seats.map((name) => resolveSeat(venue, name, request.tier));
      if (seats.some((seat) => !seat) || new Set(seats.map((seat) => seat!.label)).size !== seats.length) return fail("INVALID_ARGUMENT");
      if (asked && seats.some((seat) => seat!.tier !== asked.name)) return fail("INVALID_ARGUMENT");
      // docs/box-office.md: the seats decide the tiers, and each must open to the code given.
      if (seats.some((seat) => !opens(event.tiers.find((tier) => tier.name === seat!.tier)!, request.code))) return fail("ACCESS_CODE_INVALID");
      const refusal = this.mayHold(event, request.userId, quantity);
      if (refusal) return fail(refusal);
      if (seats.some((seat) => taken.has(seat!.label))) return fail("SEAT_TAKEN");
      const ordered = seatsInMapOrder(venue, seats as ModelSeat[]);
      return ok({ fresh: { event, tier: event.tiers.find((tier) => tier.name === ordered[0]!.tier)!, quantity, seats: ordered, blocks: countBlocks(ordered) } });
    }
    const tier = asked ?? this.resolveTier(event, undefined);
    if (!tier) return fail("INVALID_ARGUMENT");
    if (!opens(tier, request.code)) return fail("ACCESS_CODE_INVALID");
    const refusal = this.mayHold(event, request.userId, quantity);
    if (refusal) return fail(refusal);
    if (this.free(event, tier) < quantity) return fail("SOLD_OUT");
    const block = bestBlock(venue, taken, tier.name, quantity);
    if (block) return ok({ fresh: { event, tier, quantity, seats: block, blocks: 1 } });
    if (!request.allowSplit) return fail(quantity > largestRun(venue, new Set(), tier.name) ? "INVALID_ARGUMENT" : "SOLD_OUT");
    const blocks = bestSplit(venue, taken, tier.name, quantity);
    return ok({ fresh: { event, tier, quantity, seats: blocks.flat(), blocks: blocks.length } });
  }

  /** Records an order the engine made; the user leaves the event's waiting list. */
  applyReserve(ids: { ticketIds: readonly string[]; orderId: string }, request: ReserveRequest): ModelTicket[] {
    const predicted = this.predictReserve(request);
    if (!predicted.ok || !("fresh" in predicted.value)) throw new Error("applyReserve without a fresh reservation");
    const { event, tier, seats } = predicted.value.fresh;
    const tickets = ids.ticketIds.map((id, index) => {
      const seat = seats?.[index];
      const seatTier = seat ? event.tiers.find((candidate) => candidate.name === seat.tier)! : tier;
      return this.newHold(event, seatTier, request.userId, id, ids.orderId, seat?.label ?? null);
    });
    this.tickets.push(...tickets);
    this.keys.set(`${request.userId}\u0000${request.key}`, {
      userId: request.userId, key: request.key, eventId: event.id, quantity: request.quantity ?? request.seats?.length ?? 1,
      tier: request.seats ? (new Set(seats!.map((seat) => seat.tier)).size === 1 ? seats![0]!.tier : "*") : tier.name,
      seats: request.seats && seats!.map((seat) => seat.label).sort(), allowSplit: !request.seats && event.venue !== undefined && request.allowSplit === true,
      orderId: ids.orderId, boundAt: this.now,
    });
    this.leave(event.id, request.userId);
    return tickets;
  }

  /**
   * README: without a limit, one hold at a time (DUPLICATE_RESERVATION); with one, held +
   * purchased stays within it (LIMIT_EXCEEDED).
   */
  private mayHold(event: ModelEvent, userId: string, quantity: number): string | undefined {
    const { liveHolds, committed } = this.standing(event.id, userId);
    if (event.limit === null) return liveHolds > 0 ? "DUPLICATE_RESERVATION" : undefined;
    return committed + quantity > event.limit ? "LIMIT_EXCEEDED" : undefined;
  }

  /** README: `--tier NAME` picks one (required when there are several); guide: in any case (the model's tiers never differ by case alone). */
  private resolveTier(event: ModelEvent, name: string | undefined): ModelTier | undefined {
    if (name === undefined) return event.tiers.length === 1 ? event.tiers[0] : undefined;
    return event.tiers.find((tier) => tier.name === name) ?? event.tiers.find((tier) => tier.name.toLowerCase() === name.toLowerCase());
  }

  /**
   * A ticket, or every ticket of an order (`ord_…`). Bad input is refused before anything else;
   * then the target, its owner, its state (a purchase pays the tickets still held), the card.
   */
  predictPurchase(request: { targetId: string; userId: string; card: CardKind; voucher?: string | undefined }): Prediction<ModelTicket[]> {
    if (request.card === "luhn" || request.card === "malformed") return fail("INVALID_ARGUMENT");
    if (request.voucher !== undefined && !validCode(request.voucher)) return fail("INVALID_ARGUMENT");
    const found = this.ownedTargets(request);
    if (!found.ok) return found;
    const tickets = found.value;
    const payable = tickets.filter((ticket) => this.status(ticket) === "reserved");
    if (payable.length === 0) return fail(this.stateError(tickets[0]!, "purchase"));
    // README: holds may be paid for after sales close, but not once the event has started.
    const event = this.event(tickets[0]!.eventId)!;
    if (event.startsAt !== null && this.now >= event.startsAt) return fail("SALES_CLOSED");
    let discount = (_ticket: ModelTicket) => ({ voucher: null as string | null, discountMinor: 0 });
    if (request.voucher !== undefined) {
      const voucher = this.voucher(event.id, request.voucher);
      if (!voucher) return fail("VOUCHER_INVALID");
      if (voucher.maxUses !== null && voucher.uses + payable.length > voucher.maxUses) return fail("VOUCHER_USED_UP");
      discount = (ticket) => ({ voucher: voucher.code, discountMinor: discountOf(voucher, ticket.priceMinor) });
    }
    if (request.card === "declined") return fail("PAYMENT_DECLINED");
    const digits = (CARDS[request.card] ?? "4242424242424242").replace(/\D/g, "");
    return ok(tickets.map((ticket) => {
      if (!payable.includes(ticket)) return ticket;
      const off = discount(ticket);
      return { ...ticket, status: "purchased" as const, purchasedAt: this.now, cardLast4: digits.slice(-4), ...off, priceMinor: ticket.priceMinor - off.discountMinor };
    }));
  }

  /** Releases holds, refunds purchases (not checked-in ones); the places go to waiting users. */
  predictCancel(request: { targetId: string; userId: string }): Prediction<ModelTicket[]> {
    const found = this.ownedTargets(request);
    if (!found.ok) return found;
    const tickets = found.value;
    const cancellable = (ticket: ModelTicket) => {
      const status = this.status(ticket);
      return status === "reserved" || (status === "purchased" && ticket.checkedInAt === null);
    };
    if (!tickets.some(cancellable)) return fail(this.stateError(tickets[0]!, "cancel"));
    return ok(tickets.map((ticket) => (cancellable(ticket) ? { ...ticket, status: "cancelled" as const, cancelledAt: this.now } : ticket)));
  }

  /** README: anyone may scan; a purchased ticket is checked in once. */
  predictCheckIn(request: { ticketId: string; actor: string }): Prediction<ModelTicket> {
    if (!validUser(request.actor)) return fail("INVALID_ARGUMENT");
    const ticket = this.ticket(request.ticketId);
    if (!ticket) return fail("TICKET_NOT_FOUND");
    if (ticket.checkedInAt !== null) return fail("ALREADY_CHECKED_IN");
    if (this.status(ticket) !== "purchased") return fail("TICKET_NOT_PURCHASED");
    return ok({ ...ticket, checkedInAt: this.now });
  }

  /**
   * Stores changed tickets; a place released by a cancel goes to the first waiting user. README: a
   * voucher counts one use per ticket bought with it, and a refund gives the use back.
   */
  applyTickets(updated: readonly ModelTicket[]): void {
    const released = new Set<string>();
    for (const ticket of updated) {
      const stored = this.ticket(ticket.id)!;
      if (stored.status !== "cancelled" && ticket.status === "cancelled") released.add(ticket.eventId);
      if (stored.status !== "purchased" && ticket.status === "purchased" && ticket.voucher !== null) this.voucher(ticket.eventId, ticket.voucher)!.uses += 1;
      if (stored.status === "purchased" && ticket.status === "cancelled" && ticket.voucher !== null) this.voucher(ticket.eventId, ticket.voucher)!.uses -= 1;
      Object.assign(stored, ticket);
    }
    for (const eventId of released) this.promote(this.event(eventId)!);
  }

  private ownedTargets(request: { targetId: string; userId: string }): Prediction<ModelTicket[]> {
    if (!validUser(request.userId)) return fail("INVALID_ARGUMENT");
    const tickets = request.targetId.startsWith("ord_") ? this.order(request.targetId) : this.tickets.filter((ticket) => ticket.id === request.targetId);
    if (tickets.length === 0) return fail("TICKET_NOT_FOUND");
    if (tickets.some((ticket) => ticket.userId !== request.userId)) return fail("NOT_TICKET_OWNER");
    return ok(tickets);
  }

  /** Why nothing could be done, judged by the target's first ticket. */
  private stateError(ticket: ModelTicket, action: "purchase" | "cancel"): string {
    const status = this.status(ticket);
    if (status === "purchased") return action === "purchase" ? "ALREADY_PURCHASED" : "ALREADY_CHECKED_IN";
    if (status === "cancelled") return "ALREADY_CANCELLED";
    return "HOLD_EXPIRED";
  }

  // ---- transfers ----

  /**
   * README: `transfer TICKET|ORDER --to USER` moves the owner's purchased tickets that are not
   * checked in to USER, as a new order of theirs (its id is the engine's: `adoptTransfer`), within
   * USER's per-user limit; to oneself is bad input.
   */
  predictTransfer(request: { targetId: string; userId: string; to: string }): Prediction<ModelTicket[]> {
    if (!validUser(request.to)) return fail("INVALID_ARGUMENT");
    const found = this.ownedTargets(request);
    if (!found.ok) return found;
    if (request.to === request.userId) return fail("INVALID_ARGUMENT");
    const tickets = found.value;
    const movable = tickets.filter((ticket) => this.status(ticket) === "purchased" && ticket.checkedInAt === null);
    if (movable.length === 0) {
      const first = tickets[0]!;
      if (first.checkedInAt !== null) return fail("ALREADY_CHECKED_IN");
      return fail(this.status(first) === "cancelled" ? "ALREADY_CANCELLED" : "TICKET_NOT_PURCHASED");
    }
    const event = this.event(tickets[0]!.eventId)!;
    if (event.limit !== null && this.standing(event.id, request.to).committed + movable.length > event.limit) return fail("LIMIT_EXCEEDED");
    return ok(movable);
  }

  /**
   * README: tickets that bring the recipient to the event's per-user limit take them off its
   * waiting list (they could be given no more). Answers whether they left it.
   */
  applyTransfer(moved: readonly ModelTicket[], to: string, orderId: string): boolean {
    for (const ticket of moved) Object.assign(this.ticket(ticket.id)!, { userId: to, orderId });
    const event = this.event(moved[0]!.eventId)!;
    const waits = this.waiting.some((entry) => entry.eventId === event.id && entry.userId === to);
    if (!waits || event.limit === null || this.standing(event.id, to).committed < event.limit) return false;
    this.leave(event.id, to);
    return true;
  }

  // ---- vouchers ----

  /** README: one code per event (any case); a percent from 1 to 100 or an amount; max uses from 1. */
  predictVoucher(request: { eventId: string; code: string; percent?: number | undefined; amountMinor?: number | undefined; maxUses?: number | undefined }): Prediction<ModelVoucher> {
    if (!validCode(request.code) || (request.percent === undefined) === (request.amountMinor === undefined)) return fail("INVALID_ARGUMENT");
    if (request.percent !== undefined && !(Number.isInteger(request.percent) && request.percent >= 1 && request.percent <= 100)) return fail("INVALID_ARGUMENT");
    if (request.maxUses !== undefined && !(Number.isInteger(request.maxUses) && request.maxUses >= 1)) return fail("INVALID_ARGUMENT");
    if (!this.event(request.eventId)) return fail("EVENT_NOT_FOUND");
    if (this.voucher(request.eventId, request.code)) return fail("INVALID_ARGUMENT");
    if (request.amountMinor === 0) return fail("INVALID_ARGUMENT");
    return ok({
      eventId: request.eventId, code: request.code.toUpperCase(), percent: request.percent ?? null, amountMinor: request.amountMinor ?? null,
      maxUses: request.maxUses ?? null, uses: 0,
    });
  }

  applyVoucher(voucher: ModelVoucher): void {
    this.vouchers.push(voucher);
  }

  // ---- waiting list ----

  /**
   * README: one place in line per user and event (joining again keeps it); joining is refused
   * as a reservation would be (the one-hold rule, or the limit); a free place is given at once.
   */
  predictJoin(request: { eventId: string; userId: string; tier?: string | undefined; code?: string | undefined }): Prediction<{ joined: boolean; tier: string }> {
    if (!validUser(request.userId)) return fail("INVALID_ARGUMENT");
    if (request.tier !== undefined && !validTierName(request.tier)) return fail("INVALID_ARGUMENT");
    if (request.code !== undefined && !validCode(request.code)) return fail("INVALID_ARGUMENT");
    const event = this.event(request.eventId);
    if (!event) return fail("EVENT_NOT_FOUND");
    const tier = this.resolveTier(event, request.tier);
    if (!tier) return fail("INVALID_ARGUMENT");
    const existing = this.waiting.find((entry) => entry.eventId === event.id && entry.userId === request.userId);
    // guide: one place per event, for one tier: a join for another tier is refused, not answered as joined.
    if (existing && existing.tier !== tier.name) return fail("INVALID_ARGUMENT");
    if (existing) return ok({ joined: false, tier: existing.tier });
    if (!this.onSale(event)) return fail("SALES_CLOSED");
    // docs/box-office.md: a tier with a code is waited for only with it.
    if (!opens(tier, request.code)) return fail("ACCESS_CODE_INVALID");
    const refusal = this.mayHold(event, request.userId, 1);
    if (refusal) return fail(refusal);
    return ok({ joined: true, tier: tier.name });
  }

  applyJoin(request: { eventId: string; userId: string }, tier: string): void {
    this.waiting.push({ eventId: request.eventId, userId: request.userId, tier, joinedAt: this.now });
    this.promote(this.event(request.eventId)!);
  }

  predictLeave(request: { eventId: string; userId: string }): Prediction<ModelWaiting> {
    if (!validUser(request.userId)) return fail("INVALID_ARGUMENT");
    if (!this.event(request.eventId)) return fail("EVENT_NOT_FOUND");
    const entry = this.waiting.find((candidate) => candidate.eventId === request.eventId && candidate.userId === request.userId);
    return entry ? ok(entry) : fail("NOT_WAITING");
  }

  applyLeave(request: { eventId: string; userId: string }): void {
    this.leave(request.eventId, request.userId);
  }
}

/** README: a percent off is rounded to the nearest cent; an amount off never takes a ticket below zero. */
function discountOf(voucher: ModelVoucher, priceMinor: number): number {
  const off = voucher.percent !== null ? Math.round((priceMinor * voucher.percent) / 100) : voucher.amountMinor!;
  return Math.min(off, priceMinor);
}

/** The event's times after a create or update: those given ("none": back to the default), the rest kept (new: none). */
function windowOf(request: EventRequest, existing: ModelEvent | undefined): Pick<ModelEvent, "startsAt" | "salesStart" | "salesEnd"> {
  const pick = (given: number | "none" | undefined, kept: number | null | undefined) => (given === "none" ? null : given ?? kept ?? null);
  return {
    startsAt: pick(request.startsAt, existing?.startsAt),
    salesStart: pick(request.salesStart, existing?.salesStart),
    salesEnd: pick(request.salesEnd, existing?.salesEnd),
  };
}

/** README: sales must start before they end, checked first when a request gives both. */
function bothTimesOutOfOrder(request: EventRequest): boolean {
  return typeof request.salesStart === "number" && typeof request.salesEnd === "number" && request.salesStart >= request.salesEnd;
}

/**
 * docs/box-office.md: a tier with a code is reserved only with it, matched in any case; a code
 * given for a tier that needs none is ignored.
 */
function opens(tier: ModelTier, code: string | undefined): boolean {
  return tier.code === null || code?.toUpperCase() === tier.code;
}

/** README: access and voucher codes are 1–64 letters A to Z, digits, '-' or '_'. */
function validCode(code: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(code);
}

/** Seats as the map lists them (section, row, left to right): the order named seats' tickets are made in. */
function seatsInMapOrder(venue: ModelVenue, seats: ReadonlyArray<ModelSeat | { seat: string | null }>): ModelSeat[] {
  const labels = new Set(seats.map((seat) => ("label" in seat ? seat.label : seat.seat)));
  return venue.seats.filter((seat) => labels.has(seat.label));
}

/** README: a whole number from 1 to 10,000,000. */
function validCapacity(capacity: number): boolean {
  return Number.isInteger(capacity) && capacity >= 1 && capacity <= 10_000_000;
}

/** README: `--limit-per-user N` or `none`. */
function validLimit(limit: number | "none"): boolean {
  return limit === "none" || (Number.isInteger(limit) && limit >= 1 && limit <= 1_000);
}

/** Tier names: printable, no ':' (the separator of NAME:CAPACITY:PRICE). */
function validTierName(name: string): boolean {
  return /^[^\p{C}:]{1,40}$/u.test(name);
}

/**
 * `NAME:CAPACITY:PRICE[,code=CODE]` texts (distinct names), or null when any is bad. Prices in
 * cents, no floating point; `code=none` removes a code (null), a spec without one leaves it out.
 * With `oneValue` (an update) `NAME:PRICE[,code=CODE]` too, for the event to settle (UpdateTierSpec).
 */
function parseTierSpecs(texts: readonly string[], oneValue = false): UpdateTierSpec[] | null {
  const tiers: UpdateTierSpec[] = [];
  for (const text of texts) {
    const parts = text.split(":");
    if (oneValue && parts.length === 2) {
      const [name, rest] = parts as [string, string];
      const [price, ...options] = rest.split(",");
      const amount = /^(\d+)(?:\.(\d{1,2}))?$/.exec(price!);
      // An empty one (`NAME:`, the tier's price kept) the steps never write: taken as bad here.
      if (!validTierName(name) || price === "" || tiers.some((tier) => tier.name === name)) return null;
      const tier: UpdateTierSpec = { name, capacity: 0, priceMinor: amount ? Number(amount[1]) * 100 + Number((amount[2] ?? "").padEnd(2, "0")) : Number.NaN, oneValue: true };
      if (!withCodes(tier, options)) return null;
      tiers.push(tier);
      continue;
    }
    if (parts.length !== 3) return null;
    const [name, capacity, rest] = parts as [string, string, string];
    const [price, ...options] = rest.split(",");
    const amount = /^(\d+)(?:\.(\d{1,2}))?$/.exec(price!);
    if (!validTierName(name) || !/^\d+$/.test(capacity) || !validCapacity(Number(capacity)) || !amount) return null;
    if (tiers.some((tier) => tier.name === name)) return null;
    const tier: TierSpec = { name, capacity: Number(capacity), priceMinor: Number(amount[1]) * 100 + Number((amount[2] ?? "").padEnd(2, "0")) };
    if (!withCodes(tier, options)) return null;
    tiers.push(tier);
  }
  return tiers;
}

/** A spec's `,code=CODE` options set on `tier`; false when one is bad. */
function withCodes(tier: TierSpec, options: readonly string[]): boolean {
  for (const option of options) {
    const code = /^code=(.*)$/.exec(option)?.[1];
    if (code === undefined) return false;
    if (code.toLowerCase() === "none") tier.code = null;
    else if (validCode(code)) tier.code = code.toUpperCase();
    else return false;
  }
  return true;
}

/** README: users are 1–64 printable characters without spaces. */
function validUser(user: string): boolean {
  return /^[^\p{C}\s]{1,64}$/u.test(user);
}

/** Contract: keys are 1–255 printable characters. */
function validKey(key: string): boolean {
  return /^[^\p{C}]{1,255}$/u.test(key);
}
