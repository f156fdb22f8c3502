import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedStrings } from "../../../src/store/memory/sorted-strings.js";

/** What startingWith must answer: every string held, sorted (by `<`), those with the prefix, the first `limit`. */
function expected(held: Iterable<string>, prefix: string, limit: number): string[] {
  return [...held].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).filter((value) => value.startsWith(prefix)).slice(0, limit);
}

describe("SortedStrings (the memory store's event ids in id order)", () => {
  it("answers the strings with a prefix, in order, at most `limit`, through adds and deletes", () => {
    const ids = new SortedStrings();
    for (const id of ["evt_b", "evt_ab", "evt_a", "evt_a_b", "evt_b2", "other", "evt_"]) ids.add(id);
    expect(ids.startingWith("evt_a", 10)).toEqual(["evt_a", "evt_a_b", "evt_ab"]);
    expect(ids.startingWith("evt_", 2)).toEqual(["evt_", "evt_a"]);
    expect(ids.startingWith("", 100)).toEqual(["evt_", "evt_a", "evt_a_b", "evt_ab", "evt_b", "evt_b2", "other"]);
    expect(ids.startingWith("zzz", 10)).toEqual([]);
    expect(ids.startingWith("evt_a", 0)).toEqual([]);
    expect(ids.delete("evt_a_b")).toBe(true);
    expect(ids.delete("evt_a_b")).toBe(false);
    expect(ids.delete("nothing")).toBe(false);
    expect(ids.startingWith("evt_a", 10)).toEqual(["evt_a", "evt_ab"]);
    expect(ids.size).toBe(6);
    expect(new SortedStrings().startingWith("", 5)).toEqual([]);
    expect(new SortedStrings().delete("x")).toBe(false);
  });

  it("keeps its order over many chunks: ids added in a scattered order, half deleted, prefixes across chunk boundaries", () => {
    const ids = new SortedStrings();
    const held = new Set<string>();
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const id = `evt_${((i * 7919) % n).toString(36).padStart(4, "0")}`;
      ids.add(id);
      held.add(id);
    }
    for (const prefix of ["", "evt_", "evt_0", "evt_1", "evt_a", "evt_f", "evt_fz", "evt_zz", "evt_0000", "evu"]) {
      for (const limit of [1, 20, 600, n + 1]) expect(ids.startingWith(prefix, limit), `${prefix} ${limit}`).toEqual(expected(held, prefix, limit));
    }
    for (const id of [...held]) {
      if (id.charCodeAt(id.length - 1) % 2 === 0) {
        expect(ids.delete(id)).toBe(true);
        held.delete(id);
      }
    }
    expect(ids.size).toBe(held.size);
    for (const prefix of ["", "evt_0", "evt_a", "evt_fz"]) expect(ids.startingWith(prefix, n)).toEqual(expected(held, prefix, n));
    for (const id of [...held]) ids.delete(id);
    expect(ids.startingWith("", 10)).toEqual([]);
    ids.add("evt_again");
    expect(ids.startingWith("evt", 10)).toEqual(["evt_again"]);
  });

  it("answers as a sorted list would after any adds and deletes (property)", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "_", "é", "😀"), maxLength: 5 });
    const step = fc.oneof(fc.record({ add: word }), fc.record({ remove: word }));
    fc.assert(fc.property(fc.array(step, { maxLength: 1500 }), word, fc.integer({ min: 1, max: 40 }), (steps, prefix, limit) => {
      const ids = new SortedStrings();
      const held = new Set<string>();
      for (const one of steps) {
        if ("add" in one) {
          if (held.has(one.add)) continue; // added only when not held (as an event id is)
          ids.add(one.add);
          held.add(one.add);
        } else {
          expect(ids.delete(one.remove)).toBe(held.delete(one.remove));
        }
      }
      expect(ids.size).toBe(held.size);
      expect(ids.startingWith(prefix, limit)).toEqual(expected(held, prefix, limit));
      expect(ids.startingWith("", held.size + 1)).toEqual(expected(held, "", held.size + 1));
    }), { numRuns: 200 });
  });
});
