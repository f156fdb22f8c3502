import type pg from "pg";
import {
  KEY_RETENTION_MS,
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
  type Change,
  type Clock,
  type Decision,
  type EventRecord,
  type KeyRecord,
  type TicketRecord,
  type TierRecord,
  type UserStanding,
  type WaitingUser,
  type WaitlistEntry,
} from "../../core/index.js";
import type { CreateEventRequest, LogFilter, StoredLogEntry, TicketFilter, TixStore } from "../../core/index.js";
import { KeyBindingConflict, isConflict, isRetryable, retryDelayMs, translatePgError } from "./errors.js";
import { SQL, eventParams, keyParams, logParams, ticketParams, tierParams, waitingParams } from "./statements.js";

/** What one operation's decision sees: its connection, its instant, and the event rows it locked. */
interface Transaction {
  client: pg.PoolClient;
  now: number;
  /** The locked events (with their tiers), kept current as changes are applied. */
  events: Map<string, EventRecord>;
}

interface WritePlan<T> {
  /** Taken first (before any row lock), to serialise operations on something that may not exist yet. */
  advisoryLocks?: string[];
  /** The events this operation changes; they are locked, with those that have holds due, in id order. */
  events?: (client: pg.PoolClient) => Promise<string[]>;
  decide: (tx: Transaction) => Promise<Decision<T>>;
}

/** Never appears in ids, users or keys (all printable), so joined lock names cannot collide. */
const SEPARATOR = "\u001f";

/**
 * The port over PostgreSQL, for many processes on many hosts sharing one database. Each operation
 * is one transaction: lock → read the clock → release due holds → load → decide (the same core
 * functions as every adapter) → apply. Capacity decisions hold the event's row lock (tiers, waiting
 * list and tickets of an event change only under it); a key is serialised by an advisory lock on
 * (user, key); deadlocks and serialization failures are retried a bounded number of times;
 * constraints are the last line of defence. Without an injected clock `now` is the database
 * server's, so hosts whose clocks disagree still agree on when a hold ends.
 */
export class PostgresStore implements TixStore {
  constructor(
    private readonly pool: pg.Pool,
    /** Undefined: the database server's clock. */
    private readonly clock: Clock | undefined,
    readonly description: string,
    private readonly secrets: readonly string[],
  ) {}

  createEvent: TixStore["createEvent"] = (request) =>
    this.write({
      advisoryLocks: [eventLock(request.id)],
      events: async () => [request.id],
      decide: async (tx) => this.decideCreate(tx, request),
    });

  createEvents: TixStore["createEvents"] = (requests) =>
    this.write({
      advisoryLocks: requests.map((request) => eventLock(request.id)),
      events: async () => requests.map((request) => request.id),
      decide: async (tx) => {
        // Each event is decided and written before the next, so an id repeated in a batch upserts.
        const results = [];
        for (const request of requests) {
          const { changes, result } = await this.decideCreate(tx, request);
          await this.apply(tx, changes);
          results.push(result);
        }
        return { changes: [], result: results };
      },
    });

  updateEvent: TixStore["updateEvent"] = (request) =>
    this.write({
      events: async () => [request.id],
      decide: async (tx) => decideUpdateEvent(tx.events.get(request.id), request, await waitingUsers(tx.client, request.id), tx.now, RANDOM_IDS),
    });

  getEvent: TixStore["getEvent"] = (id) =>
    this.read(async (client) => (await withTiers(client, (await client.query<EventRecord>(SQL.findEvent, [id])).rows))[0]);

  listEvents: TixStore["listEvents"] = (page) =>
    this.read(async (client) => page
      ? withTiers(client, (await client.query<EventRecord>(SQL.pageEvents, [page.after ?? "", page.limit])).rows)
      : withTiers(client, (await client.query<EventRecord>(SQL.listEvents)).rows, true));

