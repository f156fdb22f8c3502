import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  SEAT_FREE,
  SEAT_HELD,
  SEAT_SOLD,
  SeatIndex,
  bestAdjacentSeats,
  chooseSeats,
  compileSeatMap,
  labelOfSeat,
  parseSeatSpecs,
  type SeatMap,
} from "../../../../src/core/index.js";
import { smallMapWithStates } from "../../../helpers/seating-maps.js";

/** Every seat of the map with where it is, walking the map itself (not the compiled layout). */
function seatsOf(map: SeatMap) {
  const seats: Array<{ seat: number; section: number; tier: string; depth: number; place: number; width: number; row: string }> = [];
  map.sections.forEach((section, sectionIndex) => section.rows.forEach((row, depth) => row.places.forEach((number, place) => {
    if (number !== null) seats.push({ seat: seats.length, section: sectionIndex, tier: section.tier, depth, place, width: row.places.length, row: `${sectionIndex}/${depth}` });
  })));
  return seats;
}

/** Lexicographic order of keys. */
function comesBefore(a: readonly number[], b: readonly number[]): boolean {
  const at = a.findIndex((value, index) => value !== b[index]);
  return at !== -1 && a[at]! < b[at]!;
}

/** The rule of docs/seating.md by brute force: every block of every row, ordered by (depth, distance from the row's middle, section, place). */
function referenceBest(map: SeatMap, states: Uint8Array, tier: string, quantity: number): number[] | undefined {
  const seats = seatsOf(map);
  let best: { key: number[]; block: number[] } | undefined;
  for (let first = 0; first + quantity <= seats.length; first++) {
    const block = seats.slice(first, first + quantity);
    const start = block[0]!;
    const fits = block.every((seat, offset) => seat.tier === tier && seat.row === start.row && seat.place === start.place + offset && states[seat.seat] === SEAT_FREE);
    if (!fits) continue;
    const key = [start.depth, Math.abs(2 * start.place + quantity - start.width), start.section, start.place];
    if (!best || comesBefore(key, best.key)) best = { key, block: block.map((seat) => seat.seat) };
  }
  return best?.block;
}

/** The fewest blocks that can seat `quantity`: the smallest k whose k longest free runs hold it. */
function fewestBlocks(map: SeatMap, states: Uint8Array, tier: string, quantity: number): number {
  const runs: number[] = [];
  let run = 0;
  let previous: ReturnType<typeof seatsOf>[number] | undefined;
  for (const seat of seatsOf(map)) {
    const free = seat.tier === tier && states[seat.seat] === SEAT_FREE;
    const continues = free && run > 0 && previous!.row === seat.row && previous!.place === seat.place - 1;
    if (!continues && run > 0) runs.push(run);
    run = free ? (continues ? run + 1 : 1) : 0;
    previous = seat;
  }
  if (run > 0) runs.push(run);
  runs.sort((a, b) => b - a);
  let blocks = 0;
  for (let seated = 0; seated < quantity; blocks++) seated += runs[blocks]!;
  return blocks;
}

function isOneBlock(index: SeatIndex, seats: readonly number[]): boolean {
  const { seatRow, seatPlace } = index.layout;
  return seats.every((seat, offset) => seatRow[seat] === seatRow[seats[0]!] && seatPlace[seat] === seatPlace[seats[0]!]! + offset);
}

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return (error as { code: string }).code;
  }
  return "no error";
}

const open = (specs: string[]) => SeatIndex.open(compileSeatMap(parseSeatSpecs(specs)));
const labels = (index: SeatIndex, seats: readonly number[]) => seats.map((seat) => labelOfSeat(index.layout, seat));
const take = (index: SeatIndex, references: string[], state = SEAT_SOLD as typeof SEAT_HELD | typeof SEAT_SOLD) =>
  index.set(chooseSeats(index, { seats: references }).seats, state);

