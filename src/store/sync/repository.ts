import type { DecidedChange, EventPage, EventRecord, EventsByStart, KeyRecord, SeatIndex, TicketRecord, UserStanding, VoucherRecord, WaitingUser, WaitlistEntry } from "../../core/index.js";
import type { LogFilter, LogPage, TicketIdPrefix, LogTimeSpan, StoredLogEntry, TicketFilter, TicketPage, TierTotals, VoucherPage } from "../../core/index.js";
import type { Reader } from "../runner.js";

/**
 * Row access for stores whose driver is synchronous (memory, better-sqlite3). Because nothing here
 * awaits, a whole operation runs inside one `transaction` call and cannot interleave with another.
 */
export interface SyncRepository extends Reader {
  /** Runs `work` atomically, holding the store's write lock from the start. */
  transaction<T>(work: () => T): T;
  /** Runs `work` on one consistent state without taking the write lock (it only reads). */
  readTransaction<T>(work: () => T): T;
  /**
   * Opens a read transaction left open across calls (a reading session's), ended by `endRead`;
   * the state it sees is fixed by its first read. No write may run until it is ended.
   */
  beginRead(): void;
  /** Ends what beginRead opened (nothing when it is not open). */
  endRead(): void;

  findEvent(id: string): EventRecord | undefined;
  /** A seated event's seats as stored now (never changed by the caller); undefined for general admission. */
  findSeats(event: EventRecord): SeatIndex | undefined;
  /** Oldest first; with a page, at most `limit` events after the event `after`. */
  listEvents(page?: EventPage): EventRecord[];
  listEventIds(prefix: string, limit: number): string[];
  listEventsByStart(query: EventsByStart): EventRecord[];
  countEvents(): number;
  findTicket(id: string): TicketRecord | undefined;
  /** The tickets of an order, in the order they were made. */
  findOrder(orderId: string): TicketRecord[];
  listTickets(filter: TicketFilter, page?: TicketPage): TicketRecord[];
  listTicketsByIdPrefix(request: TicketIdPrefix): TicketRecord[];
  countTickets(filter: TicketFilter): number;
  ticketsHaveSeats(filter: TicketFilter, limit: number | undefined): boolean;
  findKey(userId: string, key: string): KeyRecord | undefined;
  /** Counts of the user's tickets stored as `reserved`, and as `reserved` or `purchased`, for the event. */
  userStanding(userId: string, eventId: string): UserStanding;
  /** Tickets stored as `reserved` whose expiry is at or before `now`, found through an index. */
  findDueHolds(now: number): TicketRecord[];
  /** Whether findDueHolds(now) may find any (a cheap check that writes nothing). */
  mayHaveDueHolds(now: number): boolean;
  findWaitlistEntry(eventId: string, userId: string): WaitlistEntry | undefined;
  /** First in line first; at most `perTier` entries of each tier (all of them: MAX_SAFE_INTEGER). */
  listWaitlist(eventId: string, perTier: number): WaitlistEntry[];
  /** The same, each with the user's standing on the event (see userStanding). */
  listWaitingUsers(eventId: string, limit: number): WaitingUser[];
  listLog(filter: LogFilter, page?: LogPage): StoredLogEntry[];
  ticketTotals(eventId: string): TierTotals[];
  logTimeSpan(eventId: string, action: string): LogTimeSpan | undefined;
  countLogPerBucket(eventId: string, action: string, size: number, offset: number): Array<{ bucket: number; count: number }>;
  /** The event's vouchers with these codes (those that exist). */
  findVouchers(eventId: string, codes: readonly string[]): VoucherRecord[];
  listVouchers(eventId: string | undefined, page?: VoucherPage): VoucherRecord[];

  /** A decision's changes (a reservation's as one record, see ReserveChange), or holds released. */
  apply(changes: readonly DecidedChange[]): void;
  close(): void;
}
