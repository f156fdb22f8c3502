/**
 * A small reference model of the contract's rules, written from the contract and README alone.
 * It deliberately imports nothing from src/: if it shared the engine's code, comparing the two
 * would prove nothing. Times are epoch milliseconds; ids are the real engine's (learned from its
 * answers), so model and engine can be compared entity by entity.
 */

export const MODEL_START = Date.UTC(2025, 4, 1, 12, 0, 0);
/** Contract: keys are kept at least 24 h; the README says "kept 24 hours, then forgotten". */
export const KEY_RETENTION_MS = 24 * 60 * 60 * 1000;
/** README: default hold `10m`. */
export const DEFAULT_HOLD_SECONDS = 600;

export interface ModelEvent {
  id: string;
  capacity: number;
  holdSeconds: number;
}

export type StoredStatus = "reserved" | "purchased" | "cancelled";
export type Status = StoredStatus | "expired";

export interface ModelTicket {
  id: string;
  eventId: string;
  userId: string;
  status: StoredStatus;
  reservedAt: number;
  expiresAt: number;
  purchasedAt: number | null;
  cancelledAt: number | null;
  cardLast4: string | null;
}

export interface ModelBinding {
  userId: string;
  key: string;
  eventId: string;
  ticketId: string;
  boundAt: number;
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

export class ReferenceModel {
  now = MODEL_START;
  readonly events: ModelEvent[] = [];
  readonly tickets: ModelTicket[] = [];
  /** `${user}\u0000${key}` → the binding (live or not: liveness is computed from `now`). */
  readonly keys = new Map<string, ModelBinding>();

  event(id: string): ModelEvent | undefined {
    return this.events.find((event) => event.id === id);
  }

  ticket(id: string): ModelTicket | undefined {
    return this.tickets.find((ticket) => ticket.id === id);
  }

  /** The contract: a reserved ticket whose expiresAt has passed counts as expired (`now >= expiresAt`). */
  status(ticket: ModelTicket): Status {
    return ticket.status === "reserved" && this.now >= ticket.expiresAt ? "expired" : ticket.status;
  }

  held(eventId: string): number {
    return this.tickets.filter((ticket) => ticket.eventId === eventId && this.status(ticket) === "reserved").length;
  }

  sold(eventId: string): number {
    return this.tickets.filter((ticket) => ticket.eventId === eventId && ticket.status === "purchased").length;
  }

  liveBinding(userId: string, key: string): ModelBinding | undefined {
    const binding = this.keys.get(`${userId}\u0000${key}`);
    return binding && this.now - binding.boundAt < KEY_RETENTION_MS ? binding : undefined;
  }

  bindings(): ModelBinding[] {
    return [...this.keys.values()];
  }

  advance(ms: number): void {
    this.now += ms;
  }

  // ---- events ----

  /** `event create` with an optional chosen id: create, or replace the definition of that event. */
  predictCreate(request: { id?: string | undefined; capacity: number; holdSeconds?: number | undefined }): Prediction<"created" | "updated"> {
    if (!validCapacity(request.capacity)) return fail("INVALID_ARGUMENT");
    const existing = request.id === undefined ? undefined : this.event(request.id);
    if (!existing) return ok("created");
    if (request.capacity < this.held(existing.id) + this.sold(existing.id)) return fail("CAPACITY_BELOW_COMMITTED");
    return ok("updated");
  }

  applyCreate(id: string, request: { capacity: number; holdSeconds?: number | undefined }): ModelEvent {
    const definition = { id, capacity: request.capacity, holdSeconds: request.holdSeconds ?? DEFAULT_HOLD_SECONDS };
    const existing = this.event(id);
    if (existing) return Object.assign(existing, definition);
    this.events.push(definition);
    return definition;
  }

  predictUpdate(eventId: string, patch: { capacity?: number | undefined; holdSeconds?: number | undefined }): Prediction<ModelEvent> {
    if (patch.capacity === undefined && patch.holdSeconds === undefined) return fail("INVALID_ARGUMENT");
    if (patch.capacity !== undefined && !validCapacity(patch.capacity)) return fail("INVALID_ARGUMENT");
    const event = this.event(eventId);
    if (!event) return fail("EVENT_NOT_FOUND");
    if (patch.capacity !== undefined && patch.capacity < this.held(eventId) + this.sold(eventId)) {
      return fail("CAPACITY_BELOW_COMMITTED");
    }
    return ok({ ...event, capacity: patch.capacity ?? event.capacity, holdSeconds: patch.holdSeconds ?? event.holdSeconds });
  }

