import { RANDOM_IDS } from "../../core/index.js";
import type { Change, EventPage, EventRecord, IdSource, KeyRecord, LogEntry, SeatIndex, TicketRecord, UserStanding, VoucherRecord, WaitingUser, WaitlistEntry } from "../../core/index.js";
import type { LogFilter, StoredLogEntry, TicketFilter } from "../../core/index.js";
import type { SyncRepository } from "../sync/repository.js";
import { ExpiryHeap } from "./expiry-heap.js";
import { Journal, type Revertible } from "./journal.js";
import { IdIndex, idsOf, withId, withoutId } from "./id-index.js";
import { TicketRow } from "./ticket-row.js";
import { UserState, type Binding } from "./user-state.js";

const NO_STANDING: UserStanding = Object.freeze({ liveHolds: 0, committed: 0 });
const NO_HOLDS: TicketRecord[] = Object.freeze([]) as unknown as TicketRecord[];
const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * A user as kept. Most users have one ticket: while it is all they have (no other ticket, no other
 * binding), the user is that ticket's row — their standing made of its record, their binding the
 * row's — and no state of their own; anything more makes the state (see upgrade).
 */
type UserEntry = UserState | TicketRow;

/** What one ticket counts in its user's standing on its event. */
function standingOf(ticket: TicketRecord): UserStanding {
  if (ticket.status === "reserved") return LIVE_HOLD;
  return ticket.status === "purchased" ? OWNED : NO_STANDING;
}

const LIVE_HOLD: UserStanding = Object.freeze({ liveHolds: 1, committed: 1 });
const OWNED: UserStanding = Object.freeze({ liveHolds: 0, committed: 1 });

function ticketIdsOf(user: UserEntry | undefined): string[] {
  return user instanceof TicketRow ? [user.record.id] : idsOf(user?.ticketIds);
}

/**
 * State in Maps, indexed the way the SQLite schema is, so that every lookup on a hot path is
 * O(1) or O(log n), and lean: a reservation adds a handful of map entries, no closure or copy.
 * Lives as long as the process.
 */
export class MemoryRepository implements SyncRepository, Revertible {
  private readonly events = new Map<string, EventRecord>();
  /** Each seated event's seats: the index the last decision made (decisions change copies). */
  private readonly seats = new Map<string, SeatIndex>();
  /** Event ids in creation order, and each one's place in it: a page starts in O(1). */
  private readonly eventOrder: string[] = [];
  private readonly eventPlace = new Map<string, number>();
  /** Each ticket's row (its place in creation order, SQLite's rowid, lists an order's tickets). */
  private readonly tickets = new Map<string, TicketRow>();
  /**
   * Each user's tickets, standings by event (the counts the per-user rules read, in O(1)) and keys;
   * a user whose one ticket is all they have is that ticket's row (see UserEntry).
   */
  private readonly users = new Map<string, UserEntry>();
  /** The user last looked up (undefined: not in `users`): an operation looks its user up several times. */
  private lastUserId: string | undefined;
  private lastUser: UserEntry | undefined;
  private created = 0;
  private readonly creationRank = (id: string): number => this.tickets.get(id)!.rank;
  private readonly ticketsByEvent = new IdIndex();
  private readonly ticketsByOrder = new IdIndex();
  /** Per event, waiting users in arrival order (Map keeps insertion order). */
  private readonly waitlists = new Map<string, Map<string, WaitlistEntry>>();
  /** The log as the core wrote it (a reservation's entry as its ticket's row); an entry's seq is its place + 1. */
  private readonly log: Array<LogEntry | TicketRow> = [];
  /** By (event, code), in creation order. */
  private readonly vouchers = new Map<string, VoucherRecord>();
  /** Every hold ever made, by expiry; entries whose ticket has moved on are skipped when popped. */
  private readonly holdsByExpiry = new ExpiryHeap();
  /** While a transaction runs: how to undo its writes. */
  private readonly journal = new Journal();
  /**
   * The last ticket and order ids the store's id source made that no write has used yet. Random
   * (82 bits), they name nothing stored: their first write needs no lookup in the large maps.
   */
  private freshTicketId: string | undefined;
  private freshOrderId: string | undefined;
  /** The ids decisions on this store are given (see SyncRunnerOptions). */
  readonly ids: IdSource = {
    ticket: () => (this.freshTicketId = RANDOM_IDS.ticket()),
    order: () => (this.freshOrderId = RANDOM_IDS.order()),
  };

  // Single-threaded and synchronous: nothing can run between the steps of `work`. Atomic as
  // SQLite is: when `work` throws, every write it made is undone, newest first.
  transaction<T>(work: () => T): T {
    this.journal.open();
    try {
      return work();
    } catch (error) {
      this.journal.undo(this);
      throw error;
    } finally {
      this.journal.close();
    }
  }

