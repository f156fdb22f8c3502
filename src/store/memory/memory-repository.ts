import type { Change, EventPage, EventRecord, KeyRecord, SeatIndex, TicketRecord, UserStanding, VoucherRecord, WaitingUser, WaitlistEntry } from "../../core/index.js";
import type { LogFilter, StoredLogEntry, TicketFilter } from "../../core/index.js";
import type { SyncRepository } from "../sync/repository.js";
import { MinHeap } from "./min-heap.js";

const pairKey = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * State in Maps, indexed the way the SQLite schema is, so that every lookup on a hot path is
 * O(1) or O(log n). Lives as long as the process.
 */
export class MemoryRepository implements SyncRepository {
  private readonly events = new Map<string, EventRecord>();
  /** Each seated event's seats: the index the last decision made (decisions change copies). */
  private readonly seats = new Map<string, SeatIndex>();
  /** Event ids in creation order, and each one's place in it: a page starts in O(1). */
  private readonly eventOrder: string[] = [];
  private readonly eventPlace = new Map<string, number>();
  private readonly tickets = new Map<string, TicketRecord>();
  private readonly keys = new Map<string, KeyRecord>();
  private readonly ticketIdsByUser = new Map<string, string[]>();
  private readonly ticketIdsByEvent = new Map<string, string[]>();
  private readonly ticketIdsByOrder = new Map<string, string[]>();
  private readonly ticketIdsByUserEvent = new Map<string, string[]>();
  /** Per event, waiting users in arrival order (Map keeps insertion order). */
  private readonly waitlists = new Map<string, Map<string, WaitlistEntry>>();
  private readonly log: StoredLogEntry[] = [];
  /** By (event, code), in creation order. */
  private readonly vouchers = new Map<string, VoucherRecord>();
  /** Every hold ever made, by expiry; entries whose ticket has moved on are skipped when popped. */
  private readonly holdsByExpiry = new MinHeap<{ expiresAt: number; ticketId: string }>((a, b) => a.expiresAt < b.expiresAt);

  /** While a transaction runs: how to undo each write, newest last. */
  private undo: Array<() => void> | undefined;

  // Single-threaded and synchronous: nothing can run between the steps of `work`. Atomic as
  // SQLite is: when `work` throws, every write it made is undone, newest first.
  transaction<T>(work: () => T): T {
    const undo: Array<() => void> = [];
    this.undo = undo;
    try {
      return work();
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    } finally {
      this.undo = undefined;
    }
  }

  readTransaction<T>(work: () => T): T {
    return work();
  }

  private remember(step: () => void): void {
    this.undo?.push(step);
  }

  findEvent(id: string): EventRecord | undefined {
    return this.events.get(id);
  }

  findSeats(event: EventRecord): SeatIndex | undefined {
    return this.seats.get(event.id);
  }

  listEvents(page?: EventPage): EventRecord[] {
    if (!page) return [...this.events.values()]; // insertion order, as SQLite's rowid order
    const start = page.after === undefined ? 0 : (this.eventPlace.get(page.after) ?? this.eventOrder.length - 1) + 1;
    return this.eventOrder.slice(start, start + page.limit).map((id) => this.events.get(id)!);
  }

  findTicket(id: string): TicketRecord | undefined {
    return this.tickets.get(id);
  }

  findOrder(orderId: string): TicketRecord[] {
    return this.resolve(this.ticketIdsByOrder.get(orderId));
  }

  listTickets(filter: TicketFilter): TicketRecord[] {
    const ids = filter.userId !== undefined
      ? this.ticketIdsByUser.get(filter.userId)
      : filter.eventId !== undefined
        ? this.ticketIdsByEvent.get(filter.eventId)
        : [...this.tickets.keys()];
    return this.resolve(ids)
      .filter((ticket) =>
        (filter.eventId === undefined || ticket.eventId === filter.eventId) &&
        (filter.status === undefined || ticket.status === filter.status))
      .sort((a, b) => a.reservedAt - b.reservedAt || a.id.localeCompare(b.id));
  }

  findKey(userId: string, key: string): KeyRecord | undefined {
    return this.keys.get(pairKey(userId, key));
  }

  userStanding(userId: string, eventId: string): UserStanding {
    const standing = { liveHolds: 0, committed: 0 };
    for (const ticket of this.resolve(this.ticketIdsByUserEvent.get(pairKey(userId, eventId)))) {
      if (ticket.status === "reserved") standing.liveHolds += 1;
      if (ticket.status === "reserved" || ticket.status === "purchased") standing.committed += 1;
    }
    return standing;
  }

  findDueHolds(now: number): TicketRecord[] {
    const due: TicketRecord[] = [];
    for (let next = this.holdsByExpiry.peek(); next && next.expiresAt <= now; next = this.holdsByExpiry.peek()) {
      const popped = this.holdsByExpiry.pop()!;
      this.remember(() => this.holdsByExpiry.push(popped));
      const ticket = this.tickets.get(next.ticketId);
      if (ticket?.status === "reserved") due.push(ticket);
    }
    return due;
  }

  mayHaveDueHolds(now: number): boolean {
    const next = this.holdsByExpiry.peek();
    return next !== undefined && next.expiresAt <= now;
  }

  findWaitlistEntry(eventId: string, userId: string): WaitlistEntry | undefined {
    return this.waitlists.get(eventId)?.get(userId);
  }

