import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/** Reserved seating through bin/tix: making seated events, reserving seats, the map in the terminal and as JSON. */
let home: { path: string; remove: () => void };
const tix = (args: string[], env: Record<string, string> = {}) => runTix(args, home.path, { env: { TIX_NOW: "2025-06-01T12:00:00Z", ...env } });

beforeEach(() => {
  home = tempDir();
});
afterEach(() => home.remove());

describe("seated events through bin/tix", () => {
  it("a venue CSV's blank position cell is a position not given: that row stands in number order (it was refused: position \"\" must be a number)", () => {
    const blanks = join(home.path, "blanks.csv");
    writeFileSync(blanks, "section,row,seat,position\nStalls,A,1,1\nStalls,A,2,3\nStalls,B,2,\nStalls,B,1, \n");
    const blanked = tix(["--json", "event", "create", "--id", "evt_d", "--name", "D", "--seat-map", blanks]);
    expect(blanked.code, blanked.stderr).toBe(0);
    expect(tix(["--json", "seats", "evt_d"]).json().seats.sections[0].rows).toMatchObject([
      { row: "A", seats: [{ number: 1, gapBefore: 0 }, { number: 2, gapBefore: 1 }] },
      { row: "B", seats: [{ number: 1, gapBefore: 0 }, { number: 2, gapBefore: 0 }] },
    ]);
    // A row with positions for some seats and not others could be either: refused, naming both lines.
    writeFileSync(blanks, "section,row,seat,position\nStalls,A,1,1\nStalls,A,2,\n");
    const mixed = tix(["event", "create", "--name", "M", "--seat-map", blanks]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toBe("error: seat-map: line 3: seat 2 has no position, but seat 1 of its row has one (line 2); give every seat of a row a position, or none\n");
  });

  it("creates one from --seats (repeatable) or a venue file, JSON or CSV; bad maps are one-line errors, exit 2, nothing made", () => {
    const made = tix(["--json", "event", "create", "--id", "evt_a", "--name", "A", "--seats", "Stalls:A-B:1-4|5-8", "--seats", "Box@VIP:1:1-2", "--tier", "VIP:80.00", "--price", "30.00"]);
    expect(made.code, made.stderr).toBe(0);
    expect(made.json().event).toMatchObject({ capacity: 18, seated: true, tiers: [{ name: "Stalls", capacity: 16, price: "30.00" }, { name: "VIP", capacity: 2, price: "80.00" }] });

    const json = join(home.path, "hall.json");
    writeFileSync(json, JSON.stringify({ name: "Hall", sections: [{ name: "Stalls", rows: [{ rows: "A-B", seats: "1-5|6-10" }] }, { name: "Box", tier: "Stalls", rows: "1", seats: "1-4" }] }));
    expect(tix(["--json", "event", "create", "--id", "evt_b", "--name", "B", "--seat-map", json]).json().event).toMatchObject({ capacity: 24, seated: true });
    const csv = join(home.path, "hall.csv");
    writeFileSync(csv, "section,row,seat,position\nStalls,A,1,1\nStalls,A,2,2\nStalls,A,3,4\n");
    expect(tix(["--json", "event", "create", "--id", "evt_c", "--name", "C", "--seat-map", csv]).json().event).toMatchObject({ capacity: 3 });

    writeFileSync(json, JSON.stringify({ sections: [{ name: "Stalls", rows: "A", seat: "1-4" }] }));
    const cases: Array<[string[], RegExp]> = [
      [["--seats", "Floor:A-T:1-3O"], /^error: seats: "Floor:A-T:1-3O": "1-3O" is not a seat number/],
      [["--seat-map", json], /^error: seat-map: sections\[0\]: has an unknown key "seat"/],
      [["--seat-map", join(home.path, "missing.json")], /^error: seat-map: cannot read ".*missing\.json": no such file\n/],
      [["--seat-map", home.path], /^error: seat-map: cannot read ".*": it is a folder, not a file\n/],
      // read in bounded chunks: an endless file is refused at its first chunk, not read until memory runs out
      [["--seat-map", "/dev/zero"], /^error: seat-map: "\/dev\/zero" is not a text file \(it holds NUL bytes\)\n/],
      [["--seats", "Floor:A:1-4", "--seat-map", csv], /^error: seats: give the seat map once/],
      [["--seats", "Floor:A:1-4", "--capacity", "5"], /^error: capacity: 5 is not the number of seats in the map \(4\)/],
      [["--seats", "Floor:A:1-4", "--tier", "VIP:10.00"], /^error: tier: the seat map has no seats in tier "VIP"/],
    ];
    for (const [args, message] of cases) {
      const refused = tix(["event", "create", "--name", "Bad", ...args]);
      expect(refused.code, args.join(" ")).toBe(2);
      expect(refused.stderr, args.join(" ")).toMatch(message);
      expect(refused.stderr.trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
    expect(tix(["--json", "event", "list"]).json().events).toHaveLength(3);
  });

  it("a seated tier is NAME:PRICE on an update too (event update, create --id EXISTING), as when the event was made; the output says what changed", () => {
    const made = tix(["event", "create", "--id", "evt_hall", "--name", "Hall", "--seats", "Floor:A-B:1-4", "--seats", "Box@Balcony:1:1-2", "--tier", "Floor:4.00", "--tier", "Balcony:3.00"]);
    expect(made.code, made.stderr).toBe(0);

    const reprice = tix(["event", "update", "evt_hall", "--tier", "Floor:5.00"]);
    expect([reprice.code, reprice.stderr]).toEqual([0, ""]);
    expect(reprice.stdout).toContain("tiers:\tFloor:8:5.00;Balcony:2:3.00\n");
    expect(reprice.stdout.endsWith("\nchanges:\tFloor price 4.00 → 5.00\n")).toBe(true);

    // With the options, whose times hold ':' too; --json lists the changes, each naming its tier.
    const windowed = tix(["--json", "event", "update", "evt_hall", "--tier", "Floor:6.50,sales-end=2025-07-01T18:00Z,code=fans"]);
    expect(windowed.code, windowed.stderr).toBe(0);
    expect(windowed.json().changes).toEqual([
      { field: "price", tier: "Floor", from: "5.00", to: "6.50" },
      { field: "salesEnd", tier: "Floor", from: null, to: "2025-07-01T18:00:00.000Z" },
      { field: "accessCode", tier: "Floor", from: null, to: "hidden" },
    ]);
    expect(windowed.json().event.tiers[0]).toMatchObject({ name: "Floor", capacity: 8, price: "6.50", requiresCode: true });

    const created = tix(["--json", "event", "create", "--id", "evt_hall", "--tier", "Balcony:3.50", "--tier", "Floor::7.00"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json()).toMatchObject({ event: { capacity: 10 }, changes: [{ field: "price", tier: "Floor", from: "6.50", to: "7.00" }, { field: "price", tier: "Balcony", from: "3.00", to: "3.50" }] });

    // The price is the event's currency's, named by its tier; a tier the map has not is refused as before.
    const refusals: Array<[string, string]> = [
      ["Floor:4.567", 'error: tier "Floor": its price "4.567" is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00'],
      ["Stalls:4.00", 'error: tier: event evt_hall is seated: the seat map has no seats in tier "Stalls"; give a new seat map to add one'],
    ];
    for (const [spec, message] of refusals) {
      const refused = tix(["event", "update", "evt_hall", "--tier", spec]);
      expect([refused.code, refused.stderr.trim()], spec).toEqual([2, message]);
    }
    expect(tix(["--json", "event", "show", "evt_hall"]).json().event.tiers.map((tier: { price: string }) => tier.price)).toEqual(["7.00", "3.50"]);
  });

  it("reserves named seats or the best available; SEAT_TAKEN exits 4; tickets show their seats", () => {
    tix(["event", "create", "--id", "evt_hall", "--name", "Hall", "--seats", "Stalls:A-B:1-4|5-8", "--limit-per-user", "4"]);
    const named = tix(["--json", "reserve", "evt_hall", "--seats", "A1,A2", "--key", "k1"]);
    expect(named.code, named.stderr).toBe(0);
    expect(named.json()).toMatchObject({ status: "success", replayed: false, blocks: 1, ticket: { seat: "Stalls:A1" } });
    expect(named.json().tickets.map((ticket: { seat: string }) => ticket.seat)).toEqual(["Stalls:A1", "Stalls:A2"]);
    const taken = tix(["--json", "reserve", "evt_hall", "--seats", "A2,A3"], { TIX_USER: "bob" });
    expect(taken.code).toBe(4);
    expect(taken.json().error).toMatchObject({ code: "SEAT_TAKEN", message: "seat Stalls:A2 is already taken; nothing was reserved" });
    const best = tix(["--json", "reserve", "evt_hall", "--quantity", "3"], { TIX_USER: "bob" });
    expect(best.json().tickets.map((ticket: { seat: string }) => ticket.seat)).toEqual(["Stalls:A5", "Stalls:A6", "Stalls:A7"]);
    for (const user of ["carol", "dave"]) expect(tix(["reserve", "evt_hall", "--quantity", "4"], { TIX_USER: user }).code).toBe(0); // row B, each side of its aisle
    expect(tix(["--json", "reserve", "evt_hall", "--quantity", "3"], { TIX_USER: "erin" }).json().error.code).toBe("SOLD_OUT");
    const split = tix(["--json", "reserve", "evt_hall", "--quantity", "3", "--allow-split"], { TIX_USER: "erin" });
    expect(split.json()).toMatchObject({ blocks: 2 });
    expect(split.json().tickets.map((ticket: { seat: string }) => ticket.seat)).toEqual(["Stalls:A3", "Stalls:A4", "Stalls:A8"]);
    const listed = tix(["ticket", "list"]);
    // Piped, the seat is the last column.
    expect(listed.stdout.trim().split("\n").map((line) => line.split("\t").at(-1)).sort()).toEqual(["Stalls:A1", "Stalls:A2"]);
    const shown = tix(["ticket", "show", named.json().ticket.id], { TIX_USER: "alice" });
    expect(shown.stdout).toMatch(/^seat:\tStalls:A1$/m);
    expect(tix(["reserve", "evt_hall", "--seats", "A3", "--quantity", "2"]).code).toBe(2);
    // The export's last column is the seat.
    const exported = tix(["export", "tickets", "--event", "evt_hall"]).stdout.trim().split("\n");
    expect(exported[0]!.split(",").at(-1)).toBe("seat");
    expect(exported.slice(1).map((line) => line.split(",").at(-1)).sort()).toContain("Stalls:A1");
  });

  it("tix seats draws the map to the terminal's width, each seat once; --json gives it as data", () => {
    tix(["event", "create", "--id", "evt_wide", "--name", "Wide", "--seats", "Floor:A-B:1-30|31-60", "--limit-per-user", "4"]);
    tix(["reserve", "evt_wide", "--seats", "A1,A60"]);
    tix(["reserve", "evt_wide", "--seats", "B30"], { TIX_USER: "bob" });
    for (const columns of [24, 40, 80]) {
      const drawn = tix(["seats", "evt_wide"], { COLUMNS: String(columns) });
      expect(drawn.code).toBe(0);
      const lines = drawn.stdout.trimEnd().split("\n");
      for (const line of lines) expect(line.length, `${columns}: ${line}`).toBeLessThanOrEqual(columns);
      expect(lines[0]).toBe("Wide (evt_wide)");
      expect(lines[1]).toContain("STAGE");
      const seats = lines.filter((line) => /^\s*[AB] [oxh@ ]+$/.test(line)).map((line) => line.trim().slice(2)).join("").replace(/ /g, "");
      expect(seats.length, `${columns}`).toBe(120);
      expect([...seats].filter((glyph) => glyph === "@")).toHaveLength(2);
      expect([...seats].filter((glyph) => glyph === "h")).toHaveLength(1);
      expect(lines.at(-1)).toMatch(/@ yours 2$/);
    }
    const data = tix(["--json", "seats", "evt_wide"]).json();
    expect(data).toMatchObject({ status: "success", eventId: "evt_wide", seats: { capacity: 120, free: 117, held: 1, sold: 0, yours: 2 } });
    expect(data.seats.sections[0].rows[0].seats[30]).toEqual({ seat: "Floor:A31", number: 31, state: "free", gapBefore: 1 });
    expect(tix(["--json", "seats", "evt_wide", "--section", "balcony"]).json().error.message).toMatch(/no section "balcony"/);
    tix(["event", "create", "--id", "evt_ga", "--name", "GA", "--capacity", "5"]);
    const ga = tix(["seats", "evt_ga"]);
    // Not found (exit 3), as a map the event does not have; it was exit 2, as if the id were malformed.
    expect([ga.code, ga.stderr.trim()]).toEqual([3, "error: evt_ga is a general-admission event: it has no seat map"]);
    expect(tix(["--json", "seats", "evt_ga"]).json().error.code).toBe("SEAT_MAP_NOT_FOUND");
    expect(tix(["seats", "evt_none"]).code).toBe(3);
  });

  it("seed adds the seated sample, Riverside Hall, beside the concerts", () => {
    expect(tix(["seed"]).code).toBe(0);
    const events = tix(["--json", "event", "list"]).json().events;
    expect(events.filter((event: { seated: boolean }) => event.seated).map((event: { id: string; capacity: number }) => [event.id, event.capacity]))
      .toEqual([["evt_string_quartet_night", 328]]);
    expect(events.filter((event: { seated: boolean }) => !event.seated).map((event: { name: string }) => event.name))
      .toEqual(expect.arrayContaining(["Rock Night 2025", "Jazz Evening"]));
  });
});
