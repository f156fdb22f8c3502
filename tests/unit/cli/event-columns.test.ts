import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { joinListCell, readCsvCell, splitListCell, spreadsheetSafe } from "../../../src/cli/event-columns.js";
import { eventsCsvPieces } from "../../../src/cli/output/csv.js";
import { parseCsvRows } from "../../../src/cli/import-rows.js";
import type { EventRow } from "../../../src/core/index.js";
import { fastCheckSeed } from "../../helpers/cli.js";

/** An item of a list cell as names come: trimmed, not empty; `;` and `\` welcome. */
const item = fc.string({ unit: fc.constantFrom("a", "Z", " ", ";", "\\", ",", ":", "é", "☃", "'", '"'), minLength: 1, maxLength: 12 })
  .map((text) => text.trim()).filter((text) => text !== "");

describe("a list cell (tiers, seats)", () => {
  it("reads back what it writes, whatever `;` and `\\` the items hold", () => {
    fc.assert(fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), (items) => {
      expect(splitListCell(joinListCell(items))).toEqual(items);
    }), { ...fastCheckSeed(), numRuns: 500 });
  });

  it("keeps the syntax files already use: `;` with or without spaces; a lone `\\` is itself", () => {
    expect(splitListCell("VIP:50:120.00;GA:500:45.00")).toEqual(["VIP:50:120.00", "GA:500:45.00"]);
    expect(splitListCell(" VIP:50:120.00 ; ; GA:500:45.00; ")).toEqual(["VIP:50:120.00", "GA:500:45.00"]);
    expect(splitListCell("A\\B:1:1")).toEqual(["A\\B:1:1"]);
    expect(joinListCell(["Pit; Front:5:1.00", "GA:1:1"])).toBe("Pit\\; Front:5:1.00; GA:1:1");
  });
});

describe("a spreadsheet-safe cell", () => {
  it("is read back exactly: the ' export adds is taken off, any other stays", () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom("'", "=", "+", "-", "@", "\t", "\r", "a", " "), maxLength: 8 }), (text) => {
      expect(readCsvCell(spreadsheetSafe(text))).toBe(text);
    }), { ...fastCheckSeed(), numRuns: 1000 });
    expect(spreadsheetSafe("'=x")).toBe("''=x");
    expect(readCsvCell("'hello")).toBe("'hello");
  });
});

describe("the events CSV", () => {
  it("is read by import as the row it wrote: names with spaces at the ends, line breaks, quotes, formulas", async () => {
    const names = ["  spaced  ", "a\nb", 'say "hi", twice', "=1+1", "\tx", "'-y", "ok"];
    const rows: EventRow[] = names.map((name, index) => ({
      id: `evt_${index}`, name, capacity: 2, venue: name, startsAt: null, hold: "10m", price: "1.00", currency: "USD",
      tiers: null, limitPerUser: null, salesStart: null, salesEnd: null, seats: null,
    }));
    async function* pages() {
      yield rows.slice(0, 3);
      yield rows.slice(3);
    }
    let text = "";
    for await (const piece of eventsCsvPieces(pages())) text += piece;
    expect(parse(text, { columns: true }).length).toBe(names.length);
    const read = parseCsvRows(text);
    expect(read.map((row) => [row.fields.name, row.fields.venue])).toEqual(names.map((name) => [name, name]));
    // Row 3 spans three lines (a line break in its name and its venue).
    expect(read.map((row) => row.line)).toEqual([2, 3, 6, 7, 8, 9, 10]);
  });
});
