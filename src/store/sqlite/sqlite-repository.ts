import { exactTotals, type TotalsRow } from "../exact-totals.js";
import { newestOf } from "../newest-entries.js";
import { newerSchemaWhileOpen } from "../newer-schema.js";
import type Database from "better-sqlite3";
import { TixError, reservationChanges, withTotals, type DecidedChange, type EventOwnFields, type EventPage, type EventRecord, type EventsByStart, type KeyRecord, type SeatIndex, type TicketRecord, type TierRecord, type UserStanding, type VoucherRecord, type WaitingUser, type WaitlistEntry } from "../../core/index.js";
import type { LogFilter, LogPage, LogTimeSpan, StoredLogEntry, TicketFilter, TicketIdPrefix, TicketPage, TierTotals, VoucherPage } from "../../core/index.js";
import { idRange, prefixRange } from "../prefix-range.js";
import { SeatCache, SeatWrites } from "../seat-cache.js";
import { sameOwnFields, sameTier } from "../unchanged-rows.js";
import type { SyncRepository } from "../sync/repository.js";
import { prepareStatements, prepareTicketCount, prepareTicketList, prepareTicketSeats, ticketListWhere, type Statements } from "./statements.js";
import { SCHEMA_VERSION } from "./schema.js";
import { StoreFile } from "./store-file.js";

/**
 * An event's own columns: its totals (capacity, held, sold, price) are its tiers', added by the
 * core's withTotals (which builds the record field by field: one object shape, where spreading a
 * driver row cost a reserve ~7 % more instructions, callgrind, in shape changes).
 */
type EventRow = EventOwnFields;
type TierRow = TierRecord & { eventId: string };
type LogRow = Omit<StoredLogEntry, "details"> & { details: string };

/**
 * Rows come back already in the records' shape (columns are aliased), but those of a reserve's
 * reads, arrays made into records here (eventOf, tierOf; see statements.ts); tiers are joined in here.
 */
export class SqliteRepository implements SyncRepository {
  private readonly statements: Statements;
  private readonly listStatements = new Map<string, Database.Statement>();
  private readonly wrapped: Database.Transaction<(work: () => unknown) => unknown>;
  private readonly seatCache = new SeatCache();
  /** The running write transaction's seats. */
  private seatWrites: SeatWrites | undefined;
  /** The running write transaction's events (see EventWrites). */
  private eventWrites: EventWrites | undefined;
  private readonly file: StoreFile;
  /** The file's schema version (a read of its header, inside each transaction: see checkSchema). */
  private readonly schemaVersion: Database.Statement;

  /** `path`: the store's file, when `db` is not opened on it (a read-only empty file's tables in memory). */
  constructor(private readonly db: Database.Database, private readonly path: string = db.name) {
    this.file = StoreFile.opened(path);
    this.wrapped = db.transaction((work: () => unknown) => work());
    this.statements = prepareStatements(db);
    this.schemaVersion = db.prepare("PRAGMA user_version").pluck();
  }

  /**
   * Refuses, before anything is read or written, a file a newer tix has upgraded since this
   * process opened it (a `tix serve` left running): its statements and rules are of the schema it
   * opened, and a write of them could break the newer one's. Read in the transaction — under the
   * write lock, or in the read's snapshot — it cannot change before the transaction ends. A read
   * of the file's header, which the transaction has read already: no I/O.
   */
  private checkSchema(): void {
    const version = this.schemaVersion.get() as number;
    if (version > SCHEMA_VERSION) throw newerSchemaWhileOpen(this.path, version, SCHEMA_VERSION);
  }

  transaction<T>(work: () => T): T {
    const writes = new SeatWrites(this.seatCache);
    const events = new EventWrites();
    this.seatWrites = writes;
    this.eventWrites = events;
    try {
      const result = this.wrapped.immediate(() => {
        this.checkSchema();
        const done = work();
        this.writeEvents(events.take());
        this.file.checkStillThere();
        return done;
      }) as T;
      writes.commit(); // only once committed are its seats kept for the next operation
      return result;
    } finally {
      this.seatWrites = undefined;
      this.eventWrites = undefined;
    }
  }