  readTransaction<T>(work: () => T): T {
    return work();
  }

  findEvent(id: string): EventRecord | undefined {
    return this.events.get(id);
  }

  findSeats(event: EventRecord): SeatIndex | undefined {
    return this.seats.get(event.id);
  }

  listEvents(page?: EventPage): EventRecord[] {
    if (!page) return [...this.events.values()]; // insertion order, as SQLite's rowid order
    const start = page.after === undefined ? 0 : (this.eventPlace.get(page.after) ?? this.eventOrder.length - 1) + 1;
    return this.eventOrder.slice(start, start + page.limit).map((id) => this.events.get(id)!);
  }

  findTicket(id: string): TicketRecord | undefined {
    return this.tickets.get(id)?.record;
  }

  findOrder(orderId: string): TicketRecord[] {
    return this.resolve(this.ticketsByOrder.list(orderId));
  }

  listTickets(filter: TicketFilter): TicketRecord[] {
    const ids = filter.userId !== undefined
      ? ticketIdsOf(this.users.get(filter.userId))
      : filter.eventId !== undefined
        ? this.ticketsByEvent.list(filter.eventId)
        : [...this.tickets.keys()];
    return this.resolve(ids)
      .filter((ticket) =>
        (filter.eventId === undefined || ticket.eventId === filter.eventId) &&
        (filter.status === undefined || ticket.status === filter.status))
      .sort((a, b) => a.reservedAt - b.reservedAt || a.id.localeCompare(b.id));
  }

  findKey(userId: string, key: string): KeyRecord | undefined {
    const user = this.userIfAny(userId);
    if (user instanceof TicketRow) return user.request !== undefined && user.key === key ? user.keyRecord() : undefined;
    return user?.key(key);
  }

  userStanding(userId: string, eventId: string): UserStanding {
    const user = this.userIfAny(userId);
    if (user instanceof TicketRow) return user.record.eventId === eventId ? standingOf(user.record) : NO_STANDING;
    const standing = user?.standing(eventId);
    return standing ? { liveHolds: standing.liveHolds, committed: standing.committed } : NO_STANDING;
  }

  findDueHolds(now: number): TicketRecord[] {
    const heap = this.holdsByExpiry;
    if (heap.peekTime() > now) return NO_HOLDS; // most operations: no array made
    const due: TicketRecord[] = [];
    while (heap.peekTime() <= now) {
      const time = heap.peekTime();
      const id = heap.peekId()!;
      heap.pop();
      this.journal.record(Journal.HEAP_POP, time, id);
      const ticket = this.tickets.get(id)?.record;
      if (ticket?.status === "reserved") due.push(ticket);
    }
    return due;
  }

  mayHaveDueHolds(now: number): boolean {
    return this.holdsByExpiry.peekTime() <= now;
  }

  findWaitlistEntry(eventId: string, userId: string): WaitlistEntry | undefined {
    return this.waitlists.get(eventId)?.get(userId);
  }

  listWaitlist(eventId: string, limit: number): WaitlistEntry[] {
    const line = this.waitlists.get(eventId);
    if (!line) return [];
    const entries: WaitlistEntry[] = [];
    for (const entry of line.values()) {
      if (entries.length >= limit) break;
      entries.push(entry);
    }
    return entries;
  }

  listWaitingUsers(eventId: string, limit: number): WaitingUser[] {
    return this.listWaitlist(eventId, limit).map((entry) => ({ ...entry, standing: this.userStanding(entry.userId, eventId) }));
  }

  listLog(filter: LogFilter): StoredLogEntry[] {
    const found: StoredLogEntry[] = [];
    this.log.forEach((kept, index) => {
      const entry = kept instanceof TicketRow ? kept.logEntry() : kept;
      if ((filter.eventId === undefined || entry.eventId === filter.eventId) && (filter.ticketId === undefined || entry.ticketId === filter.ticketId)) {
        found.push({ ...entry, seq: index + 1 });
      }
    });
    return found;
  }

  findVouchers(eventId: string, codes: readonly string[]): VoucherRecord[] {
    return codes.flatMap((code) => this.vouchers.get(pairKey(eventId, code)) ?? []);
  }

  listVouchers(eventId: string | undefined): VoucherRecord[] {
    return [...this.vouchers.values()].filter((voucher) => eventId === undefined || voucher.eventId === eventId);
  }

