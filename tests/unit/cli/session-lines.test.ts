import { afterEach, describe, expect, it } from "vitest";
import { createProgram } from "../../../src/cli/program.js";
import { redactUrl } from "../../../src/core/index.js";
import { globalArgs, isBareInvocation } from "../../../src/cli/globals.js";
import { runBatch } from "../../../src/cli/repl/batch.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { HistoryFile, mentionsAccessCode, mentionsCard } from "../../../src/cli/repl/history.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { runLine } from "../../../src/cli/repl/line.js";
import { fakeSession } from "../../helpers/fake-terminal.js";

let session: ReturnType<typeof fakeSession> | undefined;
afterEach(async () => session?.close());

describe("a session's lines", () => {
  it("chain $event and $ticket through the ids last printed, over one open memory store", async () => {
    session = fakeSession({ tty: false });
    const defaults = ["--store", "memory", "--json"];
    const run = (line: string) => runLine(line, session!.lines(defaults));
    expect(await run(`event create --name "Jazz Evening" --capacity 2`)).toEqual({ kind: "ran", exitCode: 0 });
    expect(await run("reserve $event --key k1")).toEqual({ kind: "ran", exitCode: 0 });
    expect(await run("purchase $ticket")).toEqual({ kind: "ran", exitCode: 0 });
    expect(await run("   # a comment")).toEqual({ kind: "skipped" });
    expect(await run("quit")).toEqual({ kind: "leave" });
    const lines = session.output().stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((line) => line.status)).toEqual(["success", "success", "success"]);
    expect(lines[2].ticket).toMatchObject({ id: lines[1].ticket.id, eventId: lines[0].event.id, status: "purchased" });
  });

  it("report a line that cannot be split, or an unset variable, as a usage error (exit 2)", async () => {
    session = fakeSession({ tty: false });
    expect(await runLine("purchase $ticket", session.lines(["--store", "memory"]))).toEqual({ kind: "ran", exitCode: 2 });
    expect(await runLine("event create --name 'Rock", session.lines(["--store", "memory"]))).toEqual({ kind: "ran", exitCode: 2 });
    expect(session.output().stderr).toBe("error: $ticket: no ticket id has been printed in this session yet\nerror: line: unterminated ' quote\n");
  });

  it("answer help with the program's help and the session's own words", async () => {
    session = fakeSession({ tty: false });
    expect(await runLine("help", session.lines())).toEqual({ kind: "ran", exitCode: 0 });
    expect(session.output().stdout).toMatch(/Usage: tix[\s\S]*\$event, \$ticket[\s\S]*exit, quit/);
  });

  it("take clear: nothing to do where stdout is no terminal; with words, a usage error", async () => {
    // It was "unknown command 'clear'" (exit 2), in the REPL as in a batch.
    session = fakeSession({ tty: false });
    expect(await runLine("clear", session.lines(["--store", "memory"]))).toEqual({ kind: "skipped" });
    expect(session.output()).toEqual({ stdout: "", stderr: "" });
    expect(await runLine("clear now", session.lines(["--store", "memory"]))).toEqual({ kind: "ran", exitCode: 2 });
    expect(session.output().stderr).toBe("error: clear: takes no arguments; type clear alone to clear the screen\n");
  });

  it("refuse a session inside a session", async () => {
    session = fakeSession({ tty: false });
    expect(await runLine("repl", session.lines())).toEqual({ kind: "ran", exitCode: 2 });
  });
});

describe("colour switches", () => {
  it("--no-color wins over --color given on the same line, whatever the order", async () => {
    session = fakeSession({ tty: true });
    await runLine("--store memory event create --id evt_c --name C --capacity 2", session.lines());
    const coloured = async (defaults: string[], line: string): Promise<boolean> => {
      session!.clear();
      expect(await runLine(line, session!.lines(["--store", "memory", ...defaults]))).toEqual({ kind: "ran", exitCode: 0 });
      return session!.output().stdout.includes("\u001b[");
    };
    // NO_COLOR is set (fakeSession): --color alone forces colour on.
    expect(await coloured([], "event list --color")).toBe(true);
    expect(await coloured([], "--no-color event list --color")).toBe(false);
    expect(await coloured([], "--color event list --no-color")).toBe(false);
    expect(await coloured(["--color"], "event list --no-color --color")).toBe(false);
    // A line's switch overriding the session's own: tests/unit/cli/plain-reserve.test.ts (over commander's parse).
  });
});

describe("batch", () => {
  it("runs every line, and answers the first failure's exit code", async () => {
    session = fakeSession({ tty: false });
    const stdin = session.f.io.stdin as unknown as NodeJS.WritableStream;
    stdin.end("event create --id evt_one --name One --capacity 1\nreserve evt_nope\nreserve $event\n--user bob reserve $event\nevent show $event\n");
    expect(await runBatch(session.lines(["--store", "memory"]))).toBe(3);
    expect(session.output().stderr).toMatch(/^line 2: error: no event with id evt_nope \(tix event list\)\nline 4: error: event evt_one is sold out\n$/);
    expect(session.output().stdout).toMatch(/^held:\t1$/m);
  });
});