  reserve: TixStore["reserve"] = (request) =>
    this.write({
      advisoryLocks: [keyLock(request.userId, request.key)],
      events: async () => [request.eventId],
      decide: async ({ client, now, events }) => {
        const keyRecord = await one<KeyRecord>(client, SQL.findKey, [request.userId, request.key]);
        const snapshot = {
          event: events.get(request.eventId),
          keyRecord,
          keyTickets: keyRecord ? await all<TicketRecord>(client, SQL.findOrder, [keyRecord.orderId]) : [],
          standing: await standing(client, request.userId, request.eventId),
          waitlistEntry: await one<WaitlistEntry>(client, SQL.findWaiting, [request.eventId, request.userId]),
        };
        return decideReserve(snapshot, request, now, RANDOM_IDS);
      },
    });

  purchase: TixStore["purchase"] = (request) =>
    this.write({
      advisoryLocks: request.key === undefined ? [] : [keyLock(request.userId, request.key)],
      events: (client) => eventOfTarget(client, request.targetId),
      decide: async (tx) => {
        const keyRecord = request.key === undefined ? undefined : await one<KeyRecord>(tx.client, SQL.findKey, [request.userId, request.key]);
        return decidePurchase({ ...(await this.targets(tx, request.targetId)), keyRecord }, request, tx.now);
      },
    });

  cancel: TixStore["cancel"] = (request) =>
    this.write({
      events: (client) => eventOfTarget(client, request.targetId),
      decide: async (tx) => {
        const targets = await this.targets(tx, request.targetId);
        const waiting = targets.event ? await this.waiting(tx.client, targets.event.id) : [];
        return decideCancel({ ...targets, waiting }, request, tx.now, RANDOM_IDS);
      },
    });

  checkIn: TixStore["checkIn"] = (request) =>
    this.write({
      events: (client) => eventOfTarget(client, request.ticketId),
      decide: async (tx) => decideCheckIn({ ticket: await one<TicketRecord>(tx.client, SQL.findTicket, [request.ticketId]) }, request, tx.now),
    });

  getTicket: TixStore["getTicket"] = (id) => this.read((client) => one<TicketRecord>(client, SQL.findTicket, [id]));

  listTickets: TixStore["listTickets"] = (filter: TicketFilter) =>
    this.read(async (client) => {
      const conditions: string[] = [];
      const values: string[] = [];
      for (const [column, value] of [["user_id", filter.userId], ["event_id", filter.eventId], ["status", filter.status]] as const) {
        if (value === undefined) continue;
        values.push(value);
        conditions.push(`${column} = $${values.length}`);
      }
      const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
      return (await client.query<TicketRecord>(SQL.listTickets(where), values)).rows;
    });

  findKey: TixStore["findKey"] = (userId, key) =>
    this.read(async (client, now) => {
      const record = await one<KeyRecord>(client, SQL.findKey, [userId, key]);
      const tickets = isKeyLive(record, now) ? await all<TicketRecord>(client, SQL.findOrder, [record.orderId]) : [];
      return record && tickets.length > 0 ? { record, tickets } : undefined;
    });

  joinWaitlist: TixStore["joinWaitlist"] = (request) =>
    this.write({
      events: async () => [request.eventId],
      decide: async ({ client, now, events }) => {
        const snapshot = {
          event: events.get(request.eventId),
          entry: await one<WaitlistEntry>(client, SQL.findWaiting, [request.eventId, request.userId]),
          standing: await standing(client, request.userId, request.eventId),
          waiting: await this.waiting(client, request.eventId),
        };
        return decideJoinWaitlist(snapshot, request, now, RANDOM_IDS);
      },
    });

  leaveWaitlist: TixStore["leaveWaitlist"] = (request) =>
    this.write({
      events: async () => [request.eventId],
      decide: async (tx) =>
        decideLeaveWaitlist(await one<WaitlistEntry>(tx.client, SQL.findWaiting, [request.eventId, request.userId]), request, tx.now),
    });

  listWaitlist: TixStore["listWaitlist"] = (eventId) =>
    this.read((client) => all<WaitlistEntry>(client, SQL.listWaiting, [eventId, Number.MAX_SAFE_INTEGER]));

