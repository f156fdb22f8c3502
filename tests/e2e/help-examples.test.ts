import { spawnSync } from "node:child_process";
import { dirname } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { displayWidth } from "../../src/cli/output/text.js";

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

/** An example line of a command's --help (laid out on one line), run by a shell with `tix` on its PATH. */
function runExample(help: string[], starting: string, input = ""): { status: number | null; stdout: string; stderr: string } {
  const text = runTix([...help, "--help"], home.path, { env: { COLUMNS: "1000" } }).stdout;
  const line = text.split("\n").find((candidate) => candidate.trim().startsWith(`$ ${starting}`));
  expect(line, `an example starting "${starting}" in tix ${help.join(" ")} --help`).toBeDefined();
  const command = line!.trim().slice(2).replace(/\s+#.*$/, "");
  const env = testEnv(home.path, { PATH: `${dirname(TIX_BIN)}:${process.env.PATH}` });
  // In the test's folder: an example may write a file (`> events.csv`).
  return spawnSync("sh", ["-c", command], { env, input, encoding: "utf8", cwd: home.path });
}

describe("--help examples do what they show", () => {
  it("repl's piped session seeds, reserves and purchases $ticket (exit 0)", () => {
    const run = runExample(["repl"], "printf");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((line) => line.status)).toEqual(["success", "success", "success"]);
    expect(lines[2].ticket.status).toBe("purchased");
  });

  it("reserve's seated examples hold the seats they name on the seed's String Quartet Night", () => {
    runTix(["seed"], home.path);
    for (const example of ["tix reserve evt_string_quartet_night --seats", "tix reserve evt_string_quartet_night --quantity"]) {
      const run = runExample(["reserve"], example);
      expect(run.stderr, example).toBe("");
      expect(run.status, example).toBe(0);
    }
    const seats = runTix(["--json", "ticket", "list"], home.path).json().tickets.map((ticket: { seat: string }) => ticket.seat);
    expect(seats).toEqual(expect.arrayContaining(["Stalls:C11", "Stalls:C12"]));
    expect(seats).toHaveLength(5);
  });

  it("event update's seated example reprices a tier of the seed's String Quartet Night, written NAME:PRICE", () => {
    runTix(["seed"], home.path);
    const run = runExample(["event", "update"], "tix event update evt_string_quartet_night");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(run.stdout.endsWith("\nchanges:\tStalls price 55.00 → 60.00\n")).toBe(true);
  });

  it("import's example copies every event to another store: tix export events, then import into copy.db", () => {
    runTix(["seed"], home.path);
    runTix(["event", "create", "--id", "evt_tour", "--name", "Tour", "--tier", "Presale:20:39.00,code=FANS,sales-end=2030-01-01", "--tier", "GA:80:49.00"], home.path);
    const run = runExample(["import"], "tix export events");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const listed = (args: string[]) => runTix([...args, "--json", "event", "list"], home.path).json().events;
    expect(listed(["--store", `sqlite:${home.path}/copy.db`])).toEqual(listed([]));
    const again = runTix(["--store", `sqlite:${home.path}/copy.db`, "--json", "import", `${home.path}/events.csv`], home.path).json();
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 6 });
  });

  it("the session's own help example reserves the event it showed, after tix seed", () => {
    runTix(["seed"], home.path);
    const help = runTix(["repl"], home.path, { input: "help\n" }).stdout;
    const example = help.split("\n").slice(help.split("\n").findIndex((line) => line.startsWith("In this session")) + 1)
      .filter((line) => line.startsWith("  ")).map((line) => line.trim()).slice(0, 2);
    expect(example[1]).toMatch(/^reserve \$event/);
    const run = runTix(["--json"], home.path, { input: `${example.join("\n")}\n` });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });

  it("help in a session is laid out between words to the width, meanings under themselves", () => {
    const words = (text: string) => text.split(/\s+/).filter((word) => word !== "");
    const wide = runTix(["--store", "memory"], home.path, { input: "help\n", env: { COLUMNS: "1000" } }).stdout;
    const session = (text: string) => text.slice(text.indexOf("In this session"));
    for (const columns of [40, 64, 80]) {
      const help = runTix(["--store", "memory"], home.path, { input: "help\n", env: { COLUMNS: String(columns) } }).stdout;
      for (const line of session(help).split("\n")) expect(displayWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
      expect(words(session(help))).toEqual(words(session(wide)));
    }
    const at80 = session(runTix(["--store", "memory"], home.path, { input: "help\n", env: { COLUMNS: "80" } }).stdout);
    expect(at80).toMatch(/\n {2}\$event, \$ticket {4}the id of the last event[^\n]*\n {21}\(unset when/);
  });
});