  apply(changes: readonly Change[]): void {
    // The rows this apply made: a reservation's log entries and binding may be kept as them.
    let firstNew: TicketRow | undefined;
    let lastNew: TicketRow | undefined;
    for (const change of changes) {
      switch (change.type) {
        case "saveEvent":
          this.saveEvent(change.event);
          break;
        case "saveTicket": {
          const row = this.saveTicket(change.ticket);
          if (row) {
            firstNew ??= row;
            lastNew = row;
          }
          break;
        }
        case "bindKey": {
          const { record } = change;
          const binding: Binding = firstNew?.first.id === record.ticketId && firstNew.takeKey(record) ? firstNew : record;
          // A user who is that row has the binding already; undone, the row stops standing for it.
          const previous = binding === this.userIfAny(record.userId) ? undefined : this.userOf(record.userId).bind(record.key, binding);
          this.journal.record(Journal.KEY, record, previous);
          break;
        }
        case "saveWaitlistEntry": {
          const line = this.waitlistOf(change.entry.eventId);
          this.journal.record(Journal.WAITING, line, [...line]);
          line.set(change.entry.userId, change.entry);
          break;
        }
        case "removeWaitlistEntry": {
          const line = this.waitlists.get(change.eventId);
          if (!line?.has(change.userId)) break;
          this.journal.record(Journal.WAITING, line, [...line]); // restoring keeps everyone's place in line
          line.delete(change.userId);
          break;
        }
        case "appendLog":
          this.log.push(lastNew?.first.id === change.entry.ticketId && lastNew.takeLogEntry(change.entry) ? lastNew : change.entry);
          this.journal.record(Journal.LOG, undefined, undefined);
          break;
        case "saveVoucher": {
          const key = pairKey(change.voucher.eventId, change.voucher.code);
          this.journal.record(Journal.VOUCHER, key, this.vouchers.get(key));
          this.vouchers.set(key, change.voucher);
          break;
        }
        case "saveSeats":
          this.journal.record(Journal.SEATS, change.eventId, this.seats.get(change.eventId));
          this.seats.set(change.eventId, change.seats);
          break;
      }
    }
  }

  close(): void {}

  /** Undoes one journalled write (see Journal). */
  revert(kind: number, a: unknown, b: unknown): void {
    switch (kind) {
      case Journal.EVENT:
        if (b === undefined) {
          this.events.delete(a as string);
          this.eventOrder.pop();
          this.eventPlace.delete(a as string);
        } else {
          this.events.set(a as string, b as EventRecord);
        }
        break;
      case Journal.TICKET:
        this.restoreTicket(a as TicketRecord, b as TicketRecord | undefined);
        break;
      case Journal.KEY: {
        const record = a as KeyRecord;
        const user = this.userIfAny(record.userId);
        if (user instanceof TicketRow) user.request = undefined;
        else user!.unbind(record.key, b as Binding | undefined);
        break;
      }
      case Journal.WAITING: {
        const line = a as Map<string, WaitlistEntry>;
        line.clear();
        for (const [userId, entry] of b as Array<[string, WaitlistEntry]>) line.set(userId, entry);
        break;
      }
      case Journal.LOG:
        this.log.pop();
        break;
      case Journal.HEAP_POP:
        this.holdsByExpiry.push(a as number, b as string);
        break;
      case Journal.SEATS:
        if (b === undefined) this.seats.delete(a as string);
        else this.seats.set(a as string, b as SeatIndex);
        break;
      case Journal.VOUCHER:
        if (b === undefined) this.vouchers.delete(a as string);
        else this.vouchers.set(a as string, b as VoucherRecord);
        break;
    }
  }

  private saveEvent(event: EventRecord): void {
    const previous = this.events.get(event.id);
    if (!previous) this.eventPlace.set(event.id, this.eventOrder.push(event.id) - 1);
    this.events.set(event.id, event);
    this.journal.record(Journal.EVENT, event.id, previous);
  }

  /** Saves `ticket`; answers its row when the ticket is new. */
  private saveTicket(ticket: TicketRecord): TicketRow | undefined {
    const fresh = ticket.id === this.freshTicketId;
    if (fresh) this.freshTicketId = undefined;
    const stored = fresh ? undefined : this.tickets.get(ticket.id);
    const previous = stored?.record;
    // A change of a ticket replaces its record in its row: the map is written only for a new one.
    let row: TicketRow | undefined;
    if (stored) stored.record = ticket;
    else this.tickets.set(ticket.id, (row = new TicketRow(ticket, this.created++)));
    this.reindex(previous, ticket, row);
    this.journal.record(Journal.TICKET, ticket, previous);
    // A heap entry left by an undone ticket is harmless: findDueHolds skips ids it cannot find.
    if (!previous && ticket.status === "reserved") this.holdsByExpiry.push(ticket.expiresAt, ticket.id);
    return row;
  }

