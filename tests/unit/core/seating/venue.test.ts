import { describe, expect, it } from "vitest";
import { formatSeatSpecs, parseSeatSpecs, parseVenueCsv, parseVenueJson } from "../../../../src/core/index.js";

function messageOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    expect((error as { code: string }).code).toBe("INVALID_ARGUMENT");
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error("no error");
}

const csv = (text: string) => text.split("\n").map((line) => line.split(","));

describe("venue files: JSON", () => {
  const hall = JSON.stringify({
    name: "Small Hall",
    sections: [
      { name: "Stalls", tier: "Standard", rows: "A-H,J-K", seats: "1-6|7-14|15-20" },
      { name: "Circle", rows: [{ rows: "A", seats: "1-16" }, { rows: "|B-C", seats: "1-18" }] },
    ],
  });

  it("reads sections in the compact notation, with per-row groups", () => {
    const map = parseVenueJson(hall);
    expect(formatSeatSpecs(map)).toEqual(["Stalls@Standard:A-H,J-K:1-6|7-14|15-20", "Circle:A:1-16", "Circle:|B-C:1-18"]);
    expect(map).toEqual(parseSeatSpecs(formatSeatSpecs(map)));
  });

  it.each([
    ["{", "seatMap: is not valid JSON"],
    ["[]", "seatMap: must be a JSON object"],
    ['{"sections": 3}', 'must be {"sections": [...]}'],
    ['{"sections": [], "tiers": []}', 'has an unknown key "tiers"'],
    ['{"sections": []}', "the map has no seats"],
    ['{"sections": [{"name": "A", "rows": "A-B"}]}', "sections[0].seats: is missing"],
    ['{"sections": [{"name": "A", "rows": "A-B", "seats": 30}]}', "sections[0].seats: must be a string"],
    ['{"sections": [{"name": "A", "rows": "A-B", "seats": "1-x"}]}', 'sections[0].seats: "1-x" is not a seat number'],
    ['{"sections": [{"name": "A", "rows": [{"rows": "A", "seats": "1-3"}, {"rows": "A", "seats": "1-4"}]}]}', "sections[0].rows[1]: row A of section A is given twice"],
    ['{"sections": [{"name": "A", "rows": [{"rows": "A", "seat": "1-3"}]}]}', 'sections[0].rows[0]: has an unknown key "seat"'],
    ['{"sections": [{"name": "A", "rows": [], "seats": "1-3"}]}', 'give "seats" in each of its "rows"'],
    // JSON.parse kept the last of the two in silence.
    ['{"sections": [{"name": "A", "rows": "A-B", "seats": "1-30", "seats": "1-3"}]}', "sections[0].seats: is given twice; keep one"],
  ])("refuses %s", (text, message) => {
    expect(messageOf(() => parseVenueJson(text))).toContain(message);
  });
});

describe("venue files: CSV", () => {
  it("reads one seat a line, sections and rows in order of appearance, seats side by side in number order", () => {
    const map = parseVenueCsv(csv("Section,Row,Seat,Tier\nStalls,A,2,Standard\nStalls,A,1,Standard\n\nStalls,b,1,Standard\nBox,1,1,VIP"));
    expect(formatSeatSpecs(map)).toEqual(["Stalls@Standard:A:1-2", "Stalls@Standard:B:1", "Box@VIP:1:1"]);
  });

  it("places seats by position when given: a skipped position is an aisle; extra columns are ignored", () => {
    const map = parseVenueCsv(csv("row,seat,section,position,x\nA,1,Hall,1,0\nA,2,Hall,2,0\nA,3,Hall,4,0\nA,5,Hall,3,0"));
    expect(map.sections[0]!.rows[0]!.places).toEqual([1, 2, 5, 3]);
    const aisle = parseVenueCsv(csv("section,row,seat,position\nHall,A,1,1\nHall,A,2,4"));
    expect(aisle.sections[0]!.rows[0]!.places).toEqual([1, null, null, 2]);
  });

  it.each([
    ["section,row\nHall,A", "line 1: the header must name the columns section, row and seat (missing: seat)"],
    ["section,row,seat\nHall,A,x", 'line 2: seat "x" must be a number'],
    ["section,row,seat\nHall,A-1,1", 'line 2: row "A-1" must be 1 to 3 letters'],
    ["section,row,seat\nHall,A,1\n\nHall,A,1", "seat 1 is given twice (also on line 2)"],
    ["section,row,seat,tier\nHall,A,1,X\nHall,B,1,Y", "line 3: section Hall is in tier X above"],
    ["section,row,seat,position\nHall,A,1,1\nHall,A,2,1", "line 3: position 1 is taken by the seat on line 2"],
    ["section,row,seat,position\nHall,A,1,1\nHall,A,2,20", "an aisle is at most 9 places wide"],
    ["section,row,seat\n", "the map has no seats"],
    ["section,row,seat\nHa:ll,A,1", 'section "Ha:ll" must be'],
  ])("refuses %j", (text, message) => {
    expect(messageOf(() => parseVenueCsv(csv(text)))).toContain(message);
  });
});
