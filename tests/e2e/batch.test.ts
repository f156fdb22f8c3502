import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
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
  it("keeps state across lines, chains $event and $ticket, goes on after failures, exits with the first one's code", () => {
    const out = runTix([...store, "--json"], home.path, { input: SCRIPT });
    expect(out.code).toBe(3);
    const lines = jsonLines(out.stdout);
    expect(lines.map((line) => line.status === "error" ? line.error.code : line.status)).toEqual(
      ["success", "success", "success", "EVENT_NOT_FOUND", "ALREADY_PURCHASED", "success"]);
    const ticket = lines[1].ticket;
    expect(ticket).toMatchObject({ eventId: "evt_jazz", status: "reserved" });
    expect(lines[1]).toMatchObject({ key: "order-1", replayed: false });
    expect(lines[2].ticket).toMatchObject({ id: ticket.id, status: "purchased", cardLast4: "4242" });
    expect(lines[5].ticket).toMatchObject({ id: ticket.id, status: "purchased" });
    expect(out.stderr).toBe("");
  });

  it("prints each line's result in the piped format and each error on stderr", () => {
    const out = runTix([...store, "repl"], home.path, { input: SCRIPT });
    expect(out.code).toBe(3);
    expect(out.stdout).toMatch(/^id:\tevt_jazz$/m);
    expect(out.stdout.match(/^status:\tpurchased$/gm)).toHaveLength(2);
    expect(out.stderr).toBe("error: no event with id evt_missing\n" +
      `error: ticket ${/^id:\t(tkt_\w+)$/m.exec(out.stdout)![1]} is already purchased; it was not charged again\n`);
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
