import { describe, expect, it } from "vitest";
import { InvalidRows } from "../../../src/app/import-events.js";
import { openTix } from "../../../src/app/open-tix.js";
import { counted, plural } from "../../../src/core/index.js";

describe("counted words", () => {
  it("word a count of one in the singular and any other count in the plural", () => {
    expect([0, 1, 2].map((count) => counted(count, "ticket"))).toEqual(["0 tickets", "1 ticket", "2 tickets"]);
    expect([1, 2].map((count) => counted(count, "use is", "uses are"))).toEqual(["1 use is", "2 uses are"]);
    expect([1, 5].map((count) => plural(count, "it", "them"))).toEqual(["it", "them"]);
  });

  it("an import refused for its rows says 1 invalid row, and … and 1 more invalid row (it said \"1 more invalid rows\")", () => {
    const problem = (line: number) => ({ line, column: "name", message: "name: is required" });
    const one = new InvalidRows([problem(2)], 1, "events.csv");
    expect(one.message).toBe("events.csv: 1 invalid row; nothing was imported");
    const more = new InvalidRows([problem(2)], 2, "events.csv");
    expect([more.message, more.details.at(-1)]).toEqual(["events.csv: 2 invalid rows; nothing was imported", "… and 1 more invalid row"]);
  });

  it("a one-seat event's refusals say 1 seat, and a changed map's description 1 seat in 1 section (they said \"1 seats\")", async () => {
    const tix = await openTix();
    try {
      const { event } = await tix.events.create({ id: "evt_one", name: "One", seats: ["Hall:A:1"] });
      await expect(tix.events.update({ id: event.id, capacity: 2 })).rejects.toThrow("capacity: event evt_one is seated: its capacity is its 1 seat; give a new seat map to change it");
      await expect(tix.events.update({ id: event.id, tiers: ["Hall:2:5.00"] })).rejects.toThrow("tier: event evt_one is seated: tier Hall has 1 seat; give a new seat map to change it");
      const { changes } = await tix.events.update({ id: event.id, seats: ["Hall:A-B:1"] });
      expect(changes).toContainEqual(expect.objectContaining({ field: "seats", from: "1 seat in 1 section", to: "2 seats in 1 section" }));
    } finally {
      await tix.close();
    }
  });
});
