import { describe, expect, it } from "vitest";
import { ChunkedColumn, unboxedColumn } from "../../../src/store/memory/chunked-column.js";
import { RowsByKey } from "../../../src/store/memory/rows-by-key.js";
import { StringMap } from "../../../src/store/memory/string-map.js";

/** A small linear congruential generator in 32-bit integers (repeatable). */
function randomOf(seed: number): (n: number) => number {
  return (n) => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return (seed >>> 8) % n;
  };
}

describe("the memory store's chunked columns", () => {
  it("keep what an array keeps through pushes, writes and pops across chunk boundaries", () => {
    const random = randomOf(11);
    const column = new ChunkedColumn<string | undefined>();
    const numbers = unboxedColumn();
    const expected: Array<string | undefined> = [];
    const expectedNumbers: number[] = [];
    for (let step = 0; step < 6000; step++) {
      const choice = random(10);
      if (choice === 0 && expected.length > 0) {
        expect(column.pop()).toBe(expected.pop());
        expect(numbers.pop()).toBe(expectedNumbers.pop());
      } else if (choice === 1 && expected.length > 0) {
        const at = random(expected.length);
        const value = random(2) === 0 ? undefined : `v${step}`;
        column.set(at, value);
        expected[at] = value;
        numbers.set(at, step + 0.5);
        expectedNumbers[at] = step + 0.5;
      } else {
        expect(column.push(`v${step}`)).toBe(expected.length);
        expected.push(`v${step}`);
        numbers.push(1.7e12 + step);
        expectedNumbers.push(1.7e12 + step);
      }
      expect(column.length).toBe(expected.length);
      expect(numbers.length).toBe(expectedNumbers.length);
    }
    expect(expected.length).toBeGreaterThan(3000); // several chunks
    expected.forEach((value, at) => expect(column.get(at)).toBe(value));
    expectedNumbers.forEach((value, at) => expect(numbers.get(at)).toBe(value));
    // Emptied and filled again, across a chunk boundary: no slot keeps an old value.
    while (column.length > 0) column.pop();
    for (let at = 0; at < 1500; at++) column.push(undefined);
    for (let at = 0; at < 1500; at++) expect(column.get(at)).toBeUndefined();
  });

  it("find every key set in a StringMap and none deleted, as a Map does", () => {
    const random = randomOf(5);
    const map = new StringMap<number>();
    const expected = new Map<string, number>();
    for (let step = 0; step < 8000; step++) {
      const key = `user-${random(2500)}`;
      const choice = random(5);
      if (choice === 0) {
        map.delete(key);
        expected.delete(key);
      } else if (choice === 1 && !expected.has(key)) {
        map.add(key, step);
        expected.set(key, step);
      } else {
        map.set(key, step);
        expected.set(key, step);
      }
      if (step % 89 === 0) for (let probe = 0; probe < 2500; probe += 7) expect(map.get(`user-${probe}`)).toBe(expected.get(`user-${probe}`));
    }
    for (const [key, value] of expected) expect(map.get(key)).toBe(value);
    expect(map.get("user-absent")).toBeUndefined();
  });

  it("list each key's rows in the order they were added, without those removed (the newest or another)", () => {
    const index = new RowsByKey();
    for (let row = 0; row < 2500; row++) index.add(row % 3 === 0 ? "evt_a" : "evt_b", row);
    index.remove("evt_a", 2499); // the newest of its key
    index.remove("evt_b", 1000); // one in the middle: the later ones move up
    index.remove("evt_b", 99_999); // not there: nothing changes
    const a = Array.from({ length: 2500 }, (_, row) => row).filter((row) => row % 3 === 0 && row !== 2499);
    const b = Array.from({ length: 2500 }, (_, row) => row).filter((row) => row % 3 !== 0 && row !== 1000);
    expect(index.list("evt_a")).toEqual(a);
    expect(index.list("evt_b")).toEqual(b);
    for (const row of a) index.remove("evt_a", row);
    expect(index.list("evt_a")).toEqual([]);
    expect(index.list("evt_none")).toEqual([]);
  });
});
