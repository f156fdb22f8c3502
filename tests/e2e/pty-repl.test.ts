import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal } from "../helpers/pty-terminal.js";

const DOWN = "\x1b[B";
const CTRL_C = "\x03";
const CTRL_D = "\x04";

const tix = (args: string[], env: Record<string, string>) => new Terminal(process.execPath, [TIX_BIN, ...args], env);

let home: ReturnType<typeof tempDir>;
let terminal: Terminal | undefined;
beforeEach(() => (home = tempDir()));
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
  home.remove();
});

const env = () => testEnv(home.path, { TIX_NO_INPUT: undefined, TIX_NOW: "2025-06-01T12:00:00Z", TZ: "UTC" });

describe("the REPL in a real terminal", () => {
  it("keeps a memory store alive, answers a guided prompt with arrow keys, completes with Tab, keeps history", async () => {
    terminal = tix(["--store", "memory", "repl"], env());
    await terminal.waitFor(/over memory, as alice[^\n]*\ntix> /);
    terminal.type(`event create --id evt_jazz --name "Jazz Evening" --capacity 2\r`);
    await terminal.waitFor(/✓ Created event evt_jazz\ntix> /);
    terminal.type("event create --id evt_rock --name 'Rock Night' --capacity 5 --hold 9m12s\r");
    await terminal.waitFor(/✓ Created event evt_rock\ntix> /);

    terminal.type("reserve\r");
    await terminal.waitFor(/Which event\?\n❯ Jazz Evening — 2 of 2 available/);
    terminal.type(DOWN);
    await terminal.waitFor(/❯ Rock Night — 5 of 5 available/);
    terminal.type("\r");
    const [, ticket] = await terminal.waitFor(/✓ Reserved ticket (tkt_\w+); the hold expires in 9m 12s\ntix> /);

    terminal.type("ticket show $ticket\r");
    await terminal.waitFor(new RegExp(`ID\\s+${ticket}\\nEvent\\s+evt_rock\\nTier\\s+GA\\nOrder\\s+ord_\\w+\\nUser\\s+alice\\nStatus\\s+reserved\\nReserved\\s+Sun 1 Jun 2025 12:00 UTC · just now\\nExpires\\s+Sun 1 Jun 2025 12:09 UTC · in 9m 12s`));
    await terminal.waitFor(/tix> /);

    terminal.type("ticket li\t");
    await terminal.waitFor(/ticket list $/);
    terminal.type("\r");
    await terminal.waitFor(new RegExp(`${ticket}\\s+evt_rock\\s+GA\\s+alice\\s+reserved\\s+Sun 1 Jun 2025 12:00 · just now\\s+in 9m 12s`));

    // Ctrl-C abandons the line: had it not, this would run "frobnicateexit". The line stays on
    // screen with ^C after it and a fresh prompt below, as bash does (it was erased, with no ^C).
    terminal.type("frobnicate");
    await terminal.waitFor(/frobnicate/);
    terminal.type(CTRL_C);
    await terminal.waitFor(/\^C\ntix> $/);
    expect(terminal.text()).toMatch(/tix> frobnicate\^C\ntix> $/);
    // `clear` clears the screen, as Ctrl-L does (it was "unknown command 'clear'").
    const before = terminal.raw().length;
    terminal.type("clear\r");
    await terminal.waitFor(/clear\n[^]*tix> $/);
    expect(terminal.raw().slice(before)).toContain("\x1b[H\x1b[J");
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
    expect(terminal.text()).not.toContain("unknown command");

    const history = join(home.path, "history");
    expect(statSync(history).mode & 0o777).toBe(0o600);
    expect(readFileSync(history, "utf8")).toBe(
      `event create --id evt_jazz --name "Jazz Evening" --capacity 2\nevent create --id evt_rock --name 'Rock Night' --capacity 5 --hold 9m12s\n` +
      "reserve\nticket show $ticket\nticket list \nclear\nexit\n");
  });

  it("recalls history from the last session with the up arrow; Ctrl-D leaves", async () => {
    runTix(["event", "create", "--id", "evt_jazz", "--name", "Jazz", "--capacity", "2"], home.path);
    terminal = tix([], env());
    await terminal.waitFor(/tix> /);
    terminal.type("event show evt_jazz\r");
    await terminal.waitFor(/Name\s+Jazz[\s\S]*tix> /);
    terminal.type(CTRL_D);
    expect(await terminal.exited).toBe(0);

    terminal = tix(["repl"], env());
    await terminal.waitFor(/tix> /);
    terminal.type("\x1b[A");
    await terminal.waitFor(/event show evt_jazz/);
    terminal.type(" --json\r");
    await terminal.waitFor(/\{"status":"success","event":\{"id":"evt_jazz"/);
    terminal.type("quit\r");
    expect(await terminal.exited).toBe(0);
  });
});

describe("the REPL after a failed line", () => {
  it("unsets $ticket, naming the line that failed, and accepts a pasted leading tix", async () => {
    terminal = tix(["--store", "memory"], env());
    await terminal.waitFor(/tix> /);
    terminal.type("tix event create --id evt_jazz --name Jazz --capacity 2\r");
    await terminal.waitFor(/✓ Created event evt_jazz\ntix> /);
    terminal.type("reserve evt_jazz --key k1\r");
    await terminal.waitFor(/✓ Reserved ticket tkt_\w+[^\n]*\ntix> /);
    terminal.type("reserve evt_jaz --key k2\r");
    await terminal.waitFor(/error: no event with id evt_jaz; did you mean evt_jazz\? \(tix event list\)\ntix> /);
    terminal.type("cancel $ticket\r");
    await terminal.waitFor(/error: \$ticket: `reserve evt_jaz --key k2` failed, so no ticket was printed\ntix> /);
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
  });

  it("a prompt interrupted with Ctrl-C (or a refund answered no) leaves $event ($ticket) unset, saying the line was interrupted (not confirmed); it said it failed", async () => {
    terminal = tix(["--store", "memory", "repl"], env());
    await terminal.waitFor(/tix> /);
    terminal.type("event create --id evt_jazz --name Jazz --capacity 2\r");
    await terminal.waitFor(/✓ Created event evt_jazz\ntix> /);
    terminal.type("event create\r");
    await terminal.waitFor(/Event name:/);
    terminal.type(CTRL_C);
    await terminal.waitFor(/tix> /);
    terminal.type("event show $event\r");
    await terminal.waitFor(/error: \$event: `event create` was interrupted, so no event was printed\n[\s\S]*tix> /);
    // A refund answered "no" is not a failure either.
    terminal.type("reserve evt_jazz --key k1\r");
    await terminal.waitFor(/✓ Reserved ticket[^\n]*\ntix> /);
    terminal.type("purchase $ticket --card 4242424242424242\r");
    await terminal.waitFor(/tix> /);
    terminal.type("cancel $ticket\r");
    await terminal.waitFor(/Refund 0\.00 USD[^\n]*\(y\/N\)/);
    terminal.type("n\r");
    await terminal.waitFor(/Nothing was cancelled or refunded\.\n[\s\S]*tix> /);
    terminal.type("ticket show $ticket\r");
    await terminal.waitFor(/error: \$ticket: `cancel \$ticket` was not confirmed, so no ticket was printed\n[\s\S]*tix> /);
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
    expect(terminal.text()).not.toContain("failed, so no event");
  });
});

describe("a guided prompt abandoned in the REPL", () => {
  it("leaves on screen the line, `interrupted` and the next prompt; the question, its choices and keys' help stayed above the prompt", async () => {
    terminal = tix(["--store", "memory", "repl"], env());
    await terminal.waitFor(/tix> /);
    terminal.type("event create --id evt_jazz --name Jazz --capacity 2\r");
    await terminal.waitFor(/✓ Created event evt_jazz\ntix> /);
    terminal.type("reserve\r");
    await terminal.waitFor(/Which event\?[\s\S]*navigate/);
    terminal.type(CTRL_C);
    await terminal.waitFor(/tix> /);
    terminal.type("event create\r");
    await terminal.waitFor(/Event name:/);
    terminal.type(CTRL_C);
    await terminal.waitFor(/tix> /);
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
    const screen = terminal.screen();
    const asked = screen.indexOf("tix> reserve");
    expect(screen.slice(asked)).toEqual(["tix> reserve", "interrupted", "tix> event create", "interrupted", "tix> exit"]);
  });
});

describe("the REPL given several lines at once (pasted)", () => {
  it("runs every one in turn, each shown at its prompt, and keeps an unfinished last one for the keyboard", async () => {
    terminal = tix(["--store", "memory"], env());
    await terminal.waitFor(/tix> /);
    terminal.type("event create --id evt_a --name A --capacity 2\revent show $event\revent show nope\revent upd");
    await terminal.waitFor(/✓ Created event evt_a\n/);
    await terminal.waitFor(/tix> event show \$event\nID\s+evt_a\n/);
    await terminal.waitFor(/tix> event show nope\nerror: no event with id nope[^\n]*\n/);
    await terminal.waitFor(/tix> event upd$/);
    terminal.type("ate evt_a --capacity 3\r");
    await terminal.waitFor(/Updated event evt_a[^\n]*\n\s*capacity 2 → 3\n/);
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
  });
});

describe("the REPL with stdout not a terminal", () => {
  it("with stdout sent to a file (or a pipe), prompts on stderr's terminal and keeps stdout the lines' output; a `tix> ` before each JSON line broke it", async () => {
    const out = join(home.path, "out.jsonl");
    terminal = new Terminal("/bin/sh", ["-c", '"$@" > "$OUT"', "sh", process.execPath, TIX_BIN, "--store", "memory", "--json"], { ...env(), OUT: out });
    await terminal.waitFor(/over memory, as alice[^\n]*\ntix> /);
    terminal.type("event create --id evt_a --name A --capacity 2\r");
    await terminal.waitFor(/tix> /);
    // Line editing is stderr's terminal's: Tab completes, ↑ recalls.
    terminal.type("event sh\t");
    await terminal.waitFor(/event show $/);
    terminal.type("evt_a\r");
    await terminal.waitFor(/tix> /);
    terminal.type(CTRL_D);
    expect(await terminal.exited).toBe(0);
    const lines = readFileSync(out, "utf8").split("\n").filter((line) => line !== "");
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => JSON.parse(line) as { status: string; event: { id: string } })).toMatchObject([
      { status: "success", event: { id: "evt_a" } },
      { status: "success", event: { id: "evt_a" } },
    ]);
  });
});

