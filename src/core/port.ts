import type { EventDraft, EventPatch, MissingDraft } from "./event-input.js";
import type { CreateEventResult, CreateMode, EventPage, UpdateEventResult } from "./events.js";
import type { EventRecord, KeyRecord, LogEntry, TicketRecord, TicketStatus, VoucherRecord, WaitlistEntry } from "./model.js";
import type { PurchaseResult, ReserveRequest, ReserveResult } from "./tickets.js";
import type { TierTotals } from "./report.js";
import type { TransferResult } from "./transfer.js";
import type { CreateVoucherRequest } from "./vouchers.js";
import type { JoinWaitlistResult } from "./waitlist.js";
import type { SeatMapView } from "./seating/view.js";

export interface TicketFilter {
  userId?: string | undefined;
  eventId?: string | undefined;
  status?: TicketStatus | undefined;
}

export interface LogFilter {
  eventId?: string | undefined;
  ticketId?: string | undefined;
  /** At most this many entries, the newest (still oldest first): what a terminal shows of a long log. */
  latest?: number | undefined;
}

/** A page of a ticket list: at most `limit` tickets after the ticket `after` (its id) in the list's order; an unknown id gives none. */
export interface TicketPage {
  limit: number;
  after?: string | undefined;
}

/** A user's tickets by id: those whose id starts with `prefix` and comes after `after`, at most `limit`. */
export interface TicketIdPrefix {
  userId: string;
  prefix: string;
  after?: string | undefined;
  limit: number;
}

/** A page of a log: at most `limit` entries, oldest first, after the entry numbered `after` (its seq). */
export interface LogPage {
  limit: number;
  after?: number | undefined;
}

/** A page of an event's vouchers: at most `limit` after the voucher `after` (its code); an unknown code gives none. */
export interface VoucherPage {
  limit: number;
  after?: string | undefined;
}

/** The times of the log entries counted by countLogByTime: the first, the last, and how many. */
export interface LogTimeSpan {
  first: number;
  last: number;
  count: number;
}

/** Entries counted per bucket of time: bucket `b` holds the entries whose floor((at + offset) / size) is `b`. */
export interface LogTimeCounts {
  span: LogTimeSpan;
  size: number;
  offset: number;
  /** Buckets with at least one entry, in order. */
  buckets: Array<{ bucket: number; count: number }>;
}

/**
 * `draft`: the whole event, for creating or replacing it (MissingDraft: merging by id fields that
 * could not create one); `patch`: only the fields given, for merging.
 */
export type CreateEventRequest = { id: string; draft: EventDraft | MissingDraft; patch: EventPatch; mode: CreateMode; actor: string };

export interface PurchaseRequest {
  targetId: string;
  userId: string;
  card: string;
  /** An idempotency key: bound by a successful purchase, which a retry with it replays. */
  key?: string | undefined;
  /** A voucher code of the event (upper-case): each ticket paid for is discounted and counts one use. */
  voucher?: string | undefined;
}

/** A long write reports how far it got (an import's progress bar). */
export interface WriteManyOptions {
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** A log entry as stored: numbered in the order it was appended. */
export type StoredLogEntry = LogEntry & { seq: number };

/**
 * The storage port: one atomic operation per intent. Each one locks what it needs, releases holds
 * that have expired (giving their places to waiting users), loads a snapshot, asks the core to
 * decide, and writes the core's changes — all in one transaction. Adapters hold no business rule.
 */
export interface TixStore {
  /** Where the state lives, safe to print (no password). */
  readonly description: string;

  createEvent(request: CreateEventRequest): Promise<CreateEventResult>;
  /** Several events in one transaction: all are written, or none (import). */
  createEvents(requests: readonly CreateEventRequest[], options?: WriteManyOptions): Promise<CreateEventResult[]>;
  updateEvent(request: { id: string; patch: EventPatch; actor: string }): Promise<UpdateEventResult>;
  getEvent(id: string): Promise<EventRecord | undefined>;
  /** Oldest first; with a page, at most `limit` events after the event `after` (its id). */
  listEvents(page?: EventPage): Promise<EventRecord[]>;
  /** The ids that start with `prefix`, in id order, at most `limit`: read through the ids' index (shell completion). */
  listEventIds(prefix: string, limit: number): Promise<string[]>;
  /**
   * The first `limit` events (all when undefined) in the planning order (PLANNING_ORDER) at the
   * store's time, and how many events there are: what a person's list shows, without reading
   * every event when it shows a screenful.
   */
  listEventsPlanningOrder(limit: number | undefined): Promise<{ events: EventRecord[]; total: number }>;

  /**
   * A seated event's map with every seat's state (`yours`: held or bought by `userId`); `seats` is
   * undefined for general admission, and the answer undefined when there is no such event.
   */
  getSeats(request: { eventId: string; userId?: string | undefined }): Promise<{ event: EventRecord; seats: SeatMapView | undefined } | undefined>;