  /** Undoes saveTicket: `saved` back to `previous`, or removed when it was new. */
  private restoreTicket(saved: TicketRecord, previous: TicketRecord | undefined): void {
    // Its indexes first, while its entry (and its place in creation order) is still there.
    this.reindex(saved, previous);
    if (previous) this.tickets.get(saved.id)!.record = previous;
    else this.tickets.delete(saved.id);
  }

  /**
   * Moves the indexes and standings from `before` to `after` of one ticket (either may be absent;
   * `created`: the row of a new ticket).
   */
  private reindex(before: TicketRecord | undefined, after: TicketRecord | undefined, created?: TicketRow): void {
    const ticket = (after ?? before)!;
    this.ticketsByEvent.move(ticket.id, before?.eventId, after?.eventId);
    const freshOrder = after !== undefined && after.orderId === this.freshOrderId;
    if (freshOrder) this.freshOrderId = undefined;
    this.ticketsByOrder.move(ticket.id, before?.orderId, after?.orderId, this.creationRank, freshOrder);
    if (before && after && before.userId === after.userId) {
      // A user who is this ticket's row has standings made of its record: nothing to count.
      if (!this.isSoleTicket(before)) {
        this.addStanding(before, -1);
        this.addStanding(after, 1);
      }
      return;
    }
    if (before) this.takeFromUser(before, after === undefined);
    if (after) this.giveToUser(after, created);
  }

  /** Whether `ticket`'s user is its row. */
  private isSoleTicket(ticket: TicketRecord): boolean {
    const user = this.userIfAny(ticket.userId);
    return user instanceof TicketRow && user.first.id === ticket.id;
  }

  /** `ticket` (as it was) is no longer its user's: `gone` when its creation is undone. */
  private takeFromUser(ticket: TicketRecord, gone: boolean): void {
    if (this.isSoleTicket(ticket)) {
      // Made with the ticket (a user is a row only then): they go with it.
      if (gone) {
        this.remember(ticket.userId, undefined);
        return;
      }
      this.upgrade(ticket.userId, this.userIfAny(ticket.userId) as TicketRow, ticket);
    }
    const user = this.userOf(ticket.userId);
    user.ticketIds = withoutId(user.ticketIds, ticket.id);
    this.addStanding(ticket, -1);
  }

  /** `ticket` is its user's; a user who had nothing is its row (`created`), when it is new. */
  private giveToUser(ticket: TicketRecord, created: TicketRow | undefined): void {
    if (created && this.userIfAny(ticket.userId) === undefined) {
      this.remember(ticket.userId, created);
      return;
    }
    const user = this.userOf(ticket.userId);
    user.ticketIds = withId(user.ticketIds, ticket.id);
    this.addStanding(ticket, 1);
  }

  private addStanding(ticket: TicketRecord, sign: 1 | -1): void {
    const { liveHolds, committed } = standingOf(ticket);
    if (committed !== 0) this.userOf(ticket.userId).addStanding(ticket.eventId, sign * liveHolds, sign * committed);
  }

  private userIfAny(userId: string): UserEntry | undefined {
    if (userId === this.lastUserId) return this.lastUser;
    // Kept found or not: a new user's reservation asks three times before it adds them (every
    // change of `users` goes through remember, which updates this too).
    const user = this.users.get(userId);
    this.lastUserId = userId;
    this.lastUser = user;
    return user;
  }

  /** The user's state, made (or made of the row they were) when there is none. */
  private userOf(userId: string): UserState {
    const user = this.userIfAny(userId);
    if (user instanceof UserState) return user;
    return user ? this.upgrade(userId, user, user.record) : this.remember(userId, new UserState());
  }

  /** A user who was `row` becomes a state: the row's ticket (`asOf`: as it stands), its binding. */
  private upgrade(userId: string, row: TicketRow, asOf: TicketRecord): UserState {
    const user = new UserState();
    user.ticketIds = asOf.id;
    const { liveHolds, committed } = standingOf(asOf);
    if (committed !== 0) user.addStanding(asOf.eventId, liveHolds, committed);
    if (row.request !== undefined) user.bind(row.key!, row);
    return this.remember(userId, user);
  }

  /** Sets (or, undefined, removes) a user's entry. */
  private remember<T extends UserEntry | undefined>(userId: string, user: T): T {
    if (user === undefined) this.users.delete(userId);
    else this.users.set(userId, user);
    this.lastUserId = userId;
    this.lastUser = user;
    return user;
  }

  private waitlistOf(eventId: string): Map<string, WaitlistEntry> {
    let waitlist = this.waitlists.get(eventId);
    if (!waitlist) this.waitlists.set(eventId, (waitlist = new Map()));
    return waitlist;
  }

  private resolve(ids: readonly string[]): TicketRecord[] {
    return ids.map((id) => this.tickets.get(id)!.record);
  }
}
