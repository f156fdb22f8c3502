import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { markShortened, shorten, toTicketView } from "../../../src/core/index.js";
import { apportion } from "../../../src/cli/output/charts.js";
import { spreadsheetSafe } from "../../../src/cli/output/csv.js";
import { jsonChunks } from "../../../src/cli/output/envelope.js";
import { listWindow } from "../../../src/cli/output/list-window.js";
import { ASCII_MARKS, UNICODE_MARKS, createStyle, markIn } from "../../../src/cli/output/style.js";
import { renderTable, type TableSpec } from "../../../src/cli/output/table.js";
import { displayWidth, truncate, wrapLines, wrapWords } from "../../../src/cli/output/text.js";
import { TimeFormat } from "../../../src/cli/output/time.js";
import { ticketListPieces } from "../../../src/cli/output/ticket-view.js";
import { NOW, ticket } from "../../helpers/core-fixtures.js";

const plain = createStyle(false);

describe("text on a terminal", () => {
  it("measures wide characters and emoji as two columns, and cuts without splitting one", () => {
    expect(displayWidth("Rock · Night — …")).toBe(16);
    expect(displayWidth("東京")).toBe(4);
    expect(displayWidth("🎫")).toBe(2);
    expect(truncate("Rock Night 2025", 8)).toBe("Rock Ni…");
    expect(truncate("東京東京", 5)).toBe("東京…");
    expect(displayWidth(truncate("東京東京", 4))).toBeLessThanOrEqual(4);
    expect(truncate("short", 8)).toBe("short");
    // A mark outside Latin-1 before Latin text: the width library's own cut was one column wide.
    expect(truncate('name "A" → "A long name"', 14)).toBe('name "A" → "A…');
  });

  it("never cuts text wider than asked, whatever mix of characters it holds", () => {
    const piece = fc.constantFrom("a", "Rock ", "→", "·", "東", "京", "🎫", "é", "★", " ", "—", "✓");
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (pieces, width) => {
      const text = pieces.join("");
      const cut = truncate(text, width);
      expect(displayWidth(cut)).toBeLessThanOrEqual(width);
      if (displayWidth(text) <= width) expect(cut).toBe(text);
      else expect(cut.endsWith("…") && text.startsWith(cut.slice(0, -1))).toBe(true);
    }), { numRuns: 2000 });
  });

  it("cuts with ... in ASCII (a locale that is not UTF-8): the text and its ... still fit the width", () => {
    expect(truncate("Rock Night 2025", 8, "...")).toBe("Rock ...");
    expect(truncate("東京東京", 6, "...")).toBe("東...");
    expect(truncate("short", 8, "...")).toBe("short");
    expect(truncate("Rock Night", 2, "...")).toBe("..");
    const piece = fc.constantFrom("a", "Rock ", "→", "東", "🎫", "é", " ");
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }), fc.integer({ min: 1, max: 30 }), (pieces, width) => {
      const text = pieces.join("");
      const cut = truncate(text, width, "...");
      expect(displayWidth(cut)).toBeLessThanOrEqual(width);
      if (displayWidth(text) <= width) expect(cut).toBe(text);
      else if (width >= 3) expect(cut.endsWith("...") && text.startsWith(cut.slice(0, -3))).toBe(true);
    }), { numRuns: 1000 });
  });

  it("has an ASCII mark for every one of UTF-8's, each one column a character; marks others wrote are mapped by markIn", () => {
    expect(Object.keys(ASCII_MARKS).sort()).toEqual(Object.keys(UNICODE_MARKS).sort());
    for (const mark of Object.values(ASCII_MARKS)) expect(mark).toMatch(/^[\x20-\x7e]+$/);
    for (const mark of Object.values(UNICODE_MARKS)) expect(displayWidth(mark)).toBe([...mark].length);
    // inquirer's key hints (select's `↑↓ navigate • ⏎ select`): its keys are tix's marks.
    expect(markIn(ASCII_MARKS, "↑↓")).toBe("up/down");
    expect(markIn(ASCII_MARKS, "⏎")).toBe("enter");
    expect(markIn(ASCII_MARKS, "space")).toBe("space");
    expect(markIn(UNICODE_MARKS, "↑↓")).toBe("↑↓");
  });

  it("writes shorten's cut in ASCII for a terminal that is not UTF-8, and leaves a value's own … alone", () => {
    const message = `no event with id ${shorten(`evt_${"y".repeat(80)}`)}`;
    expect(markShortened(message, "...")).toBe(`no event with id evt_${"y".repeat(55)}... (84 characters)`);
    expect(markShortened(message, "…")).toBe(message);
    // A name with its own … (data), cut or not: only shorten's mark changes.
    const named = `got "${shorten(`Rock… Night ${"z".repeat(70)}`)}" and "Jazz…"`;
    expect(markShortened(named, "...")).toBe(`got "Rock… Night ${"z".repeat(47)}... (82 characters)" and "Jazz…"`);
  });

  it("wraps between words; a word longer than the line is split across lines, never cut", () => {
    expect(wrapWords("a bb ccc dddd", 6)).toEqual(["a bb", "ccc", "dddd"]);
    expect(wrapWords("x supercalifragilistic y", 8)).toEqual(["x", "supercal", "ifragili", "stic y"]);
    expect(wrapWords("東京国際フォーラム ホールA", 8)).toEqual(["東京国際", "フォーラ", "ム", "ホールA"]);
    expect(wrapWords("👨‍👩‍👧‍👦👨‍👩‍👧‍👦👨‍👩‍👧‍👦", 4)).toEqual(["👨‍👩‍👧‍👦👨‍👩‍👧‍👦", "👨‍👩‍👧‍👦"]);
    expect(wrapLines("error: the store /var/lib/tix/a-very-long-folder-name/tix.db was deleted", 20).split("\n").join("")
      .replace(/ /g, "")).toBe("error:thestore/var/lib/tix/a-very-long-folder-name/tix.dbwasdeleted");
    expect(wrapLines("✓ Updated event e:\n  price 89.00 → 45.00\n  name \"Rock\" → \"Roll\"", 16)).toBe("✓ Updated event\ne:\n  price 89.00 →\n  45.00\n  name \"Rock\" →\n  \"Roll\"");
  });
});

