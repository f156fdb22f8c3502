import { describe, expect, it } from "vitest";
import { createStyle } from "../../../src/cli/output/style.js";
import { renderTable, renderTsv, tablePieces, tsvPieces, type TableSpec } from "../../../src/cli/output/table.js";
import { text } from "../../../src/cli/output/view.js";

interface Row {
  id: string;
  name: string;
}

const spec: TableSpec<Row> = {
  columns: {
    id: { forms: [{ header: "ID", cell: (row) => text(row.id) }] },
    name: { forms: [{ header: "NAME", cell: (row) => text(row.name) }], shrinkTo: 8 },
  },
  giveWay: [],
};
// More rows than one piece holds, and not a whole number of pieces.
const rows: Row[] = Array.from({ length: 1100 }, (_, index) => ({ id: `r${index}`, name: index === 7 ? "a name far too long for the terminal" : `row ${index}` }));

describe("a long table in pieces", () => {
  it("is the same table, line for line, in pieces that each end a line", () => {
    const style = createStyle(false);
    const pieces = [...tablePieces(spec, rows, 24, style)];
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.endsWith("\n")).toBe(true);
    const lines = pieces.join("").trimEnd().split("\n");
    expect(lines).toHaveLength(1 + rows.length);
    expect(lines[0]).toMatch(/^ID\s+NAME$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0])).toEqual(rows.map((row) => row.id));
    expect(lines[8]).toBe("r7     a name far too l…");
    expect(pieces.join("")).toBe(renderTable(spec, rows, 24, style));
  });

  it("no rows: nothing, not a header over nothing", () => {
    expect([...tablePieces(spec, [], 80, createStyle(false))]).toEqual([]);
  });
});

describe("a long piped list in pieces", () => {
  it("is renderTsv's text in several pieces, each ending a line", () => {
    const row = (item: Row) => [item.id, item.name, null];
    const pieces = [...tsvPieces(rows, row)];
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) expect(piece.endsWith("\n")).toBe(true);
    expect(pieces.join("")).toBe(renderTsv(rows.map(row)));
    expect([...tsvPieces([], row)]).toEqual([]);
  });
});
