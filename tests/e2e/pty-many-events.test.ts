import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { Terminal } from "../helpers/pty-terminal.js";
import { tempDir } from "../helpers/temp-dir.js";
import { displayWidth } from "../../src/cli/output/text.js";

// `tix reserve` without an event id, with 3,000 events: the picker read every event and drew all
// 3,000 choices (inquirer draws every choice at every key), seconds before it showed and a tenth
// of a second or more at each key. Now it shows a page of the events that can be reserved, the
// soonest first, and typing searches them (tty28).

const NOW = "2026-12-03T00:00:00Z";
const COUNT = 3000;
const ESC = "\x1b";
const DOWN = "\x1b[B";

let home: ReturnType<typeof tempDir>;
const env = (user: string) => testEnv(home.path, { TIX_NO_INPUT: undefined, TIX_NOW: NOW, TZ: "UTC", TIX_USER: user });

beforeAll(() => {
  home = tempDir();
  // Every sixth hour from 375 days back to 375 days ahead; every tenth event without a date;
  // "Bulk show 1600" sold out (capacity 1, held below).
  const start = Date.parse(NOW) - (COUNT / 2) * 6 * 3600_000;
  const rows = Array.from({ length: COUNT }, (_, i) => {
    const startsAt = i % 10 === 0 ? "" : new Date(start + i * 6 * 3600_000).toISOString();
    return `evt_bulk_${String(i).padStart(4, "0")},Bulk show ${i},${i === 1601 ? 1 : 100},Hall ${i % 40},${startsAt},10m,30.00,USD,,,,,`;
  });
  const file = join(home.path, "events.csv");
  writeFileSync(file, `id,name,capacity,venue,startsAt,hold,price,currency,tiers,limitPerUser,salesStart,salesEnd,seats\n${rows.join("\n")}\n`);
  const imported = runTix(["import", file], home.path, { env: { TIX_NOW: NOW } });
  expect(imported.stderr).toBe("");
  expect(runTix(["reserve", "evt_bulk_1601"], home.path, { env: { TIX_NOW: NOW, TIX_USER: "zed" } }).code).toBe(0);
}, 60_000);
afterAll(() => home.remove());

const lastFrame = (text: string): string[] => {
  const start = text.lastIndexOf("? Which event?");
  const end = text.indexOf("↑↓ navigate", start);
  return start < 0 || end < 0 ? [] : text.slice(start, end).split("\n");
};
/** The events of the tickets `user` holds, as `ticket list` answers them. */
const eventsReservedBy = (user: string): string[] =>
  runTix(["--json", "ticket", "list"], home.path, { env: { TIX_NOW: NOW, TIX_USER: user } }).json<{ tickets: { eventId: string }[] }>().tickets.map((ticket) => ticket.eventId);
const choices = (frame: string[]): string[] => frame.filter((line) => /^[❯ -] \S/.test(line));

function expectFits(frame: string[], cols: number): void {
  for (const line of frame) expect(displayWidth(line), `wider than ${cols} columns:\n${line}`).toBeLessThanOrEqual(cols);
}

