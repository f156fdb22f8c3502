import { describe, expect, it } from "vitest";
import { SEAT_HELD, SEAT_SOLD, SeatIndex, chooseSeats, compileSeatMap, parseSeatSpecs, seatMapView, type SeatMapView } from "../../../src/core/index.js";
import { SEAT_GLYPHS, fit, renderSeatMap } from "../../../src/cli/output/seat-map.js";
import { displayWidth } from "../../../src/cli/output/text.js";
import { createStyle } from "../../../src/cli/output/style.js";

// eslint-disable-next-line no-control-regex -- colour codes are what is removed
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
// eslint-disable-next-line no-control-regex -- every character that is not ASCII
const NOT_ASCII = /[^\x00-\x7f]/u;

/** A hall with aisles and a cross-aisle, a balcony, and a 130-seat-wide floor; some seats held, sold and the viewer's. */
function sampleView(): SeatMapView {
  const index = SeatIndex.open(compileSeatMap(parseSeatSpecs([
    "STALLS@Standard:A-H,J-K:1-6|7-18|19-24",
    "STALLS@Standard:|L-M:1-26",
    "CIRCLE:A:1-16",
    "CIRCLE:B-C:1-20",
    "FLOOR@GA:1-4:1-40|41-90||91-130",
  ])));
  index.set(chooseSeats(index, { tier: "Standard", quantity: 30, allowSplit: true }).seats, SEAT_SOLD);
  index.set(chooseSeats(index, { tier: "GA", quantity: 9 }).seats, SEAT_HELD);
  const mine = chooseSeats(index, { tier: "CIRCLE", quantity: 2 }).seats;
  index.set(mine, SEAT_SOLD);
  return seatMapView(index, new Set(mine));
}

/** The seat lines' glyphs: lines that are a row label and seats. */
function seatGlyphs(text: string): string {
  return stripAnsi(text).split("\n").filter((line) => /^\s*[A-Z0-9]{1,4} [ohx@ ]+$/.test(line)).map((line) => line.trim().replace(/^\S+ /, "")).join("").replace(/ /g, "");
}

