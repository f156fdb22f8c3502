import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal } from "../helpers/pty-terminal.js";

const RIGHT = "\x1b[C";
const LEFT = "\x1b[D";
const DOWN = "\x1b[B";
const ESC = "\x1b";

const tix = (args: string[], env: Record<string, string>) => new Terminal(process.execPath, [TIX_BIN, ...args], env);

let home: ReturnType<typeof tempDir>;
let terminal: Terminal | undefined;
beforeEach(() => {
  home = tempDir();
  runTix(["seed"], home.path);
});
afterEach(() => {
  terminal?.kill();
  terminal = undefined;
  home.remove();
});

const env = () => testEnv(home.path, { TIX_NO_INPUT: undefined, TIX_NOW: "2025-06-01T12:00:00Z" });
const mySeats = () =>
  runTix(["--json", "ticket", "list"], home.path, { env: { TIX_NOW: "2025-06-01T12:00:00Z" } }).json().tickets.map((ticket: { seat: string }) => ticket.seat).sort();

describe("picking seats on the map in a real terminal", () => {
  it("guided tix reserve: arrows move the cursor, Space picks, Enter holds the picked seats", async () => {
    terminal = tix(["reserve", "evt_string_quartet_night"], env());
    await terminal.waitFor(/Pick seats: String Quartet Night/);
    await terminal.waitFor(/Stalls · 268 of 268 free/);
    await terminal.waitFor(/Seat Stalls:A11 \(free, Stalls\) · none picked/);
    terminal.type(RIGHT);
    await terminal.waitFor(/Seat Stalls:A12 \(free, Stalls\)/);
    terminal.type(" ");
    await terminal.waitFor(/picked 1: Stalls:A12/);
    terminal.type(RIGHT);
    terminal.type(" ");
    await terminal.waitFor(/picked 2: Stalls:A12, Stalls:A13/);
    terminal.type("\r");
    await terminal.waitFor(/✓ Reserved seats Stalls:A12, Stalls:A13 \(order ord_\w+\)/);
    expect(await terminal.exited).toBe(0);
    expect(mySeats()).toEqual(["Stalls:A12", "Stalls:A13"]);
  });

  // A terminal whose locale is not UTF-8 shows · ←↑↓→ ✔ as strange characters: tix's own marks are ASCII there.
  it("under LANG=C the picker's headings, status, keys and answer are ASCII; under UTF-8 as before", async () => {
    terminal = tix(["reserve", "evt_string_quartet_night"], { ...env(), LANG: "C" });
    await terminal.waitFor(/Stalls - 268 of 268 free/);
    await terminal.waitFor(/Seat Stalls:A11 \(free, Stalls\) - none picked/);
    await terminal.waitFor(/arrows move - space pick - enter reserve - esc cancel/);
    terminal.type(" ");
    await terminal.waitFor(/picked 1: Stalls:A11/);
    terminal.type("\r");
    await terminal.waitFor(/OK Reserved seat Stalls:A11 \(ticket tkt_\w+\)/);
    expect(await terminal.exited).toBe(0);
    expect(terminal.text()).toMatch(/OK Seats: Stalls:A11/);
    // eslint-disable-next-line no-control-regex -- every character that is not ASCII
    expect(terminal.raw()).not.toMatch(/[^\x00-\x7f]/u);
    expect(mySeats()).toEqual(["Stalls:A11"]);

    terminal = tix(["reserve", "evt_string_quartet_night"], { ...env(), LANG: "en_US.UTF-8" });
    await terminal.waitFor(/Stalls · 267 of 268 free/);
    await terminal.waitFor(/←↑↓→ move · space pick · enter reserve · esc cancel/);
    terminal.type("\r");
    await terminal.waitFor(/✔ Seats: Stalls:A\d+/);
    await terminal.waitFor(/✓ Reserved seat/);
    expect(await terminal.exited).toBe(0);
  });

  it("a seat taken is refused in the picker; Esc abandons it: exit 130, nothing reserved", async () => {
    runTix(["reserve", "evt_string_quartet_night", "--seats", "Stalls:A11"], home.path, { env: { TIX_USER: "bob", TIX_NOW: "2025-06-01T12:00:00Z" } });
    terminal = tix(["reserve", "evt_string_quartet_night"], env());
    await terminal.waitFor(/Seat Stalls:A12 \(free, Stalls\)/);
    terminal.type(LEFT);
    await terminal.waitFor(/Seat Stalls:A11 \(held, Stalls\)/);
    terminal.type(" ");
    await terminal.waitFor(/Stalls:A11 is held · none picked/);
    terminal.type(ESC);
    expect(await terminal.exited).toBe(130);
    expect(mySeats()).toEqual([]);
    // The map gives way to one word (it stayed on screen, above the shell's next prompt).
    expect(terminal.screen()).toEqual(["interrupted"]);
  });

  it("in the REPL: reserve picks on the map, and tix seats shows the seats as yours", async () => {
    terminal = tix(["repl"], env());
    await terminal.waitFor(/tix> /);
    terminal.type("reserve evt_string_quartet_night\r");
    await terminal.waitFor(/Seat Stalls:A11 \(free, Stalls\)/);
    terminal.type(DOWN);
    await terminal.waitFor(/Seat Stalls:B11 \(free, Stalls\)/);
    terminal.type(" ");
    await terminal.waitFor(/picked 1: Stalls:B11/);
    terminal.type("\r");
    await terminal.waitFor(/✓ Reserved seat Stalls:B11 \(ticket tkt_\w+\)[^\n]*\n[\s\S]*tix> /);
    terminal.type("seats evt_string_quartet_night --section stalls\r");
    await terminal.waitFor(/B ooooo ooooo@oooooo ooooo/);
    await terminal.waitFor(/@ yours 1/);
    terminal.type("exit\r");
    expect(await terminal.exited).toBe(0);
    expect(mySeats()).toEqual(["Stalls:B11"]);
  });
});
