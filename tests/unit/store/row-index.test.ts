import { describe, expect, it } from "vitest";
import { RowIndex } from "../../../src/store/memory/row-index.js";

describe("the memory store's index of ticket rows", () => {
  it("finds every id added and none removed, through growth and removals that move other ids back (against a Map)", () => {
    const ids: string[] = [];
    const index = new RowIndex({ get: (row) => ids[row]! });
    const expected = new Map<string, number>();
    let seed = 7;
    // A small linear congruential generator in 32-bit integers (repeatable).
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return (seed >>> 8) % n;
    };
    let removed = 0;
    for (let step = 0; step < 5000; step++) {
      if (expected.size > 0 && random(4) === 0) {
        // Removes the newest id (as an undone transaction does) or any other.
        const stored = [...expected.keys()];
        const id = random(2) === 0 ? stored[stored.length - 1]! : stored[random(stored.length)]!;
        index.delete(id);
        expected.delete(id);
        removed++;
      } else {
        // Short ids of few characters collide often: probes run long, removals move ids back.
        const id = `tkt_${random(3000)}`;
        if (expected.has(id)) continue;
        ids.push(id);
        index.add(id, ids.length - 1);
        expected.set(id, ids.length - 1);
      }
      if (step % 97 === 0) {
        for (const [id, row] of expected) expect(index.get(id)).toBe(row);
        expect(index.get("tkt_absent")).toBeUndefined();
      }
    }
    for (const [id, row] of expected) expect(index.get(id)).toBe(row);
    for (const id of ids) if (!expected.has(id)) expect(index.get(id)).toBeUndefined();
    expect(removed).toBeGreaterThan(500);
    expect(expected.size).toBeGreaterThan(1000);
  });
});
