import type { DecidedChange, EventPage, EventRecord, EventsByStart, KeyRecord, LogEntry, SeatIndex, TicketRecord, UserStanding, ReserveChange, VoucherRecord, WaitingUser, WaitlistEntry } from "../../core/index.js";
import type { LogFilter, LogPage, LogTimeSpan, StoredLogEntry, TicketFilter, TicketIdPrefix, TicketPage, TierTotals, VoucherPage } from "../../core/index.js";
import { leftLineByReserving, logReserved, tierTotalsOf } from "../../core/index.js";
import type { SyncRepository } from "../sync/repository.js";
import { ChunkedColumn } from "./chunked-column.js";
import { ExpiryHeap } from "./expiry-heap.js";
import { Journal, type Revertible } from "./journal.js";
import { IdIndex, idsOf } from "./id-index.js";
import { keyRecordOf, logEntryOf, takeKey, takeLogEntry } from "./row-stand-ins.js";
import { RowsByKey } from "./rows-by-key.js";
import { SortedStrings } from "./sorted-strings.js";
import { StringMap } from "./string-map.js";
import { TicketTable } from "./ticket-table.js";
import { TwinIds, isTwin, twinTicketId } from "./twin-ids.js";
import { UserState, type Binding } from "./user-state.js";

const NO_STANDING: UserStanding = Object.freeze({ liveHolds: 0, committed: 0 });
const NO_HOLDS: TicketRecord[] = Object.freeze([]) as unknown as TicketRecord[];
const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;
/** No user id is empty: the user last looked up before any lookup (a string, as every later one is). */
const NO_USER = "";

/**
 * A user as kept. Most users have one ticket: while it is all they have (no other ticket, no other
 * binding), the user is that ticket's row number — their standing made of its record, their
 * binding the row's — and no state of their own; anything more makes the state (see upgrade).
 */
type UserEntry = UserState | number;

/** What one ticket counts in its user's standing on its event. */
function standingOf(ticket: TicketRecord): UserStanding {
  return standingOfStatus(ticket.status);
}

function standingOfStatus(status: TicketRecord["status"]): UserStanding {
  if (status === "reserved") return LIVE_HOLD;
  return status === "purchased" ? OWNED : NO_STANDING;
}

const LIVE_HOLD: UserStanding = Object.freeze({ liveHolds: 1, committed: 1 });
const OWNED: UserStanding = Object.freeze({ liveHolds: 0, committed: 1 });

/**
 * The order under which the index of orders lists the ticket `ticketId` as `ticket` has it: none
 * when the ticket is its order's twin (found through the ticket, see TwinIds).
 */
function orderIndexed(ticketId: string, ticket: TicketRecord | undefined): string | undefined {
  return ticket === undefined || isTwin(ticketId, ticket.orderId) ? undefined : ticket.orderId;
}

/** What a ticket in row `row` counts in its user's standing on its event. */
function standingOfRow(tickets: TicketTable, row: number, eventId: string): UserStanding {
  const { eventId: ticketEvent, status } = tickets.commonOf(row);
  return ticketEvent === eventId ? standingOfStatus(status) : NO_STANDING;
}

/**
 * The store's ids (see TwinIds), with the last ticket and order ids made that no write has used
 * yet. Random (82 bits), they name nothing stored: their first write needs no lookup in the large
 * maps. A class, where closures were one call target per store: the optimised code of a decision
 * deoptimised at the first reservation on each new store.
 */
class FreshIds extends TwinIds {
  freshTicketId: string | undefined;
  freshOrderId: string | undefined;

  override ticket(): string {
    return (this.freshTicketId = super.ticket());
  }

  override order(): string {
    return (this.freshOrderId = super.order());
  }
}

/**
 * State in Maps and a table of ticket rows (see TicketTable), indexed the way the SQLite schema
 * is, so that every lookup on a hot path is O(1) or O(log n), and lean: a reservation adds a row,
 * its user's entry and a few array slots, no closure or copy. Lives as long as the process.
 */
