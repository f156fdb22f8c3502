import { describe, expect, it } from "vitest";
import { SEAT_HELD, SEAT_SOLD, SeatIndex, compileSeatMap, findSeat, parseSeatSpecs, seatMapView, type SeatMapView } from "../../../src/core/index.js";
import { displayWidth } from "../../../src/cli/output/text.js";
import { createStyle } from "../../../src/cli/output/style.js";
import { SeatPicker, type PickerKey } from "../../../src/cli/prompts/seat-picker.js";

// eslint-disable-next-line no-control-regex -- colour codes are what is removed
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");
// eslint-disable-next-line no-control-regex -- every character that is not ASCII
const NOT_ASCII = /[^\x00-\x7f]/u;

/** A stalls with aisles, a narrower circle in another tier, and a 120-seat-wide floor. */
function view(taken: Record<string, number> = {}): SeatMapView {
  const layout = compileSeatMap(parseSeatSpecs(["Stalls:A-C:1-4|5-8", "Circle@Gold:A-B:1-4", "Floor:A-B:1-120"]));
  const index = SeatIndex.open(layout);
  for (const [name, state] of Object.entries(taken)) {
    const found = findSeat(layout, name);
    if ("seat" in found) index.set([found.seat], state as 1 | 2);
  }
  return seatMapView(index);
}

const picker = (map: SeatMapView, options: { tier?: string; limit?: number; width?: number; height?: number } = {}) =>
  new SeatPicker(map, { title: "Gig", limit: options.limit ?? 8, tier: options.tier, width: options.width ?? 80, height: options.height ?? 24 });
const press = (target: SeatPicker, ...keys: PickerKey[]) => keys.map((key) => target.press(key)).at(-1);

