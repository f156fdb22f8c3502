import type pg from "pg";
import {
  KEY_RETENTION_MS,
  decideCancel,
  decideCreateEvent,
  decideExpiry,
  decidePurchase,
  decideReserve,
  decideUpdateEvent,
  isKeyLive,
  type Change,
  type Clock,
  type Decision,
  type EventRecord,
  type KeyRecord,
  type TicketRecord,
} from "../../core/index.js";
import type { TicketFilter, TixStore } from "../port.js";
import { KeyBindingConflict, isConflict, isRetryable, retryDelayMs, translatePgError } from "./errors.js";
import { SQL, eventParams, keyParams, ticketParams } from "./statements.js";

/** What one operation's decision sees: its connection, its instant, and the event rows it locked. */
interface Transaction {
  client: pg.PoolClient;
  now: number;
  /** The locked events, kept current as changes are applied. */
  events: Map<string, EventRecord>;
}

interface WritePlan<T> {
  /** Taken first (before any row lock), to serialise operations on something that may not exist yet. */
  advisoryLock?: string;
  /** The events this operation changes; they are locked, with those that have holds due, in id order. */
  events?: (client: pg.PoolClient) => Promise<string[]>;
  decide: (tx: Transaction) => Promise<Decision<T>>;
}

/** Never appears in ids, users or keys (all printable), so joined lock names cannot collide. */
const SEPARATOR = "\u001f";

/**
 * The port over PostgreSQL, for many processes on many hosts sharing one database. Each operation
 * is one transaction: lock → read the clock → release due holds → load → decide (the same core
 * functions as every adapter) → apply. Capacity decisions hold the event's row lock; a key is
 * serialised by an advisory lock on (user, key); deadlocks and serialization failures are retried
 * a bounded number of times; constraints are the last line of defence. Without an injected clock
 * `now` is the database server's, so hosts whose clocks disagree still agree on when a hold ends.
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
      advisoryLock: ["event", request.id].join(SEPARATOR),
      events: async () => [request.id],
      decide: async (tx) => decideCreateEvent(tx.events.get(request.id), request, tx.now),
    });

  updateEvent: TixStore["updateEvent"] = (request) =>
    this.write({
      events: async () => [request.id],
      decide: async (tx) => decideUpdateEvent(tx.events.get(request.id), request, tx.now),
    });

  getEvent: TixStore["getEvent"] = (id) => this.read((client) => one<EventRecord>(client, SQL.findEvent, [id]));

  listEvents: TixStore["listEvents"] = () => this.read(async (client) => (await client.query<EventRecord>(SQL.listEvents)).rows);

  reserve: TixStore["reserve"] = (request) =>
    this.write({
      advisoryLock: ["key", request.userId, request.key].join(SEPARATOR),
      events: async () => [request.eventId],
      decide: async ({ client, now, events }) => {
        const keyRecord = await one<KeyRecord>(client, SQL.findKey, [request.userId, request.key]);
        const snapshot = {
          event: events.get(request.eventId),
          keyRecord,
          keyTicket: keyRecord && (await one<TicketRecord>(client, SQL.findTicket, [keyRecord.ticketId])),
          activeHold: await one<TicketRecord>(client, SQL.findReserved, [request.userId, request.eventId]),
        };
        return decideReserve(snapshot, request, now);
      },
    });

  purchase: TixStore["purchase"] = (request) =>
    this.write({
      events: (client) => this.eventOfTicket(client, request.ticketId),
      decide: async (tx) => decidePurchase(await this.ticketSnapshot(tx, request.ticketId), request, tx.now),
    });

  cancel: TixStore["cancel"] = (request) =>
    this.write({
      events: (client) => this.eventOfTicket(client, request.ticketId),
      decide: async (tx) => decideCancel(await this.ticketSnapshot(tx, request.ticketId), request, tx.now),
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
      const ticket = isKeyLive(record, now) ? await one<TicketRecord>(client, SQL.findTicket, [record.ticketId]) : undefined;
      return record && ticket ? { record, ticket } : undefined;
    });

  close = async (): Promise<void> => {
    await this.pool.end();
  };

  private async eventOfTicket(client: pg.PoolClient, ticketId: string): Promise<string[]> {
    const row = await one<{ eventId: string }>(client, SQL.ticketEventId, [ticketId]);
    return row ? [row.eventId] : [];
  }

  /** Read after the event's lock is held: the ticket cannot change under it. */
  private async ticketSnapshot(tx: Transaction, ticketId: string) {
    const ticket = await one<TicketRecord>(tx.client, SQL.findTicket, [ticketId]);
    return { ticket, event: ticket && tx.events.get(ticket.eventId) };
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
      if (plan.advisoryLock !== undefined) await client.query(SQL.advisoryLock, [plan.advisoryLock]);
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
    for (const event of (await client.query<EventRecord>(SQL.lockEvents, [ids])).rows) tx.events.set(event.id, event);
    const due = (await client.query<TicketRecord>(SQL.dueHolds, [now, [...tx.events.keys()]])).rows;
    if (due.length > 0) await this.apply(tx, decideExpiry(due, tx.events, now));
    return tx;
  }

  private async nowAndDueEvents(client: pg.PoolClient): Promise<{ now: number; dueEvents: string[] }> {
    const { rows } = await client.query<{ now: number; dueEvents: string[] }>(SQL.nowAndDueEvents, [this.clock?.now() ?? null]);
    return rows[0]!;
  }

  private async apply(tx: Transaction, changes: readonly Change[]): Promise<void> {
    for (const change of changes) {
      if (change.type === "saveEvent") {
        await tx.client.query(SQL.saveEvent, eventParams(change.event));
        tx.events.set(change.event.id, change.event);
      } else if (change.type === "saveTicket") {
        await tx.client.query(SQL.saveTicket, ticketParams(change.ticket));
      } else {
        const { rowCount } = await tx.client.query(SQL.bindKey, keyParams(change.record, KEY_RETENTION_MS));
        if (rowCount === 0) throw new KeyBindingConflict(change.record.userId, change.record.key);
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

/** Errors after which a connection must not go back to the pool. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return /^(08|57P|E[A-Z]+$)/.test(code);
  return error instanceof Error && /Connection terminated|connection error/i.test(error.message);
}
