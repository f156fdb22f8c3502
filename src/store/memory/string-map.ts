import { ChunkedColumn } from "./chunked-column.js";
import { RowIndex } from "./row-index.js";

/**
 * A Map from strings kept as two columns found through a RowIndex, for a map that grows with every
 * reservation (the memory store's users): it grows by chunks and a table of row numbers, where a
 * Map copies its whole table of entries each time it doubles, and an entry costs ~28 bytes where
 * a Map's costs ~37.
 */
export class StringMap<V> {
  private readonly keys = new ChunkedColumn<string>();
  private readonly values = new ChunkedColumn<V | undefined>();
  private readonly rows = new RowIndex(this.keys);

  get(key: string): V | undefined {
    const row = this.rows.get(key);
    return row === undefined ? undefined : this.values.get(row);
  }

  set(key: string, value: V): void {
    const row = this.rows.get(key);
    if (row === undefined) this.add(key, value);
    else this.values.set(row, value);
  }

  /** Sets `key`, which the caller knows is not in the map (no lookup). */
  add(key: string, value: V): void {
    const row = this.keys.push(key);
    this.values.push(value);
    this.rows.add(key, row);
  }

  /** Removes `key`; the newest entry's row is reused (an undone addition's always is). */
  delete(key: string): void {
    const row = this.rows.get(key);
    if (row === undefined) return;
    this.rows.delete(key);
    if (row === this.keys.length - 1) {
      this.keys.pop();
      this.values.pop();
    } else {
      this.values.set(row, undefined);
    }
  }
}
