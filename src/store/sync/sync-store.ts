import {
  decideCancel,
  decideCheckIn,
  decideCreateEvent,
  decideExpiry,
  decideJoinWaitlist,
  decideLeaveWaitlist,
  decidePurchase,
  decideReserve,
  decideUpdateEvent,
  isKeyLive,
  isOrderId,
  RANDOM_IDS,
  WAITLIST_BATCH,
  type Clock,
  type Decision,
  type EventRecord,
  type IdSource,
  type WaitlistEntry,
} from "../../core/index.js";
import type { CreateEventRequest, LogFilter, TicketFilter, TixStore } from "../../core/index.js";
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
    private readonly ids: IdSource = RANDOM_IDS,
  ) {}

  createEvent: TixStore["createEvent"] = async (request) => this.decide((now) => this.createOne(request, now));

  createEvents: TixStore["createEvents"] = async (requests) =>
    this.decide((now) => {
      // Each event is decided and written before the next, so an id repeated in a batch upserts.
      const results = requests.map((request) => {
        const { changes, result } = this.createOne(request, now);
        this.repository.apply(changes);
        return result;
      });
      return { changes: [], result: results };
    });

  updateEvent: TixStore["updateEvent"] = async (request) =>
    this.decide((now) => decideUpdateEvent(this.repository.findEvent(request.id), request, this.waitingUsers(request.id), now, this.ids));

  getEvent: TixStore["getEvent"] = async (id) => this.read(() => this.repository.findEvent(id));

  listEvents: TixStore["listEvents"] = async (page) => this.read(() => this.repository.listEvents(page));

  reserve: TixStore["reserve"] = async (request) =>
    this.decide((now) => {
      const keyRecord = this.repository.findKey(request.userId, request.key);
      const snapshot = {
        event: this.repository.findEvent(request.eventId),
        keyRecord,
        keyTickets: keyRecord ? this.repository.findOrder(keyRecord.orderId) : [],
        standing: this.repository.userStanding(request.userId, request.eventId),
        waitlistEntry: this.repository.findWaitlistEntry(request.eventId, request.userId),
      };
      return decideReserve(snapshot, request, now, this.ids);
    });

  purchase: TixStore["purchase"] = async (request) =>
    this.decide((now) => {
      const keyRecord = request.key === undefined ? undefined : this.repository.findKey(request.userId, request.key);
      return decidePurchase({ ...this.targets(request.targetId), keyRecord }, request, now);
    });

  cancel: TixStore["cancel"] = async (request) =>
    this.decide((now) => {
      const targets = this.targets(request.targetId);
      return decideCancel({ ...targets, waiting: targets.event ? this.waiting(targets.event.id) : [] }, request, now, this.ids);
    });

  checkIn: TixStore["checkIn"] = async (request) =>
    this.decide((now) => decideCheckIn({ ticket: this.repository.findTicket(request.ticketId) }, request, now));

  getTicket: TixStore["getTicket"] = async (id) => this.read(() => this.repository.findTicket(id));

  listTickets: TixStore["listTickets"] = async (filter: TicketFilter) => this.read(() => this.repository.listTickets(filter));

  findKey: TixStore["findKey"] = async (userId, key) =>
    this.read((now) => {
      const record = this.repository.findKey(userId, key);
      const tickets = isKeyLive(record, now) ? this.repository.findOrder(record.orderId) : [];
      return record && tickets.length > 0 ? { record, tickets } : undefined;
    });

  joinWaitlist: TixStore["joinWaitlist"] = async (request) =>
    this.decide((now) => {
      const snapshot = {
        event: this.repository.findEvent(request.eventId),
        entry: this.repository.findWaitlistEntry(request.eventId, request.userId),
        standing: this.repository.userStanding(request.userId, request.eventId),
        waiting: this.waiting(request.eventId),
      };
      return decideJoinWaitlist(snapshot, request, now, this.ids);
    });

  leaveWaitlist: TixStore["leaveWaitlist"] = async (request) =>
    this.decide((now) => decideLeaveWaitlist(this.repository.findWaitlistEntry(request.eventId, request.userId), request, now));

  listWaitlist: TixStore["listWaitlist"] = async (eventId) => this.read(() => this.repository.listWaitlist(eventId, Number.MAX_SAFE_INTEGER));

  listLog: TixStore["listLog"] = async (filter: LogFilter) => this.read(() => this.repository.listLog(filter));

  close = async (): Promise<void> => this.repository.close();

  private createOne(request: CreateEventRequest, now: number) {
    return decideCreateEvent(this.repository.findEvent(request.id), request, this.waitingUsers(request.id), now, this.ids);
  }

  private waitingUsers(eventId: string) {
    return this.repository.listWaitingUsers(eventId, WAITLIST_BATCH);
  }

  private targets(targetId: string) {
    const tickets = isOrderId(targetId) ? this.repository.findOrder(targetId) : [this.repository.findTicket(targetId)].filter((ticket) => ticket !== undefined);
    return { tickets, event: tickets[0] && this.repository.findEvent(tickets[0].eventId) };
  }

  private waiting(eventId: string): WaitlistEntry[] {
    return this.repository.listWaitlist(eventId, WAITLIST_BATCH);
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
    const waiting = new Map<string, WaitlistEntry[]>();
    for (const hold of dueHolds) {
      if (events.has(hold.eventId)) continue;
      const event = this.repository.findEvent(hold.eventId);
      if (event) events.set(event.id, event);
      waiting.set(hold.eventId, this.waiting(hold.eventId));
    }
    this.repository.apply(decideExpiry(dueHolds, events, waiting, now, this.ids));
  }
}
