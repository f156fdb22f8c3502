/** Elements a chunk holds: 2^10, so a chunk (8 KB of slots) is made in the young generation and never grows. */
const CHUNK_BITS = 10;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK_SIZE - 1;

/**
 * A list that grows by adding chunks of a fixed size, never by copying. An array grown one push
 * at a time is copied into one 1.5 times larger whenever it is full, and past 128 KB each copy is
 * memory newly mapped from the system, page by page: what a fresh memory store paid most for
 * its first tens of thousands of tickets (page faults, the copies, the old arrays freed).
 */
abstract class Chunked<C extends { [index: number]: unknown }> {
  protected readonly chunks: C[] = [];
  private size = 0;

  get length(): number {
    return this.size;
  }

  protected abstract newChunk(): C;

  /** Makes room for one more element; answers its index. */
  protected grow(): number {
    const at = this.size;
    if ((at & IN_CHUNK) === 0 && at >> CHUNK_BITS === this.chunks.length) this.chunks.push(this.newChunk());
    this.size = at + 1;
    return at;
  }

  /** Forgets the last element (the caller clears its slot if it holds an object); its chunk stays for the next. */
  protected shrink(): number {
    return --this.size;
  }
}

/** Values of any kind, by index (0 … length − 1). */
export class ChunkedColumn<T> extends Chunked<T[]> {
  get(index: number): T {
    return this.chunks[index >> CHUNK_BITS]![index & IN_CHUNK]!;
  }

  set(index: number, value: T): void {
    this.chunks[index >> CHUNK_BITS]![index & IN_CHUNK] = value;
  }

  push(value: T): number {
    const at = this.grow();
    this.chunks[at >> CHUNK_BITS]![at & IN_CHUNK] = value;
    return at;
  }

  /** Removes and answers the last value (the list must not be empty). */
  pop(): T {
    const at = this.shrink();
    const chunk = this.chunks[at >> CHUNK_BITS]!;
    const value = chunk[at & IN_CHUNK]!;
    chunk[at & IN_CHUNK] = undefined as T; // nothing kept alive by a slot past the end
    return value;
  }

  protected newChunk(): T[] {
    return new Array<T>(CHUNK_SIZE);
  }
}

/** Numbers kept unboxed (instants; int32 hashes), by index. */
export class ChunkedNumbers extends Chunked<Float64Array | Int32Array> {
  constructor(private readonly kind: typeof Float64Array | typeof Int32Array = Float64Array) {
    super();
  }

  get(index: number): number {
    return this.chunks[index >> CHUNK_BITS]![index & IN_CHUNK]!;
  }

  set(index: number, value: number): void {
    this.chunks[index >> CHUNK_BITS]![index & IN_CHUNK] = value;
  }

  push(value: number): number {
    const at = this.grow();
    this.chunks[at >> CHUNK_BITS]![at & IN_CHUNK] = value;
    return at;
  }

  /** Sets `index`, first adding zeros up to it when it is past the end. */
  put(index: number, value: number): void {
    while (index >= this.length) this.push(0);
    this.set(index, value);
  }

  /** Removes and answers the last value (the list must not be empty). */
  pop(): number {
    return this.get(this.shrink());
  }

  protected newChunk(): Float64Array | Int32Array {
    return new this.kind(CHUNK_SIZE);
  }
}