describe("the table fitter", () => {
  type Row = { id: string; name: string; note: string; count: number };
  const rows: Row[] = [
    { id: "evt_a", name: "A name long enough to be cut", note: "low value", count: 1 },
    { id: "evt_bb", name: "Short", note: "also low", count: 22 },
  ];
  const spec: TableSpec<Row> = {
    columns: {
      id: { forms: [{ header: "ID", cell: (row) => ({ value: row.id }) }] },
      name: { forms: [{ header: "NAME", cell: (row) => ({ value: row.name }) }], shrinkTo: 8 },
      note: { forms: [{ header: "NOTE", cell: (row) => ({ value: row.note }) }, { header: "N", cell: (row) => ({ value: row.note.slice(0, 3) }) }] },
      count: { forms: [{ header: "COUNT", cell: (row) => ({ value: String(row.count) }) }], align: "right" },
    },
    giveWay: ["note>", "note", "count"],
  };
  const lines = (width: number) => renderTable(spec, rows, width, plain).trimEnd().split("\n");

  it("shows everything when it fits, numbers right-aligned", () => {
    expect(lines(100)).toEqual([
      "ID      NAME                          NOTE       COUNT",
      "evt_a   A name long enough to be cut  low value      1",
      "evt_bb  Short                         also low      22",
    ]);
  });

  it("cuts the shrinkable columns first, then takes shorter forms, then drops columns", () => {
    for (const width of [40, 30, 24, 16, 10, 6]) {
      for (const line of lines(width)) expect(displayWidth(line), `${width}: ${line}`).toBeLessThanOrEqual(width);
    }
    expect(lines(30)[0]).toBe("ID      NAME        N    COUNT");
    expect(lines(24)[0]).toBe("ID      NAME       COUNT");
    expect(lines(16)[0]).toBe("ID      NAME");
    expect(lines(16)[1]).toBe("evt_a   A name …");
  });

  it("cuts whole lines only on a terminal too narrow for the first column", () => {
    // The columns after the first are dropped first: the header is whole, only the rows are cut.
    expect(lines(4)).toEqual(["ID", "evt…", "evt…"]);
  });
});

describe("pictures", () => {
  it("shares a bar's cells in proportion, never hiding a count that is not zero", () => {
    expect(apportion([50, 25, 25], 40)).toEqual([20, 10, 10]);
    expect(apportion([1, 0, 9999], 40)).toEqual([1, 0, 39]);
    expect(apportion([0, 0, 10], 40)).toEqual([0, 0, 40]);
    for (const counts of [[1, 1, 1], [3, 12, 35], [4999, 1, 0], [7, 0, 3]]) {
      expect(apportion(counts, 25).reduce((sum, cells) => sum + cells, 0)).toBe(25);
    }
  });
});

