/**
 * A segment tree of maxima over a fixed list of non-negative numbers: change one in O(log n), and
 * find the first one at or after a position that is at least some value in O(log n).
 */
export class MaxTree {
  private readonly size: number;
  private readonly nodes: Int32Array;

  constructor(readonly length: number, valueAt: (index: number) => number, from?: MaxTree) {
    let size = 1;
    while (size < length) size *= 2;
    this.size = size;
    if (from) {
      this.nodes = from.nodes.slice();
      return;
    }
    this.nodes = new Int32Array(2 * size);
    for (let index = 0; index < length; index++) this.nodes[size + index] = valueAt(index);
    for (let node = size - 1; node >= 1; node--) this.nodes[node] = Math.max(this.nodes[2 * node]!, this.nodes[2 * node + 1]!);
  }

  /** An independent copy, in O(n) without recomputing it. */
  clone(): MaxTree {
    return new MaxTree(this.length, () => 0, this);
  }

  max(): number {
    return this.nodes[1]!;
  }

  set(index: number, value: number): void {
    let node = this.size + index;
    this.nodes[node] = value;
    for (node >>= 1; node >= 1; node >>= 1) this.nodes[node] = Math.max(this.nodes[2 * node]!, this.nodes[2 * node + 1]!);
  }

  /** The first index ≥ `from` whose value is ≥ `atLeast`, or -1. */
  firstAtLeast(atLeast: number, from = 0): number {
    return from >= this.length ? -1 : this.search(1, 0, this.size, from, atLeast);
  }

  private search(node: number, low: number, high: number, from: number, atLeast: number): number {
    if (high <= from || this.nodes[node]! < atLeast) return -1;
    if (high - low === 1) return low;
    const middle = (low + high) >> 1;
    const left = this.search(2 * node, low, middle, from, atLeast);
    return left !== -1 ? left : this.search(2 * node + 1, middle, high, from, atLeast);
  }
}
