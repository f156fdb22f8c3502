// argv → what each command asks of the use cases, for every command, without a store or a process:
// the use cases are fakes that record their calls (tests/helpers/fake-tix.ts).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { CommandContext } from "../../../src/cli/command-context.js";
import { collect } from "../../../src/cli/option-values.js";
import { createProgram } from "../../../src/cli/program.js";
import { runCommandLine } from "../../../src/cli/run.js";
import { tokenizeLine } from "../../../src/cli/repl/tokenize.js";
import { fakeCli, type Call } from "../../helpers/fake-tix.js";
import { tempDir } from "../../helpers/temp-dir.js";

const folder = tempDir();
afterAll(() => folder.remove());
const csv = join(folder.path, "events.csv");
writeFileSync(csv, "id,name,capacity,price\nevt_a,A,5,10.00\n");

const none = undefined;
const allFields = { name: none, capacity: none, venue: none, startsAt: none, hold: none, price: none, currency: none, tiers: none, limitPerUser: none };

const TABLE: Array<[argv: string, calls: Call[]]> = [
  ["reserve evt_a", [["tickets.reserve", { eventId: "evt_a", userId: "alice", key: none, tier: none, quantity: none, seats: none, allowSplit: none }]]],
  ["--user bob reserve evt_a --key k1 --tier VIP --quantity 3", [["tickets.reserve", { eventId: "evt_a", userId: "bob", key: "k1", tier: "VIP", quantity: "3", seats: none, allowSplit: none }]]],
  ["reserve evt_a --key=k2 --user carol", [["tickets.reserve", { eventId: "evt_a", userId: "carol", key: "k2", tier: none, quantity: none, seats: none, allowSplit: none }]]],
  ["reserve evt_a --seats A1,A2 --allow-split", [["tickets.reserve", { eventId: "evt_a", userId: "alice", key: none, tier: none, quantity: none, seats: "A1,A2", allowSplit: true }]]],
  ["purchase tkt_1", [["tickets.purchase", { ticketId: "tkt_1", userId: "alice", card: none, key: none }]]],
  ["purchase ord_1 --card '4000 0000 0000 0002' --key pay-1", [["tickets.purchase", { ticketId: "ord_1", userId: "alice", card: "4000 0000 0000 0002", key: "pay-1" }]]],
  ["reserve evt_a --tier Presale --code FANS", [["tickets.reserve", { eventId: "evt_a", userId: "alice", key: none, tier: "Presale", quantity: none, code: "FANS" }]]],
  ["reserve evt_a --seats A1 --code FANS", [["tickets.reserve", { eventId: "evt_a", userId: "alice", key: none, tier: none, quantity: none, code: "FANS", seats: "A1" }]]],
  ["purchase ord_1 --voucher spring", [["tickets.purchase", { ticketId: "ord_1", userId: "alice", card: none, key: none, voucher: "spring" }]]],
  ["cancel tkt_1", [["tickets.cancel", { ticketId: "tkt_1", userId: "alice" }]]],
  ["checkin tkt_1 --holder bob", [["tickets.checkIn", { ticketId: "tkt_1", actor: "alice", holder: "bob" }]]],
  ["transfer ord_1 --to bob", [["tickets.transfer", { ticketId: "ord_1", userId: "alice", to: "bob" }]]],
  [
    "voucher create --event evt_a --code SPRING --percent 20 --max-uses 10 --valid-until 2030-04-01 --tier GA",
    [["vouchers.create", { eventId: "evt_a", code: "SPRING", percent: "20", amount: none, maxUses: "10", validUntil: "2030-04-01", tier: "GA", actor: "alice" }]],
  ],
  ["voucher create --event evt_a --code FIVE --amount 5.00", [["vouchers.create", { eventId: "evt_a", code: "FIVE", amount: "5.00", actor: "alice" }]]],
  ["voucher list", [["vouchers.list", { eventId: none }]]],
  ["voucher list --event evt_a", [["vouchers.list", { eventId: "evt_a" }]]],
  ["checkin tkt_1", [["tickets.checkIn", { ticketId: "tkt_1", actor: "alice" }]]],
  // Piped: read a page at a time.
  ["ticket list", [["tickets.page", { userId: "alice", eventId: none, status: none, limit: 1000 }]]],
  ["ticket list --event evt_a --status purchased --all-users", [["tickets.page", { userId: none, eventId: "evt_a", status: "purchased", limit: 1000 }]]],
  ["ticket show tkt_1", [["tickets.get", "tkt_1", "alice"]]],
  ["ticket show tkt_1 --all-users", [["tickets.get", "tkt_1", undefined]]],
  // For a script, a page at a time (a million events never sit in memory); a terminal sorts them all.
  ["event list", [["events.page", { limit: 1000 }]]],
  ["event list --limit 5", [["events.page", { limit: 5 }]]],
  ["event show evt_a", [["events.get", "evt_a"]]],
  ["event create --name Gala --capacity 5", [["events.create", { ...allFields, name: "Gala", capacity: "5", id: none, actor: "alice" }]]],
  [
    "event create --id evt_g --name Gala --venue Hall --starts-at 2025-06-15T20:00Z --hold 5m --price 9.50 --currency EUR --tier VIP:2:20 --tier GA:8:9.50 --limit-per-user 4",
    [["events.create", {
      name: "Gala", capacity: none, venue: "Hall", startsAt: "2025-06-15T20:00Z", hold: "5m", price: "9.50", currency: "EUR",
      tiers: ["VIP:2:20", "GA:8:9.50"], limitPerUser: "4", id: "evt_g", actor: "alice",
    }]],
  ],
  ["event update evt_a --capacity 6 --price 1.00", [["events.update", { id: "evt_a", ...allFields, capacity: "6", price: "1.00", actor: "alice" }]]],
  [
    "event update evt_a --sales-start 2030-01-01T10:00Z --sales-end none --tier Presale:2:39.00 --code FANS",
    [["events.update", { id: "evt_a", ...allFields, salesStart: "2030-01-01T10:00Z", salesEnd: "none", tiers: ["Presale:2:39.00,code=FANS"], actor: "alice" }]],
  ],
  ["seed", [["events.seed", { actor: "alice" }]]],
  ["waitlist join evt_a --tier VIP", [["waitlist.join", { eventId: "evt_a", userId: "alice", tier: "VIP" }]]],
  ["waitlist join evt_a --tier VIP --code FANS", [["waitlist.join", { eventId: "evt_a", userId: "alice", tier: "VIP", code: "FANS" }]]],
  ["waitlist leave evt_a", [["waitlist.leave", { eventId: "evt_a", userId: "alice" }]]],
  ["waitlist show evt_a", [["waitlist.show", "evt_a"]]],
  ["report evt_a", [["events.report", "evt_a"]]],
  ["report evt_a --format csv", [["events.report", "evt_a"]]],
  ["export tickets --event evt_a", [["events.get", "evt_a"], ["tickets.page", { eventId: "evt_a", limit: 1000 }]]],
  // Piped: every access code (a backup must hold them); --no-codes hides them.
  ["export events", [["events.exportPage", { limit: 1000, codes: "include" }]]],
  ["export events --format json --no-codes", [["events.exportPage", { limit: 1000, codes: "hide" }]]],
  ["log", [["log.page", { eventId: none, ticketId: none, limit: 1000 }]]],
  ["log --event evt_a --ticket tkt_1", [["log.page", { eventId: "evt_a", ticketId: "tkt_1", limit: 1000 }]]],
  [`import ${csv}`, [["events.createMany", { events: [{ id: "evt_a", name: "A", capacity: "5", price: "10.00" }], actor: "alice", onProgress: expect.any(Function) }]]],
  ["__complete event", [["events.ids", { prefix: "", limit: 200 }]]],
  ["__complete event evt_r", [["events.ids", { prefix: "evt_r", limit: 200 }]]],
  // The user's first 200 ids with the prefix, through the index on their ids.
  ["__complete ticket", [["tickets.byIdPrefix", { userId: "alice", prefix: "", limit: 200 }]]],
  // Only the tickets the command can act on (purchase: live holds), a page at a time until 200 are
  // found (the fake's page of one is shorter than asked: the last).
  ["__complete ticket tkt_ --for purchase", [["tickets.byIdPrefix", { userId: "alice", prefix: "tkt_", limit: 200, after: none }]]],
];