describe("guided prompts outside the REPL", () => {
  it("tix reserve with no event id, answered with Enter, holds a ticket in the SQLite store", async () => {
    runTix(["seed"], home.path);
    terminal = tix(["reserve"], env());
    await terminal.waitFor(/Which event\?\n❯ Rock Night 2025 — 5000 of 5000 available, 89\.00 USD/);
    terminal.type("\r");
    expect(await terminal.exited).toBe(0);
    const tickets = runTix(["--json", "ticket", "list"], home.path, { env: { TIX_NOW: "2025-06-01T12:00:00Z" } }).json().tickets;
    expect(tickets).toMatchObject([{ eventId: "evt_rock_night_2025", status: "reserved" }]);
  });

  it("a prompt abandoned with Ctrl-C exits 130 and changes nothing", async () => {
    runTix(["seed"], home.path);
    terminal = tix(["reserve"], env());
    await terminal.waitFor(/Which event\?/);
    terminal.type(CTRL_C);
    expect(await terminal.exited).toBe(130);
    expect(runTix(["--json", "ticket", "list"], home.path).json().tickets).toEqual([]);
    // Its lines give way to one word, as in the REPL.
    expect(terminal.screen()).toEqual(["interrupted"]);
  });
  it("Tab after a line's own --user offers that user's tickets; after another --store, none of the session's", async () => {
    // Before, Tab offered the session user's tickets on `--user bob cancel tkt_`, which then
    // failed NOT_TICKET_OWNER, and the session store's ids under a line naming another store.
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"], home.path);
    runTix(["--user", "bob", "reserve", "evt_a", "--key", "b1"], home.path);
    const bobs = JSON.parse(runTix(["--user", "bob", "ticket", "list", "--json"], home.path).stdout) as { tickets: Array<{ id: string }> };
    terminal = tix(["--user", "alice", "repl"], env());
    await terminal.waitFor(/as alice[^\n]*\ntix> /);
    terminal.type("--user bob cancel tkt_\t");
    await terminal.waitFor(new RegExp(`cancel ${bobs.tickets[0]!.id} $`));
    terminal.type("\x15--store memory event show evt_\t\t");
    terminal.type("\x15exit\r");
    expect(await terminal.exited).toBe(0);
    expect(terminal.text()).not.toMatch(/event show evt_a/);
  });
});