  listWaitlist(eventId: string, limit: number): WaitlistEntry[] {
    return [...(this.waitlists.get(eventId)?.values() ?? [])].slice(0, limit);
  }

  listWaitingUsers(eventId: string, limit: number): WaitingUser[] {
    return this.listWaitlist(eventId, limit).map((entry) => ({ ...entry, standing: this.userStanding(entry.userId, eventId) }));
  }

  listLog(filter: LogFilter): StoredLogEntry[] {
    return this.log.filter((entry) =>
      (filter.eventId === undefined || entry.eventId === filter.eventId) &&
      (filter.ticketId === undefined || entry.ticketId === filter.ticketId));
  }

  findVouchers(eventId: string, codes: readonly string[]): VoucherRecord[] {
    return codes.flatMap((code) => this.vouchers.get(pairKey(eventId, code)) ?? []);
  }

  listVouchers(eventId: string | undefined): VoucherRecord[] {
    return [...this.vouchers.values()].filter((voucher) => eventId === undefined || voucher.eventId === eventId);
  }

  apply(changes: readonly Change[]): void {
    for (const change of changes) {
      switch (change.type) {
        case "saveEvent":
          if (!this.events.has(change.event.id)) this.placeEvent(change.event.id);
          this.put(this.events, change.event.id, change.event);
          break;
        case "saveTicket":
          this.saveTicket(change.ticket);
          break;
        case "bindKey":
          this.put(this.keys, pairKey(change.record.userId, change.record.key), change.record);
          break;
        case "saveWaitlistEntry":
          this.put(this.waitlistOf(change.entry.eventId), change.entry.userId, change.entry);
          break;
        case "removeWaitlistEntry": {
          const line = this.waitlists.get(change.eventId);
          if (!line?.has(change.userId)) break;
          const before = [...line]; // restoring must keep everyone's place in line
          line.delete(change.userId);
          this.remember(() => this.waitlists.set(change.eventId, new Map(before)));
          break;
        }
        case "appendLog":
          this.log.push({ ...change.entry, seq: this.log.length + 1 });
          this.remember(() => this.log.pop());
          break;
        case "saveVoucher":
          this.put(this.vouchers, pairKey(change.voucher.eventId, change.voucher.code), change.voucher);
          break;
        case "saveSeats":
          this.put(this.seats, change.eventId, change.seats);
          break;
      }
    }
  }

  close(): void {}

  private saveTicket(ticket: TicketRecord): void {
    const previous = this.tickets.get(ticket.id);
    this.put(this.tickets, ticket.id, ticket);
    if (previous) {
      if (previous.userId !== ticket.userId || previous.orderId !== ticket.orderId) this.moveTicket(previous, ticket);
      return;
    }
    for (const [index, key] of this.indexesOf(ticket)) {
      append(index, key, ticket.id);
      this.remember(() => index.get(key)!.pop());
    }
    // A heap entry left by an undone ticket is harmless: findDueHolds skips ids it cannot find.
    this.holdsByExpiry.push({ expiresAt: ticket.expiresAt, ticketId: ticket.id });
  }

  /** The ticket's index entries under the keys it had (a transfer: another user and order). */
  private moveTicket(before: TicketRecord, after: TicketRecord): void {
    const was = this.indexesOf(before);
    this.indexesOf(after).forEach(([index, key], position) => {
      const oldKey = was[position]![1];
      if (oldKey === key) return;
      const list = index.get(oldKey)!;
      const at = list.indexOf(after.id);
      list.splice(at, 1);
      // Kept in creation order, as SQLite's rowid order: placed after the tickets made before it.
      const target = index.get(key) ?? [];
      index.set(key, target);
      const place = target.findIndex((id) => this.tickets.get(id)!.reservedAt > after.reservedAt);
      const insertAt = place < 0 ? target.length : place;
      target.splice(insertAt, 0, after.id);
      this.remember(() => {
        target.splice(insertAt, 1);
        list.splice(at, 0, after.id);
      });
    });
  }

  private indexesOf(ticket: TicketRecord): Array<[Map<string, string[]>, string]> {
    return [
      [this.ticketIdsByUser, ticket.userId],
      [this.ticketIdsByEvent, ticket.eventId],
      [this.ticketIdsByOrder, ticket.orderId],
      [this.ticketIdsByUserEvent, pairKey(ticket.userId, ticket.eventId)],
    ];
  }

  private placeEvent(id: string): void {
    this.eventPlace.set(id, this.eventOrder.push(id) - 1);
    this.remember(() => {
      this.eventOrder.pop();
      this.eventPlace.delete(id);
    });
  }

  /** `map.set`, undoably. */
  private put<V>(map: Map<string, V>, key: string, value: V): void {
    const had = map.has(key);
    const previous = map.get(key);
    map.set(key, value);
    this.remember(() => (had ? map.set(key, previous as V) : map.delete(key)));
  }

  private waitlistOf(eventId: string): Map<string, WaitlistEntry> {
    let waitlist = this.waitlists.get(eventId);
    if (!waitlist) this.waitlists.set(eventId, (waitlist = new Map()));
    return waitlist;
  }

  private resolve(ids: readonly string[] | undefined): TicketRecord[] {
    return (ids ?? []).map((id) => this.tickets.get(id)!);
  }
}

function append(index: Map<string, string[]>, key: string, id: string): void {
  const list = index.get(key);
  if (list) list.push(id);
  else index.set(key, [id]);
}