  /** WAL: a deferred transaction reads one snapshot and never waits for the write lock. */
  readTransaction<T>(work: () => T): T {
    this.file.checkForRead();
    return this.wrapped.deferred(() => {
      this.checkSchema();
      return work();
    }) as T;
  }

  /**
   * WAL: BEGIN takes no lock; the first read after it fixes the database as of then, for every
   * read until endRead (COMMIT). Held, it keeps checkpoints from going past it: end it promptly.
   */
  beginRead(): void {
    this.file.checkForRead();
    this.db.exec("BEGIN DEFERRED");
    try {
      // The session's snapshot is fixed here, by this first read.
      this.checkSchema();
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  endRead(): void {
    if (this.db.open && this.db.inTransaction) this.db.exec("COMMIT");
  }

  mayHaveDueHolds(now: number): boolean {
    return this.statements.anyDue.get(now) !== undefined;
  }

  findEvent(id: string): EventRecord | undefined {
    const pending = this.eventWrites?.pending(id);
    if (pending) return pending;
    const row = this.statements.findEvent.get(id) as RawEvent | undefined;
    if (!row) return undefined;
    const event = withTotals(eventOf(row), (this.statements.findTiers.all(id) as RawTier[]).map(tierOf));
    this.eventWrites?.stored(event);
    return event;
  }

  /** One lookup of the version; the states are read and indexed only when this process has not kept that version. */
  findSeats(event: EventRecord): SeatIndex | undefined {
    if (event.seatMap === null) return undefined;
    const row = this.statements.seatVersion.get(event.id) as { version: number } | undefined;
    if (!row) throw new TixError("INTERNAL", `event ${event.id} has a seat map but no stored seats`);
    const writes = this.seatWrites ?? new SeatWrites(this.seatCache);
    const kept = writes.loaded(event.id, row.version);
    if (kept) return kept;
    const stored = this.statements.seatStates.get(event.id) as { states: Buffer; version: number };
    return writes.open(event.id, stored.version, event.seatMap, new Uint8Array(stored.states.buffer, stored.states.byteOffset, stored.states.byteLength));
  }

  listEvents(page?: EventPage): EventRecord[] {
    this.writeWaitingEvents();
    if (page) return this.withTiers(this.statements.pageEvents.all({ after: page.after ?? "", limit: page.limit }) as EventRow[]);
    return this.withTiers(this.statements.listEvents.all() as EventRow[], true);
  }

  listEventsByStart({ part, now, limit }: EventsByStart): EventRecord[] {
    this.writeWaitingEvents();
    const statement = { ahead: this.statements.eventsAhead, undated: this.statements.eventsUndated, started: this.statements.eventsStarted }[part];
    const events: EventRecord[] = [];
    for (const row of statement.iterate({ now, limit: limit ?? -1 }) as Iterable<EventRow & { tiers: string }>) {
      events.push(withTotals(row, JSON.parse(row.tiers) as TierRecord[]));
    }
    return events;
  }

  countEvents(): number {
    return (this.statements.countEvents.get() as { count: number }).count;
  }

  listEventIds(prefix: string, limit: number): string[] {
    const { low, high } = prefixRange(prefix);
    const rows = (high === undefined ? this.statements.eventIds.all({ low, limit }) : this.statements.eventIdsBelow.all({ low, high, limit })) as Array<{ id: string }>;
    return rows.map((row) => row.id).filter((id) => id.startsWith(prefix));
  }

  /** The events' records, with their tiers: every event's tiers read at once, or only those of the events given. */
  private withTiers(rows: readonly EventRow[], every = false): EventRecord[] {
    const read = every ? this.statements.listTiers.all() : this.statements.tiersOf.all(JSON.stringify(rows.map((row) => row.id)));
    const tiers = new Map<string, TierRecord[]>();
    for (const row of read as TierRow[]) {
      const list = tiers.get(row.eventId) ?? [];
      list.push(withoutEventId(row));
      tiers.set(row.eventId, list);
    }
    return rows.map((row) => withTotals(row, tiers.get(row.id) ?? []));
  }

  findTicket(id: string): TicketRecord | undefined {
    return this.statements.findTicket.get(id) as TicketRecord | undefined;
  }

  findOrder(orderId: string): TicketRecord[] {
    return this.statements.findOrder.all(orderId) as TicketRecord[];
  }

  listTickets(filter: TicketFilter, page?: TicketPage): TicketRecord[] {
    const { where, values } = ticketListWhere(filter);
    const statement = this.listStatement(page ? `${where}\u0000page` : where, () => prepareTicketList(this.db, where, page !== undefined));
    if (!page) return statement.all(...values) as TicketRecord[];
    // The first page starts before every ticket ('' sorts before every id); an unknown `after` gives none.
    const after = page.after === undefined ? { reservedAt: Number.MIN_SAFE_INTEGER, id: "" } : this.findTicket(page.after);
    if (!after) return [];
    return statement.all(...values, after.reservedAt, after.reservedAt, after.id, page.limit) as TicketRecord[];
  }

  listTicketsByIdPrefix({ userId, prefix, after, limit }: TicketIdPrefix): TicketRecord[] {
    const { from, to, exclusive } = idRange(prefix, after);
    if (to !== undefined && from >= to) return [];
    const s = this.statements;
    const statement = exclusive ? (to === undefined ? s.ticketsByIdAfter : s.ticketsByIdAfterTo) : (to === undefined ? s.ticketsByIdFrom : s.ticketsByIdFromTo);
    const rows = statement.all(to === undefined ? { userId, from, limit } : { userId, from, to, limit }) as TicketRecord[];
    return rows.filter((ticket) => ticket.id.startsWith(prefix));
  }

  countTickets(filter: TicketFilter): number {
    const { where, values } = ticketListWhere(filter);
    const statement = this.listStatement(`${where}\u0000count`, () => prepareTicketCount(this.db, where));
    return (statement.get(...values) as { count: number }).count;
  }

  ticketsHaveSeats(filter: TicketFilter, limit: number | undefined): boolean {
    const { where, values } = ticketListWhere(filter);
    const statement = this.listStatement(`${where}\u0000seats`, () => prepareTicketSeats(this.db, where));
    return (statement.get(...values, limit ?? -1) as { seated: number }).seated === 1;
  }

  /** A ticket list's statement, prepared once for each filter's shape (`key`). */
  private listStatement(key: string, prepare: () => Database.Statement): Database.Statement {
    let statement = this.listStatements.get(key);
    if (!statement) {
      statement = prepare();
      this.listStatements.set(key, statement);
    }
    return statement;
  }

  findKey(userId: string, key: string): KeyRecord | undefined {
    return this.statements.findKey.get(userId, key) as KeyRecord | undefined;
  }

  userStanding(userId: string, eventId: string): UserStanding {
    const [liveHolds, committed] = this.statements.userStanding.get(userId, eventId) as [number, number];
    return { liveHolds, committed };
  }

  findDueHolds(now: number): TicketRecord[] {
    return this.statements.findDue.all(now) as TicketRecord[];
  }

  findWaitlistEntry(eventId: string, userId: string): WaitlistEntry | undefined {
    return this.statements.findWaiting.get(eventId, userId) as WaitlistEntry | undefined;
  }

  waitlistPosition(eventId: string, userId: string): number {
    return (this.statements.waitlistPosition.get({ eventId, userId }) as { position: number }).position;
  }

  listWaitlist(eventId: string, perTier: number): WaitlistEntry[] {
    if (perTier >= Number.MAX_SAFE_INTEGER) return this.statements.listWaiting.all(eventId, Number.MAX_SAFE_INTEGER) as WaitlistEntry[];
    // A line no longer than N holds no tier's more than N: the line's head, read by the index, is all of it.
    const head = this.statements.listWaiting.all(eventId, perTier + 1) as WaitlistEntry[];
    return head.length <= perTier ? head : this.statements.listWaitingByTier.all(eventId, perTier) as WaitlistEntry[];
  }

  listWaitingUsers(eventId: string, limit: number): WaitingUser[] {
    const rows = this.statements.listWaitingUsers.all(eventId, limit) as Array<WaitlistEntry & UserStanding>;
    return rows.map(({ liveHolds, committed, ...entry }) => ({ ...entry, standing: { liveHolds, committed } }));
  }

  listLog(filter: LogFilter, page?: LogPage): StoredLogEntry[] {
    if (page) return this.logPage(filter, page);
    const { latest } = filter;
    const rows = (filter.ticketId !== undefined
      ? this.statements.logByTicket.all(filter.ticketId)
      : filter.eventId !== undefined
        ? latest === undefined ? this.statements.logByEvent.all(filter.eventId) : this.statements.logByEventLatest.all(filter.eventId, latest)
        : latest === undefined ? this.statements.logAll.all() : this.statements.logAllLatest.all(latest)) as LogRow[];
    return newestOf(rows.filter((row) => filter.eventId === undefined || row.eventId === filter.eventId), latest)
      .map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }

  /** The ticket's entries are few (found through its event): they are read, then cut to the page. */
  private logPage(filter: LogFilter, { limit, after = 0 }: LogPage): StoredLogEntry[] {
    const rows = (filter.ticketId !== undefined
      ? (this.statements.logByTicket.all(filter.ticketId) as LogRow[]).filter((row) => row.seq > after && (filter.eventId === undefined || row.eventId === filter.eventId)).slice(0, limit)
      : filter.eventId !== undefined
        ? this.statements.logByEventPage.all({ eventId: filter.eventId, after, limit })
        : this.statements.logAllPage.all({ after, limit })) as LogRow[];
    return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, unknown> }));
  }

  ticketTotals(eventId: string): TierTotals[] {
    return (this.statements.ticketTotals.all(eventId) as TotalsRow[]).map(exactTotals);
  }

  logTimeSpan(eventId: string, action: string): LogTimeSpan | undefined {
    const span = this.statements.logTimeSpan.get(eventId, action) as { first: number | null; last: number | null; count: number };
    return span.count === 0 ? undefined : { first: span.first!, last: span.last!, count: span.count };
  }

  countLogPerBucket(eventId: string, action: string, size: number, offset: number): Array<{ bucket: number; count: number }> {
    return this.statements.logPerBucket.all({ eventId, action, size, offset }) as Array<{ bucket: number; count: number }>;
  }

  countLog(filter: LogFilter): number {
    if (filter.ticketId !== undefined) return this.listLog({ ...filter, latest: undefined }).length;
    const { count } = (filter.eventId !== undefined ? this.statements.countLogByEvent.get(filter.eventId) : this.statements.countLogAll.get()) as { count: number };
    return count;
  }

  findVouchers(eventId: string, codes: readonly string[]): VoucherRecord[] {
    return codes.flatMap((code) => (this.statements.findVoucher.get(eventId, code) as VoucherRecord | undefined) ?? []);
  }

  listVouchers(eventId: string | undefined, page?: VoucherPage): VoucherRecord[] {
    if (eventId !== undefined && page) return this.statements.pageVouchers.all({ eventId, after: page.after ?? "", limit: page.limit }) as VoucherRecord[];
    return (eventId === undefined ? this.statements.allVouchers.all() : this.statements.vouchersOf.all(eventId)) as VoucherRecord[];
  }

  /** `created`: the changes of a reservation, whose tickets are new (their user inserted with them). */
  apply(changes: readonly DecidedChange[], created = false): void {
    const s = this.statements;
    for (const change of changes) {
      switch (change.type) {
        case "reserve":
          this.apply(reservationChanges(change), true);
          break;
        case "saveEvent":
          if (!this.eventWrites?.defer(change.event)) this.writeEvents([change.event]);
          break;
        case "saveTicket": {
          const t = change.ticket;
          s.saveTicket.run(t.id, t.eventId, t.tier, t.orderId, t.userId, t.status, t.reservedAt, t.expiresAt, t.purchasedAt,
            t.cancelledAt, t.checkedInAt, t.priceMinor, t.currency, t.cardLast4, t.voucher, t.discountMinor, t.seat);
          if (!created) s.moveTicket.run(t.userId, t.id, t.userId);
          break;
        }
        case "bindKey": {
          const k = change.record;
          s.bindKey.run(k.userId, k.key, k.request, k.ticketId, k.orderId, k.createdAt);
          break;
        }
        case "saveWaitlistEntry":
          s.saveWaiting.run(change.entry);
          break;
        case "removeWaitlistEntry":
          s.removeWaiting.run(change.eventId, change.userId);
          break;
        case "appendLog": {
          const e = change.entry;
          s.appendLog.run(e.at, e.actor, e.action, e.eventId, e.ticketId, e.orderId, JSON.stringify(e.details), e.ticketId);
          break;
        }
        case "saveVoucher":
          s.saveVoucher.run(change.voucher);
          break;
        case "saveSeats": {
          const writes = this.seatWrites!;
          const { version, packed } = writes.write(change.eventId, change.seats, () => (s.seatVersion.get(change.eventId) as { version: number } | undefined)?.version ?? 0);
          s.saveSeats.run(change.eventId, Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength), version);
          break;
        }
      }
    }
  }

  close(): void {
    this.db.close();
  }

  /** Lists read the tables: a write transaction's events still waiting are written first. */
  private writeWaitingEvents(): void {
    if (this.eventWrites) this.writeEvents(this.eventWrites.take());
  }

  /** Each event's row and tiers, but those a write transaction knows are stored as they are (see EventWrites). */
  private writeEvents(events: Iterable<EventRecord>): void {
    for (const record of events) {
      const stored = this.eventWrites?.written(record);
      const { tiers, ...event } = record;
      if (!stored || !sameOwnFields(stored, record)) this.statements.saveEvent.run(event);
      tiers.forEach((tier, position) => {
        if (!stored || !sameTier(stored.tiers[position], tier)) this.statements.saveTier.run(event.id, tier.name, position, tier.capacity, tier.priceMinor, tier.held, tier.sold, tier.salesStart, tier.salesEnd, tier.accessCode);
      });
    }
  }
}