describe("argv → the use cases' calls", () => {
  it.each(TABLE)("tix %s", async (line, calls) => {
    const cli = fakeCli();
    const code = await runCommandLine(tokenizeLine(line), cli.f);
    expect(cli.output.stderr).toBe("");
    expect(code).toBe(0);
    expect(cli.calls).toEqual(calls);
  });
});

describe("the global options", () => {
  it("open the store named by --store, else TIX_STORE, else the file under TIX_HOME (whose folder tix may make); one per URL", async () => {
    const cli = fakeCli({ TIX_BUSY_TIMEOUT_MS: "250" });
    await runCommandLine(["--store", "memory", "event", "list"], cli.f);
    await runCommandLine(["event", "list", "--store=memory"], cli.f);
    await runCommandLine(["event", "list"], cli.f);
    expect(cli.opened).toEqual([
      { store: "memory", clock: none, busyTimeoutMs: 250, groupCommit: none, createFolder: false },
      { store: "sqlite:/nonexistent/tix-test/tix.db", clock: none, busyTimeoutMs: 250, groupCommit: none, createFolder: true },
    ]);
    const fromEnv = fakeCli({ TIX_STORE: "memory" });
    await runCommandLine(["event", "list"], fromEnv.f);
    expect(fromEnv.opened.map((options) => options.store)).toEqual(["memory"]);
  });

  it("--json and --user apply wherever they are given", async () => {
    const cli = fakeCli();
    expect(await runCommandLine(["ticket", "show", "tkt_1", "--json", "--user", "bob"], cli.f)).toBe(0);
    expect(JSON.parse(cli.output.stdout)).toMatchObject({ status: "success", ticket: { id: "tkt_fake" } });
  });
});

