import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/output/text.js";
import { runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal, shellInTerminal } from "../helpers/pty-terminal.js";
import { TIX_BIN } from "../helpers/cli.js";

// Names a person types — emoji outside the oldest blocks, CJK — at the edges of a narrow terminal.
// Each test here failed before the fix it names (qa30t).

const NOW = "2026-12-02T17:00:00Z";
const ROCKETS = "🚀".repeat(24);
const CARS = "🚗".repeat(18);
// Decomposed (NFD) Hangul, as macOS writes file names: 한 is ᄒ + ᅡ + ᆫ, one syllable, two columns.
const KOREAN = "한국 공연".normalize("NFD");
const KOREAN_LONG = "서울 세종문화회관 대극장 특별 공연 한국 전통 음악의 밤".normalize("NFD");
/** Columns as the terminal draws them: composed (NFC), the syllables' widths are not in question. */
const drawnWidth = (text: string): number => displayWidth(text.normalize("NFC"));

let home: ReturnType<typeof tempDir>;
const env = (extra: Record<string, string | undefined> = {}) =>
  testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC", NO_COLOR: undefined, TIX_PAGER: "cat", ...extra });
const inTerminal = (args: string[], cols: number, extra: Record<string, string | undefined> = {}) =>
  shellInTerminal('"$@"', args, env(extra), { cols, rows: 40 });

function expectFits(text: string, cols: number, label: string): void {
  for (const line of text.replace(/\n$/, "").split("\n")) expect(displayWidth(line), `${label}: a line wider than ${cols} columns:\n${line}`).toBeLessThanOrEqual(cols);
}

beforeAll(() => {
  home = tempDir();
  const setup = runTix(
    ["event", "create", "--id", "evt_rocket", "--name", `${ROCKETS} Launch party`, "--starts-at", "2027-03-01T19:00:00Z",
      "--seats", `${CARS} Parking:A-B:1-10`, "--tier", `${CARS} Parking:40`],
    home.path,
    { env: { TIX_NOW: NOW } },
  );
  expect(setup.code, setup.stderr).toBe(0);
  for (const [id, name] of [["evt_ko", KOREAN], ["evt_ko_long", KOREAN_LONG]] as const) {
    const created = runTix(["event", "create", "--id", id, "--name", name, "--venue", name, "--starts-at", "2027-02-01T10:00:00Z", "--capacity", "5"], home.path, { env: { TIX_NOW: NOW } });
    expect(created.code, created.stderr).toBe(0);
  }
}, 60_000);
afterAll(() => home.remove());

describe("emoji such as 🚀 and 🚗 are two columns wide in the seat map and the seat picker", () => {
  // The seat map measured with a table of its own, where U+1F680–U+1F6FF was one column: the
  // name and the section's heading were left whole at 40 columns, 62 and 58 columns wide, and wrapped.
  // They are laid out between words (a word wider than the line split between its emoji), never cut.
  it("tix seats at 40 columns: the name and the section heading are laid out to the width, two columns an emoji", async () => {
    for (const extra of [{}, { NO_COLOR: "1" }]) {
      const { code, text } = await inTerminal(["seats", "evt_rocket"], 40, extra);
      expect(code).toBe(0);
      expectFits(text, 40, `tix seats ${JSON.stringify(extra)}`);
      expect(text).toMatch(/^(?:🚀){20}\n(?:🚀){4} Launch party \(evt_rocket\)$/m);
      expect(text).toMatch(/^(?:🚗){18}\nParking · 20 of 20 free$/m);
      expect(text).toMatch(/^A oooooooooo$/m);
    }
  }, 60_000);

  it("the seat picker at 40 columns: its title and section heading fit, the heading's counts and the picks in sight", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve", "evt_rocket"], env({ TIX_NO_INPUT: undefined }), { cols: 40, rows: 20 });
    try {
      await terminal.waitFor(/enter reserve/);
      let screen = terminal.text();
      expect(screen).toMatch(/Pick seats: (?:🚀)+…/);
      // The section's name is cut, not its counts (it was `🚗…🚗 Pa…`).
      expect(screen).toMatch(/^(?:🚗)+… · 20 of 20 free$/m);
      // The status line was `Seat 🚗…🚗…`: the picks came after the seat's long name, cut off.
      expect(screen).toMatch(/^none picked · A5 free$/m);
      terminal.type(" ");
      terminal.type("\x1b[C");
      terminal.type(" ");
      await terminal.waitFor(/picked 2: A5, A6 · A6 free/);
      screen = terminal.text();
      // Every line of the picker's last frame fits.
      const frame = screen.slice(screen.lastIndexOf("Pick seats:"));
      expectFits(frame, 40, "picker");
      terminal.type("\x1b");
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
  }, 60_000);
});

