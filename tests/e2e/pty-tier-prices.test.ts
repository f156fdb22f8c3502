import { describe, expect, it } from "vitest";
import { TIX_BIN, runTix } from "../helpers/cli.js";
import { Terminal, terminalsPerTest } from "../helpers/pty-terminal.js";

// An event's `price` is its lowest tier's. A terminal's list and the reserve picker showed it
// alone, so a hall whose stalls cost 55.00 and circle 40.00 read as "40.00 USD" a ticket: they say
// "from 40.00 USD" when the tiers' prices differ, and an event of one price as before. Piped and
// --json lines keep the bare amount.

const terminals = terminalsPerTest();

function events(): void {
  const lines = [
    "event create --id evt_hall --name Hall --starts-at 2099-03-01T19:00Z --tier Stalls:10:55.00 --tier Circle:10:40.00",
    "event create --id evt_flat --name Flat --starts-at 2099-03-02T19:00Z --capacity 5 --price 30.00",
    "event create --id evt_same --name Same --starts-at 2099-03-03T19:00Z --tier A:5:20.00 --tier B:5:20.00",
  ];
  expect(runTix(["repl"], terminals.home(), { input: `${lines.join("\n")}\n` }).code).toBe(0);
}

describe("an event whose tiers cost different amounts, on a terminal", () => {
  it("event list's PRICE says from the lowest; one price is as it was; piped is the bare amount", async () => {
    events();
    const terminal = new Terminal(process.execPath, [TIX_BIN, "event", "list"], terminals.env(), { cols: 200, rows: 20 });
    expect(await terminal.exited).toBe(0);
    const rows = terminal.text().split("\n");
    expect(rows.find((line) => line.startsWith("evt_hall "))).toMatch(/ from 40\.00 USD$/);
    expect(rows.find((line) => line.startsWith("evt_flat "))).toMatch(/ {3}30\.00 USD$/);
    expect(rows.find((line) => line.startsWith("evt_same "))).toMatch(/ {3}20\.00 USD$/);
    const piped = runTix(["event", "list"], terminals.home()).stdout.split("\n").find((line) => line.startsWith("evt_hall\t"));
    expect(piped!.split("\t").slice(-2)).toEqual(["40.00", "USD"]);
  });

  it("the reserve picker's choice says from the lowest", async () => {
    events();
    const terminal = terminals.tix(["reserve"]);
    try {
      await terminal.waitFor(/navigate/);
      expect(terminal.text()).toContain("Hall — 20 of 20 available, from 40.00 USD");
      expect(terminal.text()).toContain("Flat — 5 of 5 available, 30.00 USD");
      expect(terminal.text()).toContain("Same — 10 of 10 available, 20.00 USD");
    } finally {
      terminal.kill();
    }
  });
});
