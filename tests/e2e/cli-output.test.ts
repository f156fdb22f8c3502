import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: { path: string; remove: () => void };
const tix = (args: string[], env: Record<string, string> = {}) => runTix(args, home.path, { env });

beforeEach(() => {
  home = tempDir();
});
afterEach(() => home.remove());

describe("human output, piped", () => {
  it("prints lists as tab-separated lines without a header, with ISO times", () => {
    tix(["seed"], { TIX_NOW: "2026-01-01T00:00:00Z" });
    const lines = tix(["event", "list"]).stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("evt_rock_night_2025\tRock Night 2025\tSeattle Dome\t2026-06-15T20:00:00.000Z\t5000\t0\t0\t5000\t89.00\tUSD");
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });

  it("prints one record as field:<TAB>value lines, the reservation's key included", () => {
    tix(["seed"], { TIX_NOW: "2030-01-01T00:00:00Z" });
    const out = tix(["reserve", "evt_jazz_evening", "--key", "k1"], { TIX_NOW: "2030-01-01T00:00:00Z" });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("status:\treserved\n");
    expect(out.stdout).toContain("expiresAt:\t2030-01-01T00:10:00.000Z\n");
    expect(out.stdout).toContain("key:\tk1\n");
    expect(out.stdout).toContain("replayed:\tfalse\n");
    expect(out.stderr).toBe("");
  });

  it("prints an order (--quantity N) as N such records, a blank line between, each as --quantity 1's; --json as ever", () => {
    // Before: the list's tab-separated rows, then orderId:/key:/replayed: lines — two shapes in one output.
    const at = { TIX_NOW: "2030-01-01T00:00:00Z" };
    tix(["seed"], at);
    const one = tix(["reserve", "evt_jazz_evening", "--key", "k1"], at).stdout;
    const out = tix(["reserve", "evt_rock_night_2025", "--key", "k3", "--quantity", "3"], at);
    expect(out).toMatchObject({ code: 0, stderr: "" });
    const records = out.stdout.split("\n\n").map((record) => `${record.trimEnd()}\n`);
    expect(records).toHaveLength(3);
    const fieldsOf = (record: string) => record.trimEnd().split("\n").map((line) => line.split("\t")[0]);
    for (const record of records) {
      expect(fieldsOf(record)).toEqual(fieldsOf(one));
      expect(record).toMatch(/^id:\ttkt_\w+\neventId:\tevt_rock_night_2025\n/);
      expect(record).toContain("key:\tk3\nreplayed:\tfalse\n");
    }
    const json = tix(["--json", "reserve", "evt_rock_night_2025", "--key", "k3", "--quantity", "3"], at).json();
    expect(json).toMatchObject({ status: "success", replayed: true, key: "k3" });
    expect(out.stdout.match(/^id:\t.*$/gm)).toEqual(json.tickets.map((ticket: { id: string }) => `id:\t${ticket.id}`));
    expect(new Set(out.stdout.match(/^orderId:\t.*$/gm))).toEqual(new Set([`orderId:\t${json.orderId}`]));
    // A purchase of the order: the same shape, without the reservation's lines.
    const bought = tix(["purchase", json.orderId], at);
    expect(bought.code, bought.stderr).toBe(0);
    expect(bought.stdout.split("\n\n").map((record) => record.match(/^status:\t.*$/m)?.[0])).toEqual(Array(3).fill("status:\tpurchased"));
  });

  it("generates and prints a key when none is given", () => {
    tix(["seed"]);
    const out = tix(["--json", "reserve", "evt_jazz_evening"]);
    expect(out.json().key).toMatch(/^key_[0-9a-z]{16}$/);
    expect(tix(["reserve", "evt_rock_night_2025"]).stdout).toMatch(/^key:\tkey_[0-9a-z]{16}$/m);
  });

  it("escapes control characters and ANSI sequences in names, but stores them as given", () => {
    const name = "Evil \u001b[31mRed\u001b[0m\tTabbed";
    const created = tix(["--json", "event", "create", "--id", "evt_evil", "--name", name, "--capacity", "5"]);
    expect(created.json().event.name).toBe(name);
    const shown = tix(["event", "show", "evt_evil"]).stdout;
    expect(shown).toContain("name:\tEvil \\x1b[31mRed\\x1b[0m\\x09Tabbed\n");
    expect(shown).not.toContain("\u001b");
  });

  it("writes nothing but one JSON document to stdout with --json", () => {
    tix(["seed"]);
    const out = tix(["--json", "event", "list"], { FORCE_COLOR: "1" });
    expect(() => JSON.parse(out.stdout)).not.toThrow();
    expect(out.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(out.stdout).not.toContain("\u001b");
  });

  it("colours only when forced, and --no-color beats FORCE_COLOR", () => {
    tix(["seed"]);
    tix(["reserve", "evt_jazz_evening", "--key", "k"]);
    expect(tix(["ticket", "list"], { NO_COLOR: "" }).stdout).not.toContain("\u001b");
    const forcedError = tix(["event", "show", "evt_missing"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(forcedError.stderr).toContain("\u001b[31merror:");
    expect(tix(["--no-color", "event", "show", "evt_missing"], { NO_COLOR: "", FORCE_COLOR: "1" }).stderr).toMatch(/^error:/);
  });

  const ESC = "\u001b";

  it("forced colour piped keeps the tab-separated shape, each line's first field bold; an export's CSV stays bytes", () => {
    tix(["seed"]);
    const plain = tix(["event", "list"], { NO_COLOR: "" }).stdout;
    expect(plain).not.toContain("\u001b");
    for (const forced of [tix(["--color", "event", "list"], { NO_COLOR: "" }), tix(["event", "list"], { NO_COLOR: "", FORCE_COLOR: "1" })]) {
      expect(forced.stdout).toContain("\u001b[1mevt_jazz_evening\u001b[22m\tJazz Evening\t");
      // Without its colour, the very same lines.
      expect(forced.stdout.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "")).toBe(plain);
    }
    expect(tix(["--color", "event", "show", "evt_jazz_evening"], { NO_COLOR: "" }).stdout.startsWith(`${ESC}[1mid:${ESC}[22m\tevt_jazz_evening\n`)).toBe(true);
    expect(tix(["--no-color", "event", "list"], { NO_COLOR: "", FORCE_COLOR: "1" }).stdout).toBe(plain);
    expect(tix(["--color", "export", "events", "--format", "csv"], { NO_COLOR: "" }).stdout).not.toContain("\u001b");
  });

  it("ends quietly when the reader closes the pipe", async () => {
    tix(["seed"]);
    const { spawnSync } = await import("node:child_process");
    const result = spawnSync("sh", ["-c", `"${process.execPath}" "${join(process.cwd(), "bin/tix")}" event list | head -1`], {
      env: { PATH: process.env.PATH, TIX_HOME: home.path, HOME: home.path },
      encoding: "utf8",
    });
    expect(result.stdout.split("\n")[0]).toMatch(/^evt_rock_night_2025\t/);
    expect(result.stderr).toBe("");
  });

  it.skipIf(!existsSync("/dev/full"))("says so in one line, exit 1, when the output cannot be written (a full disk); what it did stays done", async () => {
    tix(["seed"]);
    const { spawnSync } = await import("node:child_process");
    const bin = `"${process.execPath}" "${join(process.cwd(), "bin/tix")}"`;
    // Plain records and reports too: `event show` and `report` exited 0 in silence (the error came after the exit).
    for (const command of ["event list", "event show evt_jazz_evening", "report evt_jazz_evening", "--json --user full reserve evt_jazz_evening --key lost-answer"]) {
      const result = spawnSync("sh", ["-c", `${bin} ${command} > /dev/full`], { env: { PATH: process.env.PATH, TIX_HOME: home.path, HOME: home.path }, encoding: "utf8" });
      expect([result.status, result.stderr], command).toEqual([1, "error: could not write the output: no space left on the device (ENOSPC)\n"]);
    }
    // The reservation whose answer was lost is there, and a retry with its key is replayed.
    const retry = tix(["--json", "--user", "full", "reserve", "evt_jazz_evening", "--key", "lost-answer"]);
    expect(retry.json()).toMatchObject({ replayed: true });
  });
});

describe("lists for scripts", () => {
  it("piped and --json list every row unless --limit is given; --limit and --all are checked", () => {
    const lines = Array.from({ length: 35 }, (_, i) => `event create --id evt_${i} --name "Event ${i}" --capacity 5`).join("\n");
    expect(runTix(["repl"], home.path, { input: `${lines}\n` }).code).toBe(0);
    const piped = tix(["event", "list"]).stdout.trimEnd().split("\n");
    expect(piped).toHaveLength(35);
    expect(piped[0]).toBe("evt_0\tEvent 0\t\t\t5\t0\t0\t5\t0.00\tUSD");
    expect(tix(["--json", "event", "list"]).json().events).toHaveLength(35);
    expect(tix(["event", "list", "--limit", "3"]).stdout.trimEnd().split("\n").map((line) => line.split("\t")[0])).toEqual(["evt_0", "evt_1", "evt_2"]);
    expect(tix(["--json", "event", "list", "--limit", "2"]).json().events.map((event: { id: string }) => event.id)).toEqual(["evt_0", "evt_1"]);
    expect(tix(["log", "--limit", "1"]).stdout).toMatch(/^35\t.*\tevent\.created\tevt_34\t/);
    // More than any list holds, however many digits, is the whole list.
    expect(tix(["event", "list", "--limit", "99999999999999999999"]).stdout.trimEnd().split("\n")).toHaveLength(35);
    for (const args of [["event", "list", "--limit", "0"], ["ticket", "list", "--limit", "x"], ["log", "--limit", "2", "--all"]]) {
      const out = tix(args);
      expect(out.code, args.join(" ")).toBe(2);
      expect(out.stderr).toMatch(/^error: limit: /);
    }
  });

  it("writes CSV that a spreadsheet shows as text: cells starting with = + - @ get a leading '", () => {
    expect(tix(["event", "create", "--id", "evt_csv", "--name", "CSV", "--tier", "=HYPERLINK(1):5:10.00", "--tier", "GA:5:5.00"]).code).toBe(0);
    expect(tix(["--user", "@evil", "reserve", "evt_csv", "--tier", "=HYPERLINK(1)"]).code).toBe(0);
    const exported = tix(["export", "tickets", "--event", "evt_csv"]).stdout;
    expect(exported).toMatch(/^tkt_\w+,evt_csv,'=HYPERLINK\(1\),ord_\w+,'@evil,reserved,/m);
    const report = tix(["report", "evt_csv", "--format", "csv"]).stdout;
    expect(report).toContain("\n'=HYPERLINK(1),5,0,1,4,");
    // JSON keeps the values as they are.
    expect(tix(["export", "tickets", "--event", "evt_csv", "--format", "json"]).json().tickets[0]).toMatchObject({ tier: "=HYPERLINK(1)", userId: "@evil" });
  });
});

describe("errors and usage", () => {
  it.each([
    [["event", "create", "--name", "X", "--capacity", "-1"], "capacity"],
    [["event", "create", "--name", "X", "--capacity", "2.5"], "capacity"],
    [["event", "create", "--name", "X", "--capacity", "lots"], "capacity"],
    [["event", "create", "--name", "   ", "--capacity", "5"], "name"],
    [["event", "create", "--name", "X", "--capacity", "5", "--hold", "ten minutes"], "hold"],
    [["event", "create", "--name", "X", "--capacity", "5", "--hold", "0s"], "hold"],
    [["event", "create", "--name", "X", "--capacity", "5", "--price", "-3"], "price"],
    [["event", "create", "--name", "X", "--capacity", "5", "--price", "1.999"], "price"],
    [["event", "create", "--name", "X", "--capacity", "5", "--starts-at", "2025-02-30"], "starts-at"],
    [["event", "create", "--capacity", "5"], "name"],
  ])("refuses %j with one line naming %s, exit 2, and creates nothing", (args, field) => {
    const out = tix(args);
    expect(out.code).toBe(2);
    expect(out.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(out.stderr).toMatch(new RegExp(`^error: ${field}`));
    expect(tix(["--json", "event", "list"]).json().events).toEqual([]);
  });

  it("exits 2 on usage errors: unknown flags, unknown commands, missing arguments", () => {
    for (const args of [["event", "list", "--bogus"], ["frobnicate"], ["reserve"], ["event"]]) {
      const out = tix(args);
      expect(out.code, args.join(" ")).toBe(2);
      expect(out.stderr).not.toMatch(/\n\s+at /);
    }
    const json = tix(["--json", "event", "list", "--bogus"]);
    expect(json.json()).toMatchObject({ status: "error", error: { code: "INVALID_ARGUMENT" } });
  });

  it("a global option's value left out at the end of the line is named as missing (not taken for a bare tix)", () => {
    for (const [args, flag] of [[["--store"], "--store <url>"], [["--user"], "--user <id>"], [["--json", "--store"], "--store <url>"]] as const) {
      const out = tix([...args]);
      expect(out.code, args.join(" ")).toBe(2);
      const message = `option '${flag}' argument missing`;
      if (args[0] === "--json") expect(out.json().error).toEqual({ code: "INVALID_ARGUMENT", message });
      else expect(out.stderr).toBe(`error: ${message}\n`);
    }
  });

  it("shows help with examples on every command, exit 0", () => {
    for (const args of [["--help"], ["event", "create", "--help"], ["reserve", "--help"], ["purchase", "--help"],
      ["cancel", "--help"], ["ticket", "list", "--help"], ["seed", "--help"]]) {
      const out = tix(args);
      expect(out.code, args.join(" ")).toBe(0);
      expect(out.stdout, args.join(" ")).toContain("Examples:");
    }
    expect(tix(["--version"]).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("tix help WORDS shows the help of the command they name, however deep, as --help does; an unknown word is exit 2", () => {
    for (const words of [["event", "update"], ["event", "show"], ["event"], ["ticket", "list"], ["seed"], []]) {
      const help = tix(["help", ...words]);
      expect(help.code, words.join(" ")).toBe(0);
      expect(help.stdout, words.join(" ")).toBe(tix([...words, "--help"]).stdout);
    }
    expect(tix(["help", "event", "update"]).stdout).toMatch(/^Usage: tix event update \[options\] <id>\n/);

    const unknown = tix(["help", "event", "bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toBe("error: unknown command 'bogus': tix event has create, update, list, show (see `tix event --help`)\n");
    expect(tix(["--json", "help", "bogus"]).json().error.code).toBe("INVALID_ARGUMENT");
    // Run, an unknown command is the same error: with no near name to suggest, it names the commands there are.
    const run = tix(["event", "bogus"]);
    expect([run.code, run.stderr]).toEqual([2, unknown.stderr]);
    expect(tix(["bogus"]).stderr).toMatch(/^error: unknown command 'bogus': tix has event, seed, reserve, .* \(see `tix --help`\)\n$/);
    expect(tix(["evnt"]).stderr).toBe("error: unknown command 'evnt' (Did you mean event?)\n");
    // help suggests as a run does, then names them all.
    expect(tix(["help", "evnt"]).stderr).toMatch(/^error: unknown command 'evnt' \(Did you mean event\?\): tix has event, seed, /);
    // A help flag after an unknown command is the same error, not the help of the group above it (exit 0).
    const flagged = tix(["event", "bogus", "--help"]);
    expect([flagged.code, flagged.stdout, flagged.stderr]).toEqual([2, "", unknown.stderr]);
    expect(tix(["--store", "memory", "bogus", "-h"]).stderr).toMatch(/^error: unknown command 'bogus': tix has event, /);
    expect(tix(["--json", "order", "--help"]).json().error.code).toBe("INVALID_ARGUMENT");
    // Words after a command without subcommands are its arguments; a group's own help command stays.
    expect(tix(["reserve", "evt_x", "--help"]).stdout).toMatch(/^Usage: tix reserve /);
    expect(tix(["event", "help", "-h"]).stdout).toMatch(/^Usage: tix event /);
  });

  it("answers STORE_UNAVAILABLE (exit 8) for a store that is not SQLite, naming it and leaving it untouched", async () => {
    const { writeFileSync, readFileSync } = await import("node:fs");
    const path = join(home.path, "junk.db");
    writeFileSync(path, "this is not a database, just some text that is long enough".repeat(20));
    const before = readFileSync(path);
    const out = tix(["--store", `sqlite:${path}`, "event", "list"]);
    expect(out.code).toBe(8);
    expect(out.stderr).toContain(path);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("refuses an unknown store URL with exit 2", () => {
    expect(tix(["--store", "mongodb://x", "event", "list"]).code).toBe(2);
  });
});

describe("files", () => {
  it("creates TIX_HOME 0700 and the database 0600", () => {
    const dataHome = join(home.path, "nested", "tix");
    expect(runTix(["seed"], home.path, { env: { TIX_HOME: dataHome } }).code).toBe(0);
    expect(statSync(dataHome).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataHome, "tix.db")).mode & 0o777).toBe(0o600);
  });

  it("keeps state in memory only for the process with --store memory, and a one-shot write says so on stderr (it vanished without a word)", () => {
    const note = "note: the memory store lives as long as this process: nothing was kept\n";
    const seeded = tix(["--store", "memory", "seed"]);
    expect([seeded.code, seeded.stderr]).toEqual([0, note]);
    // --json: stdout is the one document, untouched; the note is on stderr as every note is. TIX_STORE too.
    const created = tix(["--json", "event", "create", "--name", "Gig", "--capacity", "5"], { TIX_STORE: "memory" });
    expect([created.code, created.json().status, created.stdout.split("\n").length, created.stderr]).toEqual([0, "success", 2, note]);
    // Beside the command's own note, one line each.
    const past = tix(["--store", "memory", "event", "create", "--id", "gig", "--name", "Gig", "--capacity", "5", "--starts-at", "2020-01-01T00:00Z"]);
    expect(past.stderr).toBe(`note: event gig starts 2020-01-01T00:00:00.000Z, in the past: it cannot be reserved\n${note}`);
    // A read, a refusal, a file store, a batch (whose memory lives on across its lines): no note.
    const listed = tix(["--store", "memory", "--json", "event", "list"]);
    expect([listed.json().events, listed.stderr]).toEqual([[], ""]);
    expect(tix(["--store", "memory", "event", "create", "--name", "Gig"]).stderr).toMatch(/^error: [^\n]*\n$/);
    expect(tix(["event", "create", "--name", "Gig", "--capacity", "5"]).stderr).toBe("");
    const batch = runTix(["--store", "memory"], home.path, { input: "event create --id gig --name Gig --capacity 5\nevent show gig\n" });
    expect([batch.code, batch.stderr]).toEqual([0, ""]);
  });
});