describe("Hangul in conjoining jamo (NFD) is two columns a syllable", () => {
  // Each jamo counted two columns: 한국 공연 was measured 25 columns, not 9, so the NAME column was
  // padded 16 columns short and every column after it drawn left of its heading; a cut could
  // leave half a syllable (ᄒ…).
  it("event list at 80 columns: the columns after the name line up under their headings", async () => {
    for (const extra of [{}, { NO_COLOR: "1" }]) {
      const { code, text } = await inTerminal(["event", "list"], 80, extra);
      expect(code).toBe(0);
      const lines = text.split("\n").filter((line) => line.trim() !== "");
      const header = lines.find((line) => line.startsWith("ID "))!;
      const starts = drawnWidth(header.slice(0, header.indexOf("STARTS")));
      for (const line of lines.filter((row) => row.startsWith("evt_"))) {
        expect(drawnWidth(line), line).toBeLessThanOrEqual(80);
        expect(drawnWidth(line.slice(0, line.indexOf("in "))), `STARTS column of:\n${line}\n${header}`).toBe(starts);
      }
      expect(text).toContain(KOREAN);
      const cut = lines.find((line) => line.startsWith("evt_ko_long"))!;
      // Cut after a whole syllable: the text before … is a prefix of the name, in NFC too.
      const shown = /^evt_ko_long +(.+?…)/u.exec(cut)![1]!.slice(0, -1);
      expect(KOREAN_LONG.startsWith(shown)).toBe(true);
      expect(KOREAN_LONG.normalize("NFC").startsWith(shown.normalize("NFC"))).toBe(true);
    }
  }, 60_000);
});

describe("a terminal 20 columns wide", () => {
  // Tables whose giving way left them wider than 20 columns had every line cut: ticket ids lost
  // their last character (tkt_71bvfrqdjo1gn48…, which a person could copy as it stood), and the
  // report's AVAILABLE column was a header "AVAIL…" over values "…". Now the columns on the right
  // are dropped, the last first, before any line is cut.
  it("ticket list shows whole ids, and the report's table only whole columns", async () => {
    const reserved = runTix(["reserve", "evt_ko", "--key", "k20"], home.path, { env: { TIX_NOW: NOW } });
    expect(reserved.code, reserved.stderr).toBe(0);
    for (const extra of [{}, { NO_COLOR: "1" }]) {
      const list = await inTerminal(["ticket", "list"], 20, extra);
      expect(list.code).toBe(0);
      expectFits(list.text, 20, "ticket list");
      const rows = list.text.split("\n").filter((line) => line.startsWith("tkt_"));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row).toMatch(/^tkt_[0-9a-z]{16}$/);
      const report = await inTerminal(["report", "evt_ko"], 20, extra);
      expect(report.code).toBe(0);
      expectFits(report.text, 20, "report");
      const table = report.text.split("\n").filter((line) => /^(TIER|GA|TOTAL) +[A-Z\d]/.test(line));
      expect(table).toHaveLength(3);
      for (const line of table) expect(line, line).not.toContain("…");
      // The occupancy legend and the counts under a bar wrap, never cut: cut, the legend lost
      // what held and free look like (`Occupancy  █ sold  …`), and the count free (`0 sold · 1 held · …`).
      expect(report.text).not.toContain("…");
      const [held, free] = "NO_COLOR" in extra ? ["=", "."] : ["▓", "░"];
      expect(report.text).toContain(`Occupancy  ${"NO_COLOR" in extra ? "#" : "█"} sold\n           ${held} held\n           ${free} free\n`);
      expect(report.text).toMatch(/^0 sold · 1 held · 4\nfree$/m);
    }
  }, 60_000);
});
