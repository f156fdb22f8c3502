import type { Change, EventRecord, KeyRecord, TicketRecord } from "../../core/index.js";
import type { TicketFilter } from "../port.js";

/**
 * Row access for stores whose driver is synchronous (memory, better-sqlite3). Because nothing here
 * awaits, a whole operation runs inside one `transaction` call and cannot interleave with another.
 */
export interface SyncRepository {
  /** Runs `work` atomically, holding the store's write lock from the start. */
  transaction<T>(work: () => T): T;

  findEvent(id: string): EventRecord | undefined;
  listEvents(): EventRecord[];
  findTicket(id: string): TicketRecord | undefined;
  listTickets(filter: TicketFilter): TicketRecord[];
  findKey(userId: string, key: string): KeyRecord | undefined;
  /** The user's ticket for the event whose stored status is `reserved`, if any. */
  findReservedTicket(userId: string, eventId: string): TicketRecord | undefined;
  /** Tickets stored as `reserved` whose expiry is at or before `now`, found through an index. */
  findDueHolds(now: number): TicketRecord[];

  apply(changes: readonly Change[]): void;
  close(): void;
}
