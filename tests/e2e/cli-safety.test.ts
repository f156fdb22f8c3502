import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const tix = (args: string[], env: Record<string, string | undefined> = {}) => runTix(args, home.path, { env });
const json = (args: string[], env: Record<string, string | undefined> = {}) => tix(["--json", ...args], env);

describe("errors that say what to do next", () => {
  it("an unknown event id is answered with the nearest ids (did you mean …?)", () => {
    tix(["seed"]);
    expect(tix(["reserve", "evt_jazz"])).toMatchObject({
      code: 3,
      stderr: "error: no event with id evt_jazz; did you mean evt_jazz_evening? (tix event list)\n",
    });
    expect(tix(["event", "show", "evt_rok_night_2025"]).stderr).toContain("did you mean evt_rock_night_2025?");
    expect(json(["report", "evt_jazz_evenin"]).json().error).toMatchObject({ code: "EVENT_NOT_FOUND", message: expect.stringContaining("did you mean evt_jazz_evening?") });
    expect(tix(["reserve", "evt_zzz"]).stderr).toBe("error: no event with id evt_zzz (tix event list)\n");
  });

  it("a mistyped ticket id is matched against the acting user's own tickets only", () => {
    tix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"]);
    const mine = json(["reserve", "evt_a"]).json().ticket.id as string;
    const bobs = json(["reserve", "evt_a"], { TIX_USER: "bob" }).json().ticket.id as string;
    const typo = `${mine.slice(0, -1)}${mine.endsWith("x") ? "y" : "x"}`;
    expect(tix(["purchase", typo]).stderr).toBe(`error: no ticket with id ${typo}; did you mean ${mine}? (tix ticket list)\n`);
    expect(tix(["cancel", mine.slice(0, 8)]).stderr).toContain(`did you mean ${mine}?`);
    const bobsTypo = `${bobs.slice(0, -1)}${bobs.endsWith("x") ? "y" : "x"}`;
    expect(tix(["purchase", bobsTypo]).stderr).toBe(`error: no ticket with id ${bobsTypo} (tix ticket list)\n`);
  });

  it("log --event and ticket list --event of an unknown event are EVENT_NOT_FOUND, not empty", () => {
    tix(["seed"]);
    expect(json(["log", "--event", "evt_nope"])).toMatchObject({ code: 3 });
    expect(json(["log", "--event", "evt_nope"]).json().error.code).toBe("EVENT_NOT_FOUND");
    expect(json(["ticket", "list", "--event", "evt_nope"]).json().error.code).toBe("EVENT_NOT_FOUND");
    expect(json(["log", "--ticket", "tkt_nope"]).json().error.code).toBe("TICKET_NOT_FOUND");
    expect(json(["ticket", "list", "--event", "evt_jazz_evening"])).toMatchObject({ code: 0 });
    expect(json(["log", "--event", "evt_jazz_evening"]).json().entries).toHaveLength(1);
  });

  it("ticket show of another user's ticket is NOT_TICKET_OWNER (exit 7) unless --all-users, as the HTTP API answers", () => {
    tix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"]);
    const bobs = json(["reserve", "evt_a"], { TIX_USER: "bob" }).json().ticket.id as string;
    expect(json(["ticket", "show", bobs])).toMatchObject({ code: 7 });
    expect(json(["ticket", "show", bobs]).json().error).toEqual({ code: "NOT_TICKET_OWNER", message: `ticket ${bobs} belongs to another user` });
    expect(json(["ticket", "show", bobs, "--all-users"]).json().ticket.userId).toBe("bob");
    expect(json(["ticket", "show", bobs], { TIX_USER: "bob" }).json().ticket.id).toBe(bobs);
  });

  it("cancel without an id is guided like purchase: a usage error off a terminal", () => {
    expect(tix(["cancel"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: ticket id: missing; give it as in `tix cancel TICKET_ID`/) });
  });
});