  applyUpdate(updated: ModelEvent): void {
    Object.assign(this.event(updated.id)!, updated);
  }

  // ---- tickets ----

  predictReserve(request: { eventId: string; userId: string; key: string }): Prediction<{ replay: ModelTicket } | { fresh: ModelEvent }> {
    if (!validUser(request.userId) || !validKey(request.key)) return fail("INVALID_ARGUMENT");
    const binding = this.liveBinding(request.userId, request.key);
    if (binding) {
      return binding.eventId === request.eventId ? ok({ replay: this.ticket(binding.ticketId)! }) : fail("IDEMPOTENCY_KEY_REUSED");
    }
    const event = this.event(request.eventId);
    if (!event) return fail("EVENT_NOT_FOUND");
    const liveHold = this.tickets.some((ticket) =>
      ticket.eventId === event.id && ticket.userId === request.userId && this.status(ticket) === "reserved");
    if (liveHold) return fail("DUPLICATE_RESERVATION");
    if (this.held(event.id) + this.sold(event.id) >= event.capacity) return fail("SOLD_OUT");
    return ok({ fresh: event });
  }

  applyReserve(ticketId: string, request: { eventId: string; userId: string; key: string }): ModelTicket {
    const event = this.event(request.eventId)!;
    const ticket: ModelTicket = {
      id: ticketId,
      eventId: event.id,
      userId: request.userId,
      status: "reserved",
      reservedAt: this.now,
      expiresAt: this.now + event.holdSeconds * 1000,
      purchasedAt: null,
      cancelledAt: null,
      cardLast4: null,
    };
    this.tickets.push(ticket);
    this.keys.set(`${request.userId}\u0000${request.key}`, {
      userId: request.userId, key: request.key, eventId: event.id, ticketId, boundAt: this.now,
    });
    return ticket;
  }

  /** Bad input is refused before anything else; then the ticket, its owner, its state, the card. */
  predictPurchase(request: { ticketId: string; userId: string; card: CardKind }): Prediction<ModelTicket> {
    if (request.card === "luhn" || request.card === "malformed") return fail("INVALID_ARGUMENT");
    const found = this.ownedTicket(request);
    if (!found.ok) return found;
    const ticket = found.value;
    const status = this.status(ticket);
    if (status === "purchased") return fail("ALREADY_PURCHASED");
    if (status === "cancelled") return fail("ALREADY_CANCELLED");
    if (status === "expired") return fail("HOLD_EXPIRED");
    if (request.card === "declined") return fail("PAYMENT_DECLINED");
    const digits = (CARDS[request.card] ?? "4242424242424242").replace(/\D/g, "");
    return ok({ ...ticket, status: "purchased", purchasedAt: this.now, cardLast4: digits.slice(-4) });
  }

  predictCancel(request: { ticketId: string; userId: string }): Prediction<ModelTicket> {
    const found = this.ownedTicket(request);
    if (!found.ok) return found;
    const ticket = found.value;
    const status = this.status(ticket);
    if (status === "cancelled") return fail("ALREADY_CANCELLED");
    if (status === "expired") return fail("HOLD_EXPIRED");
    return ok({ ...ticket, status: "cancelled", cancelledAt: this.now });
  }

  applyTicket(updated: ModelTicket): void {
    Object.assign(this.ticket(updated.id)!, updated);
  }

  private ownedTicket(request: { ticketId: string; userId: string }): Prediction<ModelTicket> {
    if (!validUser(request.userId)) return fail("INVALID_ARGUMENT");
    const ticket = this.ticket(request.ticketId);
    if (!ticket) return fail("TICKET_NOT_FOUND");
    if (ticket.userId !== request.userId) return fail("NOT_TICKET_OWNER");
    return ok(ticket);
  }
}

/** README: a whole number from 1 to 10,000,000. */
function validCapacity(capacity: number): boolean {
  return Number.isInteger(capacity) && capacity >= 1 && capacity <= 10_000_000;
}

/** README: users are 1–64 printable characters without spaces. */
function validUser(user: string): boolean {
  return /^[^\p{C}\s]{1,64}$/u.test(user);
}

/** Contract: keys are 1–255 printable characters. */
function validKey(key: string): boolean {
  return /^[^\p{C}]{1,255}$/u.test(key);
}