describe("times", () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("writes the absolute date and time in the user's zone, with the relative part", () => {
    process.env.TZ = "UTC";
    const now = Date.parse("2026-11-29T12:00:00Z");
    const time = new TimeFormat(now);
    expect(time.full("2025-06-15T20:00:00Z")).toBe("Sun 15 Jun 2025 20:00 UTC · 1y 5mo ago");
    expect(time.dated("2026-12-01T09:05:00Z")).toBe("1 Dec 2026 09:05 · in 1d 21h");
    process.env.TZ = "America/New_York";
    expect(new TimeFormat(now).full("2025-06-15T20:00:00Z")).toBe("Sun 15 Jun 2025 16:00 UTC-4 · 1y 5mo ago");
    process.env.TZ = "Asia/Kolkata";
    expect(new TimeFormat(now).full("2025-06-15T20:00:00Z")).toBe("Mon 16 Jun 2025 01:30 UTC+5:30 · 1y 5mo ago");
  });

  it("agrees with Intl across a year of daylight-saving changes", () => {
    for (const tz of ["Europe/Berlin", "America/Los_Angeles", "Australia/Lord_Howe"]) {
      process.env.TZ = tz;
      const time = new TimeFormat(0);
      const intl = new Intl.DateTimeFormat("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz });
      for (let at = Date.parse("2025-01-01T00:00:00Z"); at < Date.parse("2026-01-01T00:00:00Z"); at += 97 * 60_000) {
        const iso = new Date(at).toISOString();
        expect(time.withoutZone(iso).split(" · ")[0], `${tz} ${iso}`).toBe(intl.format(at).replaceAll(",", "").replace("Sept", "Sep"));
      }
    }
  });

  it("marks events that have started: 'started' for a day, then 'ended'", () => {
    const now = Date.parse("2025-06-01T12:00:00Z");
    const time = new TimeFormat(now);
    expect(time.startedMark("2025-06-02T12:00:00Z")).toBeUndefined();
    expect(time.startedMark("2025-06-01T10:00:00Z")).toBe("started");
    expect(time.startedMark("2025-05-30T10:00:00Z")).toBe("ended");
    expect(time.startedMark(null)).toBeUndefined();
  });
});

describe("lists", () => {
  it("shows a screenful on a terminal and everything to scripts, unless told; --limit and --all are checked", () => {
    const items = Array.from({ length: 45 }, (_, i) => i);
    expect(listWindow(items, {}, "tty")).toMatchObject({ total: 45, items: items.slice(0, 30) });
    expect(listWindow(items, {}, "plain").items).toHaveLength(45);
    expect(listWindow(items, {}, "json").items).toHaveLength(45);
    expect(listWindow(items, { all: true }, "tty").items).toHaveLength(45);
    expect(listWindow(items, { limit: "5" }, "plain").items).toEqual([0, 1, 2, 3, 4]);
    expect(listWindow(items, { limit: "3" }, "json", "end").items).toEqual([42, 43, 44]);
    expect(() => listWindow(items, { limit: "0" }, "tty")).toThrow(/limit/);
    expect(() => listWindow(items, { limit: "2.5" }, "tty")).toThrow(/limit/);
    expect(() => listWindow(items, { limit: "5", all: true }, "tty")).toThrow(/--limit N or --all, not both/);
  });
});

describe("JSON for long lists", () => {
  it("comes in pieces of a thousand items, exactly JSON.stringify's text", () => {
    const events = Array.from({ length: 2500 }, (_, i) => ({ id: `evt_${i}`, name: `"Quoted" \\ ${i} "events":[]`, n: i }));
    const envelope = { status: "success", events, created: 3 };
    const pieces = [...jsonChunks(envelope)];
    expect(pieces.join("")).toBe(`${JSON.stringify(envelope)}\n`);
    expect(pieces.length).toBe(5);
    const whole = pieces.join("").length;
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(whole / 2);
    expect([...jsonChunks({ status: "success", events: [] })].join("")).toBe('{"status":"success","events":[]}\n');
  });
});

describe("CSV for spreadsheets", () => {
  it("prefixes cells a spreadsheet would run as a formula (OWASP), and leaves others alone", () => {
    for (const cell of ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"]) expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
    for (const cell of ["VIP", "45.00", "2025-06-15T20:00:00.000Z", "a=b"]) expect(spreadsheetSafe(cell)).toBe(cell);
  });
});

describe("everyone's tickets on a narrow terminal", () => {
  const tickets = [
    ticket({ id: "tkt_71i9a6brur87a4gf", eventId: "evt_rock_night_2025", userId: "alice" }),
    ticket({ id: "tkt_71i9ak0vz77g0yox", eventId: "evt_jazz_evening", userId: "carol", seat: "Stalls:A12" }),
  ].map(toTicketView);
  const header = (width: number, everyone: boolean): string => {
    const view = { mode: "tty" as const, style: createStyle(false), width, time: new TimeFormat(NOW, "·") };
    return [...ticketListPieces(tickets, view, true, everyone)].join("").split("\n")[0]!;
  };
  // USER, what --all-users is read for, gives way last: at 50 columns the rightmost columns were
  // dropped once giveWay was done, and USER had gone before a STATUS that would not fit either.
  it("keeps USER after the status, seat and event have given way", () => {
    expect(header(50, true)).toMatch(/^ID +EVENT +USER$/);
    expect(header(40, true)).toMatch(/^ID +USER$/);
    expect(header(40, false)).not.toMatch(/USER/);
  });
});