describe("nothing changes without saying so", () => {
  it("re-running reserve --key on a hold that has expired replays (exit 0) and says so", () => {
    tix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--hold", "10m"], { TIX_NOW: "2026-01-01T12:00:00Z" });
    expect(tix(["reserve", "evt_a", "--key", "k"], { TIX_NOW: "2026-01-01T12:00:00Z" }).stderr).toBe("");
    const later = tix(["reserve", "evt_a", "--key", "k"], { TIX_NOW: "2026-01-01T12:30:00Z" });
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^status:\texpired$/m);
    expect(later.stderr).toBe("warning: that hold expired at 2026-01-01T12:10:00.000Z; reserve again with a new key\n");
  });

  it("re-running reserve --key on a ticket cancelled since replays (exit 0) and says so on stderr, the JSON as ever (it said nothing)", () => {
    const at = { TIX_NOW: "2026-01-01T12:00:00Z" };
    tix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"], at);
    const id = json(["reserve", "evt_a", "--key", "k"], at).json().ticket.id as string;
    expect(tix(["cancel", id], { TIX_NOW: "2026-01-01T12:01:00Z" }).code).toBe(0);
    const note = "warning: that ticket was cancelled at 2026-01-01T12:01:00.000Z; it holds no place: reserve again with a new key\n";
    const later = tix(["reserve", "evt_a", "--key", "k"], { TIX_NOW: "2026-01-01T12:02:00Z" });
    expect(later).toMatchObject({ code: 0, stderr: note });
    expect(later.stdout).toMatch(/^status:\tcancelled$/m);
    const asJson = json(["reserve", "evt_a", "--key", "k"], { TIX_NOW: "2026-01-01T12:02:00Z" });
    expect(asJson).toMatchObject({ code: 0, stderr: note });
    expect(asJson.json()).toMatchObject({ status: "success", replayed: true, key: "k", ticket: { id, status: "cancelled" } });

    // An order of three: one cancelled is named; all three, said as all.
    const ids = json(["reserve", "evt_a", "--key", "k3", "--quantity", "3"], at).json().tickets.map((ticket: { id: string }) => ticket.id) as string[];
    tix(["cancel", ids[1]!], at);
    expect(tix(["reserve", "evt_a", "--key", "k3", "--quantity", "3"], at).stderr)
      .toBe(`warning: 1 of those 3 tickets was cancelled since (${ids[1]}); it holds no place\n`);
    for (const other of [ids[0]!, ids[2]!]) tix(["cancel", other], at);
    expect(tix(["reserve", "evt_a", "--key", "k3", "--quantity", "3"], at).stderr)
      .toBe("warning: all 3 of those tickets were cancelled since; they hold no place: reserve again with a new key\n");
  });
});