  reserve(request: ReserveRequest): Promise<ReserveResult>;
  /** `targetId` is a ticket id or an order id. A declined card commits only its log entry. */
  purchase(request: PurchaseRequest): Promise<PurchaseResult>;
  cancel(request: { targetId: string; userId: string }): Promise<TicketRecord[]>;
  /** `holder`: who presents the ticket; it must be theirs. */
  checkIn(request: { ticketId: string; actor: string; holder?: string | undefined }): Promise<TicketRecord>;
  /** Moves purchased tickets (a ticket id or an order id) to another user. */
  transfer(request: { targetId: string; userId: string; to: string }): Promise<TransferResult>;
  getTicket(id: string): Promise<TicketRecord | undefined>;
  /**
   * Oldest first (by reservation time, then id). With a page, at most `limit` tickets after the
   * ticket `after`, read through an index on that order: a long list is read a page at a time.
   */
  listTickets(filter: TicketFilter, page?: TicketPage): Promise<TicketRecord[]>;
  /**
   * A user's tickets whose id starts with `prefix`, in id order, those with an id after `after`
   * (when given), at most `limit`: read through an index on (user, id), so a prefix few of their
   * tickets share costs O(log n + limit), not a read of their whole list (shell completion).
   */
  listTicketsByIdPrefix(request: TicketIdPrefix): Promise<TicketRecord[]>;
  /**
   * The list's first `limit` tickets (all when undefined), in its order, and how many tickets the
   * filter matches, read at once: what a person's list shows, without reading every ticket when
   * it shows a screenful (as listEventsPlanningOrder and listLatestLog).
   */
  listFirstTickets(filter: TicketFilter, limit: number | undefined): Promise<{ tickets: TicketRecord[]; total: number }>;
  /**
   * Whether any of the list's first `limit` tickets (all of them when undefined) has a seat,
   * decided by the store without reading the tickets out: a list streamed a page at a time knows
   * from its first line whether it has a seat column.
   */
  ticketsHaveSeats(filter: TicketFilter, limit?: number): Promise<boolean>;

  /** A live binding of (userId, key), with the tickets of its order. */
  findKey(userId: string, key: string): Promise<{ record: KeyRecord; tickets: TicketRecord[] } | undefined>;

  joinWaitlist(request: { eventId: string; userId: string; tier?: string | undefined; code?: string | undefined }): Promise<JoinWaitlistResult>;
  leaveWaitlist(request: { eventId: string; userId: string }): Promise<WaitlistEntry>;
  /** First in line first. */
  listWaitlist(eventId: string): Promise<WaitlistEntry[]>;
  /** The user's place in the event's line, from 1; 0 when not waiting. Counted, not read: a line of thousands is not loaded for it. */
  waitlistPosition(request: { eventId: string; userId: string }): Promise<number>;

  /** Oldest first; with a page, at most `limit` entries after the entry `after` (its `latest` aside). */
  listLog(filter: LogFilter, page?: LogPage): Promise<StoredLogEntry[]>;
  /**
   * An event's entries of one action counted per bucket of time, counted by the store: what a
   * chart draws, without reading every entry. `bucketing` chooses the buckets' size and offset
   * from the entries' span; undefined when there are none.
   */
  /** An event's tickets summed per tier (tierTotalsOf), by the store: a report of any size is not read ticket by ticket. */
  ticketTotals(eventId: string): Promise<TierTotals[]>;
  countLogByTime(request: { eventId: string; action: string; bucketing: (span: LogTimeSpan) => { size: number; offset: number } }): Promise<LogTimeCounts | undefined>;
  /** The newest `limit` entries (oldest first) and how many the filter matches, read at once: a long log is not read whole to show its end. */
  listLatestLog(filter: LogFilter, limit: number): Promise<{ entries: StoredLogEntry[]; total: number }>;

  createVoucher(request: CreateVoucherRequest): Promise<VoucherRecord>;
  /** An event's vouchers (every event's without one), oldest first; with a page (an event's only), at most `limit` after the voucher `after`. */
  listVouchers(eventId?: string, page?: VoucherPage): Promise<VoucherRecord[]>;

  /**
   * The store as of its first read, for reads that must agree with each other (a list streamed a
   * page at a time): every read of the answer sees the one state it opened on, whatever commits
   * meanwhile (a read transaction opened by the first read — which releases due holds, so nothing
   * is written before one — and held until its `close()`; PostgreSQL: a connection of its own). It takes no
   * write (INVALID_ARGUMENT); while it is open, a store of one connection (SQLite) or in the
   * process (memory) takes none either. Its `close()` ends it, not the store: close it promptly.
   */
  snapshot(): Promise<TixStore>;
  close(): Promise<void>;
  /**
   * Throws the STORE_CLOSED every call would answer once `close()` was called (a snapshot: its
   * own, or its store's); else nothing. Optional for an adapter of one's own: the use cases ask it
   * first, so that a closed store answers STORE_CLOSED whatever a call was passed.
   */
  checkOpen?(): void;
}
