import type { EventPage, EventRecord, EventsByStart, KeyRecord, LogFilter, TicketIdPrefix, LogPage, LogTimeSpan, SeatIndex, StoredLogEntry, TicketFilter, TicketPage, TicketRecord, TierTotals, VoucherPage, VoucherRecord, WaitlistEntry } from "../core/index.js";
import type { Operation } from "./operations.js";

/** What a read may look at; a synchronous store answers values, PostgreSQL promises. */
export interface Reader {
  findEvent(id: string): EventRecord | undefined | Promise<EventRecord | undefined>;
  /** A seated event's seats (read only); undefined for general admission. */
  findSeats(event: EventRecord): SeatIndex | undefined | Promise<SeatIndex | undefined>;
  /** Oldest first; with a page, at most `limit` events after the event `after`. */
  listEvents(page?: EventPage): EventRecord[] | Promise<EventRecord[]>;
  /** The ids starting with `prefix`, in id order, at most `limit`. */
  listEventIds(prefix: string, limit: number): string[] | Promise<string[]>;
  /** One part of the planning order (PLANNING_ORDER). */
  listEventsByStart(query: EventsByStart): EventRecord[] | Promise<EventRecord[]>;
  countEvents(): number | Promise<number>;
  findTicket(id: string): TicketRecord | undefined | Promise<TicketRecord | undefined>;
  /** The tickets of an order, in the order they were made. */
  findOrder(orderId: string): TicketRecord[] | Promise<TicketRecord[]>;
  /** Oldest first (reservation time, then id); with a page, at most `limit` after the ticket `after`. */
  listTickets(filter: TicketFilter, page?: TicketPage): TicketRecord[] | Promise<TicketRecord[]>;
  /** A user's tickets whose id starts with the prefix, in id order, after `after`, at most `limit` (TixStore.listTicketsByIdPrefix). */
  listTicketsByIdPrefix(request: TicketIdPrefix): TicketRecord[] | Promise<TicketRecord[]>;
  /** How many tickets the filter matches. */
  countTickets(filter: TicketFilter): number | Promise<number>;
  /** Whether any of the list's first `limit` tickets (all when undefined) has a seat. */
  ticketsHaveSeats(filter: TicketFilter, limit: number | undefined): boolean | Promise<boolean>;
  findKey(userId: string, key: string): KeyRecord | undefined | Promise<KeyRecord | undefined>;
  /** First in line first; at most `perTier` entries of each tier (all of them: MAX_SAFE_INTEGER). */
  listWaitlist(eventId: string, perTier: number): WaitlistEntry[] | Promise<WaitlistEntry[]>;
  /** The user's place in the line, from 1; 0 when not waiting. */
  waitlistPosition(eventId: string, userId: string): number | Promise<number>;
  /** Oldest first; with `latest`, only the newest that many; with a page, at most `limit` after the entry `after`. */
  listLog(filter: LogFilter, page?: LogPage): StoredLogEntry[] | Promise<StoredLogEntry[]>;
  /** An event's tickets summed per tier (tierTotalsOf's sums). */
  ticketTotals(eventId: string): TierTotals[] | Promise<TierTotals[]>;
  /** The first and last times of an event's entries of one action, and how many; undefined when none. */
  logTimeSpan(eventId: string, action: string): LogTimeSpan | undefined | Promise<LogTimeSpan | undefined>;
  /** Those entries counted per floor((at + offset) / size), the buckets in order. */
  countLogPerBucket(eventId: string, action: string, size: number, offset: number): Array<{ bucket: number; count: number }> | Promise<Array<{ bucket: number; count: number }>>;
  /** How many entries the filter matches (its `latest` aside). */
  countLog(filter: LogFilter): number | Promise<number>;
  /** An event's vouchers (every event's when undefined), oldest first. */
  listVouchers(eventId: string | undefined, page?: VoucherPage): VoucherRecord[] | Promise<VoucherRecord[]>;
}

/** How one operation of a batch ended. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs operations as transactions: lock what the operation names, read the clock (after the
 * locks), release due holds of what is locked, load the snapshot, decide, apply, commit.
 */
export interface OperationRunner {
  readonly description: string;
  /** One operation in its own transaction: its value, or its error (`runBatch` of one, all-or-none). */
  run<T>(operation: Operation<T>): Promise<T>;
  /** Operations in one transaction, each decided after the one before it was applied. */
  runBatch(operations: readonly Operation<unknown>[], mode: BatchMode): Promise<Array<Outcome<unknown>>>;
  /** A read that sees one consistent state, with every hold due at its instant released. */
  read<T>(work: (reader: Reader, now: number) => T | Promise<T>): Promise<T>;
  /**
   * A reading session: every `read` of it sees the one state the session opened on (holds due
   * then released first), until `close()` — a streamed list's pages, whatever commits meanwhile.
   * It holds a read transaction (PostgreSQL: a reserved connection) until closed: close it when
   * the stream ends, fails or is cut.
   */
  readSession(): Promise<ReadSession>;
  close(): Promise<void>;
}

/** Reads of one state (see OperationRunner.readSession); `close()` ends it, more than once is harmless. */
export interface ReadSession {
  read<T>(work: (reader: Reader, now: number) => T | Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * A session opened by its first read, not before: opening one releases due holds (a write), so a
 * command whose input turns out bad before it reads anything (`ticket list --event` of a malformed
 * id, piped) changes nothing. Its state is fixed from that first read.
 */
export function openedOnFirstRead(open: () => Promise<ReadSession>): ReadSession {
  let opened: Promise<ReadSession> | undefined;
  return {
    read: (work) => (opened ??= open()).then((session) => session.read(work)),
    close: () => (opened === undefined ? Promise.resolve() : opened.then((session) => session.close(), () => undefined)),
  };
}

/** The value of the first outcome of a batch that succeeded. */
export function firstValue(outcomes: Array<Outcome<unknown>>): unknown {
  return (outcomes[0] as { value: unknown }).value;
}

/**
 * `all-or-none`: one failure fails the batch and nothing is written (an import).
 * `each-alone`: a decision that fails fails only its own operation (group commit); if the store
 * refuses a write, the batch is undone and every operation is run again in its own transaction.
 */
export type BatchMode = "all-or-none" | "each-alone";
