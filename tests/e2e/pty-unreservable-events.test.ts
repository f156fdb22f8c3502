import { describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { terminalsPerTest } from "../helpers/pty-terminal.js";

// `tix reserve` without an event id listed events that had started as if they could be picked:
// picking one failed with SALES_CLOSED. Now those that cannot be reserved show why, after the
// others; and when none can, there is no list at all (tty29).

const NOW = "2026-12-03T00:00:00Z";
const terminals = terminalsPerTest({ TIX_NOW: NOW, TZ: "UTC" });
const tix = (args: string[]) => runTix(args, terminals.home(), { env: { TIX_NOW: NOW } });

function lastFrame(text: string): string[] {
  const start = text.lastIndexOf("? Which event?");
  const end = text.indexOf("↑↓ navigate", start);
  return start < 0 || end < 0 ? [] : text.slice(start, end).split("\n");
}

describe("reserve's event list in a real terminal, with events that cannot be reserved", () => {
  // Those refused keep the planning order among themselves: ahead (sold out) before started.
  it("shows started and sold-out events after the others, with the reason, and Enter on them picks nothing", async () => {
    expect(tix(["event", "create", "--id", "evt_past", "--name", "Past Gig", "--capacity", "5", "--starts-at", "2026-11-01T20:00Z"]).code).toBe(0);
    expect(tix(["event", "create", "--id", "evt_full", "--name", "Full House", "--capacity", "1", "--starts-at", "2027-01-01T20:00Z"]).code).toBe(0);
    expect(runTix(["reserve", "evt_full"], terminals.home(), { env: { TIX_NOW: NOW, TIX_USER: "zed" } }).code).toBe(0);
    expect(tix(["event", "create", "--id", "evt_open", "--name", "Open Show", "--capacity", "5", "--starts-at", "2027-02-01T20:00Z"]).code).toBe(0);
    const terminal = terminals.tix(["reserve"]);
    await terminal.waitFor(/navigate/);
    const frame = lastFrame(terminal.text());
    expect(frame.filter((line) => /^[❯ -] \S/.test(line))).toEqual([
      "❯ Open Show — 5 of 5 available, 0.00 USD",
      "- Full House — 0 of 1 available, 0.00 USD (sold out)",
      "- Past Gig — 5 of 5 available, 0.00 USD (started)",
    ]);
    terminal.type("\x1b[B");
    await terminal.waitFor(/❯ Full House/);
    terminal.type("\r");
    await terminal.waitFor(/This option is disabled and cannot be selected\./);
    terminal.type("\x1b[A");
    await terminal.waitFor(/❯ Open Show/);
    terminal.type("\r");
    await terminal.waitFor(/Reserved ticket tkt_\w+/);
    expect(await terminal.exited).toBe(0);
    expect(tix(["--json", "ticket", "list"]).json().tickets.map((ticket: { eventId: string }) => ticket.eventId)).toEqual(["evt_open"]);
  });

  it("when none can be reserved, says so in one line and exits 4, with no list", async () => {
    expect(tix(["event", "create", "--id", "evt_past", "--name", "Past Gig", "--capacity", "5", "--starts-at", "2026-11-01T20:00Z"]).code).toBe(0);
    const terminal = terminals.tix(["reserve"]);
    expect(await terminal.exited).toBe(4);
    expect(terminal.text()).not.toContain("Which event?");
    expect(terminal.text().trim()).toBe("error: no event can be reserved now (1 started)");
  });

  // The list was in the order the events were made (the store's), not the soonest first as
  // `event list` and the search of many events show them; and its description gave the start in
  // ISO (2027-06-15T20:00:00.000Z), where every other view says a date and how far off (qa30t).
  it("lists the soonest first, and describes the start as a date with how far off it is", async () => {
    expect(tix(["event", "create", "--id", "evt_later", "--name", "Later Show", "--capacity", "5", "--starts-at", "2027-06-15T20:00Z", "--venue", "Dome"]).code).toBe(0);
    expect(tix(["event", "create", "--id", "evt_undated", "--name", "Some Day", "--capacity", "5"]).code).toBe(0);
    expect(tix(["event", "create", "--id", "evt_sooner", "--name", "Sooner Show", "--capacity", "5", "--starts-at", "2027-02-01T20:00Z"]).code).toBe(0);
    const terminal = terminals.tix(["reserve"]);
    await terminal.waitFor(/navigate/);
    const frame = lastFrame(terminal.text());
    expect(frame.filter((line) => /^[❯ -] \S/.test(line))).toEqual([
      "❯ Sooner Show — 5 of 5 available, 0.00 USD",
      "  Later Show — 5 of 5 available, 0.00 USD",
      "  Some Day — 5 of 5 available, 0.00 USD",
    ]);
    expect(terminal.text()).toContain("evt_sooner · Mon 1 Feb 2027 20:00 UTC · in 2mo");
    terminal.type("\x1b[B");
    await terminal.waitFor(/evt_later · Dome · Tue 15 Jun 2027 20:00 UTC · in 6mo \d+d/);
    expect(terminal.text()).not.toMatch(/\d{4}-\d\d-\d\dT/);
    terminal.type("\r");
    await terminal.waitFor(/Reserved ticket tkt_\w+/);
    expect(await terminal.exited).toBe(0);
    expect(tix(["--json", "ticket", "list"]).json().tickets.map((ticket: { eventId: string }) => ticket.eventId)).toEqual(["evt_later"]);
  });
});
