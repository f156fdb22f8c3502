import { unboxedColumn, type ChunkedColumn } from "./chunked-column.js";

/**
 * Rows by a key a row never changes (a ticket's event), in the order they were added: each key's
 * row numbers in chunks of int32s, which the collector never scans and which are never copied as
 * a list grows (an event's list grows with every reservation of it).
 */
export class RowsByKey {
  private readonly lists = new Map<string, ChunkedColumn<number>>();

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
