import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatSeatSpecs,
  loadSeatMap,
  parseSeatSpecs,
  seatCount,
  storeSeatMap,
  tierCapacities,
  type SeatMap,
} from "../../../../src/core/index.js";
import { smallMap } from "../../../helpers/seating-maps.js";

const range = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, index) => first + index);

function errorOf(work: () => unknown): { code: string; message: string } {
  try {
    work();
  } catch (error) {
    return { code: (error as { code: string }).code, message: (error as Error).message };
  }
  throw new Error("no error");
}

describe("the compact seat spec", () => {
  it("reads a section of rows and numbered seats; the capacity is the number of seats", () => {
    const map = parseSeatSpecs(["Floor:A-T:1-30"]);
    expect(map.sections).toHaveLength(1);
    const [floor] = map.sections;
    expect(floor!.name).toBe("Floor");
    expect(floor!.tier).toBe("Floor");
    expect(floor!.rows.map((row) => row.label)).toEqual("ABCDEFGHIJKLMNOPQRST".split(""));
    expect(floor!.rows[0]!.places).toEqual(range(1, 30));
    expect(seatCount(map)).toBe(600);
  });

  it("reads tiers, skipped rows, aisles between seats and cross-aisles between rows", () => {
    const map = parseSeatSpecs(["Stalls@Standard:A-H,J-K|L:1-4|5-8||9-10", "Box@VIP:1-2:1-3"]);
    const [stalls, box] = map.sections;
    expect(stalls!.tier).toBe("Standard");
    expect(stalls!.rows.map((row) => [row.label, row.gapBefore])).toEqual([
      ["A", 0], ["B", 0], ["C", 0], ["D", 0], ["E", 0], ["F", 0], ["G", 0], ["H", 0], ["J", 0], ["K", 0], ["L", 1],
    ]);
    expect(stalls!.rows[0]!.places).toEqual([1, 2, 3, 4, null, 5, 6, 7, 8, null, null, 9, 10]);
    expect(box!.rows.map((row) => row.label)).toEqual(["1", "2"]);
    expect(tierCapacities(map)).toEqual(new Map([["Standard", 110], ["VIP", 6]]));
  });

  it("reads letter rows past Z as spreadsheets do, descending ranges, and lower case", () => {
    const map = parseSeatSpecs(["Upper:y-ab:3-1"]);
    expect(map.sections[0]!.rows.map((row) => row.label)).toEqual(["Y", "Z", "AA", "AB"]);
    expect(map.sections[0]!.rows[0]!.places).toEqual([3, 2, 1]);
  });

  it("adds rows of another length when a section is given again, after a cross-aisle", () => {
    const map = parseSeatSpecs(["Hall:A-B:1-10", "Hall:|C-D:1-12"]);
    expect(map.sections).toHaveLength(1);
    expect(map.sections[0]!.rows.map((row) => [row.label, row.gapBefore, row.places.length])).toEqual([["A", 0, 10], ["B", 0, 10], ["C", 1, 12], ["D", 0, 12]]);
  });

  it.each([
    ["Floor:A-T", "must be SECTION[@TIER]:ROWS:SEATS"],
    ["Floor:A-T:1-30:extra", "must be SECTION[@TIER]:ROWS:SEATS"],
    [":A-T:1-30", "section \"\" must be 1 to 40"],
    ["Floor:A-5:1-30", "mixes letters and numbers"],
    ["Floor:A-T:1-3O", "\"1-3O\" is not a seat number"],
    ["Floor:A-T:0-3", "is not a seat number"],
    ["Floor:A-T:1-10|", "ends with \"|\""],
    ["Floor:A-T:|1-10", "cannot begin or end with an aisle"],
    ["Floor:A-T:1-10,,11", "\",,\" is neither \",\" nor an aisle"],
    ["Floor:A-T:1-10, ,11", "has an empty item"],
    ["Floor:A-T:1-10,5", "seat 5 of row A is given twice"],
    ["Floor:A-T:1-3|||||||||||4", "an aisle is at most 9 places wide"],
    ["Floor:|A:1-3", "cannot begin with an aisle"],
    ["Floor:A-ZZZ:1-3", "more than 2000"],
    ["Floor:A,A:1-3", "row A of section Floor is given twice"],
    ["Floor:A-T:1-2000", "more than 1000"],
    ["Floor@:A:1", "tier"],
    ["Floor::1-3", "no rows are given"],
    ["Floor:A: ", "no seats are given"],
  ])("refuses %s with a clear message", (spec, message) => {
    const error = errorOf(() => parseSeatSpecs([spec]));
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain(message);
    expect(error.message).toMatch(/^seats: /);
    expect(error.message).not.toContain("\n");
  });

  it("refuses a section given in two tiers, and a map over the seat limit", () => {
    expect(errorOf(() => parseSeatSpecs(["Hall@A:A:1-3", "Hall@B:B:1-3"])).message).toContain("section Hall is in tier A");
    const tooMany = Array.from({ length: 201 }, (_, index) => `S${index}:A-J:1-100`);
    expect(errorOf(() => parseSeatSpecs(tooMany)).message).toContain("at most 200000 seats");
  });

  it("formats the shortest specs, which read back to the same map", () => {
    const specs = ["Stalls@Standard:A-H,J-K|L:1-4|5-8||9-10", "Stalls@Standard:M-N:1-12", "Box@VIP:1-2:1-3"];
    const map = parseSeatSpecs(specs);
    expect(formatSeatSpecs(map)).toEqual(specs);
    expect(formatSeatSpecs(parseSeatSpecs(["Hall:A:1-3,4", "Hall:B:1-4", "Hall:C:5-1"]))).toEqual(["Hall:A-B:1-4", "Hall:C:5-1"]);
    expect(loadSeatMap(storeSeatMap(map))).toEqual(map);
  });

  it("round-trips any map through its stored form", () => {
    fc.assert(fc.property(smallMap, (map: SeatMap) => {
      expect(parseSeatSpecs(formatSeatSpecs(map))).toEqual(map);
    }));
  });
});

describe("any input", () => {
  /** Text made mostly of the spec's own characters, so that it gets past the first check often. */
  const specish = fc.string({ unit: fc.constantFrom("A", "Z", "a", "1", "9", "0", "-", ",", "|", ":", "@", " ", "x", "\u001b", "東"), maxLength: 24 });

  it("is a map or one INVALID_ARGUMENT line, never another failure", () => {
    fc.assert(fc.property(fc.array(fc.oneof(specish, fc.string()), { minLength: 1, maxLength: 3 }), (texts) => {
      try {
        const map = parseSeatSpecs(texts);
        expect(parseSeatSpecs(formatSeatSpecs(map))).toEqual(map);
      } catch (error) {
        expect((error as { code: string }).code).toBe("INVALID_ARGUMENT");
        expect((error as Error).message).not.toMatch(/\n/);
      }
    }), { numRuns: 2000 });
  });
});