/**
 * A write transaction's events, written once as its last operation left them: a group commit's
 * reserves of one event read and change it one after another, and each would otherwise read its
 * row and tiers back and write them again (~a fifth of a grouped reserve's statements). Only an
 * event whose row is stored already waits (a new one is written at once, for the tickets that
 * reference it); reading an event answers its latest state, written or not. So every read of
 * `events` or `tiers` in a write transaction goes through findEvent, or writes the waiting events
 * first (writeWaitingEvents), as the lists do. It also keeps each event as stored (read, or last
 * written, in this transaction), so that only the rows that differ are written: a reserve changes
 * one tier's counts, and its event's row and other tiers' stay as they were (a statement each, saved).
 */
class EventWrites {
  private readonly known = new Map<string, EventRecord | undefined>();
  private readonly latest = new Map<string, EventRecord>();

  stored(event: EventRecord): void {
    this.known.set(event.id, event);
  }

  pending(id: string): EventRecord | undefined {
    return this.latest.get(id);
  }

  /** False when the event's row is not known to be stored yet: the caller writes it now. */
  defer(event: EventRecord): boolean {
    if (!this.known.has(event.id)) {
      this.known.set(event.id, undefined);
      return false;
    }
    this.latest.set(event.id, event);
    return true;
  }

  /** The event as stored before `event` is written (undefined: not known, write it whole); `event` is stored after. */
  written(event: EventRecord): EventRecord | undefined {
    const before = this.known.get(event.id);
    this.known.set(event.id, event);
    return before;
  }

  take(): EventRecord[] {
    const events = [...this.latest.values()];
    this.latest.clear();
    return events;
  }
}

/** findEvent's row: the event's own columns, in EventOwnFields' order. */
type RawEvent = [string, string, string | null, number | null, number, string, number | null, number | null, number | null, string | null, number, number];
/** findTiers' row: a tier's columns, in TierRecord's order. */
type RawTier = [string, number, number, number, number, number | null, number | null, string | null];

function eventOf(row: RawEvent): EventRow {
  return {
    id: row[0], name: row[1], venue: row[2], startsAt: row[3], holdSeconds: row[4], currency: row[5], limitPerUser: row[6],
    salesStart: row[7], salesEnd: row[8], seatMap: row[9], createdAt: row[10], updatedAt: row[11],
  };
}

function tierOf(row: RawTier): TierRecord {
  return { name: row[0], capacity: row[1], priceMinor: row[2], held: row[3], sold: row[4], salesStart: row[5], salesEnd: row[6], accessCode: row[7] };
}

function withoutEventId({ eventId: _eventId, ...tier }: TierRow): TierRecord {
  return tier;
}