  listLog: TixStore["listLog"] = (filter: LogFilter) =>
    this.read(async (client) => {
      const rows = filter.ticketId !== undefined
        ? await all<StoredLogEntry>(client, SQL.logByTicket, [filter.ticketId])
        : filter.eventId !== undefined
          ? await all<StoredLogEntry>(client, SQL.logByEvent, [filter.eventId])
          : await all<StoredLogEntry>(client, SQL.logAll, []);
      return rows.filter((row) => filter.eventId === undefined || row.eventId === filter.eventId);
    });

  close = async (): Promise<void> => {
    await this.pool.end();
  };

  private async decideCreate(tx: Transaction, request: CreateEventRequest) {
    return decideCreateEvent(tx.events.get(request.id), request, await waitingUsers(tx.client, request.id), tx.now, RANDOM_IDS);
  }

  /** Read after the event's lock is held: the tickets cannot change under it. */
  private async targets(tx: Transaction, targetId: string) {
    const tickets = isOrderId(targetId)
      ? await all<TicketRecord>(tx.client, SQL.findOrder, [targetId])
      : (await tx.client.query<TicketRecord>(SQL.findTicket, [targetId])).rows;
    return { tickets, event: tickets[0] && tx.events.get(tickets[0].eventId) };
  }

  private waiting(client: pg.PoolClient, eventId: string): Promise<WaitlistEntry[]> {
    return all<WaitlistEntry>(client, SQL.listWaiting, [eventId, WAITLIST_BATCH]);
  }

  /**
   * Reads release due holds first, as writes do, so every count they return is exact at `now`.
   * When no hold is due — the usual case — the read runs alone, without a transaction or lock.
   */
  private async read<T>(load: (client: pg.PoolClient, now: number) => Promise<T>): Promise<T> {
    const ready = await this.withClient(async (client) => {
      const { now, dueEvents } = await this.nowAndDueEvents(client);
      return dueEvents.length === 0 ? { result: await load(client, now) } : undefined;
    });
    if (ready) return ready.result;
    return this.write({ decide: async (tx) => ({ changes: [], result: await load(tx.client, tx.now) }) });
  }

  private async write<T>(plan: WritePlan<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.withClient((client) => this.transaction(client, plan));
      } catch (error) {
        if (!isRetryable(error, attempt)) throw translatePgError(error, this.description, this.secrets);
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs(attempt)));
    }
  }

  private async transaction<T>(client: pg.PoolClient, plan: WritePlan<T>): Promise<T> {
    await client.query("BEGIN");
    try {
      // Sorted, so that two batches taking several locks never wait on each other in a cycle.
      for (const lock of [...new Set(plan.advisoryLocks ?? [])].sort()) await client.query(SQL.advisoryLock, [lock]);
      const targets = plan.events ? await plan.events(client) : [];
      const tx = await this.lockAndExpire(client, targets);
      const { changes, result } = await plan.decide(tx);
      await this.apply(tx, changes);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  }

  /**
   * Reads `now`, locks the target events together with every event that has holds due (one
   * statement, in id order), then releases the due holds of the locked events. Under an event's
   * lock its tickets cannot change, so what the decision then reads is current.
   */
  private async lockAndExpire(client: pg.PoolClient, targets: readonly string[]): Promise<Transaction> {
    const { now, dueEvents } = await this.nowAndDueEvents(client);
    const ids = [...new Set([...targets, ...dueEvents])];
    const tx: Transaction = { client, now, events: new Map() };
    if (ids.length === 0) return tx;
    const locked = await withTiers(client, (await client.query<EventRecord>(SQL.lockEvents, [ids])).rows);
    for (const event of locked) tx.events.set(event.id, event);
    const due = (await client.query<TicketRecord>(SQL.dueHolds, [now, [...tx.events.keys()]])).rows;
    if (due.length === 0) return tx;
    const waiting = new Map<string, WaitlistEntry[]>();
    for (const eventId of new Set(due.map((hold) => hold.eventId))) waiting.set(eventId, await this.waiting(client, eventId));
    await this.apply(tx, decideExpiry(due, tx.events, waiting, now, RANDOM_IDS));
    return tx;
  }

  private async nowAndDueEvents(client: pg.PoolClient): Promise<{ now: number; dueEvents: string[] }> {
    const { rows } = await client.query<{ now: number; dueEvents: string[] }>(SQL.nowAndDueEvents, [this.clock?.now() ?? null]);
    return rows[0]!;
  }

  private async apply(tx: Transaction, changes: readonly Change[]): Promise<void> {
    const { client } = tx;
    for (const change of changes) {
      switch (change.type) {
        case "saveEvent": {
          const { event } = change;
          await client.query(SQL.saveEvent, eventParams(event));
          for (const [position, tier] of event.tiers.entries()) await client.query(SQL.saveTier, tierParams(event.id, tier, position));
          tx.events.set(event.id, event);
          break;
        }
        case "saveTicket":
          await client.query(SQL.saveTicket, ticketParams(change.ticket));
          break;
        case "bindKey": {
          const { rowCount } = await client.query(SQL.bindKey, keyParams(change.record, KEY_RETENTION_MS));
          if (rowCount === 0) throw new KeyBindingConflict(change.record.userId, change.record.key);
          break;
        }
        case "saveWaitlistEntry":
          await client.query(SQL.saveWaiting, waitingParams(change.entry));
          break;
        case "removeWaitlistEntry":
          await client.query(SQL.removeWaiting, [change.eventId, change.userId]);
          break;
        case "appendLog":
          await client.query(SQL.appendLog, logParams(change.entry));
          break;
      }
    }
  }

  /** A pooled connection for `work`; driver errors become STORE_UNAVAILABLE with the URL redacted. */
  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translatePgError(error, this.description, this.secrets, true);
    }
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      if (isConnectionError(error)) broken = error as Error;
      // Conflicts are left as they are for `write` to retry (and translate once it gives up).
      if (isConflict(error)) throw error;
      throw translatePgError(error, this.description, this.secrets);
    } finally {
      client.release(broken);
    }
  }
}

