import type Database from "better-sqlite3";
import type { Change, EventRecord, KeyRecord, TicketRecord } from "../../core/index.js";
import type { TicketFilter } from "../port.js";
import type { SyncRepository } from "../sync/repository.js";

const EVENT_COLUMNS = `id, name, venue, starts_at AS startsAt, capacity, held, sold, hold_seconds AS holdSeconds,
  price_minor AS priceMinor, currency, created_at AS createdAt, updated_at AS updatedAt`;
const TICKET_COLUMNS = `id, event_id AS eventId, user_id AS userId, status, reserved_at AS reservedAt,
  expires_at AS expiresAt, purchased_at AS purchasedAt, cancelled_at AS cancelledAt,
  price_minor AS priceMinor, currency, card_last4 AS cardLast4`;

/** Rows come back already in the records' shape (columns are aliased), so there is no mapper. */
export class SqliteRepository implements SyncRepository {
  private readonly statements;
  private readonly listStatements = new Map<string, Database.Statement>();
  private readonly runImmediate: (work: () => unknown) => unknown;

  constructor(private readonly db: Database.Database) {
    const wrapped = db.transaction((work: () => unknown) => work());
    this.runImmediate = (work) => wrapped.immediate(work);
    this.statements = {
      findEvent: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE id = ?`),
      listEvents: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events ORDER BY rowid`),
      findTicket: db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?`),
      findKey: db.prepare(
        `SELECT user_id AS userId, key, request, ticket_id AS ticketId, created_at AS createdAt
         FROM idempotency_keys WHERE user_id = ? AND key = ?`,
      ),
      findReserved: db.prepare(
        `SELECT ${TICKET_COLUMNS} FROM tickets WHERE user_id = ? AND event_id = ? AND status = 'reserved'`,
      ),
      findDue: db.prepare(
        `SELECT ${TICKET_COLUMNS} FROM tickets WHERE status = 'reserved' AND expires_at <= ? ORDER BY expires_at`,
      ),
      saveEvent: db.prepare(
        `INSERT INTO events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor,
           currency, created_at, updated_at)
         VALUES (@id, @name, @venue, @startsAt, @capacity, @held, @sold, @holdSeconds, @priceMinor,
           @currency, @createdAt, @updatedAt)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, venue = excluded.venue,
           starts_at = excluded.starts_at, capacity = excluded.capacity, held = excluded.held,
           sold = excluded.sold, hold_seconds = excluded.hold_seconds, price_minor = excluded.price_minor,
           currency = excluded.currency, updated_at = excluded.updated_at`,
      ),
      saveTicket: db.prepare(
        `INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at,
           cancelled_at, price_minor, currency, card_last4)
         VALUES (@id, @eventId, @userId, @status, @reservedAt, @expiresAt, @purchasedAt, @cancelledAt,
           @priceMinor, @currency, @cardLast4)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, purchased_at = excluded.purchased_at,
           cancelled_at = excluded.cancelled_at, card_last4 = excluded.card_last4`,
      ),
      bindKey: db.prepare(
        `INSERT OR REPLACE INTO idempotency_keys (user_id, key, request, ticket_id, created_at)
         VALUES (@userId, @key, @request, @ticketId, @createdAt)`,
      ),
    };
  }

  transaction<T>(work: () => T): T {
    return this.runImmediate(work) as T;
  }

  findEvent(id: string): EventRecord | undefined {
    return this.statements.findEvent.get(id) as EventRecord | undefined;
  }

  listEvents(): EventRecord[] {
    return this.statements.listEvents.all() as EventRecord[];
  }

  findTicket(id: string): TicketRecord | undefined {
    return this.statements.findTicket.get(id) as TicketRecord | undefined;
  }

  listTickets(filter: TicketFilter): TicketRecord[] {
    const conditions: string[] = [];
    const values: string[] = [];
    for (const [column, value] of [["user_id", filter.userId], ["event_id", filter.eventId], ["status", filter.status]] as const) {
      if (value === undefined) continue;
      conditions.push(`${column} = ?`);
      values.push(value);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    let statement = this.listStatements.get(where);
    if (!statement) {
      statement = this.db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets ${where} ORDER BY reserved_at, id`);
      this.listStatements.set(where, statement);
    }
    return statement.all(...values) as TicketRecord[];
  }

  findKey(userId: string, key: string): KeyRecord | undefined {
    return this.statements.findKey.get(userId, key) as KeyRecord | undefined;
  }

  findReservedTicket(userId: string, eventId: string): TicketRecord | undefined {
    return this.statements.findReserved.get(userId, eventId) as TicketRecord | undefined;
  }

  findDueHolds(now: number): TicketRecord[] {
    return this.statements.findDue.all(now) as TicketRecord[];
  }

  apply(changes: readonly Change[]): void {
    for (const change of changes) {
      if (change.type === "saveEvent") this.statements.saveEvent.run(change.event);
      else if (change.type === "saveTicket") this.statements.saveTicket.run(change.ticket);
      else this.statements.bindKey.run(change.record);
    }
  }

  close(): void {
    this.db.close();
  }
}
