import { describe, expect, it } from "vitest";
import { sqliteTixPerTest } from "../helpers/sqlite-tix.js";

// The built bin/tix over a real SQLite file: notes reach the user under --json too (they were
// dropped), and an option of one value given twice is refused (the last one was taken in silence).

const { tix, file } = sqliteTixPerTest("notes.db");

const ALLOW_SPLIT_NOTE = "note: --allow-split has no effect: event gig is general admission (no seats to keep together)\n";
const SALES_END_NOTE = "note: sales end when event gig starts, 2030-06-01T20:00:00.000Z: the --sales-end given (2030-07-01T00:00Z) is later\n";

describe("notes under --json: the JSON on stdout as ever, the note on stderr as without --json", () => {
  it("reserve --allow-split on a general-admission event", () => {
    expect(tix(["event", "create", "--id", "gig", "--name", "Gig", "--capacity", "10"]).code).toBe(0);
    const run = tix(["--json", "reserve", "gig", "--quantity", "2", "--allow-split", "--key", "k1"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(ALLOW_SPLIT_NOTE);
    // stdout is one JSON document, the contract's shape, nothing else.
    expect(run.stdout.endsWith("}\n") && run.stdout.indexOf("\n") === run.stdout.length - 1).toBe(true);
    const reply = run.json();
    expect(Object.keys(reply)).toEqual(["status", "ticket", "tickets", "orderId", "replayed", "key"]);
    expect(reply).toMatchObject({ status: "success", replayed: false, key: "k1", ticket: { eventId: "gig", status: "reserved" } });
    expect(reply.tickets).toHaveLength(2);
    // Piped, as before.
    expect(tix(["reserve", "gig", "--allow-split", "--user", "bob"]).stderr).toBe(ALLOW_SPLIT_NOTE);
  });

  it("event create and update with a --sales-end later than the start", () => {
    const created = tix(["--json", "event", "create", "--id", "gig", "--name", "Gig", "--capacity", "5", "--starts-at", "2030-06-01T20:00Z", "--sales-end", "2030-07-01T00:00Z"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stderr).toBe(SALES_END_NOTE);
    expect(created.json()).toMatchObject({ status: "success", event: { id: "gig", salesEnd: "2030-06-01T20:00:00.000Z" } });
    const updated = tix(["--json", "event", "update", "gig", "--sales-end", "2030-07-01T00:00Z", "--capacity", "6"]);
    expect(updated.stderr).toBe(SALES_END_NOTE);
    expect(updated.json()).toMatchObject({ status: "success", event: { capacity: 6 } });
  });

  it("a tier's own sales-end later than the event's end, or already past: said as the event's is (it was kept in silence)", () => {
    const later = tix(["--json", "event", "create", "--id", "gig", "--name", "Gig", "--starts-at", "2030-06-01T20:00Z",
      "--tier", "GA:10:5.00", "--tier", "Early:10:3.00,sales-end=2030-07-01"]);
    expect(later.code, later.stderr).toBe(0);
    expect(later.stderr).toBe("note: sales of tier Early of event gig end when event gig starts, 2030-06-01T20:00:00.000Z: the sales-end given (2030-07-01) is later\n");
    expect(later.json()).toMatchObject({ event: { salesEnd: "2030-06-01T20:00:00.000Z", tiers: [{ name: "GA" }, { name: "Early", salesEnd: "2030-07-01T00:00:00.000Z" }] } });
    const past = tix(["event", "update", "gig", "--tier", "early::3.00,sales-end=2020-01-01T00:00Z"]);
    expect(past.code, past.stderr).toBe(0);
    expect(past.stderr).toBe("note: sales of tier Early of event gig end 2020-01-01T00:00:00.000Z, in the past: it cannot be reserved\n");
    // Within the event's window and ahead, or removed: nothing to say.
    expect(tix(["event", "update", "gig", "--tier", "Early::3.00,sales-end=2030-05-01T00:00Z"]).stderr).toBe("");
    expect(tix(["event", "update", "gig", "--tier", "Early::3.00,sales-end=none"]).stderr).toBe("");
    // The event's own end in the past is said once, for the event, not again for its tier.
    const closed = tix(["event", "update", "gig", "--sales-end", "2020-01-02T00:00Z", "--tier", "Early::3.00,sales-end=2020-01-01T00:00Z"]);
    expect(closed.stderr).toBe("note: sales of event gig end 2020-01-02T00:00:00.000Z, in the past: it cannot be reserved\n");
  });

  it("in a --json batch: each line's JSON on stdout, its note on stderr", () => {
    const run = tix(["--json"], {}, "event create --id gig --name Gig --capacity 10\nreserve gig --allow-split\nreserve gig --user bob\n");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim().split("\n").map((line) => JSON.parse(line).status)).toEqual(["success", "success", "success"]);
    expect(run.stderr).toBe(ALLOW_SPLIT_NOTE);
  });

  it("an import's warnings (skipped rows, an empty file)", () => {
    const run = tix(["--json", "import", file("bad.csv", "id,name,capacity\ngig,Gig,5\nbad,Bad,zero\n"), "--skip-invalid"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^warning: skipped line 3: capacity: /);
    expect(run.json()).toMatchObject({ status: "success", created: 1, skippedCount: 1 });
    const empty = tix(["--json", "import", file("empty.csv", "id,name,capacity\n")]);
    expect(empty.stderr).toBe(`warning: ${file("empty.csv", "id,name,capacity\n")} has no rows; nothing was imported\n`);
    expect(empty.json()).toMatchObject({ status: "success", imported: 0 });
  });
});

describe("an option of one value given twice", () => {
  it.each([
    [["reserve", "gig", "--key", "a", "--key", "b"], "--key"],
    [["reserve", "gig", "--quantity", "2", "--quantity", "3"], "--quantity"],
    [["--user", "x", "--user", "y", "reserve", "gig"], "--user"],
    [["--user", "x", "reserve", "gig", "--user=y"], "--user"],
    [["event", "update", "gig", "--capacity", "7", "--capacity", "8"], "--capacity"],
  ])("tix %j is refused in one line naming %s: exit 2, nothing changed", (args, flag) => {
    expect(tix(["event", "create", "--id", "gig", "--name", "Gig", "--capacity", "10"]).code).toBe(0);
    const run = tix(args);
    expect([run.code, run.stdout, run.stderr]).toEqual([2, "", `error: ${flag}: given twice; it takes one value: give it once\n`]);
    const machine = tix(["--json", ...args]);
    expect(machine.code).toBe(2);
    expect(machine.json()).toEqual({ status: "error", error: { code: "INVALID_ARGUMENT", message: `${flag}: given twice; it takes one value: give it once` } });
    expect(tix(["--json", "ticket", "list", "--all-users"]).json().tickets).toEqual([]);
    expect(tix(["--json", "event", "show", "gig"]).json().event.capacity).toBe(10);
  });

  it("options meant to repeat still do (--tier, --seats)", () => {
    const run = tix(["--json", "event", "create", "--id", "hall", "--name", "Hall", "--seats", "Stalls:A:1-4", "--seats", "Circle@VIP:A:1-2", "--tier", "Stalls:10", "--tier", "VIP:20"]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.json().event).toMatchObject({ capacity: 6 });
  });
});