async function one<T extends pg.QueryResultRow>(client: pg.PoolClient, sql: string, values: unknown[]): Promise<T | undefined> {
  return (await client.query<T>(sql, values)).rows[0];
}

async function all<T extends pg.QueryResultRow>(client: pg.PoolClient, sql: string, values: unknown[]): Promise<T[]> {
  return (await client.query<T>(sql, values)).rows;
}

async function waitingUsers(client: pg.PoolClient, eventId: string): Promise<WaitingUser[]> {
  const rows = await all<WaitlistEntry & UserStanding>(client, SQL.listWaitingUsers, [eventId, WAITLIST_BATCH]);
  return rows.map(({ liveHolds, committed, ...entry }) => ({ ...entry, standing: { liveHolds, committed } }));
}

function keyLock(userId: string, key: string): string {
  return ["key", userId, key].join(SEPARATOR);
}

function eventLock(id: string): string {
  return ["event", id].join(SEPARATOR);
}

async function standing(client: pg.PoolClient, userId: string, eventId: string): Promise<UserStanding> {
  return (await one<UserStanding>(client, SQL.userStanding, [userId, eventId]))!;
}

async function eventOfTarget(client: pg.PoolClient, targetId: string): Promise<string[]> {
  const row = await one<{ eventId: string }>(client, isOrderId(targetId) ? SQL.orderEventId : SQL.ticketEventId, [targetId]);
  return row ? [row.eventId] : [];
}

/** Attaches each event's tiers (rows come from the events table alone). */
async function withTiers(client: pg.PoolClient, rows: EventRecord[], everyEvent = false): Promise<EventRecord[]> {
  if (rows.length === 0) return rows;
  const tierRows = everyEvent
    ? await all<TierRecord & { eventId: string }>(client, SQL.allTiers, [])
    : await all<TierRecord & { eventId: string }>(client, SQL.tiersOf, [rows.map((row) => row.id)]);
  const byEvent = new Map<string, TierRecord[]>();
  for (const { eventId, ...tier } of tierRows) {
    const list = byEvent.get(eventId) ?? [];
    list.push(tier);
    byEvent.set(eventId, list);
  }
  return rows.map((row) => ({ ...row, tiers: byEvent.get(row.id) ?? [] }));
}

/** Errors after which a connection must not go back to the pool. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return /^(08|57P|E[A-Z]+$)/.test(code);
  return error instanceof Error && /Connection terminated|connection error/i.test(error.message);
}
