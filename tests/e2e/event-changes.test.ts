import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal } from "../helpers/pty-terminal.js";

let home: { path: string; remove: () => void };
const tix = (args: string[]) => runTix(args, home.path);

beforeEach(() => {
  home = tempDir();
  expect(tix(["seed"]).code).toBe(0);
});
afterEach(() => home.remove());

describe("event create --id EXISTING and event update say what they changed", () => {
  it("event update with no field names the flags it takes, exit 2, and changes nothing", () => {
    const run = tix(["event", "update", "evt_jazz_evening"]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("error: event update: nothing to change; give at least one of --name, --capacity, --venue, --starts-at, --hold, --price, --tier, --code, --limit-per-user, --sales-start, --sales-end, --seats, --seat-map");
    expect(tix(["--json", "log", "--event", "evt_jazz_evening"]).json().entries.filter((entry: { action: string }) => entry.action === "event.updated")).toEqual([]);
  });

  it("the README's own example keeps venue, start time and price, and lists what changed", () => {
    const run = tix(["--json", "event", "create", "--id", "evt_rock_night_2025", "--name", "Rock Night", "--capacity", "6000"]);
    expect(run.code).toBe(0);
    const body = run.json();
    expect(body.event).toMatchObject({ id: "evt_rock_night_2025", name: "Rock Night", capacity: 6000, venue: "Seattle Dome", price: "89.00", holdSeconds: 600 });
    expect(body.event.startsAt).toMatch(/-06-15T20:00:00\.000Z$/);
    expect(body.changes).toEqual([{ field: "name", from: "Rock Night 2025", to: "Rock Night" }, { field: "capacity", from: 5000, to: 6000 }]);

    const price = tix(["--json", "event", "update", "evt_rock_night_2025", "--price", "45.00", "--hold", "15m"]);
    expect(price.json().changes).toEqual([{ field: "price", from: "89.00", to: "45.00" }, { field: "holdSeconds", from: 600, to: 900 }]);

    const same = tix(["--json", "event", "update", "evt_rock_night_2025", "--price", "45.00"]);
    expect(same.json().changes).toEqual([]);

    // Who changed it is in the log, with the changes; the update that changed nothing wrote nothing.
    const log = tix(["--json", "log", "--event", "evt_rock_night_2025"]).json().entries as Array<{ action: string; actor: string; details: { changes?: unknown } }>;
    expect(log.slice(-2).map((entry) => [entry.action, entry.actor, entry.details.changes])).toEqual([
      ["event.updated", "alice", body.changes], ["event.updated", "alice", price.json().changes],
    ]);
  });

  it("piped, the record ends with a changes: line — each change, or empty when nothing changed; a created event has none", () => {
    const update = tix(["event", "update", "evt_jazz_evening", "--price", "50", "--hold", "15m", "--capacity", "1500"]);
    expect(update.code).toBe(0);
    const lines = update.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("id:\tevt_jazz_evening");
    expect(lines.at(-1)).toBe("changes:\tprice 45.00 → 50.00; hold 10m → 15m");
    expect(lines).toContain("price:\t50.00");

    const created = tix(["event", "create", "--id", "evt_jazz_evening", "--name", "Jazz Evening", "--capacity", "1500", "--hold", "15m"]);
    expect(created.stdout.endsWith("\nchanges:\t\n")).toBe(true);
    expect(tix(["event", "create", "--id", "evt_new", "--name", "New", "--capacity", "10"]).stdout).not.toContain("changes:");
  });

  it("create --id EXISTING needs no --name or --capacity: the fields left out keep their values (piped, --json, batch)", () => {
    const venue = tix(["event", "create", "--id", "evt_jazz_evening", "--venue", "Blue Room"]);
    expect(venue.stderr).toBe("");
    expect(venue.code).toBe(0);
    expect(venue.stdout).toContain("name:\tJazz Evening\n");
    expect(venue.stdout).toContain("capacity:\t1500\n");
    expect(venue.stdout.endsWith('\nchanges:\tvenue "Portland Theater" → "Blue Room"\n')).toBe(true);

    const capacity = tix(["--json", "event", "create", "--id", "evt_jazz_evening", "--capacity", "1600"]);
    expect(capacity.code).toBe(0);
    expect(capacity.json().changes).toEqual([{ field: "capacity", from: 1500, to: 1600 }]);
    expect(capacity.json().event).toMatchObject({ name: "Jazz Evening", venue: "Blue Room", price: "45.00" });

    const batch = runTix([], home.path, { input: "event create --id evt_jazz_evening --price 50\n" });
    expect(batch.code).toBe(0);
    expect(batch.stdout).toContain("changes:\tprice 45.00 → 50.00");
  });

  it("--tier NAME::PRICE changes a tier's price and keeps its capacity, as NAME:CAPACITY: keeps its price; a new tier needs a capacity", () => {
    const reprice = tix(["--json", "event", "update", "evt_jazz_evening", "--tier", "GA::50"]);
    expect(reprice.code).toBe(0);
    expect(reprice.json().changes).toEqual([{ field: "price", from: "45.00", to: "50.00" }]);
    expect(reprice.json().event).toMatchObject({ capacity: 1500, price: "50.00" });
    const resize = tix(["--json", "event", "update", "evt_jazz_evening", "--tier", "GA:1400:"]);
    expect(resize.json().changes).toEqual([{ field: "capacity", from: 1500, to: 1400 }]);
    expect(resize.json().event).toMatchObject({ capacity: 1400, price: "50.00" });

    const added = tix(["event", "update", "evt_jazz_evening", "--tier", "Balcony::30"]);
    expect(added.code).toBe(2);
    expect(added.stderr.trim()).toBe('error: tier "Balcony" is new, so it needs a capacity');
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event.tiers.map((tier: { name: string }) => tier.name)).toEqual(["GA"]);
  });

  it("--tier NAME:VALUE on a general-admission event is refused (a capacity or a price?), saying how to write each; nothing changes", () => {
    const before = tix(["--json", "event", "show", "evt_jazz_evening"]).json().event;
    const cases: Array<[string[], string]> = [
      [["event", "update", "evt_jazz_evening", "--tier", "GA:50"], 'error: tier: "GA:50" on general-admission event evt_jazz_evening is a capacity or a price: write GA::50 for the price or GA:50: for the capacity'],
      [["event", "create", "--id", "evt_jazz_evening", "--tier", "GA:50"], 'error: tier: "GA:50" on general-admission event evt_jazz_evening is a capacity or a price: write GA::50 for the price or GA:50: for the capacity'],
      [["event", "update", "evt_jazz_evening", "--tier", "GA:95.00,sales-end=2030-01-01T10:00Z"], `error: tier: "GA:95.00,sales-end=2030-01-01T10:00Z" on general-admission event evt_jazz_evening must be NAME:CAPACITY:PRICE: write GA::95.00 for the price (an empty capacity keeps the tier's)`],
      [["event", "update", "evt_jazz_evening", "--tier", "GA:"], 'error: tier: "GA:" must be NAME:CAPACITY:PRICE, e.g. VIP:50:120.00 (then ,code=CODE ,sales-start=ISO ,sales-end=ISO if wanted)'],
    ];
    for (const [args, message] of cases) {
      const refused = tix(args);
      expect([refused.code, refused.stderr.trim()], args.join(" ")).toEqual([2, message]);
    }
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event).toEqual(before);
    expect(tix(["--json", "log", "--event", "evt_jazz_evening"]).json().entries.filter((entry: { action: string }) => entry.action === "event.updated")).toEqual([]);

    // Creating a general-admission event is as before: every tier NAME:CAPACITY:PRICE.
    const created = tix(["event", "create", "--name", "New", "--tier", "VIP:95"]);
    expect([created.code, created.stderr.trim()]).toEqual([2, 'error: tier: "VIP:95" must be NAME:CAPACITY:PRICE, e.g. VIP:50:120.00 (then ,code=CODE ,sales-start=ISO ,sales-end=ISO if wanted)']);
    expect(tix(["--json", "event", "list"]).json().events.map((event: { name: string }) => event.name)).not.toContain("New");
  });

  it("create --id NEW without a name or capacity is exit 2 naming the field, and creates nothing", () => {
    const noName = tix(["--json", "event", "create", "--id", "evt_new", "--capacity", "10"]);
    expect(noName.code).toBe(2);
    expect(noName.json().error).toEqual({ code: "INVALID_ARGUMENT", message: "name: is required (no event has the id evt_new, so this creates one)" });
    const noCapacity = tix(["event", "create", "--id", "evt_new", "--name", "New"]);
    expect(noCapacity.code).toBe(2);
    expect(noCapacity.stderr).toMatch(/^error: capacity: is required.*\(no event has the id evt_new, so this creates one\)\n$/);
    expect(tix(["event", "show", "evt_new"]).code).toBe(3);
  });

  it("--venue none clears the venue, and says so", () => {
    const cleared = tix(["--json", "event", "update", "evt_jazz_evening", "--venue", "none"]);
    expect(cleared.json().changes).toEqual([{ field: "venue", from: "Portland Theater", to: null }]);
    expect(cleared.json().event.venue).toBeNull();
    expect(tix(["event", "update", "evt_jazz_evening", "--venue", "Blue Room"]).stdout).toContain('changes:\tvenue none → "Blue Room"');
  });

  it("a new event through --id is created as given; created events carry no changes in JSON", () => {
    const created = tix(["--json", "event", "create", "--id", "evt_new", "--name", "New", "--capacity", "10"]);
    expect(created.json()).toEqual({ status: "success", event: expect.objectContaining({ id: "evt_new", price: "0.00" }) });
  });

  it("on a terminal the success message lists each change, old → new", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "event", "create", "--id", "evt_jazz_evening", "--name", "Jazz Evening", "--capacity", "1600", "--venue", "Blue Room"], testEnv(home.path));
    try {
      await terminal.waitFor(/✓ Updated event evt_jazz_evening:\n {2}venue "Portland Theater" → "Blue Room"\n {2}capacity 1500 → 1600\n/);
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
    const again = new Terminal(process.execPath, [TIX_BIN, "event", "update", "evt_jazz_evening", "--capacity", "1600"], testEnv(home.path));
    try {
      await terminal.exited;
      await again.waitFor(/✓ Event evt_jazz_evening unchanged: every field given already had that value/);
    } finally {
      again.kill();
    }
  });
});
