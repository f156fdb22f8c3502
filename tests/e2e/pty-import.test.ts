import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/output/text.js";
import { TIX_BIN, runTix } from "../helpers/cli.js";
import { Terminal, terminalsPerTest } from "../helpers/pty-terminal.js";

const CTRL_C = "\x03";

const terminals = terminalsPerTest();
const home = { get path() { return terminals.home(); } };
let terminal: Terminal;

/** A CSV of `count` events without ids. */
function eventsFile(count: number): string {
  const path = join(home.path, `events-${count}.csv`);
  const lines = ["name,capacity,venue"];
  for (let index = 0; index < count; index += 1) lines.push(`Show ${index},10,Hall ${index % 7}`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("tix import in a real terminal", () => {
  it("draws its progress on stderr, checking then writing, even with stdout redirected; stdout gets the summary", async () => {
    const file = eventsFile(2000);
    const out = join(home.path, "out.txt");
    terminal = terminals.open("/bin/sh", ["-c", `"${process.execPath}" "${TIX_BIN}" import "${file}" > "${out}"`]);
    expect(await terminal.exited).toBe(0);
    const screen = terminal.text();
    expect(screen).toMatch(/Checking \[#{30}\] 100% \(2000\/2000\)/);
    expect(screen).toMatch(/Writing {2}\[#{30}\] 100% \(2000\/2000\)/);
    expect(screen.indexOf("Checking")).toBeLessThan(screen.indexOf("Writing"));
    expect(readFileSync(out, "utf8")).toMatch(/^file:\t.*\ncreated:\t2000\nupdated:\t0\nunchanged:\t0\nchanged:\t\nskipped:\t0\nseconds:\t[\d.]+\n$/);
  });

  it("stops at Ctrl-C while it checks the rows: nothing written, exit 130", async () => {
    const file = eventsFile(100_000);
    terminal = terminals.tix(["import", file]);
    await terminal.waitFor(/Checking \[/, 30_000);
    terminal.type(CTRL_C);
    expect(await terminal.exited).toBe(130);
    expect(terminal.text()).toContain("Import stopped: nothing was written.");
    expect(runTix(["--json", "event", "list"], home.path).json().events).toEqual([]);
  });

  it("in the REPL, Ctrl-C stops the import and the session (and its memory store) goes on", async () => {
    const file = eventsFile(100_000);
    terminal = terminals.tix(["--store", "memory"]);
    await terminal.waitFor(/tix> /);
    terminal.type("event create --id evt_kept --name Kept --capacity 3\r");
    await terminal.waitFor(/Created event evt_kept[\s\S]*tix> /);
    terminal.type(`import ${file}\r`);
    await terminal.waitFor(/Checking \[/, 30_000);
    terminal.type(CTRL_C);
    await terminal.waitFor(/Import stopped: nothing was written\.\n[\s\S]*tix> /);
    terminal.type("event list --json\r");
    const [listed] = await terminal.waitFor(/\{"status":"success","events":\[.*\]\}/);
    expect(JSON.parse(listed).events.map((event: { id: string }) => event.id)).toEqual(["evt_kept"]);
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
  });

  it("--rows fits the terminal: each change on a line of its own under the event's, every line cut to the width", async () => {
    const file = (name: string, rows: string) => {
      const path = join(home.path, name);
      writeFileSync(path, `id,name,capacity,venue\n${rows}`);
      return path;
    };
    const long = "A name long enough that sixty columns cannot hold it with its change";
    expect(runTix(["import", file("first.csv", "evt_a,A,10,Hall\nevt_b,B,5,Hall\n")], home.path).code).toBe(0);
    terminal = new Terminal(process.execPath, [TIX_BIN, "import", file("second.csv", `evt_a,${long},12,Hall\nevt_b,B,5,Hall\n`), "--rows"], terminals.env(), { cols: 60, rows: 30 });
    expect(await terminal.exited).toBe(0);
    const lines = terminal.text().trimEnd().split("\n");
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    const first = lines.findIndex((line) => line.startsWith("evt_a"));
    expect(lines[first]).toMatch(/^evt_a {2}updated {4}name "A" → "A name long[^\n]*…$/);
    expect(lines[first + 1]).toBe(`${" ".repeat(18)}capacity 10 → 12`);
    expect(lines[first + 2]).toBe("evt_b  unchanged");
  });

  it("--rows longer than the screen goes through the pager as it is read; q leaves it and the import is done", async () => {
    const file = eventsFile(500);
    terminal = new Terminal(process.execPath, [TIX_BIN, "import", file, "--rows"], terminals.env(), { cols: 80, rows: 20 });
    await terminal.waitFor(/Created +500/, 30_000);
    await terminal.waitFor(/\n:/); // less's prompt: the rest waits for the reader
    expect(terminal.text().match(/ created$/gm)?.length ?? 0).toBeLessThan(30);
    terminal.type("q");
    expect(await terminal.exited).toBe(0);
    expect(terminal.text()).toContain("Imported 500 events");
    expect(runTix(["--json", "event", "list"], home.path).json().events).toHaveLength(500);
  });

  it("--rows with a pager that cannot start prints every row itself", async () => {
    const file = eventsFile(200);
    terminal = new Terminal(process.execPath, [TIX_BIN, "import", file, "--rows"], { ...terminals.env(), TIX_PAGER: "/nonexistent/pager" }, { cols: 80, rows: 20 });
    expect(await terminal.exited).toBe(0);
    expect(terminal.text().match(/ created$/gm)).toHaveLength(200);
  });
});
