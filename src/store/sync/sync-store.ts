import {
  decideCancel,
  decideCreateEvent,
  decideExpiry,
  decidePurchase,
  decideReserve,
  decideUpdateEvent,
  isKeyLive,
  type Clock,
  type Decision,
  type EventRecord,
} from "../../core/index.js";
import type { TicketFilter, TixStore } from "../port.js";
import type { SyncRepository } from "./repository.js";

/**
 * The port over a synchronous repository. Every operation reads the clock once, then runs
 * expire → load → decide → apply inside a single write transaction.
 */
export class SyncStore implements TixStore {
  constructor(
    private readonly repository: SyncRepository,
    private readonly clock: Clock,
    readonly description: string,
    /** Turns driver errors into TixErrors (e.g. STORE_UNAVAILABLE); TixErrors pass through. */
    private readonly translateError: (error: unknown) => unknown = (error) => error,
  ) {}

  createEvent: TixStore["createEvent"] = async (request) =>
    this.decide((now) => decideCreateEvent(this.repository.findEvent(request.id), request, now));

  updateEvent: TixStore["updateEvent"] = async (request) =>
    this.decide((now) => decideUpdateEvent(this.repository.findEvent(request.id), request, now));

  getEvent: TixStore["getEvent"] = async (id) => this.read(() => this.repository.findEvent(id));

  listEvents: TixStore["listEvents"] = async () => this.read(() => this.repository.listEvents());

  reserve: TixStore["reserve"] = async (request) =>
    this.decide((now) => {
      const keyRecord = this.repository.findKey(request.userId, request.key);
      const snapshot = {
        event: this.repository.findEvent(request.eventId),
        keyRecord,
        keyTicket: keyRecord && this.repository.findTicket(keyRecord.ticketId),
        activeHold: this.repository.findReservedTicket(request.userId, request.eventId),
      };
      return decideReserve(snapshot, request, now);
    });

  purchase: TixStore["purchase"] = async (request) =>
    this.decide((now) => decidePurchase(this.ticketSnapshot(request.ticketId), request, now));

  cancel: TixStore["cancel"] = async (request) =>
    this.decide((now) => decideCancel(this.ticketSnapshot(request.ticketId), request, now));

  getTicket: TixStore["getTicket"] = async (id) => this.read(() => this.repository.findTicket(id));

  listTickets: TixStore["listTickets"] = async (filter: TicketFilter) =>
    this.read(() => this.repository.listTickets(filter));

  findKey: TixStore["findKey"] = async (userId, key) =>
    this.read((now) => {
      const record = this.repository.findKey(userId, key);
      const ticket = isKeyLive(record, now) ? this.repository.findTicket(record.ticketId) : undefined;
      return record && ticket ? { record, ticket } : undefined;
    });

  close = async (): Promise<void> => this.repository.close();

  private ticketSnapshot(ticketId: string) {
    const ticket = this.repository.findTicket(ticketId);
    return { ticket, event: ticket && this.repository.findEvent(ticket.eventId) };
  }

  /** Reads also release due holds first, so every count they return is exact at `now`. */
  private read<T>(load: (now: number) => T): T {
    return this.decide((now) => ({ changes: [], result: load(now) }));
  }

  private decide<T>(decision: (now: number) => Decision<T>): T {
    const now = this.clock.now();
    try {
      return this.repository.transaction(() => {
        this.releaseDueHolds(now);
        const { changes, result } = decision(now);
        this.repository.apply(changes);
        return result;
      });
    } catch (error) {
      throw this.translateError(error);
    }
  }

  private releaseDueHolds(now: number): void {
    const dueHolds = this.repository.findDueHolds(now);
    if (dueHolds.length === 0) return;
    const events = new Map<string, EventRecord>();
    for (const hold of dueHolds) {
      if (events.has(hold.eventId)) continue;
      const event = this.repository.findEvent(hold.eventId);
      if (event) events.set(event.id, event);
    }
    this.repository.apply(decideExpiry(dueHolds, events, now));
  }
}