describe("the terminal seat map", () => {
  const view = sampleView();

  it.each([60, 80, 160])("fits %i columns, colour on or off, and draws every seat once", (width) => {
    for (const colour of [false, true]) {
      const text = renderSeatMap(view, { width, style: createStyle(colour) });
      const lines = stripAnsi(text).split("\n");
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      const glyphs = seatGlyphs(text);
      expect(glyphs.length).toBe(view.capacity);
      for (const state of ["free", "held", "sold", "yours"] as const) expect([...glyphs].filter((glyph) => glyph === SEAT_GLYPHS[state]).length).toBe(view[state]);
      expect(text.includes("\u001b[")).toBe(colour);
    }
  });

  it("puts the stage on top and the legend with the counts at the bottom", () => {
    const lines = renderSeatMap(view, { width: 80, style: createStyle(false) }).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^\s*\[=+ STAGE =+\]$/);
    expect(lines.at(-1)).toBe(`o free ${view.free}   h held ${view.held}   x sold ${view.sold}   @ yours ${view.yours}`);
    expect(lines).toContain("STALLS (Standard) · 262 of 292 free");
  });

  it("draws a section wider than the terminal in parts, cut at an aisle, each with its row labels", () => {
    const text = renderSeatMap(view, { width: 80, style: createStyle(false) });
    const headings = text.split("\n").filter((line) => line.startsWith("FLOOR"));
    expect(headings).toEqual([
      "FLOOR (GA) · part 1 of 3, seats 1-40 · 511 of 520 free",
      "FLOOR (GA) · part 2 of 3, seats 41-90 · 511 of 520 free",
      "FLOOR (GA) · part 3 of 3, seats 91-130 · 511 of 520 free",
    ]);
    expect(renderSeatMap(view, { width: 160, style: createStyle(false) })).toContain("FLOOR (GA) · 511 of 520 free\n");
  });

  it("keeps rows centred on the section's widest and aisles as spaces, and wraps the legend between items", () => {
    const small = seatMapView(SeatIndex.open(compileSeatMap(parseSeatSpecs(["HALL:A:1-4", "HALL:B:1-2|3-6"]))));
    const text = renderSeatMap(small, { width: 20, style: createStyle(false) });
    expect(text).toBe([
      "[ STAGE ]",
      "",
      "HALL · 10 of 10 free",
      "A  oooo",
      "B oo oooo",
      "",
      "o free 10   h held 0",
      "x sold 0   @ yours 0",
      "",
    ].join("\n"));
  });

  it("never draws wider than asked, down to the narrowest width", () => {
    for (let width = 3; width <= 40; width++) {
      const text = stripAnsi(renderSeatMap(view, { width, style: createStyle(true) }));
      for (const line of text.split("\n")) expect(displayWidth(line), `width ${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(seatGlyphs(text).length).toBe(view.capacity);
    }
  });

  // A terminal whose locale is not UTF-8 (LANG=C): the headings' · and a cut line's … in ASCII.
  it("draws tix's own marks in ASCII in ASCII marks (a locale that is not UTF-8), names as they are, and still fits", () => {
    const ascii = createStyle(true, false, true);
    const text = renderSeatMap(view, { width: 80, style: ascii });
    expect(text).not.toMatch(NOT_ASCII);
    expect(stripAnsi(text)).toContain("FLOOR (GA) - part 1 of 3, seats 1-40 - 511 of 520 free\n");
    for (let width = 3; width <= 60; width++) {
      const lines = stripAnsi(renderSeatMap(view, { width, style: ascii })).split("\n");
      for (const line of lines) {
        expect(displayWidth(line), `width ${width}: ${line}`).toBeLessThanOrEqual(width);
        expect(line, `width ${width}`).not.toMatch(NOT_ASCII);
      }
      // A heading too wide is wrapped between words (in ASCII's marks too), never cut.
      if (width >= 20 && width < 40) {
        const start = lines.findIndex((line) => line.startsWith("FLOOR (GA)"));
        expect(lines.slice(start, start + 3).join(" "), `width ${width}`).toMatch(/^FLOOR \(GA\) - part 1 of \d, seats 1-\d+ - 511 of 520 free/);
      }
    }
    const named = seatMapView(SeatIndex.open(compileSeatMap(parseSeatSpecs(["東京 Hall:A:1-3"]))));
    expect(stripAnsi(renderSeatMap(named, { width: 40, style: ascii }))).toContain("東京 Hall - 3 of 3 free");
    // UTF-8's marks as before.
    expect(renderSeatMap(view, { width: 80, style: createStyle(false) })).toContain("FLOOR (GA) · part 1 of 3");
    expect(fit("FLOOR (GA) part", 8)).toBe("FLOOR (…");
    expect(fit("FLOOR (GA) part", 8, "...")).toBe("FLOOR...");
    expect(fit("FLOOR", 2, "...")).toBe("..");
  });

  // Cut to the width, a long section's parts all read `Balcony Upper Level (VIP) · p…`: which
  // part, which seats and how many are free were gone.
  it("wraps a heading too wide between words, so each part says which it is and what is free", () => {
    const balcony = seatMapView(SeatIndex.open(compileSeatMap(parseSeatSpecs(["Balcony Upper Level@VIP:AA-AC:1-40|41-80"]))));
    const lines = renderSeatMap(balcony, { width: 40, style: createStyle(false) }).split("\n");
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    expect(lines.join("\n")).not.toContain("…");
    const headings = lines.flatMap((line, index) => (line.startsWith("Balcony") ? [`${line} ${lines[index + 1]}`] : []));
    expect(headings).toEqual([
      "Balcony Upper Level (VIP) · part 1 of 3, seats 1-37 · 240 of 240 free",
      "Balcony Upper Level (VIP) · part 2 of 3, seats 38-73 · 240 of 240 free",
      "Balcony Upper Level (VIP) · part 3 of 3, seats 74-80 · 240 of 240 free",
    ]);
  });

  it("shows section names safely and counts wide characters as two columns", () => {
    expect(displayWidth("東京 Hall")).toBe(9);
    const named = seatMapView(SeatIndex.open(compileSeatMap(parseSeatSpecs(["東京ドーム アリーナ:A:1-3"]))));
    for (const line of renderSeatMap(named, { width: 12, style: createStyle(false) }).split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(12);
  });
});