describe("the same request, stated once", () => {
  it("naming an event's only tier and leaving it out are the same request for a key, both ways", () => {
    tix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"]);
    const first = json(["reserve", "evt_a", "--key", "k1"]).json();
    expect(json(["reserve", "evt_a", "--key", "k1", "--tier", "GA"]).json()).toMatchObject({ replayed: true, ticket: { id: first.ticket.id } });
    const named = json(["reserve", "evt_a", "--key", "k2", "--tier", "GA", "--quantity", "1"], { TIX_USER: "bob" }).json();
    expect(json(["reserve", "evt_a", "--key", "k2"], { TIX_USER: "bob" }).json()).toMatchObject({ replayed: true, ticket: { id: named.ticket.id } });
    expect(json(["reserve", "evt_a", "--key", "k2", "--quantity", "2"], { TIX_USER: "bob" }).json().error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("on an event of several tiers, another tier is another request", () => {
    tix(["event", "create", "--id", "evt_g", "--name", "Gala", "--tier", "VIP:5:100", "--tier", "GA:50:10"]);
    json(["reserve", "evt_g", "--key", "k", "--tier", "VIP"]);
    expect(json(["reserve", "evt_g", "--key", "k", "--tier", "VIP"]).json().replayed).toBe(true);
    expect(json(["reserve", "evt_g", "--key", "k", "--tier", "GA"]).json().error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });
});

describe("hardening", () => {
  it("event update --tier obeys the limits of event create: at most 20 tiers, capacity at most 10,000,000", () => {
    tix(["event", "create", "--id", "evt_t", "--name", "T", "--tier", "A:1:1"]);
    const many = Array.from({ length: 20 }, (_, index) => ["--tier", `T${index}:1:1`]).flat();
    expect(json(["event", "update", "evt_t", ...many]).json().error).toEqual({ code: "INVALID_ARGUMENT", message: "tier: an event has at most 20 tiers" });
    expect(json(["event", "update", "evt_t", "--tier", "B:9000000:1", "--tier", "C:2000000:1"]).json().error.message).toBe(
      "capacity: the tiers add up to 11000001, more than 10000000");
    expect(json(["event", "show", "evt_t"]).json().event).toMatchObject({ capacity: 1, tiers: [{ name: "A" }] });
  });

  it("reserves the user name system for the audit log's own actor", () => {
    tix(["seed"]);
    for (const user of ["system", "SYSTEM"]) {
      const out = json(["reserve", "evt_jazz_evening"], { TIX_USER: user });
      expect(out.code).toBe(2);
      // Given by TIX_USER, the error names it (see store-faults: a refused TIX_USER or TIX_STORE).
      expect(out.json().error.message).toMatch(/^TIX_USER: "(system|SYSTEM)" is reserved for tix itself/);
    }
    expect(json(["--user", "system", "reserve", "evt_jazz_evening"]).json().error.message).toMatch(/^user: "system" is reserved for tix itself/);
  });

  it("validates TIX_BUSY_TIMEOUT_MS: whole milliseconds up to an hour", () => {
    for (const value of ["3000000000", "-1", "soon", "1.5"]) {
      const out = json(["event", "list"], { TIX_BUSY_TIMEOUT_MS: value });
      expect(out.code, value).toBe(2);
      expect(out.json().error.message).toMatch(/^TIX_BUSY_TIMEOUT_MS: must be whole milliseconds from 0 to 3600000/);
    }
    expect(json(["event", "list"], { TIX_BUSY_TIMEOUT_MS: "250" }).code).toBe(0);
  });

  it("refuses an argument whose bytes are not UTF-8 (a Latin-1 script) instead of storing \ufffd, as a batch line or an import file", () => {
    // Node reads such bytes as U+FFFD and keeps no other trace of them: only the bytes tell.
    const inShell = (line: string) => {
      const result = spawnSync("/bin/sh", ["-c", line, "sh", process.execPath, TIX_BIN], { env: testEnv(home.path), encoding: "utf8" });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    expect(inShell(`"$1" "$2" event create --name "$(printf 'Caf\\351 Night')" --capacity 5`)).toEqual({
      code: 2, stdout: "", stderr: 'error: argument 4 ("Caf\ufffd Night"): is not UTF-8 text; give it as UTF-8\n',
    });
    const asJson = inShell(`"$1" "$2" --json reserve evt_x --key "$(printf '\\377')"`);
    expect(asJson.code).toBe(2);
    expect(JSON.parse(asJson.stdout).error).toEqual({ code: "INVALID_ARGUMENT", message: 'argument 5 ("\ufffd"): is not UTF-8 text; give it as UTF-8' });
    expect(json(["event", "list"]).json().events).toEqual([]);
    // U+FFFD itself, in UTF-8, is text like any other.
    expect(json(["event", "create", "--name", "Caf\ufffd Night", "--capacity", "5"]).json().event.name).toBe("Caf\ufffd Night");
  });

  it("cuts long values in error messages: a 100 kB argument is not repeated", () => {
    const long = "x".repeat(100_000);
    expect(tix(["event", "create", "--name", "A", "--capacity", long]).stderr).toBe(`error: capacity: must be a whole number from 1 to 10000000, got "${"x".repeat(59)}… (100000 characters)"\n`);
    for (const args of [["event", "create", "--name", "A", "--capacity", long], ["reserve", "evt_a", "--key", "k", "--tier", long], ["--user", long, "event", "list"], ["event", "show", `a${long}`]]) {
      const out = tix(args);
      expect(out.code, args[0]).toBeGreaterThan(1);
      expect(out.stderr.length, args.join(" ").slice(0, 40)).toBeLessThan(500);
    }
  });

  it("core errors name fields, and the command line shows them as its flags", () => {
    expect(json(["event", "create", "--name", "A", "--capacity", "1", "--starts-at", "never"]).json().error.message).toMatch(/^starts-at: "never" is not an ISO-8601 time/);
    expect(json(["event", "create", "--name", "A", "--capacity", "1", "--limit-per-user", "0"]).json().error.message).toMatch(/^limit-per-user: must be a whole number/);
    expect(json(["event", "create", "--name", "A", "--tier", "VIP:1:1", "--price", "3"]).json().error.message).toBe("price: an event with tiers has a price in each tier, not one price");
  });
});
