/** Elements a chunk holds: 2^10, so a chunk (8 KB of slots) is made in the young generation and never grows. */
const CHUNK_BITS = 10;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK_SIZE - 1;

type Chunk<T> = { [index: number]: T };

/** What a column's chunks are: arrays (any value), or typed arrays of numbers kept unboxed. */
const ARRAY = 0;
const FLOAT64 = 1;
const INT32 = 2;
type ChunkKind = typeof ARRAY | typeof FLOAT64 | typeof INT32;

/**
 * A list that grows by adding chunks of a fixed size, never by copying. An array grown one push
 * at a time is copied into one 1.5 times larger whenever it is full, and past 128 KB each copy is
 * memory newly mapped from the system, page by page: what a fresh memory store paid most for
 * its first tens of thousands of tickets (page faults, the copies, the old arrays freed).
 * Chunks are arrays, or typed arrays for numbers kept unboxed (see unboxedColumn).
 */
export class ChunkedColumn<T> {
  private readonly chunks: Array<Chunk<T>> = [];
  private size = 0;

  /**
   * A kind, not a function that makes a chunk: a function per column was a call target per
   * column, so every store opened after the first made the optimised code of a push deoptimise.
   */
  constructor(private readonly kind: ChunkKind = ARRAY) {}

  get length(): number {
    return this.size;
  }

  get(index: number): T {
    return this.chunks[index >> CHUNK_BITS]![index & IN_CHUNK]!;
  }

  set(index: number, value: T): void {
    this.chunks[index >> CHUNK_BITS]![index & IN_CHUNK] = value;
  }

  /** Adds `value` last; answers its index. */
  push(value: T): number {
    const at = this.size;
    if ((at & IN_CHUNK) === 0 && at >> CHUNK_BITS === this.chunks.length) this.chunks.push(newChunk(this.kind));
    this.size = at + 1;
    this.set(at, value);
    return at;
  }

  /** Sets `index`, first adding `filler` up to it when it is past the end. */
  put(index: number, value: T, filler: T): void {
    while (index >= this.size) this.push(filler);
    this.set(index, value);
  }

  /** Removes and answers the last value (the list must not be empty); its chunk stays for the next. */
  pop(): T {
    const at = --this.size;
    const value = this.get(at);
    this.set(at, undefined as T); // nothing kept alive by a slot past the end
    return value;
  }
}

/** A column of numbers kept unboxed: instants (float64), or hashes (`int32`). */
export function unboxedColumn(kind: "float64" | "int32" = "float64"): ChunkedColumn<number> {
  return new ChunkedColumn<number>(kind === "int32" ? INT32 : FLOAT64);
}

function newChunk<T>(kind: ChunkKind): Chunk<T> {
  // Filled, so that every array chunk holds any value from the start: one kind of elements for all
  // (a chunk made of holes held small integers until its first value, a change of kind per chunk).
  if (kind === ARRAY) return new Array<T>(CHUNK_SIZE).fill(undefined as T);
  return (kind === INT32 ? new Int32Array(CHUNK_SIZE) : new Float64Array(CHUNK_SIZE)) as unknown as Chunk<T>;
}