describe("picking seats on the map", () => {
  it("starts on the free seat nearest the middle of the front-most row with one (of the tier asked for)", () => {
    expect(picker(view()).cursor.seat).toBe("Stalls:A4");
    expect(picker(view({ "Stalls:A4": SEAT_SOLD, "Stalls:A5": SEAT_SOLD })).cursor.seat).toBe("Stalls:A3");
    expect(picker(view(), { tier: "Gold" }).cursor.seat).toBe("Circle:A2");
  });

  it("moves seat by seat in a row, stopping at its ends; up and down to the nearest seat, across sections", () => {
    const target = picker(view());
    press(target, "right");
    expect(target.cursor.seat).toBe("Stalls:A5"); // the aisle is skipped
    press(target, "right", "right", "right", "right");
    expect(target.cursor.seat).toBe("Stalls:A8");
    press(target, "up");
    expect(target.cursor.seat).toBe("Stalls:A8");
    press(target, "down", "down");
    expect(target.cursor.seat).toBe("Stalls:C8");
    press(target, "down"); // the circle: its share of the width
    expect(target.cursor.seat).toBe("Circle:A4");
    press(target, "left", "left", "down", "down");
    expect(target.cursor.seat).toBe("Floor:A41");
  });

  it("picks free seats of the tier, up to the limit; Space again unpicks; Enter answers the picks", () => {
    const target = picker(view({ "Stalls:A5": SEAT_HELD }), { limit: 2, tier: "Stalls" });
    press(target, "space", "right");
    expect(target.cursor.seat).toBe("Stalls:A5");
    press(target, "space");
    expect(target.selection).toEqual(["Stalls:A4"]);
    expect(stripAnsi(target.render(createStyle(false)))).toContain("Stalls:A5 is held · picked 1: Stalls:A4");
    press(target, "right", "space", "right", "space");
    expect(target.selection).toEqual(["Stalls:A4", "Stalls:A6"]);
    expect(stripAnsi(target.render(createStyle(false)))).toContain("at most 2 seats in one order");
    press(target, "left", "space");
    expect(target.selection).toEqual(["Stalls:A4"]);
    press(target, "down", "down", "down");
    expect(target.cursor.seat).toBe("Circle:A3");
    press(target, "space");
    expect(target.selection).toEqual(["Stalls:A4"]);
    expect(press(target, "enter")).toEqual(["Stalls:A4"]);
  });

  it("Enter with nothing picked holds the seat under the cursor, when it is free", () => {
    expect(press(picker(view()), "enter")).toEqual(["Stalls:A4"]);
    const taken = picker(view({ "Stalls:A3": SEAT_SOLD }));
    expect(press(taken, "left", "enter")).toBeUndefined();
    expect(stripAnsi(taken.render(createStyle(false)))).toContain("Stalls:A3 is sold; pick free seats with Space");
  });

  it("draws its headings, status and keys in ASCII in ASCII marks (a locale that is not UTF-8), never wider than the terminal", () => {
    const ascii = createStyle(true, false, true);
    const map = view({ "Stalls:A5": SEAT_HELD });
    for (const width of [20, 33, 50, 80]) {
      const target = picker(map, { width, height: 8 });
      press(target, "space", "right", "space");
      for (const line of stripAnsi(target.render(ascii)).split("\n")) {
        expect(line, `${width}`).not.toMatch(NOT_ASCII);
        expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
      }
    }
    const lines = stripAnsi(picker(map, { height: 9 }).render(ascii)).split("\n");
    expect(lines).toContain("Stalls - 23 of 24 free - rows A-B of 3");
    expect(lines).toContain("Seat Stalls:A4 (free, Stalls) - none picked");
    expect(lines.at(-1)).toBe("arrows move - space pick - enter reserve - esc cancel");
    expect(stripAnsi(picker(map, { width: 30 }).render(ascii)).split("\n").at(-1)).toBe("arrows move - space pick - ...");
    // UTF-8's marks as before.
    const utf8 = stripAnsi(picker(map, { height: 9 }).render(createStyle(true))).split("\n");
    expect(utf8).toContain("Stalls · 23 of 24 free · rows A-B of 3");
    expect(utf8.at(-1)).toBe("←↑↓→ move · space pick · enter reserve · esc cancel");
  });

  it("at 40 columns keeps in sight how many seats are picked and which, and a long section's counts", () => {
    // The status line was cut at its end: `Seat Balcony Upper Level Long Name:AA40…`, the picks lost.
    const layout = compileSeatMap(parseSeatSpecs(["Balcony Upper Level Long Name:AA-AB:1-60"]));
    const map = seatMapView(SeatIndex.open(layout));
    const target = picker(map, { width: 40 });
    expect(target.cursor.seat).toBe("Balcony Upper Level Long Name:AA30");
    const lines = () => stripAnsi(target.render(createStyle(false))).split("\n");
    expect(lines()).toContain("Balcony Upper Level L… · 120 of 120 free");
    expect(lines()).toContain("none picked · AA30 free");
    press(target, "space", "right", "space", "right");
    expect(lines()).toContain("picked 2: AA30, AA31 · AA32 free");
    press(target, "left", "space");
    expect(lines()).toContain("picked 1: AA30 · AA31 free");
    for (const width of [20, 40]) {
      for (const line of stripAnsi(target.render(createStyle(false), { width, height: 24 })).split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    }
    // Where the whole line fits, it is as it was.
    expect(stripAnsi(target.render(createStyle(false), { width: 160, height: 24 }))).toContain("Seat Balcony Upper Level Long Name:AA31 (free, Balcony Upper Level Long Name) · picked 1: Balcony Upper Level Long Name:AA30");
  });

  it("never draws wider or taller than the terminal; the cursor is always in sight, distinct without colour", () => {
    const map = view({ "Floor:A100": SEAT_SOLD });
    for (const width of [20, 33, 50, 80, 130]) {
      for (const height of [8, 10, 24]) {
        for (const colour of [false, true]) {
          const target = picker(map, { width, height });
          press(target, "down", "down", "down", "down", "down"); // to the floor
          for (let step = 0; step < 70; step++) target.press("right");
          const lines = stripAnsi(target.render(createStyle(colour))).split("\n");
          expect(lines.length, `${width}x${height}`).toBeLessThanOrEqual(height);
          for (const line of lines) expect(displayWidth(line), `${width}x${height}: ${line}`).toBeLessThanOrEqual(width);
          if (!colour) expect(lines.filter((line) => line.includes("O")), `${width}x${height}`).toHaveLength(1);
          expect(target.cursor.seat).toBe("Floor:A111");
        }
      }
    }
  });
});