export class MemoryRepository implements SyncRepository, Revertible {
  private readonly events = new Map<string, EventRecord>();
  /** Each seated event's seats: the index the last decision made (decisions change copies). */
  private readonly seats = new Map<string, SeatIndex>();
  /**
   * Event ids in creation order, and each one's place in it: a page starts in O(1). A column, not
   * an array: a new store's empty array holds small integers until its first id, and that push
   * deoptimised the code that applies changes, store after store.
   */
  private readonly eventOrder = new ChunkedColumn<string>();
  private readonly eventPlace = new Map<string, number>();
  /** Event ids in id order: those with a prefix (shell completion) found without looking at every id. */
  private readonly eventIds = new SortedStrings();
  /** Tickets by row (a row's number is its place in creation order, SQLite's rowid, lists an order's tickets). */
  private readonly tickets = new TicketTable();
  /**
   * Each user's tickets, standings by event (the counts the per-user rules read, in O(1)) and keys;
   * a user whose one ticket is all they have is that ticket's row (see UserEntry).
   */
  private readonly users = new StringMap<UserEntry>();
  /** The user last looked up (undefined: not in `users`): an operation looks its user up several times. */
  private lastUserId = NO_USER;
  private lastUser: UserEntry | undefined;
  private readonly creationRank = (id: string): number => this.tickets.rowOf(id)!;
  private readonly ticketsByEvent = new RowsByKey();
  private readonly ticketsByOrder = new IdIndex();
  /** Per event, waiting users in arrival order (Map keeps insertion order). */
  private readonly waitlists = new Map<string, Map<string, WaitlistEntry>>();
  /** The log as the core wrote it (a reservation's entry as its ticket's row number); an entry's seq is its place + 1. */
  private readonly log = new ChunkedColumn<LogEntry | number>();
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
  /** The ids decisions on this store are given (see SyncRunnerOptions). */
  readonly ids = new FreshIds();

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

  /**
   * Nothing to open: the state lives in this process, each read is synchronous (no write runs in
   * the middle of one), and the runner refuses writes while a session is open, so a session's
   * reads see the state as it opened.
   */
  beginRead(): void {}

  endRead(): void {}

  findEvent(id: string): EventRecord | undefined {
    return this.events.get(id);
  }

  findSeats(event: EventRecord): SeatIndex | undefined {
    return this.seats.get(event.id);
  }

  listEvents(page?: EventPage): EventRecord[] {
    if (!page) return [...this.events.values()]; // insertion order, as SQLite's rowid order
    const start = page.after === undefined ? 0 : (this.eventPlace.get(page.after) ?? this.eventOrder.length - 1) + 1;
    const events: EventRecord[] = [];
    for (let place = start; place < Math.min(start + page.limit, this.eventOrder.length); place++) events.push(this.events.get(this.eventOrder.get(place))!);
    return events;
  }

  listEventsByStart({ part, now, limit }: EventsByStart): EventRecord[] {
    const all = [...this.events.values()];
    // Array#sort is stable: ties keep the order of creation.
    const found = part === "undated" ? all.filter((event) => event.startsAt === null)
      : part === "ahead" ? all.filter((event) => event.startsAt !== null && event.startsAt >= now).sort((a, b) => a.startsAt! - b.startsAt!)
      : all.filter((event) => event.startsAt !== null && event.startsAt < now).sort((a, b) => b.startsAt! - a.startsAt!);
    return found.slice(0, limit);
  }

  countEvents(): number {
    return this.events.size;
  }

  /** Through the ids kept sorted: O(log n + limit). */
  listEventIds(prefix: string, limit: number): string[] {
    return this.eventIds.startingWith(prefix, limit);
  }

  findTicket(id: string): TicketRecord | undefined {
    const row = this.tickets.rowOf(id);
    return row === undefined ? undefined : this.tickets.record(row);
  }

  findOrder(orderId: string): TicketRecord[] {
    const ids = this.ticketsByOrder.list(orderId);
    // Its twin ticket, when in the order, is not in the index (see orderIndexed): it goes in its place by creation.
    const twinId = twinTicketId(orderId);
    const twin = twinId === undefined ? undefined : this.tickets.rowOf(twinId);
    if (twin !== undefined && this.tickets.isInOrder(twin, orderId)) {
      let at = ids.length;
      while (at > 0 && this.creationRank(ids[at - 1]!) > twin) at -= 1;
      ids.splice(at, 0, twinId!);
    }
    return this.resolve(ids);
  }

