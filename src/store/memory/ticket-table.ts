import type { TicketRecord } from "../../core/index.js";
import { ChunkedColumn, unboxedColumn } from "./chunked-column.js";
import { commonPartOf, type CommonPart } from "./common-part.js";
import { RowIndex } from "./row-index.js";
import { isTwin, twinOrderId } from "./twin-ids.js";

/** What a row keeps of its ticket's order id: nothing when it is the ticket's twin (made again when read). */
function orderCell(ticket: TicketRecord): string | undefined {
  return isTwin(ticket.id, ticket.orderId) ? undefined : ticket.orderId;
}

/**
 * The memory store's tickets as columns: row n of each array is the n-th ticket made (SQLite's
 * rowid), found by id through a hash table of row numbers (see RowIndex). A ticket kept is a row of slots, not
 * objects: what it shares with other tickets (event, tier, price, status, … see CommonPart) is one
 * object for many, its order id nothing when its ticket is the order's twin (see TwinIds), its
 * instants unboxed, and its record is made again when read, so what a decision made dies young
 * and a reservation leaves the collector little to copy. A row also keeps what a reservation's
 * log entry and key binding need when the row stands for them (see row-stand-ins.ts): the key, the
 * fingerprint. The columns grow by chunks, never by copying (see ChunkedColumn).
 */
export class TicketTable {
  private readonly ids = new ChunkedColumn<string>();
  private readonly rows = new RowIndex(this.ids);
  private readonly orderIds = new ChunkedColumn<string | undefined>();
  private readonly userIds = new ChunkedColumn<string>();
  private readonly commons = new ChunkedColumn<CommonPart>();
  private readonly reservedAts = unboxedColumn();
  private readonly expiresAts = unboxedColumn();
  private readonly keys = new ChunkedColumn<string | undefined>();
  private readonly requests = new ChunkedColumn<string | undefined>();
  /** Rows whose ticket changed what its reservation's log entry and binding are made of: the record as first saved. */
  private readonly firsts = new Map<number, TicketRecord>();

  rowOf(id: string): number | undefined {
    return this.rows.get(id);
  }

  /** How many tickets are stored. */
  get count(): number {
    return this.rows.size;
  }

  /** Every stored ticket's row, oldest first. */
  *allRows(): IterableIterator<number> {
    for (let row = 0; row < this.ids.length; row++) if (this.rows.get(this.ids.get(row)) === row) yield row;
  }

  /** Adds a ticket whose id is not stored; answers its row. */
  add(ticket: TicketRecord): number {
    const row = this.ids.length;
    this.ids.push(ticket.id);
    this.orderIds.push(orderCell(ticket));
    this.userIds.push(ticket.userId);
    this.commons.push(commonPartOf(ticket, undefined));
    this.reservedAts.push(ticket.reservedAt);
    this.expiresAts.push(ticket.expiresAt);
    this.keys.push(undefined);
    this.requests.push(undefined);
    this.rows.add(ticket.id, row);
    return row;
  }

  /** Writes `ticket` (of the same id) over row `row`. */
  replace(row: number, ticket: TicketRecord): void {
    if (!this.firsts.has(row) && !this.sameFirstFields(row, ticket)) this.firsts.set(row, this.record(row));
    this.orderIds.set(row, orderCell(ticket));
    this.userIds.set(row, ticket.userId);
    this.commons.set(row, commonPartOf(ticket, this.commons.get(row)));
    this.reservedAts.set(row, ticket.reservedAt);
    this.expiresAts.set(row, ticket.expiresAt);
  }

  /** Undoes add: the ticket is no longer stored (its row is reused when it was the newest, as an undo's always is). */
  remove(id: string, row: number): void {
    this.rows.delete(id);
    this.firsts.delete(row);
    if (row !== this.ids.length - 1) return;
    for (const column of [this.ids, this.orderIds, this.userIds, this.commons, this.reservedAts, this.expiresAts, this.keys, this.requests]) column.pop();
  }

  /** The ticket's record, made now (same shape as the core's). */
  record(row: number): TicketRecord {
    const common = this.commons.get(row);
    return {
      id: this.ids.get(row), eventId: common.eventId, tier: common.tier, orderId: this.orderIdOf(row), userId: this.userIds.get(row),
      status: common.status, reservedAt: this.reservedAts.get(row), expiresAt: this.expiresAts.get(row), purchasedAt: common.purchasedAt,
      cancelledAt: common.cancelledAt, checkedInAt: common.checkedInAt, priceMinor: common.priceMinor, currency: common.currency,
      cardLast4: common.cardLast4, voucher: common.voucher, discountMinor: common.discountMinor, seat: common.seat,
    };
  }

  /** The record as first saved (what the row's reservation log entry and binding are made of). */
  first(row: number): TicketRecord {
    return this.firsts.get(row) ?? this.record(row);
  }

  idOf(row: number): string {
    return this.ids.get(row);
  }

  orderIdOf(row: number): string {
    return this.orderIds.get(row) ?? twinOrderId(this.ids.get(row));
  }

  /** Whether row `row`'s ticket is in the order `orderId` (its id not made when it is the twin's). */
  isInOrder(row: number, orderId: string): boolean {
    const order = this.orderIds.get(row);
    return order === undefined ? isTwin(this.ids.get(row), orderId) : order === orderId;
  }

  /** What the row's ticket shares with others (its event, tier, status, …). */
  commonOf(row: number): CommonPart {
    return this.commons.get(row);
  }

  keyOf(row: number): string | undefined {
    return this.keys.get(row);
  }

  requestOf(row: number): string | undefined {
    return this.requests.get(row);
  }

  setKey(row: number, key: string | undefined): void {
    this.keys.set(row, key);
  }

  setRequest(row: number, request: string | undefined): void {
    this.requests.set(row, request);
  }

  /** Whether `ticket` keeps the fields of row `row` a reservation's log entry and binding are made of. */
  private sameFirstFields(row: number, ticket: TicketRecord): boolean {
    const common = this.commons.get(row);
    return ticket.eventId === common.eventId && ticket.tier === common.tier && ticket.seat === common.seat &&
      this.isInOrder(row, ticket.orderId) && ticket.userId === this.userIds.get(row) && ticket.reservedAt === this.reservedAts.get(row);
  }
}