describe("argv the commands refuse before asking anything of the use cases", () => {
  it.each([
    ["reserve", "event id: missing"],
    ["purchase", "ticket id: missing"],
    ["reserve evt_a --quantity", "option '--quantity <n>' argument missing"],
    ["reserve evt_a --bogus", "unknown option '--bogus'"],
    ["ticket list --everyone", "unknown option '--everyone'"],
    ["event list --limit 0", "limit: \"0\" must be a whole number from 1"],
    ["report evt_a --format pdf", "argument 'pdf' is invalid"],
    ["export events --format xml", "argument 'xml' is invalid"],
    ["transfer tkt_1", "required option '--to <user>' not specified"],
    ["voucher create --event evt_a", "required option '--code <code>' not specified"],
    ["voucher", "tix voucher needs a command: one of create, list"],
    ["event", "tix event needs a command: one of create, update, list, show"],
    ["--user 'a b' event list", 'user: "a b" must be 1 to 64 printable characters'],
    ["serve --port 70000", "port: \"70000\" must be a whole number from 0 to 65535"],
  ])("tix %s", async (line, message) => {
    const cli = fakeCli();
    expect(await runCommandLine(tokenizeLine(line), cli.f)).toBe(2);
    expect(cli.output.stderr).toContain(message);
    expect(cli.calls).toEqual([]);
  });
});

describe("an option that takes one value, given twice", () => {
  // Every command's every option that takes a value, read from the program itself: a new one is covered too.
  const program = createProgram(new CommandContext(fakeCli().f, undefined));
  const lines: Array<[line: string[], flag: string]> = [];
  const walk = (command: Command, path: string[]): void => {
    for (const option of command.options) {
      if (!(option.required || option.optional) || option.variadic || option.long === undefined) continue;
      // A value each time that the option takes (its choices', when it has some), for the second one to be refused, not the first.
      const value = option.argChoices?.[0] ?? "x";
      if (option.parseArg !== collect) lines.push([[...path, option.long, value, option.long, value], option.long]);
    }
    for (const child of command.commands) walk(child, [...path, child.name()]);
  };
  walk(program, []);

  it.each(lines.map(([line, flag]) => [line.join(" "), line, flag] as const))("tix %s is refused, naming it (exit 2, nothing asked)", async (_shown, line, flag) => {
    const cli = fakeCli();
    expect(await runCommandLine(line, cli.f)).toBe(2);
    expect(cli.output.stderr).toBe(`error: ${flag}: given twice; it takes one value: give it once\n`);
    expect(cli.calls).toEqual([]);
    expect(cli.opened).toEqual([]);
  });

  it("reaches every command: reserve's, purchase's and the global ones among them", () => {
    const shown = lines.map(([line]) => line.slice(0, -4).concat(line[line.length - 4]!).join(" "));
    expect(shown).toEqual(expect.arrayContaining(["--store", "--user", "reserve --key", "reserve --quantity", "reserve --tier", "purchase --card", "event create --name", "serve --port"]));
  });

  it("wherever the two are given, and in either spelling (--key=a --key b)", async () => {
    for (const line of [["--user", "x", "ticket", "list", "--user", "y"], ["reserve", "evt_a", "--key=a", "--key", "b"], ["--json", "reserve", "evt_a", "--quantity", "2", "--quantity", "3"]]) {
      const cli = fakeCli();
      expect(await runCommandLine(line, cli.f), line.join(" ")).toBe(2);
      expect(cli.calls).toEqual([]);
    }
  });

  it("options meant to repeat still do: --tier and --seats of event create, --cors-origin", async () => {
    const cli = fakeCli();
    expect(await runCommandLine(tokenizeLine("event create --name G --tier VIP:2:20 --tier GA:8:9.50"), cli.f)).toBe(0);
    expect(cli.calls).toEqual([["events.create", expect.objectContaining({ tiers: ["VIP:2:20", "GA:8:9.50"] })]]);
    const serve = createProgram(new CommandContext(fakeCli().f, undefined), ["serve"]).commands.find((command) => command.name() === "serve")!;
    expect(serve.options.find((option) => option.long === "--cors-origin")!.parseArg).toBe(collect);
    // A switch said twice means what it says once.
    const twice = fakeCli();
    expect(await runCommandLine(["--json", "--json", "ticket", "show", "tkt_1"], twice.f)).toBe(0);
  });
});