  listTickets(filter: TicketFilter, page?: TicketPage): TicketRecord[] {
    if (page) return this.ticketPage(filter, page);
    const found = filter.userId !== undefined
      ? this.resolve(this.ticketIdsOf(this.users.get(filter.userId)))
      : filter.eventId !== undefined
        ? this.ticketsByEvent.list(filter.eventId).map((row) => this.tickets.record(row))
        : Array.from(this.tickets.allRows(), (row) => this.tickets.record(row));
    return found
      .filter((ticket) =>
        (filter.eventId === undefined || ticket.eventId === filter.eventId) &&
        (filter.status === undefined || ticket.status === filter.status))
      .sort(compareTickets);
  }

  /** Through the user's ids kept sorted (see UserState.idsStartingWith): O(log n + limit). */
  listTicketsByIdPrefix({ userId, prefix, after, limit }: TicketIdPrefix): TicketRecord[] {
    const user = this.userIfAny(userId);
    if (typeof user !== "number") return this.resolve(user?.idsStartingWith(prefix, after, limit) ?? []);
    const id = this.tickets.idOf(user);
    return id.startsWith(prefix) && (after === undefined || id > after) && limit > 0 ? [this.tickets.record(user)] : [];
  }

  ticketsHaveSeats(filter: TicketFilter, limit: number | undefined): boolean {
    const tickets = limit === undefined ? this.listTickets(filter) : this.ticketPage(filter, { limit });
    return tickets.some((ticket) => ticket.seat !== null);
  }

  /** Counted from what each row shares with others (its event, status): no record is made. */
  countTickets(filter: TicketFilter): number {
    if (filter.userId === undefined && filter.eventId === undefined && filter.status === undefined) return this.tickets.count;
    let count = 0;
    for (const row of this.candidateRows(filter)) {
      const { eventId, status } = this.tickets.commonOf(row);
      if ((filter.eventId === undefined || eventId === filter.eventId) && (filter.status === undefined || status === filter.status)) count++;
    }
    return count;
  }

  /** The rows a filtered list is among: the user's, else the event's, else every row. */
  private candidateRows(filter: TicketFilter): Iterable<number> {
    return filter.userId !== undefined
      ? this.ticketIdsOf(this.users.get(filter.userId)).map((id) => this.tickets.rowOf(id)!)
      : filter.eventId !== undefined ? this.ticketsByEvent.list(filter.eventId) : this.tickets.allRows();
  }

  /** The first `limit` after the cursor, kept sorted as they are found: tickets come mostly in order, so few are moved. */
  private ticketPage(filter: TicketFilter, { limit, after: afterId }: TicketPage): TicketRecord[] {
    const after = afterId === undefined ? undefined : this.findTicket(afterId);
    if (afterId !== undefined && !after) return [];
    const page: TicketRecord[] = [];
    for (const row of this.candidateRows(filter)) {
      const ticket = this.tickets.record(row);
      if ((filter.eventId !== undefined && ticket.eventId !== filter.eventId) || (filter.status !== undefined && ticket.status !== filter.status)) continue;
      if (after && compareTickets(ticket, after) <= 0) continue;
      keepFirst(page, ticket, limit, compareTickets);
    }
    return page;
  }

  findKey(userId: string, key: string): KeyRecord | undefined {
    const user = this.userIfAny(userId);
    const binding = typeof user === "number"
      ? (this.tickets.requestOf(user) !== undefined && this.tickets.keyOf(user) === key ? user : undefined)
      : user?.binding(key);
    return typeof binding === "number" ? keyRecordOf(this.tickets, binding) : binding;
  }

