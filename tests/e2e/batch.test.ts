import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readPlainReserve } from "../../src/cli/repl/plain-reserve.js";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const SCRIPT = `# a batch: one command a line
event create --id evt_jazz --name "Jazz Evening" --capacity 2 --price 45

reserve $event --key order-1
purchase $ticket
reserve evt_missing
purchase $ticket
ticket show $ticket
`;

const jsonLines = (stdout: string) => stdout.trim().split("\n").map((line) => JSON.parse(line));

describe.each([
  ["memory", ["--store", "memory"]],
  ["SQLite", []],
])("batch over %s", (_name, store) => {
  it("keeps state across lines, chains $event and $ticket, goes on after failures (a line using what a failed line did not print fails too), exits with the first one's code", () => {
    const out = runTix([...store, "--json"], home.path, { input: SCRIPT });
    expect(out.code).toBe(3);
    const lines = jsonLines(out.stdout);
    expect(lines.map((line) => line.status === "error" ? line.error.code : line.status)).toEqual(
      ["success", "success", "success", "EVENT_NOT_FOUND", "INVALID_ARGUMENT", "INVALID_ARGUMENT"]);
    const ticket = lines[1].ticket;
    expect(ticket).toMatchObject({ eventId: "evt_jazz", status: "reserved" });
    expect(lines[1]).toMatchObject({ key: "order-1", replayed: false });
    expect(lines[2].ticket).toMatchObject({ id: ticket.id, status: "purchased", cardLast4: "4242" });
    expect(lines[3].error).toEqual({ code: "EVENT_NOT_FOUND", message: "line 6: no event with id evt_missing (tix event list)", line: 6 });
    expect(lines[4].error).toEqual({ code: "INVALID_ARGUMENT", message: "line 7: $ticket: line 6 failed, so no ticket was printed", line: 7 });
    expect(out.stderr).toBe("");
  });

  it("prints each line's result in the piped format and each error on stderr", () => {
    const out = runTix([...store, "repl"], home.path, { input: SCRIPT });
    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/^id:\tevt_jazz$/m);
    expect(out.stdout.match(/^status:\tpurchased$/gm)).toHaveLength(1);
    expect(out.stderr).toBe("line 6: error: no event with id evt_missing (tix event list)\n" +
      "line 7: error: $ticket: line 6 failed, so no ticket was printed\n" +
      "line 8: error: $ticket: line 6 failed, so no ticket was printed\n");
  });
});

describe("exit and quit", () => {
  it("with an argument (exit 3, as a shell takes it) are a usage error saying so, and the batch goes on; alone they end it", () => {
    const out = runTix(["repl"], home.path, { input: "exit 3\nquit now\nseed\nexit\nevent list\n" });
    expect(out.stderr).toBe("line 1: error: exit: takes no arguments; type exit alone to leave\n" +
      "line 2: error: quit: takes no arguments; type quit alone to leave\n");
    expect(out.code).toBe(2);
    expect(out.stdout.trim().split("\n")).toHaveLength(5); // seed's five events; nothing after exit
    expect(runTix(["--json", "repl"], home.path, { input: "exit 0\n" }).stdout).toBe(
      '{"status":"error","error":{"code":"INVALID_ARGUMENT","message":"line 1: exit: takes no arguments; type exit alone to leave","line":1}}\n');
  });
});

describe("batch lines of one command", () => {
  it("start afresh each time: a line's options, arguments and errors never carry over to the next line of that command", () => {
    const script = [
      "event create --id evt_a --name A --capacity 5",
      "event create --id evt_b --name B --capacity 5 --price 12",
      "reserve evt_a --key k1 --user ann --quantity 2",
      "reserve evt_a --nope",
      "reserve evt_b",
      "--user bob reserve evt_a --key k1",
      "reserve evt_a --key k1 --user ann --quantity 2",
      "event show evt_a",
      "event create --id evt_c --name C --capacity 1",
    ].join("\n");
    const out = runTix(["--store", "memory", "--json"], home.path, { input: `${script}\n` });
    expect(out.code).toBe(2);
    const lines = jsonLines(out.stdout);
    expect(lines[2]).toMatchObject({ key: "k1", replayed: false, tickets: [{ userId: "ann" }, { userId: "ann" }] });
    expect(lines[3].error).toMatchObject({ code: "INVALID_ARGUMENT", line: 4 });
    // No --key, --user or --quantity of an earlier line: a new key, the session's user, one ticket.
    expect(lines[4].key).not.toBe("k1");
    expect(lines[4]).toMatchObject({ replayed: false, ticket: { eventId: "evt_b", userId: "alice", priceMinor: 1200 } });
    expect(lines[4].tickets).toHaveLength(1);
    expect(lines[5]).toMatchObject({ key: "k1", replayed: false, ticket: { userId: "bob" } });
    expect(lines[6]).toMatchObject({ key: "k1", replayed: true, ticket: { id: lines[2].ticket.id } });
    expect(lines[7].event).toMatchObject({ id: "evt_a", held: 3, capacity: 5 });
    // `event create` without --price after one with it: the default price again.
    expect(lines[8].event).toMatchObject({ id: "evt_c", priceMinor: 0 });
  });
});

