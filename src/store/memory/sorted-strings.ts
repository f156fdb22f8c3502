/** Most strings a chunk holds: adding or removing one moves at most this many; a full chunk is split in two. */
const CHUNK = 512;

/**
 * Strings kept sorted (by `<`: UTF-16 code units, as the memory store compares ids), in chunks of
 * at most CHUNK. The strings from a given one on are found by binary search, over the chunks' last
 * strings then within one chunk: those starting with a prefix cost O(log n + k), not a look at
 * every string. Adding or removing one moves at most a chunk's strings and, when a chunk splits or
 * empties, the list of chunks (n / 256 slots), where one sorted array would move half the strings
 * on average (a million ids added one by one: quadratic).
 */
export class SortedStrings {
  /** Each chunk sorted, none empty, and every string of a chunk before every string of the next. */
  private readonly chunks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds `value`, which must not be held already. */
  add(value: string): void {
    this.count++;
    if (this.chunks.length === 0) {
      this.chunks.push([value]);
      return;
    }
    const place = this.chunkFor(value);
    const chunk = this.chunks[place]!;
    chunk.splice(lowerBound(chunk, value), 0, value);
    if (chunk.length > CHUNK) this.chunks.splice(place + 1, 0, chunk.splice(CHUNK / 2));
  }

  /** Removes `value`; answers whether it was held. */
  delete(value: string): boolean {
    if (this.chunks.length === 0) return false;
    const place = this.chunkFor(value);
    const chunk = this.chunks[place]!;
    const at = lowerBound(chunk, value);
    if (chunk[at] !== value) return false;
    chunk.splice(at, 1);
    if (chunk.length === 0) this.chunks.splice(place, 1);
    this.count--;
    return true;
  }

  /** The strings that start with `prefix` (and come after `after`, when given), in order, at most `limit`. */
  startingWith(prefix: string, limit: number, after?: string): string[] {
    const found: string[] = [];
    if (this.chunks.length === 0 || limit < 1) return found;
    const from = after !== undefined && after > prefix ? after : prefix;
    let place = this.chunkFor(from);
    let at = lowerBound(this.chunks[place]!, from);
    if (this.chunks[place]![at] === after) at++;
    // Those that start with the prefix are side by side in the order: from the first, until one does not.
    for (; place < this.chunks.length; place++, at = 0) {
      const chunk = this.chunks[place]!;
      for (; at < chunk.length; at++) {
        const value = chunk[at]!;
        if (!value.startsWith(prefix)) return found;
        found.push(value);
        if (found.length === limit) return found;
      }
    }
    return found;
  }

  /** The first chunk whose last string is not before `value`; the last chunk when there is none. */
  private chunkFor(value: string): number {
    const { chunks } = this;
    let low = 0;
    let high = chunks.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = chunks[middle]!;
      if (chunk[chunk.length - 1]! < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The place of the first string of `sorted` not before `value` (its length when there is none). */
function lowerBound(sorted: readonly string[], value: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
