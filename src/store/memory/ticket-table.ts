import type { TicketRecord } from "../../core/index.js";
import { commonPartOf, type CommonPart } from "./common-part.js";
import { isTwin, twinOrderId } from "./twin-ids.js";

// A row's cells: its place in `cells` is row × CELLS + one of these.
const ID = 0;
const ORDER = 1;
const USER = 2;
const COMMON = 3;
const KEY = 4;
const REQUEST = 5;
const CELLS = 6;
type Cell = string | CommonPart | undefined;

/** What a row keeps of its ticket's order id: nothing when it is the ticket's twin (made again when read). */
function orderCell(ticket: TicketRecord): string | undefined {
  return isTwin(ticket.id, ticket.orderId) ? undefined : ticket.orderId;
}

/**
 * The memory store's tickets as rows of one flat array: row n is the n-th ticket made (SQLite's
 * rowid), found by id through one map of small integers. A ticket kept is six cells and two
 * numbers, not objects (its order id not even that when its ticket is the order's twin, see TwinIds): what its tickets share with others (event, tier, price, status, … see
 * CommonPart) is one object for many, and its record is made again when read, so what a decision
 * made dies young and a reservation leaves the collector little to copy. A row also keeps what a
 * reservation's log entry and key binding need when the row stands for them (see ticket-row.ts):
 * the key, the fingerprint.
 */
export class TicketTable {
  private readonly rows = new Map<string, number>();
  private readonly cells: Cell[] = [];
  /** reservedAt and expiresAt of each row, two a row (unboxed). */
  private readonly times: number[] = [];
  /** Rows whose ticket changed what its reservation's log entry and binding are made of: the record as first saved. */
  private readonly firsts = new Map<number, TicketRecord>();

  rowOf(id: string): number | undefined {
    return this.rows.get(id);
  }

  /** Every stored ticket's row, oldest first. */
  allRows(): IterableIterator<number> {
    return this.rows.values();
  }

  /** Adds a ticket whose id is not stored; answers its row. */
  add(ticket: TicketRecord): number {
    const row = this.cells.length / CELLS;
    this.cells.push(ticket.id, orderCell(ticket), ticket.userId, commonPartOf(ticket, undefined), undefined, undefined);
    this.times.push(ticket.reservedAt, ticket.expiresAt);
    this.rows.set(ticket.id, row);
    return row;
  }

  /** Writes `ticket` (of the same id) over row `row`. */
  replace(row: number, ticket: TicketRecord): void {
    const at = row * CELLS;
    const cells = this.cells;
    const common = cells[at + COMMON] as CommonPart;
    if (!this.firsts.has(row) && !this.sameFirstFields(row, common, ticket)) this.firsts.set(row, this.record(row));
    cells[at + ORDER] = orderCell(ticket);
    cells[at + USER] = ticket.userId;
    cells[at + COMMON] = commonPartOf(ticket, common);
    this.times[2 * row] = ticket.reservedAt;
    this.times[2 * row + 1] = ticket.expiresAt;
  }

  /** Undoes add: the ticket is no longer stored (its row is reused when it was the newest, as an undo's always is). */
  remove(id: string, row: number): void {
    this.rows.delete(id);
    this.firsts.delete(row);
    if ((row + 1) * CELLS !== this.cells.length) return;
    this.cells.length = row * CELLS;
    this.times.length = row * 2;
  }

  /** The ticket's record, made now (same shape as the core's). */
  record(row: number): TicketRecord {
    const at = row * CELLS;
    const cells = this.cells;
    const common = cells[at + COMMON] as CommonPart;
    return {
      id: cells[at + ID] as string, eventId: common.eventId, tier: common.tier, orderId: this.orderIdOf(row), userId: cells[at + USER] as string,
      status: common.status, reservedAt: this.times[2 * row]!, expiresAt: this.times[2 * row + 1]!, purchasedAt: common.purchasedAt,
      cancelledAt: common.cancelledAt, checkedInAt: common.checkedInAt, priceMinor: common.priceMinor, currency: common.currency,
      cardLast4: common.cardLast4, voucher: common.voucher, discountMinor: common.discountMinor, seat: common.seat,
    };
  }

  /** The record as first saved (what the row's reservation log entry and binding are made of). */
  first(row: number): TicketRecord {
    return this.firsts.get(row) ?? this.record(row);
  }

  idOf(row: number): string {
    return this.cells[row * CELLS + ID] as string;
  }

  orderIdOf(row: number): string {
    const at = row * CELLS;
    return (this.cells[at + ORDER] as string | undefined) ?? twinOrderId(this.cells[at + ID] as string);
  }

  /** Whether row `row`'s ticket is in the order `orderId` (its id not made when it is the twin's). */
  isInOrder(row: number, orderId: string): boolean {
    const at = row * CELLS;
    const order = this.cells[at + ORDER] as string | undefined;
    return order === undefined ? isTwin(this.cells[at + ID] as string, orderId) : order === orderId;
  }

  /** What the row's ticket shares with others (its event, tier, status, …). */
  commonOf(row: number): CommonPart {
    return this.cells[row * CELLS + COMMON] as CommonPart;
  }

  keyOf(row: number): string | undefined {
    return this.cells[row * CELLS + KEY] as string | undefined;
  }

  requestOf(row: number): string | undefined {
    return this.cells[row * CELLS + REQUEST] as string | undefined;
  }

  setKey(row: number, key: string | undefined): void {
    this.cells[row * CELLS + KEY] = key;
  }

  setRequest(row: number, request: string | undefined): void {
    this.cells[row * CELLS + REQUEST] = request;
  }

  /** Whether `ticket` keeps the fields of row `row` a reservation's log entry and binding are made of. */
  private sameFirstFields(row: number, common: CommonPart, ticket: TicketRecord): boolean {
    const at = row * CELLS;
    return ticket.eventId === common.eventId && ticket.tier === common.tier && ticket.seat === common.seat &&
      this.isInOrder(row, ticket.orderId) && ticket.userId === this.cells[at + USER] && ticket.reservedAt === this.times[2 * row];
  }
}