describe("best available", () => {
  it("takes the middle of the front row; of two equally central blocks, the left one", () => {
    const index = open(["Hall:A-C:1-10"]);
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 2 }).seats)).toEqual(["Hall:A5", "Hall:A6"]);
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 3 }).seats)).toEqual(["Hall:A4", "Hall:A5", "Hall:A6"]);
  });

  it("prefers a front row at its edge to a better-centred row behind it", () => {
    const index = open(["Hall:A-C:1-10"]);
    take(index, ["A3", "A4", "A5", "A6", "A7", "A8", "A9", "A10"]);
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 2 }).seats)).toEqual(["Hall:A1", "Hall:A2"]);
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 3 }).seats)).toEqual(["Hall:B4", "Hall:B5", "Hall:B6"]);
  });

  it("never seats an order across an aisle, and counts the aisle when it finds the middle", () => {
    const index = open(["Hall:A:1-2|3-8"]);
    // Places 0-1 seats 1-2, place 2 the aisle, places 3-8 seats 3-8: the middle of 9 places is place 4.
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 1 }).seats)).toEqual(["Hall:A4"]);
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 3 }).seats)).toEqual(["Hall:A3", "Hall:A4", "Hall:A5"]);
    expect(codeOf(() => chooseSeats(index, { tier: "Hall", quantity: 7 }))).toBe("INVALID_ARGUMENT");
    expect(labels(index, chooseSeats(index, { tier: "Hall", quantity: 7, allowSplit: true }).seats)).toEqual(["Hall:A3", "Hall:A4", "Hall:A5", "Hall:A6", "Hall:A7", "Hall:A8", "Hall:A2"]);
  });

  it("at one depth, the earlier section wins a tie; other tiers are never offered", () => {
    const index = open(["Left@Main:A-B:1-4", "Right@Main:A-B:1-4", "Box@VIP:A:1-2"]);
    expect(labels(index, chooseSeats(index, { tier: "Main", quantity: 2 }).seats)).toEqual(["Left:A2", "Left:A3"]);
    take(index, ["Left:A2"]);
    expect(labels(index, chooseSeats(index, { tier: "Main", quantity: 2 }).seats)).toEqual(["Right:A2", "Right:A3"]);
    expect(labels(index, chooseSeats(index, { tier: "VIP", quantity: 2 }).seats)).toEqual(["Box:A1", "Box:A2"]);
    expect(codeOf(() => chooseSeats(index, { tier: "Gold", quantity: 1 }))).toBe("INVALID_ARGUMENT");
  });

  it("splits only when asked, into as few blocks as it can", () => {
    const index = open(["Hall:A-B:1-4"]);
    take(index, ["A2", "B3"]);
    expect(() => chooseSeats(index, { tier: "Hall", quantity: 3 })).toThrow(/no 3 free seats side by side left \(at most 2\); allow a split/);
    expect(codeOf(() => chooseSeats(index, { tier: "Hall", quantity: 3 }))).toBe("SOLD_OUT");
    const split = chooseSeats(index, { tier: "Hall", quantity: 3, allowSplit: true });
    expect(split.blocks).toBe(2);
    expect(labels(index, split.seats)).toEqual(["Hall:A3", "Hall:A4", "Hall:A1"]);
    expect(codeOf(() => chooseSeats(index, { tier: "Hall", quantity: 7, allowSplit: true }))).toBe("SOLD_OUT");
  });

  it("answers sold out with how many are left", () => {
    const index = open(["Hall:A:1-3"]);
    take(index, ["A1", "A2"]);
    expect(() => chooseSeats(index, { tier: "Hall", quantity: 2 })).toThrow("the seat map has only 1 seat left");
    take(index, ["A3"], SEAT_HELD);
    expect(() => chooseSeats(index, { tier: "Hall", quantity: 1 })).toThrow("the seat map is sold out");
  });
});

describe("named seats", () => {
  it("takes exactly the seats named, all or none", () => {
    const index = open(["Stalls:A-B:1-4", "Circle:A-B:1-4", "Box:12:1-3"]);
    const choice = chooseSeats(index, { seats: ["Stalls:A3", "stalls:a2"] });
    expect(labels(index, choice.seats)).toEqual(["Stalls:A2", "Stalls:A3"]);
    expect(choice.blocks).toBe(1);
    expect(chooseSeats(index, { seats: ["Stalls:A1", "Stalls:A3"] }).blocks).toBe(2);
    expect(labels(index, chooseSeats(index, { seats: ["12-3"] }).seats)).toEqual(["Box:12-3"]);
    index.set(choice.seats, SEAT_HELD);
    const before = index.snapshot();
    expect(() => chooseSeats(index, { seats: ["Stalls:A1", "Stalls:A2", "Stalls:A3"] })).toThrow("seats Stalls:A2, Stalls:A3 are already taken; nothing was reserved");
    expect(codeOf(() => chooseSeats(index, { seats: ["Stalls:A3"] }))).toBe("SEAT_TAKEN");
    expect(index.snapshot()).toEqual(before);
  });

  it.each([
    [["A1"], "A1 is in sections Stalls, Circle; name one, e.g. Stalls:A1"],
    [["Stalls:A9"], "the map has no seat Stalls:A9"],
    [["Balcony:A1"], 'the map has no section "Balcony"'],
    [["A"], '"A" is not a seat like A12'],
    [["121"], '"121" is not a seat'],
    [["Stalls:A1", "Stalls:a1"], "Stalls:A1 is named twice"],
    [[], "name at least one seat"],
  ])("refuses %j", (seats, message) => {
    const index = open(["Stalls:A-B:1-4", "Circle:A-B:1-4", "Box:12:1-3"]);
    expect(() => chooseSeats(index, { seats })).toThrow(message);
    expect(codeOf(() => chooseSeats(index, { seats }))).toBe("INVALID_ARGUMENT");
  });

  it("keeps named seats to the tier asked for", () => {
    const index = open(["Stalls@Standard:A:1-4", "Box@VIP:A:1-2"]);
    expect(() => chooseSeats(index, { seats: ["Box:A1"], tier: "Standard" })).toThrow("Box:A1 is in tier VIP, not Standard");
  });

  it("finds a seat named without its section in the tier asked for, when only that tier has it", () => {
    const index = open(["Stalls:A-B:1-4", "Circle@VIP:A:1-4"]);
    expect(labels(index, chooseSeats(index, { seats: ["A1", "a2"], tier: "Stalls" }).seats)).toEqual(["Stalls:A1", "Stalls:A2"]);
    expect(labels(index, chooseSeats(index, { seats: ["A3"], tier: "VIP" }).seats)).toEqual(["Circle:A3"]);
    expect(() => chooseSeats(index, { seats: ["A1"] })).toThrow("A1 is in sections Stalls, Circle; name one, e.g. Stalls:A1");
    const two = open(["Left@GA:A:1-4", "Right@GA:A:1-4"]);
    expect(() => chooseSeats(two, { seats: ["A1"], tier: "GA" })).toThrow("A1 is in sections Left, Right; name one, e.g. Left:A1");
  });
});

