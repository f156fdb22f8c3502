import { describe, expect, it } from "vitest";
import { sqliteTixPerTest } from "../helpers/sqlite-tix.js";

// The twenty-first pass's acceptance sweep (acc29): the built bin/tix, over a real SQLite file,
// against the contract's command-line parts, line by line.

const { tix, file } = sqliteTixPerTest("sweep.db");

describe("tiers whose names differ only by case", () => {
  it("are refused by event create, with exit 2, one line, and nothing made (reserve --tier vip could not pick one)", () => {
    const run = tix(["event", "create", "--id", "gig", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "vip:5:20"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('tiers "VIP" and "vip" differ only by case');
    const json = tix(["--json", "event", "create", "--id", "gig", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "vip:5:20"]);
    expect(json.code).toBe(2);
    expect(json.json().error.code).toBe("INVALID_ARGUMENT");
    expect(json.json().error.message).toContain("differ only by case");
    expect(tix(["event", "show", "gig"]).code).toBe(3);
    // An exact repeat keeps its own words.
    expect(tix(["--json", "event", "create", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "VIP:5:20"]).json().error.message).toBe('tier "VIP" is given twice');
  });

  it("are refused by event update and by create-or-update, and the event is unchanged", () => {
    expect(tix(["event", "create", "--id", "gig", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "GA:5:20"]).code).toBe(0);
    for (const args of [["event", "update", "gig"], ["event", "create", "--id", "gig", "--name", "Gig"]]) {
      const run = tix(["--json", ...args, "--tier", "VIP:6:10", "--tier", "vip:7:10"]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.json().error.message).toContain("differ only by case");
    }
    const event = tix(["--json", "event", "show", "gig"]).json().event;
    expect(event.tiers.map((tier: { name: string; capacity: number }) => [tier.name, tier.capacity])).toEqual([["VIP", 5], ["GA", 5]]);
    // A tier named in another case on its own is still that tier.
    expect(tix(["event", "update", "gig", "--tier", "vip:6:"]).code).toBe(0);
    expect(tix(["--json", "event", "show", "gig"]).json().event.tiers.map((tier: { name: string }) => tier.name)).toEqual(["VIP", "GA"]);
  });

  it("are refused in an import row, as on the command line", () => {
    const run = tix(["--json", "import", file("tiers.json", JSON.stringify([{ id: "gig", name: "Gig", tiers: [{ name: "VIP", capacity: 5, price: "10" }, { name: "vip", capacity: 5, price: "20" }] }]))]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toContain("differ only by case");
    expect(tix(["event", "show", "gig"]).code).toBe(3);
  });
});

describe("a seated event's tier named in another case", () => {
  it("is the map's tier on creation and on update, as reserve --tier reads it (both said the map had no such tier)", () => {
    const created = tix(["--json", "event", "create", "--id", "hall", "--name", "Hall", "--seats", "Stalls:A-A:1-2", "--seats", "Circle:B-B:1-3", "--tier", "stalls:5", "--tier", "circle:3:3"]);
    expect(created.code, created.stdout).toBe(0);
    const tiersOf = (event: { tiers: { name: string; capacity: number; price: string }[] }) => event.tiers.map((tier) => [tier.name, tier.capacity, tier.price]);
    expect(tiersOf(created.json().event)).toEqual([["Stalls", 2, "5.00"], ["Circle", 3, "3.00"]]);
    const updated = tix(["--json", "event", "update", "hall", "--tier", "stalls:7"]);
    expect(updated.code, updated.stdout).toBe(0);
    expect(updated.json().changes).toEqual([{ field: "price", tier: "Stalls", from: "5.00", to: "7.00" }]);
    expect(tiersOf(updated.json().event)).toEqual([["Stalls", 2, "7.00"], ["Circle", 3, "3.00"]]);
    // The seats still decide a seated tier's capacity, whatever the case it is named in.
    const resized = tix(["--json", "event", "update", "hall", "--tier", "stalls:3:8"]);
    expect(resized.code).toBe(2);
    expect(resized.json().error.message).toBe("tier: event hall is seated: tier Stalls has 2 seats; give a new seat map to change it");
    expect(tix(["--json", "reserve", "hall", "--tier", "STALLS"]).json().ticket).toMatchObject({ tier: "Stalls", price: "7.00" });
  });
});


describe("a --sales-end later than the event's start", () => {
  it("is kept, and event create and update say on stderr that sales end at the start (it was capped in silence)", () => {
    const later = tix(["event", "create", "--id", "gig", "--name", "Gig", "--capacity", "5", "--starts-at", "2030-06-01T20:00Z", "--sales-end", "2030-07-01T00:00Z"]);
    expect(later.code).toBe(0);
    expect(later.stderr).toBe("note: sales end when event gig starts, 2030-06-01T20:00:00.000Z: the --sales-end given (2030-07-01T00:00Z) is later\n");
    expect(later.stdout).toMatch(/^salesEnd:\t2030-06-01T20:00:00\.000Z$/m);
    const updated = tix(["event", "update", "gig", "--sales-end", "2030-08-01"]);
    expect(updated.code).toBe(0);
    expect(updated.stderr).toMatch(/^note: sales end when event gig starts/);
    // Before the start: nothing to say.
    const earlier = tix(["event", "update", "gig", "--sales-end", "2030-05-01T00:00Z"]);
    expect([earlier.code, earlier.stderr]).toEqual([0, ""]);
    expect(earlier.stdout).toMatch(/^salesEnd:\t2030-05-01T00:00:00\.000Z$/m);
  });
});

describe("a start or sales end given in the past", () => {
  it("is kept, and event create and update say on stderr that the event cannot be reserved (it was created in silence, already closed)", () => {
    const past = tix(["event", "create", "--id", "old", "--name", "Old", "--capacity", "5", "--starts-at", "2020-01-01T00:00Z"]);
    expect(past.code).toBe(0);
    expect(past.stderr).toBe("note: event old starts 2020-01-01T00:00:00.000Z, in the past: it cannot be reserved\n");
    expect(tix(["reserve", "old"]).code).toBe(4);
    const future = tix(["event", "update", "old", "--starts-at", "2030-01-01T00:00Z"]);
    expect([future.code, future.stderr]).toEqual([0, ""]);
    const ended = tix(["event", "update", "old", "--sales-end", "2021-01-01T00:00Z"]);
    expect(ended.code).toBe(0);
    expect(ended.stderr).toBe("note: sales of event old end 2021-01-01T00:00:00.000Z, in the past: it cannot be reserved\n");
    // Other fields changed: nothing to say again.
    expect(tix(["event", "update", "old", "--name", "Older"]).stderr).toBe("");
  });
});
