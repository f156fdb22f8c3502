/**
 * Holds by expiry: a binary min-heap kept in two parallel arrays (times and ticket ids), so a
 * hold costs two array slots rather than an object. O(log n) push and pop.
 */
export class ExpiryHeap {
  private readonly times: number[] = [];
  private readonly ids: string[] = [];

  get size(): number {
    return this.times.length;
  }

  /** The earliest expiry, or Infinity when empty. */
  peekTime(): number {
    return this.times.length === 0 ? Number.POSITIVE_INFINITY : this.times[0]!;
  }

  peekId(): string | undefined {
    return this.ids[0];
  }

  push(time: number, id: string): void {
    const { times, ids } = this;
    let index = times.length;
    times.push(time);
    ids.push(id);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (times[parent]! <= time) break;
      times[index] = times[parent]!;
      ids[index] = ids[parent]!;
      index = parent;
    }
    times[index] = time;
    ids[index] = id;
  }

  /** Removes the earliest entry (the caller read it with peekTime/peekId). */
  pop(): void {
    const { times, ids } = this;
    const lastTime = times.pop()!;
    const lastId = ids.pop()!;
    const size = times.length;
    if (size === 0) return;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && times[right]! < times[left]! ? right : left;
      if (times[child]! >= lastTime) break;
      times[index] = times[child]!;
      ids[index] = ids[child]!;
      index = child;
    }
    times[index] = lastTime;
    ids[index] = lastId;
  }
}