describe("best available, properties (against a brute-force reference on small maps)", () => {
  const tiersOf = (map: SeatMap) => [...new Set(map.sections.map((section) => section.tier))];

  it("agrees with the reference: the same block, or none", () => {
    fc.assert(fc.property(smallMapWithStates, fc.integer({ min: 1, max: 6 }), ({ map, states }, quantity) => {
      const index = SeatIndex.open(compileSeatMap(map), states);
      for (const tier of tiersOf(map)) expect(bestAdjacentSeats(index, tier, quantity)).toEqual(referenceBest(map, states, tier, quantity));
    }), { numRuns: 400 });
  });

  it("never picks a taken seat, is side by side when it says so, and splits into the fewest blocks", () => {
    fc.assert(fc.property(smallMapWithStates, fc.integer({ min: 1, max: 8 }), fc.boolean(), ({ map, states }, quantity, allowSplit) => {
      const index = SeatIndex.open(compileSeatMap(map), states);
      for (const tier of tiersOf(map)) {
        let choice;
        try {
          choice = chooseSeats(index, { tier, quantity, allowSplit });
        } catch (error) {
          const code = (error as { code: string }).code;
          expect(["SOLD_OUT", "INVALID_ARGUMENT"]).toContain(code);
          if (allowSplit) expect(index.freeSeats(tier)).toBeLessThan(quantity);
          else expect(referenceBest(map, states, tier, quantity)).toBeUndefined();
          continue;
        }
        expect(choice.seats).toHaveLength(quantity);
        expect(new Set(choice.seats).size).toBe(quantity);
        for (const seat of choice.seats) {
          expect(states[seat]).toBe(SEAT_FREE);
          expect(map.sections[index.layout.rowSection[index.layout.seatRow[seat]!]!]!.tier).toBe(tier);
        }
        if (choice.blocks === 1) expect(isOneBlock(index, choice.seats)).toBe(true);
        const fewest = fewestBlocks(map, states, tier, quantity);
        expect(choice.blocks).toBe(fewest);
        if (!allowSplit) expect(choice.blocks).toBe(1);
      }
    }), { numRuns: 400 });
  });

  it("is deterministic and leaves the index as it found it", () => {
    fc.assert(fc.property(smallMapWithStates, fc.integer({ min: 1, max: 8 }), ({ map, states }, quantity) => {
      const index = SeatIndex.open(compileSeatMap(map), states);
      for (const tier of tiersOf(map)) {
        const attempt = () => {
          try {
            return chooseSeats(index, { tier, quantity, allowSplit: true });
          } catch (error) {
            return (error as { code: string }).code;
          }
        };
        const first = attempt();
        expect(index.snapshot()).toEqual(states);
        expect(attempt()).toEqual(first);
        expect(attempt()).toEqual(first);
      }
    }), { numRuns: 300 });
  });

  it("keeps the index exact through any sequence of changes: it answers as one opened afresh", () => {
    const change = fc.record({ seat: fc.nat(), state: fc.constantFrom(SEAT_FREE, SEAT_HELD, SEAT_SOLD) });
    fc.assert(fc.property(smallMapWithStates, fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { maxLength: 12 }), ({ map, states }, changes) => {
      const layout = compileSeatMap(map);
      const index = SeatIndex.open(layout, states);
      for (const batch of changes) {
        for (const state of [SEAT_FREE, SEAT_HELD, SEAT_SOLD] as const) {
          index.set(batch.filter((item) => item.state === state).map((item) => item.seat % layout.seatCount), state);
        }
      }
      const fresh = SeatIndex.open(layout, index.snapshot());
      for (const tier of tiersOf(map)) {
        expect(index.freeSeats(tier)).toBe(fresh.freeSeats(tier));
        expect(index.largestBlock(tier)).toBe(fresh.largestBlock(tier));
        for (let quantity = 1; quantity <= 6; quantity++) expect(bestAdjacentSeats(index, tier, quantity)).toEqual(referenceBest(map, index.snapshot(), tier, quantity));
      }
      for (let row = 0; row < layout.rowCount; row++) expect(index.longestRun(row)).toBe(fresh.longestRun(row));
    }), { numRuns: 300 });
  });
});
