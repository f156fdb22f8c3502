import type { Change, EventRecord, KeyRecord, TicketRecord } from "../../core/index.js";
import type { TicketFilter } from "../port.js";
import type { SyncRepository } from "../sync/repository.js";
import { MinHeap } from "./min-heap.js";

const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * State in Maps, indexed the way the SQLite schema is, so that every lookup on a hot path is
 * O(1) or O(log n). Lives as long as the process.
 */
export class MemoryRepository implements SyncRepository {
  private readonly events = new Map<string, EventRecord>();
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly keys = new Map<string, KeyRecord>();
  private readonly ticketIdsByUser = new Map<string, string[]>();
  private readonly ticketIdsByEvent = new Map<string, string[]>();
  private readonly reservedByUserEvent = new Map<string, string>();
  /** Every hold ever made, by expiry; entries whose ticket has moved on are skipped when popped. */
  private readonly holdsByExpiry = new MinHeap<{ expiresAt: number; ticketId: string }>((a, b) => a.expiresAt < b.expiresAt);

  // Single-threaded and synchronous: nothing can run between the steps of `work`.
  transaction<T>(work: () => T): T {
    return work();
  }

  findEvent(id: string): EventRecord | undefined {
    return this.events.get(id);
  }

  listEvents(): EventRecord[] {
    return [...this.events.values()]; // insertion order, as SQLite's rowid order
  }

  findTicket(id: string): TicketRecord | undefined {
    return this.tickets.get(id);
  }

  listTickets(filter: TicketFilter): TicketRecord[] {
    const ids = filter.userId !== undefined
      ? this.ticketIdsByUser.get(filter.userId) ?? []
      : filter.eventId !== undefined
        ? this.ticketIdsByEvent.get(filter.eventId) ?? []
        : [...this.tickets.keys()];
    return ids
      .map((id) => this.tickets.get(id)!)
      .filter((ticket) =>
        (filter.eventId === undefined || ticket.eventId === filter.eventId) &&
        (filter.status === undefined || ticket.status === filter.status))
      .sort((a, b) => a.reservedAt - b.reservedAt || a.id.localeCompare(b.id));
  }

  findKey(userId: string, key: string): KeyRecord | undefined {
    return this.keys.get(pairKey(userId, key));
  }

  findReservedTicket(userId: string, eventId: string): TicketRecord | undefined {
    const id = this.reservedByUserEvent.get(pairKey(userId, eventId));
    return id === undefined ? undefined : this.tickets.get(id);
  }

  findDueHolds(now: number): TicketRecord[] {
    const due: TicketRecord[] = [];
    for (let next = this.holdsByExpiry.peek(); next && next.expiresAt <= now; next = this.holdsByExpiry.peek()) {
      this.holdsByExpiry.pop();
      const ticket = this.tickets.get(next.ticketId);
      if (ticket?.status === "reserved") due.push(ticket);
    }
    return due;
  }

  apply(changes: readonly Change[]): void {
    for (const change of changes) {
      if (change.type === "saveEvent") this.events.set(change.event.id, change.event);
      else if (change.type === "bindKey") this.keys.set(pairKey(change.record.userId, change.record.key), change.record);
      else this.saveTicket(change.ticket);
    }
  }

  close(): void {}

  private saveTicket(ticket: TicketRecord): void {
    const isNew = !this.tickets.has(ticket.id);
    this.tickets.set(ticket.id, ticket);
    if (isNew) {
      append(this.ticketIdsByUser, ticket.userId, ticket.id);
      append(this.ticketIdsByEvent, ticket.eventId, ticket.id);
      this.holdsByExpiry.push({ expiresAt: ticket.expiresAt, ticketId: ticket.id });
    }
    const holdKey = pairKey(ticket.userId, ticket.eventId);
    if (ticket.status === "reserved") this.reservedByUserEvent.set(holdKey, ticket.id);
    else if (this.reservedByUserEvent.get(holdKey) === ticket.id) this.reservedByUserEvent.delete(holdKey);
  }
}

function append(index: Map<string, string[]>, key: string, id: string): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}