describe("session plumbing", () => {
  it("knows a bare invocation (global options only) from a command, --help or --version", () => {
    session = fakeSession({ tty: false });
    const program = createProgram(session.ctx);
    for (const argv of [[], ["--store", "memory"], ["--store=memory", "--json", "--no-color", "--user", "bob"]]) {
      expect(isBareInvocation(argv, program), argv.join(" ")).toBe(true);
    }
    for (const argv of [["event", "list"], ["--store", "memory", "seed"], ["--help"], ["-V"], ["--version"], ["--bogus"]]) {
      expect(isBareInvocation(argv, program), argv.join(" ")).toBe(false);
    }
  });

  it("turns parsed global options back into the argv each line starts with", () => {
    expect(globalArgs({})).toEqual([]);
    expect(globalArgs({ store: "memory", user: "bob", json: true, color: false, input: false })).toEqual(
      ["--store", "memory", "--user", "bob", "--json", "--no-color", "--no-input"]);
    expect(globalArgs({ color: true, input: true })).toEqual(["--color"]);
  });

  it("never writes a card number to the history file, nor shows a store's password", () => {
    expect(mentionsCard("purchase $ticket --card 4000000000000002")).toBe(true);
    expect(mentionsCard("purchase tkt_1 --card=4242")).toBe(true);
    expect(mentionsCard("purchase tkt_1 4242 4242 4242 4242")).toBe(true);
    expect(mentionsCard("reserve evt_rock_night_2025 --key order-1001")).toBe(false);
    expect(redactUrl("postgres://tix:s3cret@db:5432/tix")).toBe("postgres://tix@db:5432/tix");
    expect(redactUrl("sqlite:/home/a/tix.db")).toBe("sqlite:/home/a/tix.db");
  });

  it("never writes a store's password to the history file (a line's --store postgres://user:pass@…)", () => {
    // Before, the banner hid the password while the history file kept the line, password and all.
    const home = tempDir();
    try {
      const history = new HistoryFile(join(home.path, "history"));
      history.save([ // newest first, as readline keeps it
        "event list",
        "--store postgres://tix:s3cret@db:5432/tix event list",
        "event list --store=postgresql://tix:s%40cret@db/tix",
        "--store 'postgres://tix@db/tix?sslmode=require&password=hunter2' event list",
        "--store postgres://tix@db/tix?sslpassword=pw2 event list",
        "--store postgres://tix@db/tix event show evt_1",
        "event create --name 'me@home' --capacity 2",
      ]);
      const saved = readFileSync(join(home.path, "history"), "utf8");
      for (const secret of ["s3cret", "s%40cret", "hunter2", "pw2"]) expect(saved).not.toContain(secret);
      expect(saved).toBe("event create --name 'me@home' --capacity 2\n--store postgres://tix@db/tix event show evt_1\nevent list\n");
    } finally {
      home.remove();
    }
  });

  it("never writes a tier's access code to the history file; a voucher's code, which tix shows, is kept", () => {
    // Before, `reserve … --code FANS` and `--tier …,code=FANS` were saved in full, while no output shows a code.
    const home = tempDir();
    try {
      const history = new HistoryFile(join(home.path, "history"));
      history.save([ // newest first, as readline keeps it
        "purchase $ticket --voucher SPRING",
        "voucher create --event evt_1 --code SPRING --percent 20",
        "reserve evt_1 --tier Presale --code FANS1",
        "reserve evt_1 --tier Presale --code=FANS2",
        "waitlist join evt_1 --tier Presale --code FANS3",
        "event create --name Tour --tier Presale:200:39.00,code=FANS4 --tier GA:100:49.00",
        "event update evt_1 --tier 'Presale:200:39.00, code=FANS5'",
        "event update evt_1 --tier Presale::39.00 --code FANS6",
        "--user bob reserve evt_1 --code FANS7",
        "--store memory voucher create --event evt_1 --code CREW5 --amount 5.00",
        "export --codes --output events.csv",
        "event list",
      ]);
      const saved = readFileSync(join(home.path, "history"), "utf8");
      for (const secret of ["FANS"]) expect(saved).not.toContain(secret);
      expect(saved).toBe([
        "event list",
        "export --codes --output events.csv",
        "--store memory voucher create --event evt_1 --code CREW5 --amount 5.00",
        "voucher create --event evt_1 --code SPRING --percent 20",
        "purchase $ticket --voucher SPRING",
        "",
      ].join("\n"));
      expect(mentionsAccessCode("reserve evt_1 --code 'FANS")).toBe(true); // cannot be split: kept out
      expect(mentionsAccessCode("voucher list --event evt_1")).toBe(false);
    } finally {
      home.remove();
    }
  });
});
