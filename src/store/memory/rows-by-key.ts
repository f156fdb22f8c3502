import { unboxedColumn, type ChunkedColumn } from "./chunked-column.js";

/**
 * Rows by a key a row never changes (a ticket's event), in the order they were added: each key's
 * row numbers in chunks of int32s, which the collector never scans and which are never copied as
 * a list grows (an event's list grows with every reservation of it).
 */
export class RowsByKey {
  private readonly lists = new Map<string, ChunkedColumn<number>>();

  /**
   * Makes the key's list (empty) if it has none: the store opens an event's when it saves the event,
   * so that a reservation never makes one — a path only a new event's first reservation took, which
   * had no feedback then and deoptimised the code that saves tickets at the next new event.
   */
  open(key: string): void {
    if (!this.lists.has(key)) this.lists.set(key, unboxedColumn("int32"));
  }

  /** Removes the key's list when it holds no row (an event's creation undone). */
  closeIfEmpty(key: string): void {
    if (this.lists.get(key)?.length === 0) this.lists.delete(key);
  }

  add(key: string, row: number): void {
    let rows = this.lists.get(key);
    if (!rows) this.lists.set(key, (rows = unboxedColumn("int32")));
    rows.push(row);
  }

  /** Removes `row` from the key's rows: found from the newest (an undone creation's is the newest). */
  remove(key: string, row: number): void {
    const rows = this.lists.get(key);
    if (!rows) return;
    let at = rows.length - 1;
    while (at >= 0 && rows.get(at) !== row) at--;
    if (at < 0) return;
    for (; at < rows.length - 1; at++) rows.set(at, rows.get(at + 1));
    rows.pop();
    if (rows.length === 0) this.lists.delete(key);
  }

  /** The key's rows, oldest first. */
  list(key: string): number[] {
    const rows = this.lists.get(key);
    const list: number[] = [];
    if (rows) for (let at = 0; at < rows.length; at++) list.push(rows.get(at));
    return list;
  }
}