describe("plain reserve lines (read without commander's parse, src/cli/repl/plain-reserve.ts)", () => {
  // Each line twice: as the plain reading takes it, and written so that only commander reads it.
  const pairs = [
    ["reserve evt_a --key k1 --user ann --quantity 2", "reserve evt_a --key=k1 --user=ann --quantity=2"],
    ["reserve evt_a --key k1 --user ann --quantity 2", "reserve --key=k1 evt_a --user ann --quantity 2"],
    ["reserve evt_a --bail", "reserve evt_a --bail --"],
    ["reserve evt_a --tier VIP", "reserve evt_a --tier=VIP"],
    ["reserve", "reserve --"],
    ["reserve evt_nope --user bob", "reserve evt_nope --user=bob"],
    ["--no-color reserve evt_a --allow-split --user bob --key k2", "--no-color reserve evt_a --allow-split --user=bob --key k2"],
    ["reserve evt_a --user carol --json", "reserve evt_a --user carol --json --"],
  ];
  const normalized = (text: string) => text.replace(/\b(tkt|ord|key)_[A-Za-z0-9]+/g, "$1_ID").replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "TIME");

  it.each([["piped", ["--store", "memory"]], ["--json", ["--store", "memory", "--json"]]])("answer as the same lines parsed by commander (%s)", (_name, args) => {
    for (const [plain, parsed] of pairs) {
      expect(readPlainReserve(["--store", "memory", ...plain!.split(" ")]), plain).toBeDefined();
      expect(readPlainReserve(["--store", "memory", ...parsed!.split(" ")]), parsed).toBeUndefined();
    }
    const run = (lines: string[]) => runTix(args, home.path, { input: ["event create --id evt_a --name A --capacity 5", ...lines].join("\n") + "\n" });
    const fast = run(pairs.map(([plain]) => plain!));
    const slow = run(pairs.map(([, parsed]) => parsed!));
    expect(fast.code).toBe(2);
    expect(slow.code).toBe(fast.code);
    expect(normalized(fast.stdout)).toBe(normalized(slow.stdout));
    expect(fast.stderr).toBe(slow.stderr);
    expect(fast.stdout.match(/ann/g)?.length).toBeGreaterThanOrEqual(2);
  });
});

describe("colour switches on a batch's lines", () => {
  it("a line's --no-color wins over its --color in either order; a line's switch overrides the session's, for its error too", () => {
    const lines = [
      "--color event show evt_missing", "--no-color event show evt_missing --color", "event show evt_missing --color --no-color",
      "--color reserve evt_missing", "reserve evt_missing --no-color --color",
    ];
    // Piped, colour only when a switch forces it: the errors on stderr say which lines had it.
    const red = (args: string[]) =>
      runTix(["--store", "memory", ...args], home.path, { input: `${lines.join("\n")}\n` }).stderr.trimEnd().split("\n").map((line) => line.includes("\u001b[31m"));
    // A session started with --no-color: a line's --color still gives colour (its error was printed without).
    expect(red(["--no-color"])).toEqual([true, false, false, true, false]);
    expect(red(["--color"])).toEqual([true, false, false, true, false]);
    expect(red([])).toEqual([true, false, false, true, false]);
  });
});

