import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/output/text.js";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal, shellInTerminal } from "../helpers/pty-terminal.js";

// Issue 14: every view fits a real terminal of 60, 80 and 160 columns — no line wider than the
// terminal (so the terminal never wraps one), no word split (a cut word ends in …) — and what
// is cut on a narrow terminal is shown whole on a wide one.

const NOW = "2025-06-01T12:00:00Z";
const LONG_NAME = "A very long event name that no narrow terminal could ever show whole, 東京 🎫";
const WIDTHS = [60, 80, 160];

let home: ReturnType<typeof tempDir>;
const env = (extra: Record<string, string> = {}) =>
  testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC", NO_COLOR: undefined, TIX_PAGER: "cat", ...extra });

/** Runs bin/tix in a pseudo-terminal `cols` wide; answers its exit code and what appeared, colours removed. */
const inTerminal = (args: string[], cols: number, extra: Record<string, string> = {}) =>
  shellInTerminal('"$@"', args, env(extra), { cols, rows: 50 });

/** The same command on a terminal so wide that nothing is cut: the words a narrow one may show. */
async function vocabulary(args: string[]): Promise<Set<string>> {
  const wide = await inTerminal(args, 160, { COLUMNS: "1000" });
  expect(wide.code, args.join(" ")).toBe(0);
  return new Set(words(wide.text));
}

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);
// Bars and charts are drawn to the width: their glyphs are not words.
const PICTURE = /^[#=.|+\-█▓░│└─▁▂▃▄▅▆▇]+$/u;
// A narrow table's short headers (a column's narrower form), not a cut word.
const SHORT_HEADERS = new Set(["CAP", "AVAIL"]);

function expectFitted(text: string, cols: number, known: Set<string>, label: string): void {
  const lines = text.replace(/\n$/, "").split("\n");
  for (const line of lines) expect(displayWidth(line), `${label}: a line wider than ${cols} columns:\n${line}`).toBeLessThanOrEqual(cols);
  for (const word of words(text)) {
    if (word.endsWith("…") || PICTURE.test(word) || SHORT_HEADERS.has(word)) continue;
    expect(known.has(word), `${label}: "${word}" is not a whole word of the wide output`).toBe(true);
  }
}

beforeAll(() => {
  home = tempDir();
  const lines = [
    "seed",
    `event create --id evt_wide --name "${LONG_NAME}" --venue "The Grand Old Concert Hall of Somewhere Far Away" --starts-at 2025-06-20T19:30Z --tier VIP:50:120.00 --tier "=SUM(1+2):500:45.00" --limit-per-user 10`,
    `event create --id evt_past --name "Last Winter's Gala" --venue "Old Hall" --starts-at 2025-01-10T20:00Z --capacity 100`,
    "event create --id evt_small --name Small --capacity 1",
    ...Array.from({ length: 40 }, (_, i) => `event create --id evt_more_${i} --name "More music ${i}" --capacity ${10 + i} --starts-at 2025-07-${String(1 + (i % 28)).padStart(2, "0")}T20:00Z`),
    "--user bob reserve evt_wide --tier VIP --quantity 3 --key b1",
    `--user carol reserve evt_wide --tier "=SUM(1+2)" --quantity 2 --key c1`,
    "--user carol purchase $ticket",
    "reserve evt_jazz_evening --key k1",
    "reserve evt_wide --tier VIP --key k2",
    "purchase $ticket",
    "--user dave reserve evt_small",
    "--user @evil waitlist join evt_small",
    "--user erin waitlist join evt_small",
  ];
  const setup = runTix(["repl"], home.path, { env: { TIX_NOW: NOW }, input: `${lines.join("\n")}\n` });
  // evt_past is made in the past on purpose, and said so.
  expect(setup.stderr).toBe("note: event evt_past starts 2025-01-10T20:00:00.000Z, in the past: it cannot be reserved\n");
  expect(setup.code).toBe(0);
}, 60_000);
afterAll(() => home.remove());

const READS: string[][] = [
  ["event", "list"],
  ["event", "list", "--all"],
  ["event", "show", "evt_wide"],
  ["ticket", "list", "--all-users"],
  ["report", "evt_wide"],
  ["log", "--event", "evt_wide"],
  ["waitlist", "show", "evt_small"],
];

describe("every view fits a real terminal of 60, 80 and 160 columns", () => {
  it("lists, records, the report and the log: no line wider than the terminal, no word split", async () => {
    for (const args of READS) {
      const known = await vocabulary(args);
      for (const cols of WIDTHS) {
        const { code, text } = await inTerminal(args, cols);
        expect(code, args.join(" ")).toBe(0);
        expectFitted(text, cols, known, `${args.join(" ")} at ${cols}`);
      }
    }
  }, 240_000);

  it("cuts long names with … on a narrow terminal and shows them whole on a wide one; drops low-value columns first", async () => {
    const narrow = (await inTerminal(["event", "list", "--all"], 60)).text;
    const wide = (await inTerminal(["event", "list", "--all"], 160)).text;
    expect(narrow).toMatch(/A very long event[^\n]*…/);
    expect(narrow).not.toMatch(/HELD|CAPACITY|VENUE/);
    expect(wide).toMatch(/HELD/);
    expect((await inTerminal(["event", "list", "--all"], 160, { COLUMNS: "400" })).text).toContain(LONG_NAME);
    // At 80 columns the counts the contract lists and a relative start stay; the weekday, venue,
    // price and date gave way first, then (these rows' "sold out" and "ended" being wide) HELD.
    const at80 = (await inTerminal(["event", "list", "--all"], 80)).text.split("\n");
    expect(at80[0]).toMatch(/^ID +NAME +STARTS +CAP +SOLD +AVAIL$/);
    expect(at80.find((line) => line.startsWith("evt_wide "))).toMatch(/ in 19d 7h +550 +2 +544$/);
    const at100 = (await inTerminal(["event", "list", "--all"], 100)).text.split("\n");
    expect(at100[0]).toMatch(/^ID +NAME +STARTS +CAP +HELD +SOLD +AVAIL$/);
  }, 60_000);

  it("everyone's tickets keep their USER column on a narrow terminal; one user's list lets it go first", async () => {
    for (const cols of [60, 80]) {
      const everyone = (await inTerminal(["ticket", "list", "--all-users"], cols)).text.split("\n");
      expect(everyone[0], `--all-users at ${cols}`).toMatch(/^ID +.*USER/);
      const mine = (await inTerminal(["--user", "bob", "ticket", "list"], cols)).text.split("\n");
      expect(mine[0], `one user's at ${cols}`).not.toMatch(/USER/);
    }
  }, 60_000);

  it("event list at 40 columns keeps each event's name, cut further, rather than show its ids alone", async () => {
    const at40 = (await inTerminal(["event", "list", "--all"], 40)).text.trimEnd().split("\n");
    expect(at40[0]).toMatch(/^ID +NAME$/);
    const symphony = at40.find((line) => line.startsWith("evt_symphony_under_stars "));
    expect(symphony).toMatch(/^evt_symphony_under_stars {2}Symphony Unde…$/);
    for (const line of at40) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
  }, 60_000);

  it("one user's tickets keep their STATUS at 60 and 40 columns, a seated one among them (it was ID EVENT SEAT, then the ids alone)", async () => {
    const user = ["--user", "seated_status"];
    expect(runTix([...user, "reserve", "evt_string_quartet_night", "--seats", "Stalls:A1", "--key", "s1"], home.path, { env: { TIX_NOW: NOW } }).code).toBe(0);
    expect(runTix([...user, "reserve", "evt_jazz_evening", "--key", "s2"], home.path, { env: { TIX_NOW: NOW } }).code).toBe(0);
    const at60 = (await inTerminal([...user, "ticket", "list"], 60)).text.trimEnd().split("\n");
    expect(at60[0]).toMatch(/^ID +EVENT +STATUS$/);
    // Both reserved at one instant: in either order.
    expect(at60.slice(1).filter((line) => /^tkt_\S+ +evt_string_quartet_night +reserved$/.test(line))).toHaveLength(1);
    const at40 = (await inTerminal([...user, "ticket", "list"], 40)).text.trimEnd().split("\n");
    expect(at40[0]).toMatch(/^ID +STATUS$/);
    expect(at40.slice(1).map((line) => line.split(/ +/)[1])).toEqual(["reserved", "reserved"]);
  }, 60_000);

  it("reserve and purchase answer in a few lines that fit, the order's total charged", async () => {
    for (const cols of WIDTHS) {
      const user = `fit${cols}`;
      const reserve = ["--user", user, "reserve", "evt_wide", "--tier", "VIP", "--quantity", "3", "--key", `r${cols}`];
      const first = await inTerminal(reserve, cols);
      expect(first.code).toBe(0);
      // A retry with the same key prints the same answer (marked replayed): its wide form is the vocabulary.
      const known = await vocabulary(reserve);
      const stdout = first.text.split("✓")[0]!;
      expectFitted(stdout, cols, known, `reserve at ${cols}`);
      for (const line of first.text.trimEnd().split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(cols);
      expect(stdout.trimEnd().split("\n").length, first.text).toBeLessThanOrEqual(9);
      expect(first.text).toMatch(/Expires\s+Sun 1 Jun 2025 12:10 UTC · in 10m/);
      expect(first.text).toMatch(/Tier\s+VIP · 3 × 120\.00 USD/);
      const order = /Order\s+(ord_\w+)/.exec(first.text)![1]!;

      const bought = await inTerminal(["--user", user, "purchase", order], cols);
      expect(bought.code).toBe(0);
      expect(bought.text).toMatch(/Charged\s+360\.00 USD for 3 tickets, card ending 4242/);
      for (const line of bought.text.trimEnd().split("\n")) expect(displayWidth(line)).toBeLessThanOrEqual(cols);
      // The event's name and date, wrapped between words on a narrow terminal.
      expect(bought.text.replace(/\s+/g, " ")).toContain(`${LONG_NAME} · Fri 20 Jun 2025 19:30 UTC · in 19d 7h`);
    }
  }, 120_000);
});

describe("lists on a terminal", () => {
  it("show the first 30, upcoming events first, with a footer; --limit and --all; started events marked", async () => {
    const { text } = await inTerminal(["event", "list"], 160);
    const rows = text.trimEnd().split("\n");
    expect(rows).toHaveLength(1 + 30 + 1);
    expect(rows.at(-1)).toBe("30 of 48 events; --limit N or --all");
    // Soonest first: Rock Night (15 Jun) before the wide event (20 Jun) before Jazz (10 Jul).
    const order = ["evt_rock_night_2025", "evt_wide", "evt_jazz_evening"].map((id) => rows.findIndex((row) => row.startsWith(id)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const all = (await inTerminal(["event", "list", "--all"], 160)).text.trimEnd().split("\n");
    expect(all).toHaveLength(1 + 48);
    expect(all.at(-1)).toMatch(/^evt_past .*Fri 10 Jan 2025 20:00 · 4mo 21d ago .* ended /);
    expect((await inTerminal(["event", "list", "--limit", "5"], 160)).text.trimEnd().split("\n")).toHaveLength(1 + 5 + 1);
    expect(rows[0]).toMatch(/^ID +NAME +VENUE +STARTS \(UTC\) +CAPACITY +HELD +SOLD +AVAILABLE +PRICE$/);
  }, 60_000);

  it("the log shows the latest entries", async () => {
    const { text } = await inTerminal(["log", "--event", "evt_small", "--limit", "3"], 160);
    const rows = text.trimEnd().split("\n");
    expect(rows.at(-1)).toBe("the latest 3 of 4 entries; --limit N or --all");
    expect(rows.slice(1, 4).map((row) => /\s(\S+\.\S+)\s/.exec(row)![1])).toEqual(["ticket.reserved", "waitlist.joined", "waitlist.joined"]);
  }, 30_000);

  it("say an empty list in one line, with no table header over nothing", async () => {
    for (const [args, note] of [
      [["ticket", "list", "--status", "expired"], "No tickets match."],
      [["waitlist", "show", "evt_jazz_evening"], "Nobody is waiting for evt_jazz_evening."],
      [["voucher", "list", "--event", "evt_jazz_evening"], "No vouchers. Create one with `tix voucher create`."],
    ] as const) {
      const { code, text } = await inTerminal([...args], 80);
      expect([code, text.trim()], args.join(" ")).toEqual([0, note]);
    }
  }, 30_000);

  it("sends long output through the pager (less -FRX by default), and not with --no-pager", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "event", "list", "--all"], testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC" }), { cols: 100, rows: 20 });
    await terminal.waitFor(/evt_more_/);
    await terminal.waitFor(/\n:/); // less's prompt: the rest waits for the reader
    expect(terminal.text()).not.toMatch(/evt_past/);
    terminal.type("q");
    expect(await terminal.exited).toBe(0);
    const plain = await inTerminal(["--no-pager", "event", "list", "--all"], 100, { TIX_PAGER: "less -FRX" });
    expect(plain.text).toMatch(/evt_past/);
  }, 30_000);
});

describe("a terminal that cannot move its cursor (TERM=dumb: Emacs's shell)", () => {
  it("gets long output whole, not through less (which stopped to ask for Return); TIX_PAGER still pages", async () => {
    const run = (pager: Record<string, string>): Terminal =>
      new Terminal("/bin/sh", ["-c", 'TERM=dumb exec "$@"', "sh", process.execPath, TIX_BIN, "event", "list", "--all"],
        testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC", NO_COLOR: undefined, ...pager }), { cols: 100, rows: 20 });
    const dumb = run({ PAGER: "less -FRX" });
    try {
      expect(await Promise.race([dumb.exited, dumb.waitFor(/RETURN/, 20_000).then(() => "less asked for Return")])).toBe(0);
      expect(dumb.text()).toMatch(/evt_past/);
      expect(dumb.text()).not.toMatch(/not fully functional|RETURN/);
    } finally {
      dumb.kill();
    }
    const chosen = run({ TIX_PAGER: "less -FRX" });
    try {
      await chosen.waitFor(/not fully functional/);
    } finally {
      chosen.kill();
    }
  }, 30_000);
});

describe("errors on a terminal", () => {
  it("are laid out between words to its width; piped, they stay one line", async () => {
    const args = ["--store", "/no/such/folder/tix.db", "event", "list"];
    const { code, text } = await inTerminal(args, 60);
    expect(code).toBe(2);
    const lines = text.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
    expect(lines[0]).toMatch(/^error: store: /);
    const piped = runTix(args, home.path);
    expect(piped.code).toBe(2);
    expect(piped.stderr.trimEnd().split("\n")).toEqual([lines.join(" ")]);
  });

  it("a one-shot write's note that the memory store kept nothing is laid out between words too", async () => {
    const { code, text } = await shellInTerminal('"$@" >/dev/null', ["--store", "memory", "--json", "event", "create", "--name", "Gig", "--capacity", "5"], env(), { cols: 40, rows: 50 });
    expect(code).toBe(0);
    const lines = text.trimEnd().split("\n").map((line) => line.trimEnd());
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    expect(lines.join(" ")).toBe("note: the memory store lives as long as this process: nothing was kept");
  });

  it("split a word wider than the terminal (a long path) across lines rather than cut it", async () => {
    const folder = `/no/such/${"deeply-nested-folder-".repeat(4)}end`;
    const { code, text } = await inTerminal(["--store", `${folder}/tix.db`, "event", "list"], 40);
    expect(code).toBe(2);
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    expect(lines.join("")).toContain(`${folder}/tix.db`);
  });
});

describe("a record on a narrow terminal", () => {
  it("shows a name written without spaces whole, split across lines", async () => {
    const name = "東京国際フォーラム大ホール特別記念公演二〇二七年夏";
    expect(runTix(["event", "create", "--id", "evt_tokyo", "--name", name, "--capacity", "3"], home.path).code).toBe(0);
    const { code, text } = await inTerminal(["event", "show", "evt_tokyo"], 40);
    expect(code).toBe(0);
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    expect(lines.map((line) => line.trim()).join("")).toContain(name);
    expect(text).not.toContain("…");
  });
});

describe("untrusted text never reaches the terminal as escape sequences", () => {
  it("escapes an event's name in the report, show and list", async () => {
    const name = "Show\u001b]0;PWNED\u0007 time";
    expect(runTix(["event", "create", "--id", "evt_esc", "--name", name, "--capacity", "3"], home.path).code).toBe(0);
    for (const args of [["report", "evt_esc"], ["event", "show", "evt_esc"], ["event", "list", "--all"]]) {
      const { raw, text } = await inTerminal(args, 80);
      expect(raw, args.join(" ")).not.toContain("\u001b]");
      expect(raw, args.join(" ")).not.toContain("\u0007");
      if (args[0] !== "event" || args[1] !== "list") expect(text).toContain("Show\\x1b]0;PWNED\\x07 time");
    }
  }, 30_000);
});

describe("pictures in a locale that is not UTF-8", () => {
  // A terminal in the C locale (or ISO-8859-1) shows a block character's three bytes as three
  // strange characters, and so a bar three times as wide as the terminal: bars and the sales
  // chart are drawn in ASCII there, with colour still on.
  const BLOCKS = /[█▓░│└─▁▂▃▄▅▆▇]/u;
  it("draws the report's bars and sales chart in ASCII under LANG=C, and in blocks under a UTF-8 locale", async () => {
    const ascii = await inTerminal(["report", "evt_wide"], 80, { LANG: "C" });
    expect(ascii.code).toBe(0);
    expect(ascii.raw).toContain("\u001b[3"); // colour is on
    expect(ascii.text).not.toMatch(BLOCKS);
    expect(ascii.text).toMatch(/#+=*\.+/);
    expect(ascii.text).toMatch(/\+-+/);
    // LC_ALL names the locale whatever LANG says; LC_CTYPE comes before LANG.
    expect((await inTerminal(["report", "evt_wide"], 80, { LANG: "en_US.UTF-8", LC_ALL: "POSIX" })).text).not.toMatch(BLOCKS);
    expect((await inTerminal(["report", "evt_wide"], 80, { LANG: "C", LC_CTYPE: "en_US.ISO-8859-1" })).text).not.toMatch(BLOCKS);
    const utf8: Record<string, string>[] = [{ LANG: "en_US.UTF-8" }, { LANG: "C", LC_ALL: "C.utf8" }, {}];
    for (const locale of utf8) {
      expect((await inTerminal(["report", "evt_wide"], 80, locale)).text, JSON.stringify(locale)).toMatch(BLOCKS);
    }
  }, 60_000);

  // tix's own symbols too: … · — → ✓ would each show as two or three strange characters, and a
  // cut name's … would push its line past the terminal. Names are shown as stored.
  // eslint-disable-next-line no-control-regex -- every byte that is not ASCII
  const NOT_ASCII = /[^\x00-\x7f]/u;
  it("prints tix's own marks in ASCII under LANG=C: a cut name ends in ... and still fits its column; show and reserve too", async () => {
    const list = await inTerminal(["event", "list", "--all"], 80, { LANG: "C" });
    expect(list.code).toBe(0);
    const lines = list.text.split("\n");
    // evt_tokyo (made by a test above) has a Japanese name: data, shown as stored, cut with ... too.
    expect(lines.filter((line) => !line.startsWith("evt_tokyo ")).join("\n")).not.toMatch(NOT_ASCII);
    const tokyo = lines.find((line) => line.startsWith("evt_tokyo "));
    if (tokyo !== undefined) expect(tokyo).toMatch(/^evt_tokyo +\S+\.\.\. +- /);
    const wide = lines.find((line) => line.startsWith("evt_wide "))!;
    expect(wide).toMatch(/^evt_wide +A very long[^\n]*\.\.\. /);
    // The cut name and its ... take the NAME column's width exactly: STARTS begins where its header does.
    const name = lines[0]!.indexOf("NAME");
    const starts = lines[0]!.indexOf("STARTS");
    expect(wide.slice(name, starts).trimEnd()).toHaveLength(starts - name - 2);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(80);

    const show = await inTerminal(["event", "show", "evt_wide"], 160, { LANG: "C" });
    expect(show.code).toBe(0);
    expect(show.text).toContain(LONG_NAME);
    expect(show.text.replaceAll(LONG_NAME, "")).not.toMatch(NOT_ASCII);
    expect(show.text).toMatch(/Starts +Fri 20 Jun 2025 19:30 UTC - in 19d 7h/);

    // A replayed reservation (alice's k1): no state changes.
    const reserve = await inTerminal(["reserve", "evt_jazz_evening", "--key", "k1"], 80, { LANG: "C" });
    expect(reserve.code).toBe(0);
    expect(reserve.text).not.toMatch(NOT_ASCII);
    expect(reserve.text).toMatch(/Key +k1 - replayed/);
    expect(reserve.text).toMatch(/^OK /m);

    // Under a UTF-8 locale, as before.
    expect((await inTerminal(["event", "list", "--all"], 80, { LANG: "en_US.UTF-8" })).text).toMatch(/^evt_wide +A very long[^\n]*… /m);
    expect((await inTerminal(["reserve", "evt_jazz_evening", "--key", "k1"], 80)).text).toMatch(/Key +k1 · replayed/);
  }, 60_000);

  // Errors and warnings tix writes on a terminal's stderr: a long value's cut (… (N characters))
  // and an import's "… and N more" in ASCII; the values quoted, as typed.
  it("writes the marks of its errors and warnings in ASCII under LANG=C when stderr is a terminal; piped and under UTF-8, as before", async () => {
    const longId = `evt_${"y".repeat(80)}`;
    const missing = await inTerminal(["event", "show", longId], 100, { LANG: "C" });
    expect(missing.code).toBe(3);
    expect(missing.raw).not.toMatch(NOT_ASCII);
    expect(missing.text.replace(/\s+/g, " ")).toContain(`error: no event with id ${longId.slice(0, 59)}... (84 characters) (tix event list)`);

    const rows = ["name,capacity", `Long,${"9".repeat(100)}`, ...Array.from({ length: 60 }, (_, index) => `E${index},zero`), "Fine,5"];
    const file = join(home.path, "many-invalid.csv");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const refused = await inTerminal(["import", file], 160, { LANG: "C" });
    expect(refused.code).toBe(2);
    expect(refused.raw).not.toMatch(NOT_ASCII);
    expect(refused.text).toContain(`got "${"9".repeat(59)}... (100 characters)"`);
    expect(refused.text).toMatch(/^ {2}\.\.\. and 11 more invalid rows$/m);
    // --skip-invalid with stdout to a file and stderr on the terminal: the warnings follow stderr
    // (its marks, and its width: laid out between words to its 160 columns).
    const warnedRun = await shellInTerminal('"$@" --skip-invalid --store memory >/dev/null', ["import", file], env({ LANG: "C" }), { cols: 160, rows: 50 });
    const warned = warnedRun.raw;
    expect(warned).not.toMatch(NOT_ASCII);
    for (const line of warnedRun.text.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(160);
    expect(warnedRun.text.replace(/\s+/g, " ")).toContain(`warning: skipped line 2: capacity: must be a whole number from 1 to 10000000, got "${"9".repeat(59)}... (100 characters)"`);
    expect(warned).toMatch(/warning: \.\.\. and \d+ more rows skipped/);

    // Under UTF-8, and piped under LANG=C, as before.
    expect((await inTerminal(["event", "show", longId], 100, { LANG: "en_US.UTF-8" })).text.replace(/\s+/g, " ")).toContain(`${longId.slice(0, 59)}… (84 characters)`);
    const piped = runTix(["import", file], home.path, { env: { LANG: "C" } });
    expect(piped.stderr).toContain(`"${"9".repeat(59)}… (100 characters)"`);
    expect(piped.stderr).toContain("\n  … and 11 more invalid rows\n");
  }, 60_000);

  it("draws the seat map's headings in ASCII under LANG=C, its title wrapped; piped and under UTF-8, as before", async () => {
    const args = ["seats", "evt_string_quartet_night"];
    const ascii = await inTerminal(args, 40, { LANG: "C" });
    expect(ascii.code).toBe(0);
    expect(ascii.raw).toContain("\u001b[3"); // colour is on
    expect(ascii.raw).not.toMatch(NOT_ASCII);
    const lines = ascii.text.replace(/\n$/, "").split("\n");
    // The title wrapped between words (cut, it lost the id's end: evt_string_quar...); the
    // sections' headings with - between their parts.
    expect(lines.slice(0, 2)).toEqual(["String Quartet Night", "(evt_string_quartet_night)"]);
    expect(lines).toContain("Stalls - 268 of 268 free");
    expect(lines).toContain("Box (Circle) - 4 of 4 free");
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(40);

    const utf8 = await inTerminal(args, 40, { LANG: "en_US.UTF-8" });
    expect(utf8.text.split("\n").slice(0, 2)).toEqual(["String Quartet Night", "(evt_string_quartet_night)"]);
    expect(utf8.text).toContain("Stalls · 268 of 268 free");
    // Piped, the same bytes whatever the locale.
    const piped = (locale: string) => runTix(args, home.path, { env: { TIX_NOW: NOW, LANG: locale } }).stdout;
    expect(piped("C")).toBe(piped("en_US.UTF-8"));
    expect(piped("C")).toContain("Stalls · 268 of 268 free");
  }, 60_000);
});
