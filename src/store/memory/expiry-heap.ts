import { ChunkedColumn, unboxedColumn } from "./chunked-column.js";

/**
 * The expiry of an empty heap. A constant of the module, not `Number.POSITIVE_INFINITY`: a store's
 * heap is empty only in its first operations, before the property's load has any feedback, so the
 * optimised code of a later store's first operation deoptimised there.
 */
const NEVER = Number.POSITIVE_INFINITY;

/**
 * Holds by expiry: a binary min-heap kept in two parallel columns (times and ticket ids), so a
 * hold costs two slots rather than an object. O(log n) push and pop.
 */
export class ExpiryHeap {
  private readonly times = unboxedColumn();
  private readonly ids = new ChunkedColumn<string>();

  get size(): number {
    return this.times.length;
  }

  /** The earliest expiry, or Infinity when empty. */
  peekTime(): number {
    return this.times.length === 0 ? NEVER : this.times.get(0);
  }

  peekId(): string | undefined {
    return this.ids.length === 0 ? undefined : this.ids.get(0);
  }

  push(time: number, id: string): void {
    const { times, ids } = this;
    let index = times.push(time);
    ids.push(id);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (times.get(parent) <= time) break;
      times.set(index, times.get(parent));
      ids.set(index, ids.get(parent));
      index = parent;
    }
    times.set(index, time);
    ids.set(index, id);
  }

  /** Removes the earliest entry (the caller read it with peekTime/peekId). */
  pop(): void {
    const { times, ids } = this;
    const lastTime = times.pop();
    const lastId = ids.pop();
    const size = times.length;
    if (size === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && times.get(right) < times.get(left) ? right : left;
      if (times.get(child) >= lastTime) break;
      times.set(index, times.get(child));
      ids.set(index, ids.get(child));
      index = child;
    }
    times.set(index, lastTime);
    ids.set(index, lastId);
  }
}