async function frameWith(terminal: Terminal, pattern: RegExp): Promise<string[]> {
  let frame: string[] = [];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    frame = lastFrame(terminal.text());
    if (pattern.test(frame.join("\n"))) return frame;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no frame matched ${pattern}; the last:\n${frame.join("\n")}`);
}

describe("reserve's event picker with 3,000 events", () => {
  it("shows the soonest events ahead, not all 3,000; Down and Enter reserve one", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], env("alice"), { cols: 80, rows: 24 });
    try {
      await terminal.waitFor(/Which event\? Type to search all 3000:/, 30_000);
      // The first event after NOW (evt_bulk_1500 is at NOW: it has started), as many as fit.
      const frame = await frameWith(terminal, /❯ Bulk show 1501 /);
      const shown = choices(frame).map((line) => line.slice(2).split(" — ")[0]);
      // Those after it in time, without the undated ones (every tenth), as many as fit.
      const soonest = Array.from({ length: 40 }, (_, i) => 1501 + i).filter((i) => i % 10 !== 0).map((i) => `Bulk show ${i}`);
      expect(shown.length, frame.join("\n")).toBe(20);
      expect(shown).toEqual(soonest.slice(0, 20));
      expectFits(frame, 80);
      terminal.type(DOWN);
      await frameWith(terminal, /❯ Bulk show 1502 /);
      terminal.type("\r");
      await terminal.waitFor(/Reserved ticket tkt_\w+/);
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
    expect(eventsReservedBy("alice")).toEqual(["evt_bulk_1502"]);
  }, 60_000);

  it("typing searches all of them by name, id or venue, on 40 columns too: sold-out ones show why, the others can be picked", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], env("bob"), { cols: 40, rows: 16 });
    try {
      await terminal.waitFor(/search all 3000:/, 30_000);
      await frameWith(terminal, /❯ Bulk show 1501/);
      // An event far down the list (years of them): found by its number.
      terminal.type("show 160");
      let frame = await frameWith(terminal, /Bulk show 160\b/);
      // Those ahead, the soonest first; then the undated (160, 1600); then 1601, sold out, with
      // its reason, marked as select marks one that cannot be picked (without colour too).
      expect(choices(frame).map((line) => line.split(" — ")[0])).toEqual([
        "❯ Bulk show 1602", ...[3, 4, 5, 6, 7, 8, 9].map((i) => `  Bulk show 160${i}`), "  Bulk show 160", "  Bulk show 1600", "- Bulk show 1601"]);
      expect(frame.find((line) => line.startsWith("- Bulk show 1601"))).toMatch(/ \(sold out\)$/);
      expectFits(frame, 40);
      // By id, and nothing found: inquirer says so.
      for (let i = 0; i < "show 160".length; i++) terminal.type("\x7f");
      terminal.type("zzz");
      await terminal.waitFor(/No results found/);
      for (let i = 0; i < 3; i++) terminal.type("\x7f");
      terminal.type("evt_bulk_2999");
      frame = await frameWith(terminal, /❯ Bulk show 2999/);
      expect(choices(frame)).toHaveLength(1);
      terminal.type("\r");
      await terminal.waitFor(/Reserved ticket tkt_\w+/);
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
    expect(eventsReservedBy("bob")).toEqual(["evt_bulk_2999"]);
  }, 60_000);

  it("the search follows a resize at once, with no key pressed: narrowed, its choices cut with … and fewer at a time; widened, whole again", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], env("dave"), { cols: 80, rows: 24 });
    try {
      await terminal.waitFor(/search all 3000:/, 30_000);
      terminal.type("show 250");
      let frame = await frameWith(terminal, /❯ Bulk show 2501 — 100 of 100 available, 30\.00 USD\n/);
      expect(choices(frame)).toHaveLength(11);
      terminal.resize(40, 12);
      // Drawn again for 40 columns and 12 rows (the question on two lines, then room for 7
      // choices), each choice cut with … on its line: not drawn for 80 and broken by the terminal.
      frame = await frameWith(terminal, /❯ Bulk show 2501 — 100 of 100 available…\n(.*\n){6}\n/);
      expectFits(frame, 40);
      expect(frame.slice(0, 2)).toEqual(["? Which event? Type to", "search all 3000: show 250"]);
      expect(choices(frame)).toEqual(["❯ Bulk show 2501 — 100 of 100 available…", ...[2, 3, 4, 5, 6, 7].map((i) => `  Bulk show 250${i} — 100 of 100 available…`)]);
      terminal.resize(80, 24);
      frame = await frameWith(terminal, /❯ Bulk show 2501 — 100 of 100 available, 30\.00 USD\n[\s\S]*Bulk show 2509/);
      expect(choices(frame)).toHaveLength(11);
      expectFits(frame, 80);
      terminal.type("\r");
      // The answer after the question, cut to the line's width.
      await terminal.waitFor(/✔ Which event\? Type to search all 3000: Bulk show 2501 — 100 of 100 available…\n/);
      await terminal.waitFor(/Reserved ticket tkt_\w+/);
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
  }, 60_000);

  it("Esc leaves the search: exit 130, nothing reserved", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], env("carol"), { cols: 80, rows: 24 });
    try {
      await terminal.waitFor(/search all 3000:/, 30_000);
      terminal.type("show");
      await frameWith(terminal, /show$/m);
      terminal.type(ESC);
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
    expect(eventsReservedBy("carol")).toEqual([]);
  }, 60_000);
});