  userStanding(userId: string, eventId: string): UserStanding {
    const user = this.userIfAny(userId);
    if (typeof user === "number") return standingOfRow(this.tickets, user, eventId);
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
      const row = this.tickets.rowOf(id);
      if (row !== undefined && this.tickets.commonOf(row).status === "reserved") due.push(this.tickets.record(row));
    }
    return due;
  }

  mayHaveDueHolds(now: number): boolean {
    return this.holdsByExpiry.peekTime() <= now;
  }

  findWaitlistEntry(eventId: string, userId: string): WaitlistEntry | undefined {
    return this.waitlists.get(eventId)?.get(userId);
  }

  waitlistPosition(eventId: string, userId: string): number {
    const line = this.waitlists.get(eventId);
    if (!line?.has(userId)) return 0;
    let place = 0;
    for (const waiting of line.keys()) {
      place++;
      if (waiting === userId) break;
    }
    return place;
  }

  listWaitlist(eventId: string, perTier: number): WaitlistEntry[] {
    const line = this.waitlists.get(eventId);
    if (!line) return [];
    if (line.size <= perTier) return [...line.values()];
    const taken = new Map<string, number>();
    const entries: WaitlistEntry[] = [];
    for (const entry of line.values()) {
      const ofTier = taken.get(entry.tier) ?? 0;
      if (ofTier >= perTier) continue;
      taken.set(entry.tier, ofTier + 1);
      entries.push(entry);
    }
    return entries;
  }

  listWaitingUsers(eventId: string, limit: number): WaitingUser[] {
    return this.listWaitlist(eventId, limit).map((entry) => ({ ...entry, standing: this.userStanding(entry.userId, eventId) }));
  }

  listLog(filter: LogFilter, page?: LogPage): StoredLogEntry[] {
    const found: StoredLogEntry[] = [];
    if (page) {
      for (let index = page.after ?? 0; index < this.log.length && found.length < page.limit; index++) {
        const entry = this.logEntryMatching(index, filter);
        if (entry) found.push({ ...entry, seq: index + 1 });
      }
      return found;
    }
    const latest = filter.latest ?? Number.POSITIVE_INFINITY;
    // From the newest back: `latest` entries of a long log are found without walking all of it.
    for (let index = this.log.length - 1; index >= 0 && found.length < latest; index--) {
      const entry = this.logEntryMatching(index, filter);
      if (entry) found.push({ ...entry, seq: index + 1 });
    }
    return found.reverse();
  }

  ticketTotals(eventId: string): TierTotals[] {
    return tierTotalsOf(this.ticketsByEvent.list(eventId).map((row) => this.tickets.record(row)));
  }

  logTimeSpan(eventId: string, action: string): LogTimeSpan | undefined {
    let span: LogTimeSpan | undefined;
    this.eachLogTime(eventId, action, (at) => {
      if (!span) span = { first: at, last: at, count: 1 };
      else span = { first: Math.min(span.first, at), last: Math.max(span.last, at), count: span.count + 1 };
    });
    return span;
  }

  countLogPerBucket(eventId: string, action: string, size: number, offset: number): Array<{ bucket: number; count: number }> {
    const counts = new Map<number, number>();
    this.eachLogTime(eventId, action, (at) => {
      const bucket = Math.floor((at + offset) / size);
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    });
    return [...counts].sort(([a], [b]) => a - b).map(([bucket, count]) => ({ bucket, count }));
  }

  private eachLogTime(eventId: string, action: string, use: (at: number) => void): void {
    for (let index = 0; index < this.log.length; index++) {
      const entry = this.logEntryMatching(index, { eventId });
      if (entry && entry.action === action) use(entry.at);
    }
  }

  countLog(filter: LogFilter): number {
    let count = 0;
    for (let index = 0; index < this.log.length; index++) if (this.logEntryMatching(index, filter)) count++;
    return count;
  }

  private logEntryMatching(index: number, filter: LogFilter): LogEntry | undefined {
    const kept = this.log.get(index)!;
    const entry = typeof kept === "number" ? logEntryOf(this.tickets, kept) : kept;
    const matches = (filter.eventId === undefined || entry.eventId === filter.eventId) && (filter.ticketId === undefined || entry.ticketId === filter.ticketId);
    return matches ? entry : undefined;
  }

  findVouchers(eventId: string, codes: readonly string[]): VoucherRecord[] {
    return codes.flatMap((code) => this.vouchers.get(pairKey(eventId, code)) ?? []);
  }

  listVouchers(eventId: string | undefined, page?: VoucherPage): VoucherRecord[] {
    const all = [...this.vouchers.values()].filter((voucher) => eventId === undefined || voucher.eventId === eventId);
    if (eventId === undefined || !page) return all;
    const start = page.after === undefined ? 0 : all.findIndex((voucher) => voucher.code === page.after) + 1;
    return page.after !== undefined && start === 0 ? [] : all.slice(start, start + page.limit);
  }

  apply(changes: readonly DecidedChange[]): void {
    // The rows this apply made (and their tickets): a reservation's log entries and binding may be kept as them.
    let firstNew: number | undefined;
    let firstTicket: TicketRecord | undefined;
    let lastNew: number | undefined;
    let lastTicket: TicketRecord | undefined;
    for (const change of changes) {
      switch (change.type) {
        case "reserve":
          this.reserve(change);
          break;
        case "saveEvent":
          this.saveEvent(change.event);
          break;
        case "saveTicket": {
          const row = this.saveTicket(change.ticket);
          if (row !== undefined) {
            if (firstNew === undefined) {
              firstNew = row;
              firstTicket = change.ticket;
            }
            lastNew = row;
            lastTicket = change.ticket;
          }
          break;
        }
        case "bindKey": {
          const { record } = change;
          const binding: Binding = firstTicket?.id === record.ticketId && takeKey(this.tickets, firstNew!, firstTicket, record) ? firstNew! : record;
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
        case "removeWaitlistEntry":
          this.removeWaitlistEntry(change.eventId, change.userId);
          break;
        case "appendLog":
          this.log.push(lastTicket?.id === change.entry.ticketId && takeLogEntry(this.tickets, lastNew!, lastTicket, change.entry) ? lastNew! : change.entry);
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
          this.eventIds.delete(a as string);
          this.ticketsByEvent.closeIfEmpty(a as string);
        } else {
          this.events.set(a as string, b as EventRecord);
        }
        break;
      case Journal.TICKET:
        this.restoreTicket(a as TicketRecord, b as TicketRecord | undefined);
        break;
      case Journal.KEY: {
        const record = a as KeyRecord;
        this.unbind(record.userId, record.key, b as Binding | undefined);
        break;
      }
      case Journal.RESERVE_KEY: {
        const change = a as ReserveChange;
        this.unbind(change.tickets[0]!.userId, change.key, b as Binding | undefined);
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

  /**
   * A reservation's record (see ReserveChange), applied as its changes are (see reservationChanges)
   * with no object made for them: a new ticket's row stands for its log entry and, the first's,
   * for the binding (see row-stand-ins.ts); a ticket that was stored (never, with fresh ids) keeps
   * them as records.
   */
  private reserve(change: ReserveChange): void {
    const { tickets, key } = change;
    const first = tickets[0]!;
    const { userId, reservedAt: at } = first;
    let firstRow: number | undefined;
    for (const ticket of tickets) {
      const row = this.saveTicket(ticket);
      if (ticket === first) firstRow = row;
      if (row === undefined || ticket.reservedAt !== at || ticket.userId !== userId) {
        this.log.push((logReserved(at, userId, ticket, key) as { entry: LogEntry }).entry);
      } else {
        this.tickets.setKey(row, key);
        this.log.push(row);
      }
      this.journal.record(Journal.LOG, undefined, undefined);
    }
    this.saveEvent(change.event);
    let binding: Binding;
    if (firstRow !== undefined && this.tickets.requestOf(firstRow) === undefined) {
      this.tickets.setRequest(firstRow, change.request);
      binding = firstRow;
    } else {
      binding = { userId, key, request: change.request, ticketId: first.id, orderId: first.orderId, createdAt: at };
    }
    // A user who is that row has the binding already; undone, the row stops standing for it.
    const previous = binding === this.userIfAny(userId) ? undefined : this.userOf(userId).bind(key, binding);
    this.journal.record(Journal.RESERVE_KEY, change, previous);
    if (change.leavesWaitlist !== null) this.apply(leftLineByReserving(change.event.id, userId, change.leavesWaitlist, at));
  }

  private removeWaitlistEntry(eventId: string, userId: string): void {
    const line = this.waitlists.get(eventId);
    if (!line?.has(userId)) return;
    this.journal.record(Journal.WAITING, line, [...line]); // restoring keeps everyone's place in line
    line.delete(userId);
  }

  private unbind(userId: string, key: string, previous: Binding | undefined): void {
    const user = this.userIfAny(userId);
    if (typeof user === "number") this.tickets.setRequest(user, undefined);
    else user!.unbind(key, previous);
  }

  private saveEvent(event: EventRecord): void {
    const previous = this.events.get(event.id);
    if (!previous) {
      this.eventPlace.set(event.id, this.eventOrder.length);
      this.eventOrder.push(event.id);
      this.eventIds.add(event.id);
      this.ticketsByEvent.open(event.id);
    }
    this.events.set(event.id, event);
    this.journal.record(Journal.EVENT, event.id, previous);
  }

  /** Saves `ticket`; answers its row when the ticket is new. */
  private saveTicket(ticket: TicketRecord): number | undefined {
    const fresh = ticket.id === this.ids.freshTicketId;
    if (fresh) this.ids.freshTicketId = undefined;
    const stored = fresh ? undefined : this.tickets.rowOf(ticket.id);
    const previous = stored === undefined ? undefined : this.tickets.record(stored);
    // A change of a ticket is written over its row: the map of rows is written only for a new one.
    let row: number | undefined;
    if (stored !== undefined) this.tickets.replace(stored, ticket);
    else row = this.tickets.add(ticket);
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
    const row = this.tickets.rowOf(saved.id)!;
    if (previous) this.tickets.replace(row, previous);
    else this.tickets.remove(saved.id, row);
  }

  /**
   * Moves the indexes and standings from `before` to `after` of one ticket (either may be absent;
   * `created`: the row of a new ticket).
   */
  private reindex(before: TicketRecord | undefined, after: TicketRecord | undefined, created?: number): void {
    const ticket = (after ?? before)!;
    if (before?.eventId !== after?.eventId) {
      const row = created ?? this.tickets.rowOf(ticket.id)!;
      if (before) this.ticketsByEvent.remove(before.eventId, row);
      if (after) this.ticketsByEvent.add(after.eventId, row);
    }
    const freshOrder = after !== undefined && after.orderId === this.ids.freshOrderId;
    if (freshOrder) this.ids.freshOrderId = undefined;
    this.ticketsByOrder.move(ticket.id, orderIndexed(ticket.id, before), orderIndexed(ticket.id, after), before && this.creationRank, freshOrder);
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
    return typeof user === "number" && this.tickets.idOf(user) === ticket.id;
  }

  /** `ticket` (as it was) is no longer its user's: `gone` when its creation is undone. */
  private takeFromUser(ticket: TicketRecord, gone: boolean): void {
    if (this.isSoleTicket(ticket)) {
      // Made with the ticket (a user is a row only then): they go with it.
      if (gone) {
        this.remember(ticket.userId, undefined);
        return;
      }
      this.upgrade(ticket.userId, this.userIfAny(ticket.userId) as number, ticket);
    }
    const user = this.userOf(ticket.userId);
    user.removeTicket(ticket.id);
    this.addStanding(ticket, -1);
  }

  /** `ticket` is its user's; a user who had nothing is its row (`created`), when it is new. */
  private giveToUser(ticket: TicketRecord, created: number | undefined): void {
    if (created !== undefined && this.userIfAny(ticket.userId) === undefined) {
      this.remember(ticket.userId, created);
      return;
    }
    const user = this.userOf(ticket.userId);
    user.addTicket(ticket.id);
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
    return user === undefined ? this.remember(userId, new UserState()) : this.upgrade(userId, user, this.tickets.record(user));
  }

  /** A user who was `row` becomes a state: the row's ticket (`asOf`: as it stands), its binding. */
  private upgrade(userId: string, row: number, asOf: TicketRecord): UserState {
    const user = new UserState();
    user.addTicket(asOf.id);
    const { liveHolds, committed } = standingOf(asOf);
    if (committed !== 0) user.addStanding(asOf.eventId, liveHolds, committed);
    if (this.tickets.requestOf(row) !== undefined) user.bind(this.tickets.keyOf(row)!, row);
    return this.remember(userId, user);
  }

  /** Sets (or, undefined, removes) a user's entry. */
  private remember<T extends UserEntry | undefined>(userId: string, user: T): T {
    if (user === undefined) this.users.delete(userId);
    // The user just looked up and not found (see userIfAny) is added without a second lookup.
    else if (userId === this.lastUserId && this.lastUser === undefined) this.users.add(userId, user);
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
    return ids.map((id) => this.tickets.record(this.tickets.rowOf(id)!));
  }

  private ticketIdsOf(user: UserEntry | undefined): string[] {
    return typeof user === "number" ? [this.tickets.idOf(user)] : idsOf(user?.ticketIds);
  }
}

/** A ticket list's order: reservation time, then id (as SQL's ORDER BY reserved_at, id compares text). */
function compareTickets(a: TicketRecord, b: TicketRecord): number {
  return a.reservedAt - b.reservedAt || compareCodePoints(a.id, b.id);
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Adds `item` to `kept` (sorted, at most `limit`) when it is among the first `limit` seen: found from the end, as items come mostly in order. */
function keepFirst<T>(kept: T[], item: T, limit: number, compare: (a: T, b: T) => number): void {
  if (kept.length >= limit && compare(item, kept[kept.length - 1]!) >= 0) return;
  let at = kept.length;
  while (at > 0 && compare(kept[at - 1]!, item) > 0) at -= 1;
  kept.splice(at, 0, item);
  if (kept.length > limit) kept.pop();
}
