import { describe, expect, it } from "vitest";
import { formatSeatSpecs } from "../../../src/core/index.js";
import { parseVenueFile } from "../../../src/cli/venue-file.js";

describe("venue files as read from disk", () => {
  it("reads JSON by its name or its first character, and CSV otherwise", () => {
    const json = '\ufeff{"sections": [{"name": "Hall", "rows": "A-B", "seats": "1-4"}]}';
    expect(formatSeatSpecs(parseVenueFile(json, "hall.json"))).toEqual(["Hall:A-B:1-4"]);
    expect(formatSeatSpecs(parseVenueFile(json, "hall.txt"))).toEqual(["Hall:A-B:1-4"]);
    const csv = '\ufeffsection,row,seat\r\n"Main Hall",A,1\r\n\r\nMain Hall,A,2\r\n';
    expect(formatSeatSpecs(parseVenueFile(csv, "hall.csv"))).toEqual(["Main Hall:A:1-2"]);
  });

  it("names the line of a bad row, blank lines counted, and refuses broken CSV in one line", () => {
    expect(() => parseVenueFile("section,row,seat\n\nHall,A,1\nHall,A,0\n", "hall.csv")).toThrow('seat-map: line 4: seat "0" must be a number');
    expect(() => parseVenueFile('section,row,seat\n"Hall,A,1\n', "hall.csv")).toThrow(/^seat-map: is not valid CSV: [^\n]+$/);
    expect(() => parseVenueFile("{", "hall.json")).toThrow(/^seat-map: is not valid JSON/);
  });
});
