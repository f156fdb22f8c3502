import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SEAT_HELD,
  SEAT_SOLD,
  SeatIndex,
  compileSeatMap,
  describeSeat,
  packSeatStates,
  parseSeatSpecs,
  seatMapView,
  unpackSeatStates,
} from "../../../../src/core/index.js";
import { MaxTree } from "../../../../src/core/seating/max-tree.js";
import { smallMapWithStates } from "../../../helpers/seating-maps.js";

describe("the stored seat states", () => {
  it("pack two bits a seat and unpack to the same states", () => {
    fc.assert(fc.property(smallMapWithStates, ({ states }) => {
      const packed = packSeatStates(states);
      expect(packed.length).toBe(Math.ceil(states.length / 4));
      expect(unpackSeatStates(packed, states.length)).toEqual(states);
    }));
  });

  it("refuse stored states of another size or with an unknown state", () => {
    expect(() => unpackSeatStates(new Uint8Array(2), 12)).toThrow("a map of 12 seats needs 3");
    expect(() => unpackSeatStates(Uint8Array.of(0b11), 1)).toThrow("stored seat state 3 of seat 0");
    expect(() => unpackSeatStates(Uint8Array.of(0, 0b1100), 5)).toThrow("stored seat state 3 of seat 5");
    expect(() => unpackSeatStates(Uint8Array.of(0b01000000), 3)).toThrow("mark seats past the map's 3");
    const layout = compileSeatMap(parseSeatSpecs(["Hall:A:1-3"]));
    expect(() => SeatIndex.open(layout, new Uint8Array(4))).toThrow("seat states for 4 seats do not fit a map of 3");
  });
});

describe("the max-tree over ranked rows", () => {
  it("finds the first value at least N from any position, as a scan does", () => {
    fc.assert(fc.property(fc.array(fc.nat(12), { minLength: 1, maxLength: 70 }), fc.array(fc.tuple(fc.nat(), fc.nat(12))), fc.nat(13), fc.nat(), (values, updates, atLeast, from) => {
      const tree = new MaxTree(values.length, (index) => values[index]!);
      for (const [at, value] of updates) {
        values[at % values.length] = value;
        tree.set(at % values.length, value);
      }
      const start = from % (values.length + 1);
      const expected = values.findIndex((value, index) => index >= start && value >= atLeast);
      expect(tree.firstAtLeast(atLeast, start)).toBe(expected);
      expect(tree.max()).toBe(Math.max(...values));
    }));
  });
});

describe("the map as data", () => {
  it("gives every seat's name, number, state and the aisle before it; the counts add up to the capacity", () => {
    const layout = compileSeatMap(parseSeatSpecs(["Stalls@Standard:A-B:1-2|3-4", "Stalls@Standard:|C:1-3"]));
    const index = SeatIndex.open(layout);
    index.set([0], SEAT_HELD);
    index.set([1, 2], SEAT_SOLD);
    expect(describeSeat(layout, 2)).toEqual({ section: "Stalls", tier: "Standard", row: "A", number: 3 });
    const view = seatMapView(index, new Set([2, 5]));
    expect(view).toMatchObject({ capacity: 11, free: 7, held: 1, sold: 1, yours: 2 });
    expect(view.sections[0]!.rows[0]).toEqual({
      row: "A",
      gapBefore: 0,
      seats: [
        { seat: "Stalls:A1", number: 1, state: "held", gapBefore: 0 },
        { seat: "Stalls:A2", number: 2, state: "sold", gapBefore: 0 },
        { seat: "Stalls:A3", number: 3, state: "yours", gapBefore: 1 },
        { seat: "Stalls:A4", number: 4, state: "free", gapBefore: 0 },
      ],
    });
    expect(view.sections[0]!.rows.map((row) => [row.row, row.gapBefore])).toEqual([["A", 0], ["B", 0], ["C", 1]]);
  });
});