describe("batch safety", () => {
  it("never acts on an older id after a failed line: the issue's refund of the wrong ticket cannot happen", () => {
    const script = "seed\nreserve evt_jazz_evening --key k1\npurchase $ticket\nreserve evt_rok_night_2025 --key k2\ncancel $ticket\n";
    const out = runTix(["--store", "memory", "--json"], home.path, { input: script });
    expect(out.code).toBe(3);
    const lines = jsonLines(out.stdout);
    expect(lines[3].error).toMatchObject({ code: "EVENT_NOT_FOUND", line: 4 });
    expect(lines[3].error.message).toMatch(/did you mean evt_rock_night_2025\?/);
    expect(lines[4].error).toMatchObject({ code: "INVALID_ARGUMENT", line: 5, message: "line 5: $ticket: line 4 failed, so no ticket was printed" });
  });

  it("unsets only what the failed line would have printed; a line that fails to parse unsets both", () => {
    const script = [
      "event create --id evt_a --name A --capacity 1",
      "reserve $event --key k1",
      "--user bob reserve $event --key k2", // sold out: $ticket unset, $event kept
      "event show $event",
      "ticket show $ticket",
      "reserv evt_a", // unknown command: both unset
      "event show $event",
    ].join("\n");
    const out = runTix(["--store", "memory", "--json"], home.path, { input: script });
    const lines = jsonLines(out.stdout);
    expect(lines.map((line) => line.status === "error" ? line.error.code : line.status)).toEqual(
      ["success", "success", "SOLD_OUT", "success", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT"]);
    expect(lines[3].event.id).toBe("evt_a");
    expect(lines[4].error.message).toBe("line 5: $ticket: line 3 failed, so no ticket was printed");
    expect(lines[6].error.message).toBe("line 7: $event: line 6 failed, so no event was printed");
  });

  it("a failed line that names no command, or a group's command that prints no event, leaves $event set (it unset it before)", () => {
    const script = [
      "event create --id evt_a --name A --capacity 1",
      "tix", // no command: it could have printed nothing
      "event show $event",
      "tix --json",
      "reserve $event --key k1",
      "ticket", // ticket list or show: a ticket, never an event
      "ticket shwo $ticket", // the same; $ticket is unset
      "event show $event",
      "ticket show $ticket",
      "event", // any event command prints an event: $event unset
      "event show $event",
    ].join("\n");
    const out = runTix(["--store", "memory", "--json"], home.path, { input: script });
    const lines = jsonLines(out.stdout);
    expect(lines.map((line) => line.status === "error" ? line.error.code : line.status)).toEqual([
      "success", "INVALID_ARGUMENT", "success", "INVALID_ARGUMENT", "success", "INVALID_ARGUMENT", "INVALID_ARGUMENT",
      "success", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT"]);
    expect(lines[2].event.id).toBe("evt_a");
    expect(lines[7].event.id).toBe("evt_a");
    expect(lines[8].error.message).toBe("line 9: $ticket: line 6 failed, so no ticket was printed");
    expect(lines[10].error.message).toBe("line 11: $event: line 10 failed, so no event was printed");
  });

  it("sets $ticket to the hold a waiting-list join gives at once, so the next line pays for that hold, not an older ticket", () => {
    const script = [
      "event create --id evt_a --name A --capacity 5",
      "reserve evt_a --key k1",
      "event create --id evt_d --name D --capacity 1",
      "waitlist join evt_d", // a place is free: held at once, printed as the line's ticket
      "purchase $ticket",
    ].join("\n");
    const out = runTix(["--store", "memory", "--json"], home.path, { input: script });
    expect(out.code).toBe(0);
    const lines = jsonLines(out.stdout);
    expect(lines[3].ticket).toMatchObject({ eventId: "evt_d", status: "reserved" });
    expect(lines[4].ticket).toMatchObject({ id: lines[3].ticket.id, eventId: "evt_d", status: "purchased" });
    expect(lines[1].ticket.status).toBe("reserved");
  });

  it("a waiting-list join that gives no hold leaves $ticket as it was (it printed no ticket)", () => {
    const script = [
      "event create --id evt_d --name D --capacity 1",
      "--user bob reserve evt_d",
      "event create --id evt_a --name A --capacity 5",
      "reserve evt_a --key k1",
      "waitlist join evt_d",
      "ticket show $ticket",
    ].join("\n");
    const lines = jsonLines(runTix(["--store", "memory", "--json"], home.path, { input: script }).stdout);
    expect(lines[4]).toMatchObject({ joined: true, ticket: null });
    expect(lines[5].ticket.id).toBe(lines[3].ticket.id);
  });

  it("$order is $ticket's order: purchase $order pays for every ticket reserve --quantity held; a failed line unsets it too", () => {
    const script = [
      "event create --id evt_a --name A --capacity 10 --limit-per-user 5",
      "reserve evt_a --quantity 3 --key k1",
      "purchase $order",
      "--user bob reserve evt_a --quantity 5",
      "--user carol reserve evt_a --quantity 5", // sold out: $ticket and $order unset
      "cancel $order",
      "purchase $order",
    ].join("\n");
    const out = runTix(["--store", "memory", "--json"], home.path, { input: script });
    const lines = jsonLines(out.stdout);
    const order = lines[1].order?.orderId ?? lines[1].ticket.orderId;
    expect(lines[1].tickets ?? lines[1].order.tickets).toHaveLength(3);
    const paid = lines[2].tickets ?? lines[2].order?.tickets;
    expect(paid.map((ticket: { status: string; orderId: string }) => [ticket.status, ticket.orderId])).toEqual(Array(3).fill(["purchased", order]));
    expect(lines[4].error).toMatchObject({ code: "SOLD_OUT", line: 5 });
    expect(lines[5].error).toEqual({ code: "INVALID_ARGUMENT", message: "line 6: $order: line 5 failed, so no order was printed", line: 6 });
    expect(out.code).toBe(4);
  });

  it("a failed transfer unsets $ticket (it would have printed the order's first ticket), so a later line never acts on an older one", () => {
    const script = [
      "event create --id evt_a --name A --capacity 5",
      "reserve evt_a --key k1",
      "purchase $ticket",
      "transfer ord_missing --to bob",
      "checkin $ticket",
    ].join("\n");
    const out = runTix(["--store", "memory", "--json"], home.path, { input: script });
    expect(out.code).toBe(3);
    const lines = jsonLines(out.stdout);
    expect(lines[3].error).toMatchObject({ code: "TICKET_NOT_FOUND", line: 4 });
    expect(lines[4].error).toEqual({ code: "INVALID_ARGUMENT", message: "line 5: $ticket: line 4 failed, so no ticket was printed", line: 5 });
  });

  it("--bail stops at the first failed line and exits with its code", () => {
    const script = "event create --id evt_a --name A --capacity 1\nreserve evt_b\nevent show evt_a\n";
    const out = runTix(["--store", "memory", "--bail"], home.path, { input: script });
    expect(out.code).toBe(3);
    expect(out.stdout.match(/^id:\tevt_a$/gm)).toHaveLength(1);
    expect(out.stderr).toBe("line 2: error: no event with id evt_b (tix event list)\n");
    const repl = runTix(["--store", "memory", "repl", "--bail", "--json"], home.path, { input: script });
    expect(repl.code).toBe(3);
    expect(jsonLines(repl.stdout)).toHaveLength(2);
    const without = runTix(["--store", "memory", "--json"], home.path, { input: script });
    expect(jsonLines(without.stdout)).toHaveLength(3);
  });

  it("refuses --bail on a line (it is the whole batch's, and there it did nothing): exit 2, the batch goes on", () => {
    const script = "event create --id evt_a --name A --capacity 1\nevent show evt_b --bail\nevent show evt_a\n";
    const out = runTix(["--store", "memory"], home.path, { input: script });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe("line 2: error: --bail: is for the whole batch: give it when starting tix (tix --bail < script), not on a line\n");
    expect(out.stdout.match(/^id:\tevt_a$/gm)).toHaveLength(2);
  });

  it("refuses a line whose bytes are not UTF-8 (a Latin-1 file) instead of storing \ufffd; the others run; --bail stops there", () => {
    const latin1 = Buffer.concat([
      Buffer.from("event create --id evt_cafe --name Caf"), Buffer.from([0xe9]), Buffer.from(" --capacity 2\n"),
      Buffer.from("event create --id evt_ok --name \"Caf\u00e9 \ufffd\" --capacity 2\n"),
    ]);
    const out = runTix(["--store", `sqlite:${join(home.path, "db.sqlite")}`], home.path, { input: latin1 });
    expect(out.code).toBe(2);
    expect(out.stderr).toBe("line 1: error: line: is not UTF-8 text; save the input as UTF-8\n");
    expect(out.stdout).toContain("name:\tCaf\u00e9 \ufffd\n");
    expect(runTix(["--store", `sqlite:${join(home.path, "db.sqlite")}`, "event", "show", "evt_cafe"], home.path).code).toBe(3);
    const bail = runTix(["--store", "memory", "--bail"], home.path, { input: latin1 });
    expect([bail.code, bail.stdout]).toEqual([2, ""]);
  });

  it("reads a script saved as UTF-16 with its byte order mark (Windows PowerShell's > writes it), little- or big-endian, CRLF too", () => {
    // Before: every other byte read as a NUL, so each line failed ("unknown command '\u0000e\u0000v…'"), one error per half-line.
    const script = "# from PowerShell\r\nevent create --id evt_cafe --name \"Caf\u00e9 \ud83c\udfb5\" --capacity 2\r\nticket show nope\r\nevent show $event\r\n";
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(script, "utf16le")]);
    const be = Buffer.from(le.subarray(2)).swap16();
    for (const input of [le, Buffer.concat([Buffer.from([0xfe, 0xff]), be])]) {
      const out = runTix(["--store", "memory", "--json"], home.path, { input });
      expect(out.stderr).toBe("");
      const lines = out.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
      expect(lines.map((line) => line.event?.name ?? line.error.message)).toEqual([
        "Caf\u00e9 \ud83c\udfb5", "line 3: no ticket with id nope (tix ticket list)", "Caf\u00e9 \ud83c\udfb5",
      ]);
      expect(out.code).toBe(3);
    }
  });

  it("accepts a line that starts with tix, as every help example does", () => {
    const out = runTix(["--store", "memory", "--json"], home.path, { input: "tix seed\n tix event show evt_jazz_evening\ntix\n" });
    // `tix` alone names no command: an error for its line (it was skipped in silence), the others run.
    expect(out.code).toBe(2);
    expect(jsonLines(out.stdout).map((line) => line.status)).toEqual(["success", "success", "error"]);
  });

  it("refuses a shell's pipe, redirection or ; standing as a word (they were \"too many arguments\"): a line is not a shell; quoted or inside a word they are text", () => {
    const script = [
      'event create --id evt_a --name "Rock | Roll" --capacity 5',
      "event list | head -1",
      "event list > out.txt",
      "event show evt_a && event list",
      "event show evt_a ; event list",
      "event create --id evt_b --name Rock\\ \\| --seats 'Floor:A:1-1' --seats Floor:B:1-2|3-4 --seats \"Box:1:1\"",
      "event show evt_a '|'",
    ].join("\n");
    const out = runTix(["--store", "memory"], home.path, { input: `${script}\n` });
    expect(out.code).toBe(2);
    const notAShell = (operator: string) => `error: line: "${operator}": a tix line is not a shell (no pipes, redirections, ; or &&); quote it to pass it as text, or run tix from your shell`;
    expect(out.stderr.split("\n")).toEqual([
      `line 2: ${notAShell("|")}`, `line 3: ${notAShell(">")}`, `line 4: ${notAShell("&&")}`, `line 5: ${notAShell(";")}`,
      "line 7: error: too many arguments for 'show'. Expected 1 argument but got 2.", "",
    ]);
    expect(out.stdout).toContain("name:\tRock | Roll\n");
    expect(out.stdout).toContain("name:\tRock |\n");
  });

  it("refuses serve and repl as lines: a server would never return", () => {
    const out = runTix(["--store", "memory", "--json"], home.path, { input: "serve --port 0\nrepl\nevent list\n", timeoutMs: 20_000 });
    expect(out.code).toBe(2);
    expect(jsonLines(out.stdout).map((line) => line.error?.message ?? line.status)).toEqual([
      "line 1: serve: runs only as a command of its own (tix serve), not as a line of a session",
      "line 2: repl: runs only as a command of its own (tix repl), not as a line of a session",
      "success",
    ]);
  });
});

describe("batch", () => {
  it("over SQLite leaves its work in the store for the next process", () => {
    const first = runTix(["--json"], home.path, { input: "event create --id evt_a --name A --capacity 3\nreserve $event --key k\n" });
    expect(first.code).toBe(0);
    const ticket = jsonLines(first.stdout)[1].ticket.id;
    expect(runTix(["--json", "ticket", "show", ticket], home.path).json().ticket.status).toBe("reserved");
    expect(runTix(["--json", "event", "show", "evt_a"], home.path).json().event.held).toBe(1);
  });

  it("lets a line override the session's global options; exit and quit end it early", () => {
    const out = runTix(["--store", "memory", "--json"], home.path, {
      input: "event create --id evt_a --name A --capacity 3\n--user bob reserve evt_a\nticket list --all-users\nexit\nevent show evt_nope\n",
    });
    expect(out.code).toBe(0);
    const lines = jsonLines(out.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[2].tickets.map((ticket: { userId: string }) => ticket.userId)).toEqual(["bob"]);
  });

  it("refuses a line that gives an option of one value twice, as the command line does (it took the last in silence); the session's --user a line may still override once", () => {
    const store = ["--store", `sqlite:${join(home.path, "twice.db")}`];
    expect(runTix([...store, "event", "create", "--id", "evt_a", "--name", "A", "--capacity", "9", "--limit-per-user", "9"], home.path).code).toBe(0);
    const lines = [
      "reserve evt_a --key a --key b", // a plain reserve line, left to commander to refuse
      "reserve evt_a --quantity 2 --quantity 3 --key q",
      "--user bob reserve evt_a --key k1", // overrides the session's --user alice
      "--user carol reserve evt_a --key k2 --user dan",
      "ticket list --all-users --user erin --user fay",
      "event create --id evt_b --name B --tier VIP:2:20 --tier GA:3:5", // --tier is meant to repeat
    ];
    for (const [args, out] of [[[], "stderr"], [["--json"], "stdout"]] as const) {
      const run = runTix([...store, "--user", "alice", ...args], home.path, { input: `${lines.join("\n")}\n` });
      expect(run.code, run.stderr).toBe(2);
      const said = out === "stderr" ? run.stderr.trim().split("\n") : jsonLines(run.stdout).filter((line) => line.status === "error").map((line) => line.error.message as string);
      expect(said).toEqual([1, 2, 4, 5].map((line) => `${out === "stderr" ? `line ${line}: error: ` : `line ${line}: `}${["--key", "--quantity", "", "--user", "--user"][line - 1]}: given twice; it takes one value: give it once`));
      // Only bob's line reserved, and only once (the second run's k1 is a replay).
      const tickets = runTix([...store, "--json", "ticket", "list", "--all-users"], home.path).json().tickets as Array<{ userId: string }>;
      expect(tickets.map((ticket) => ticket.userId)).toEqual(["bob"]);
    }
  });

  it("answers a usage error (exit 2) for a line it cannot split or a $ticket not yet printed", () => {
    const out = runTix(["--store", "memory", "--json"], home.path, { input: "purchase $ticket\nevent create --name 'Rock\n" });
    expect(out.code).toBe(2);
    expect(jsonLines(out.stdout).map((line) => line.error.code)).toEqual(["INVALID_ARGUMENT", "INVALID_ARGUMENT"]);
  });

  it("ends with exit 130 on Ctrl-C (SIGINT), quietly", async () => {
    const child = spawn(process.execPath, [TIX_BIN, "--store", "memory", "--json"], { env: testEnv(home.path) });
    const code = new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
    child.stdin.write("event list\n");
    await new Promise((resolve) => child.stdout.once("data", resolve));
    child.kill("SIGINT");
    expect(await code).toBe(130);
  });

  it("prints every answer to a reader that is slow to read, then exits (the process ends at once only when nothing is left to write)", async () => {
    const lines = 1500;
    const input = `event create --id evt_slow --name "${"Slow Reader ".repeat(6).trim()}" --capacity 5\n${"event show evt_slow --json\n".repeat(lines)}reserve evt_missing\n`;
    const child = spawn(process.execPath, [TIX_BIN], { env: testEnv(home.path) });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
    child.stdin.end(input);
    // Nothing is read for a while: the answers (~1 MB) fill the pipe, and tix waits to write the rest.
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString())).resume();
    expect(await code).toBe(3);
    const shown = stdout.split("\n").filter((line) => line.startsWith("{"));
    expect(shown).toHaveLength(lines);
    expect(JSON.parse(shown.at(-1)!).event.id).toBe("evt_slow");
    expect(stderr).toMatch(/^line 1502: error: no event with id evt_missing/);
  });

  describe("whose reader goes away (a closed pipe)", () => {
    const reserveLine = (n: number) => `reserve evt_jazz_evening --user u${n}\n`;
    const ticketsHeld = () => runTix(["--json", "ticket", "list", "--all-users"], home.path).json().tickets.length;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    /** Line 1, its answer read, the reader gone, then lines 2 to 10 fed one by one. */
    async function feedAfterClose(child: ReturnType<typeof spawn>, firstAnswer: NodeJS.ReadableStream, closeReader: () => void): Promise<void> {
      child.stdin!.on("error", () => {}); // tix may be gone before the last lines
      child.stdin!.write(reserveLine(1));
      await new Promise((resolve) => firstAnswer.once("data", resolve));
      closeReader();
      await pause(200);
      for (let n = 2; n <= 10 && child.exitCode === null; n += 1) {
        child.stdin!.write(reserveLine(n));
        await pause(30);
      }
      child.stdin!.end();
    }

    it.each([["SQLite (lines grouped)", []], ["SQLite --bail (one line at a time)", ["--bail"]], ["memory", ["--store", "memory", "--user", "u0"]]])(
      "over %s: no line is carried out once the reader has gone, exit 141, nothing on stderr (a socket, as Node's child_process makes)",
      async (_name, args) => {
        runTix(["seed"], home.path);
        const child = spawn(process.execPath, [TIX_BIN, ...args], { env: testEnv(home.path) });
        let stderr = "";
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        const code = new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
        // Over memory the session's store starts empty: line 1 is the seed instead.
        if (args.includes("memory")) child.stdin.write("seed\n");
        await feedAfterClose(child, child.stdout, () => child.stdout.destroy());
        expect([await code, stderr]).toEqual([141, ""]);
        if (!args.includes("memory")) expect(ticketsHeld()).toBe(1);
      },
    );

    it("on a shell's pipe (| head -1): ends at the first answer it cannot write, exit 141, nothing on stderr, no line after it carried out", async () => {
      runTix(["seed"], home.path);
      // bash's pipefail reports tix's own exit code; head -1 leaves after the first line.
      const child = spawn("bash", ["-c", `set -o pipefail; "${process.execPath}" "${TIX_BIN}" --bail | head -1`], { env: testEnv(home.path) });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = new Promise<number | null>((resolve) => child.on("close", (exitCode) => resolve(exitCode)));
      await feedAfterClose(child, child.stdout, () => {});
      expect([await code, stderr]).toEqual([141, ""]);
      // A FIFO tells that its reader left only when written to: line 2 was carried out (a retry
      // with its key replays it), and nothing after it.
      expect(ticketsHeld()).toBe(2);
    });

    // Its work was done: 0, as it always was (only a batch leaves lines undone).
    it("a single command to a closed pipe ends quietly with exit 0", () => {
      const lines = Array.from({ length: 2000 }, (_, i) => `event create --id evt_${i} --name "Event ${i}" --capacity 5`).join("\n");
      expect(runTix([], home.path, { input: `${lines}\n` }).code).toBe(0);
      const run = spawnSync("bash", ["-c", `set -o pipefail; "${process.execPath}" "${TIX_BIN}" event list | head -1`], { env: testEnv(home.path), encoding: "utf8" });
      expect([run.status, run.stderr, run.stdout.split("\t")[0]]).toEqual([0, "", "evt_0"]);
    });
  });

  it("is what `tix` does with no command when stdin is not a terminal; --help still helps", () => {
    expect(runTix([], home.path, { input: "event list\n" })).toMatchObject({ code: 0, stderr: "" });
    const help = runTix(["--help"], home.path, { input: "event list\n" });
    expect(help.stdout).toMatch(/repl\s+interactive session/);
  });
});

it("dist/cli.cjs loads inquirer only when a prompt is shown (never at start-up)", () => {
  // One CommonJS bundle (scripts/build.mjs): inquirer must stay a dynamic import() in it (made
  // through bin/tix's import(), hence the name).
  const bundle = readFileSync(join(dirname(TIX_BIN), "..", "dist", "cli.cjs"), "utf8");
  expect(bundle).not.toMatch(/require\(\s*["']@inquirer\//);
  expect(bundle).not.toMatch(/(?:^|;|\n)\s*import\s[^;()]*["']@inquirer\//);
  expect(bundle).toMatch(/__tixImport\(\s*["']@inquirer\/prompts["']\s*\)/);
});
