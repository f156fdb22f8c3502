import { describe, expect, it } from "vitest";
import { TIX_BIN, runTix } from "../helpers/cli.js";
import { Terminal, terminalsPerTest } from "../helpers/pty-terminal.js";
import { displayWidth } from "../../src/cli/output/text.js";

const ESC = "\x1b";
const DOWN = "\x1b[B";

const terminals = terminalsPerTest();
const json = (args: string[]) => runTix(["--json", ...args], terminals.home()).json();

/** The lines a program wrote between two patterns, as the terminal got them (before it wraps them). */
function linesBetween(text: string, from: RegExp, to: RegExp): string[] {
  const start = from.exec(text)!.index;
  const end = start + to.exec(text.slice(start))!.index;
  return text.slice(start, end).split("\n");
}

/** The last frame a prompt drew, from its question to where its keys' help starts (the screen's text is every frame, one after another). */
function lastFrame(text: string, question: string, help: string): string[] {
  const start = text.lastIndexOf(question);
  const end = text.indexOf(help, start);
  return start < 0 || end < 0 ? [] : text.slice(start, end).split("\n");
}

/** The choices' lines of a frame: `❯ ` the active one, `  ` the others, `- ` a disabled one. */
const choiceLines = (frame: string[]): number => frame.filter((line) => /^[❯ -] \S/.test(line)).length;

/** The 5 sample events, a sold-out one and 25 more: a list longer than any page. */
function manyEvents(): void {
  const lines = [
    "seed",
    "event create --id evt_gone --name Gone --capacity 1",
    "--user zed reserve evt_gone",
    ...Array.from({ length: 25 }, (_, i) => `event create --id evt_more_${i} --name "More ${i}" --capacity 9`),
  ];
  expect(runTix(["repl"], terminals.home(), { input: `${lines.join("\n")}\n` }).code).toBe(0);
}

describe("prompts in a real terminal: Esc backs out, and narrow terminals do not wrap them", () => {
  it("Esc at the event picker exits 130 and reserves nothing", async () => {
    runTix(["seed"], terminals.home());
    const terminal = terminals.tix(["reserve"]);
    await terminal.waitFor(/Which event\?/);
    terminal.type(DOWN);
    await terminal.waitFor(/❯ Jazz Evening/);
    terminal.type(ESC);
    expect(await terminal.exited).toBe(130);
    expect(json(["ticket", "list"]).tickets).toEqual([]);
  });

  it("Esc at event create's questions exits 130 and creates nothing", async () => {
    const terminal = terminals.tix(["event", "create"]);
    await terminal.waitFor(/Event name:/);
    terminal.type("Half typed");
    await terminal.waitFor(/Half typed/);
    terminal.type(ESC);
    expect(await terminal.exited).toBe(130);
    expect(json(["event", "list"]).events).toEqual([]);
  });

  it("Esc at a refund's confirmation exits 130 and refunds nothing", async () => {
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--price", "45"], terminals.home());
    const ticket = json(["reserve", "evt_a"]).ticket.id as string;
    runTix(["purchase", ticket], terminals.home());
    const terminal = terminals.tix(["cancel", ticket]);
    await terminal.waitFor(/Refund 45\.00 USD/);
    terminal.type(ESC);
    expect(await terminal.exited).toBe(130);
    expect(json(["ticket", "show", ticket]).ticket.status).toBe("purchased");
  });

  it("the event picker's choices and description fit a 40-column terminal, cut with …", async () => {
    runTix(["seed"], terminals.home());
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], terminals.env(), { cols: 40, rows: 24 });
    try {
      await terminal.waitFor(/navigate/);
      const lines = linesBetween(terminal.text(), /Which event\?/, /↑↓ navigate/);
      expect(lines.some((line) => line.startsWith("❯ Rock Night 2025 — 5000 of 5000"))).toBe(true);
      expect(lines.some((line) => line.includes("…"))).toBe(true);
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      terminal.type("\r");
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
  });

  // A terminal whose locale is not UTF-8 (LANG=C) shows ❯ ✔ — · ↑↓ ⏎ • … as strange characters:
  // the prompts' marks are ASCII there, with colour (inquirer's theme, in ASCII) or without.
  it("under LANG=C the event picker, its answer and a refund's confirmation are ASCII; under UTF-8 as before", async () => {
    runTix(["seed"], terminals.home());
    // eslint-disable-next-line no-control-regex -- every character that is not ASCII
    const NOT_ASCII = /[^\x00-\x7f]/u;
    const picker = new Terminal(process.execPath, [TIX_BIN, "reserve"], { ...terminals.env(), LANG: "C", NO_COLOR: "" }, { cols: 40, rows: 24 });
    try {
      await picker.waitFor(/up\/down navigate - enter select/);
      expect(picker.raw()).toContain("\u001b[3"); // colour is on
      const lines = linesBetween(picker.text(), /Which event\?/, /up\/down navigate/);
      expect(lines.some((line) => line.startsWith("> Rock Night 2025 - 5000 of 5000"))).toBe(true);
      expect(lines.some((line) => line.endsWith("..."))).toBe(true);
      expect(lines).toContain("evt_rock_night_2025 - Seattle Dome - ...");
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      picker.type(DOWN);
      await picker.waitFor(/> Jazz Evening - 1500/);
      picker.type("\r");
      await picker.waitFor(/OK Which event\? Jazz Evening/);
      expect(await picker.exited).toBe(0);
      expect(picker.raw()).not.toMatch(NOT_ASCII);
    } finally {
      picker.kill();
    }
    // Without colour too; and a refund's confirmation (cancel's, after its ticket picker).
    const jazz = json(["ticket", "list"]).tickets[0].id as string;
    runTix(["purchase", jazz], terminals.home());
    const cancel = new Terminal(process.execPath, [TIX_BIN, "cancel"], { ...terminals.env(), LANG: "C" }, { cols: 100, rows: 24 });
    try {
      await cancel.waitFor(/> Jazz Evening - GA, 45\.00 USD, purchased, refund to the card ending \d{4}/);
      await cancel.waitFor(new RegExp(jazz));
      cancel.type("\r");
      await cancel.waitFor(/OK Which ticket to cancel\? Jazz Evening/);
      await cancel.waitFor(/Refund 45\.00 USD[^\n]*\(y\/N\)/);
      cancel.type("y\r");
      await cancel.waitFor(/OK Cancelled/);
      expect(await cancel.exited).toBe(0);
      expect(cancel.raw()).not.toMatch(NOT_ASCII);
    } finally {
      cancel.kill();
    }
    // Under a UTF-8 locale, inquirer's own marks and tix's, as before.
    const utf8 = new Terminal(process.execPath, [TIX_BIN, "reserve"], { ...terminals.env(), LANG: "en_US.UTF-8" }, { cols: 80, rows: 24 });
    try {
      await utf8.waitFor(/↑↓ navigate • ⏎ select/);
      expect(utf8.text()).toMatch(/❯ Rock Night 2025 — 5000 of 5000/);
      expect(utf8.text()).toMatch(/evt_rock_night_2025 · Seattle Dome · /);
      utf8.type("\r");
      await utf8.waitFor(/✔ Which event\? Rock Night 2025 — /);
      expect(await utf8.exited).toBe(0);
    } finally {
      utf8.kill();
    }
  }, 60_000);

  it("the event picker keeps its question on a 10-row terminal: as many choices at a time as fit, the rest by scrolling", async () => {
    // Taller than the terminal, the prompt scrolled its question out of sight, and each redraw
    // left another copy of it above.
    const lines = ["seed", ...Array.from({ length: 5 }, (_, i) => `event create --id evt_more_${i} --name "More ${i}" --capacity 9`)];
    expect(runTix(["repl"], terminals.home(), { input: `${lines.join("\n")}\n` }).code).toBe(0);
    for (const rows of [10, 7]) {
      const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], { ...terminals.env(), TIX_USER: `user${rows}` }, { cols: 80, rows });
      try {
        await terminal.waitFor(/navigate/);
        const frame = linesBetween(terminal.text(), /\? Which event\?/, /↑↓ navigate/);
        // The question to the keys' help (the last, empty here, is where it starts): all on the screen.
        expect(frame.length, frame.join("\n")).toBeLessThanOrEqual(rows);
        expect(frame.filter((line) => /^[❯ ] \S/.test(line)).length).toBe(rows - 4);
        // The events below the page are there, by scrolling.
        for (let down = 0; down < 8; down++) terminal.type(DOWN);
        await terminal.waitFor(/❯ More 3/);
        terminal.type("\r");
        expect(await terminal.exited).toBe(0);
      } finally {
        terminal.kill();
      }
    }
    expect(json(["ticket", "list", "--all-users"]).tickets.map((ticket: { eventId: string }) => ticket.eventId)).toEqual(["evt_more_3", "evt_more_3"]);
  }, 30_000);

  it("a list fits a 12-row terminal: its choices leave room for the question, the description, a refusal and the keys' help", async () => {
    manyEvents();
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], terminals.env(), { cols: 80, rows: 12 });
    try {
      await terminal.waitFor(/navigate/);
      let frame = lastFrame(terminal.text(), "? Which event?", "↑↓ navigate");
      expect(frame.length, frame.join("\n")).toBeLessThanOrEqual(12);
      // 12 rows: the question, 7 choices, a blank line, the description, a refusal's line, the keys' help.
      expect(choiceLines(frame), frame.join("\n")).toBe(7);
      // Enter on the sold-out event: its refusal is one more line, and the question stays on the screen.
      while (!/❯ Gone/.test(lastFrame(terminal.text(), "? Which event?", "↑↓ navigate").join("\n"))) {
        terminal.type(DOWN);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      terminal.type("\r");
      await terminal.waitFor(/cannot be selected/);
      frame = lastFrame(terminal.text(), "? Which event?", "↑↓ navigate");
      expect(frame.some((line) => line.includes("cannot be selected")), frame.join("\n")).toBe(true);
      expect(frame.length, frame.join("\n")).toBeLessThanOrEqual(12);
      terminal.type(ESC);
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
    // A list without refusals (purchase's holds: each one's id its description) has room for one more.
    runTix(["event", "create", "--id", "evt_many", "--name", "Many", "--capacity", "50", "--limit-per-user", "20"], terminals.home());
    runTix(["reserve", "evt_many", "--quantity", "15"], terminals.home());
    const purchase = new Terminal(process.execPath, [TIX_BIN, "purchase"], terminals.env(), { cols: 80, rows: 12 });
    try {
      await purchase.waitFor(/navigate/);
      const frame = lastFrame(purchase.text(), "? Which ticket?", "↑↓ navigate");
      expect(frame.length, frame.join("\n")).toBeLessThanOrEqual(12);
      expect(choiceLines(frame), frame.join("\n")).toBe(8);
      purchase.type(ESC);
      expect(await purchase.exited).toBe(130);
    } finally {
      purchase.kill();
    }
  }, 60_000);

  it("a list uses a tall terminal's height (at most 20 choices at a time), and follows a resize at once, with no key pressed", async () => {
    manyEvents();
    const tall = new Terminal(process.execPath, [TIX_BIN, "reserve"], terminals.env(), { cols: 80, rows: 40 });
    try {
      await tall.waitFor(/navigate/);
      expect(choiceLines(lastFrame(tall.text(), "? Which event?", "↑↓ navigate"))).toBe(20);
      tall.type(ESC);
      expect(await tall.exited).toBe(130);
    } finally {
      tall.kill();
    }
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], terminals.env(), { cols: 80, rows: 12 });
    try {
      await terminal.waitFor(/navigate/);
      expect(choiceLines(lastFrame(terminal.text(), "? Which event?", "↑↓ navigate"))).toBe(7);
      for (const [rows, choices] of [[24, 19], [8, 3], [16, 11]] as const) {
        terminal.resize(80, rows);
        // The list is drawn again for the new height when the terminal tells tix of the resize
        // (SIGWINCH), with no key pressed: inquirer's select drew only on a key (tty28).
        let frame: string[] = [];
        for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          frame = lastFrame(terminal.text(), "? Which event?", "↑↓ navigate");
          if (choiceLines(frame) === choices) break;
        }
        expect(choiceLines(frame), `${rows} rows:\n${frame.join("\n")}`).toBe(choices);
        expect(frame.length, `${rows} rows:\n${frame.join("\n")}`).toBeLessThanOrEqual(rows);
      }
      terminal.type(ESC);
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
  }, 60_000);

  it("on TERM=dumb (Emacs's shell) offers no list to pick from, which it could not redraw, but still asks a question", async () => {
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--price", "45"], terminals.home());
    const dumb = (args: string[]): Terminal => terminals.open("/bin/sh", ["-c", 'TERM=dumb exec "$@"', "sh", process.execPath, TIX_BIN, ...args]);
    const reserve = dumb(["reserve"]);
    // It was the picker, arrows and all, where Enter took the first event.
    expect(await Promise.race([reserve.exited, reserve.waitFor(/Which event\?/, 20_000).then(() => "a picker")])).toBe(2);
    expect(reserve.text().replace(/\n/g, " ")).toContain("error: event id: missing; give it as in `tix reserve EVENT_ID` (tix offers a list to pick from only on a terminal that can move its cursor, not TERM=dumb)");
    expect(json(["ticket", "list"]).tickets).toEqual([]);
    const ticket = json(["reserve", "evt_a"]).ticket.id as string;
    const purchase = dumb(["purchase"]);
    expect(await purchase.exited).toBe(2);
    expect(purchase.text().replace(/\n/g, " ")).toContain("error: ticket id: missing; give it as in `tix purchase TICKET_ID`");
    runTix(["purchase", ticket], terminals.home());
    // A yes-or-no question is a line to answer: still asked.
    const cancel = dumb(["cancel", ticket]);
    await cancel.waitFor(/Refund 45\.00 USD/);
    cancel.type("n\r");
    expect(await cancel.exited).toBe(130);
    expect(json(["ticket", "show", ticket]).ticket.status).toBe("purchased");
    // Abandoned there, the question is left as it is: no going back up to erase it.
    const abandoned = dumb(["cancel", ticket]);
    await abandoned.waitFor(/Refund 45\.00 USD/);
    const asked = abandoned.raw().length;
    abandoned.type("\x03");
    expect(await abandoned.exited).toBe(130);
    expect(abandoned.raw().slice(asked)).not.toContain("\x1b[J");
    expect(abandoned.raw().slice(asked)).not.toContain("interrupted");
  }, 60_000);

  it("purchase's picker at 60 columns leads with the event, seat or tier and price, not the ticket id, which is under the list", async () => {
    // Each choice started with the 20-character ticket id, so at 60 columns the price was cut off (`Jazz Evening, 4…`).
    runTix(["event", "create", "--id", "evt_jazz", "--name", "Jazz Evening", "--capacity", "5", "--price", "45"], terminals.home());
    const ticket = json(["reserve", "evt_jazz"]).ticket.id as string;
    const terminal = new Terminal(process.execPath, [TIX_BIN, "purchase"], { ...terminals.env(), LANG: "en_US.UTF-8" }, { cols: 60, rows: 24 });
    try {
      await terminal.waitFor(/navigate/);
      const frame = lastFrame(terminal.text(), "? Which ticket?", "↑↓ navigate");
      for (const line of frame) expect(displayWidth(line), line).toBeLessThanOrEqual(60);
      const choice = frame.find((line) => line.startsWith("❯ "))!;
      expect(choice, frame.join("\n")).toMatch(/^❯ Jazz Evening — GA, 45\.00 USD, expires in/);
      expect(frame, frame.join("\n")).toContain(ticket);
      terminal.type(ESC);
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
  });

  it("a refund's question is laid out between words in a 40-column terminal: the ticket id and (y/N) whole", async () => {
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--price", "45"], terminals.home());
    const ticket = json(["reserve", "evt_a"]).ticket.id as string;
    runTix(["purchase", ticket], terminals.home());
    const terminal = new Terminal(process.execPath, [TIX_BIN, "cancel"], terminals.env(), { cols: 40, rows: 24 });
    try {
      await terminal.waitFor(/Which ticket to cancel\?/);
      terminal.type("\r");
      await terminal.waitFor(/\(y\/N\)/);
      const question = linesBetween(terminal.text(), /✔ Which ticket/, /\(y\/N\)/);
      for (const line of question) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      expect(question.join("\n")).toContain(ticket);
      const answered = question[0]!;
      expect(answered).toMatch(/^✔ Which ticket to cancel\? A — GA, 45\.…$/);
      terminal.type("y\r");
      expect(await terminal.exited).toBe(0);
      expect(json(["ticket", "show", ticket]).ticket.status).toBe("cancelled");
    } finally {
      terminal.kill();
    }
  });

  it("a refused answer's reason is laid out between words in a 36-column terminal", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "event", "create"], terminals.env(), { cols: 36, rows: 24 });
    try {
      await terminal.waitFor(/Event name:/);
      terminal.type("Gig\r");
      await terminal.waitFor(/Capacity/);
      terminal.type("abc\r");
      await terminal.waitFor(/got "abc"/);
      const reason = linesBetween(terminal.text(), /> capacity:/, /got "abc"/);
      for (const line of reason) expect(displayWidth(line), line).toBeLessThanOrEqual(36);
      expect(reason.join(" ")).toContain("a whole number from 1 to 10000000,");
      terminal.type(ESC);
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
  });

  it("a list narrowed while open is drawn again at the new width at once, its choices cut with …; widened, whole again", async () => {
    runTix(["seed"], terminals.home());
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve"], terminals.env(), { cols: 80, rows: 24 });
    const frameWhere = async (test: (frame: string[]) => boolean): Promise<string[]> => {
      let frame: string[] = [];
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        frame = lastFrame(terminal.text(), "? Which event?", "↑↓ navigate");
        if (test(frame)) return frame;
      }
      return frame;
    };
    try {
      await terminal.waitFor(/navigate/);
      const choicesOf = (frame: string[]): string[] => frame.filter((line) => /^[❯ -] \S/.test(line));
      expect(choicesOf(lastFrame(terminal.text(), "? Which event?", "↑↓ navigate"))).toContain("  Symphony Under the Stars — 3000 of 3000 available, 60.00 USD");
      terminal.resize(40, 24);
      // No key pressed: drawn for 40 columns, each choice on its line cut with …, not drawn for 80
      // and broken by the terminal mid-word.
      let frame = await frameWhere((lines) => choicesOf(lines).some((line) => line.startsWith("  Symphony Under the Stars — 3000 of 30…")));
      expect(choicesOf(frame), frame.join("\n")).toContain("  Symphony Under the Stars — 3000 of 30…");
      for (const line of frame) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      expect(choicesOf(frame)).toHaveLength(5);
      terminal.resize(80, 24);
      frame = await frameWhere((lines) => choicesOf(lines).includes("  Symphony Under the Stars — 3000 of 3000 available, 60.00 USD"));
      expect(choicesOf(frame), frame.join("\n")).toContain("  Symphony Under the Stars — 3000 of 3000 available, 60.00 USD");
      terminal.type("\r");
      await terminal.waitFor(/✔ Which event\? Rock Night 2025 — 5000 of 5000 available, 89\.00 USD/);
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
  });

  it("an answer typed, then the terminal narrowed, then Enter: the answer's line fits the new width (it was broken mid-word by the terminal)", async () => {
    const name = "A rather long event name typed by a person who likes words";
    const terminal = new Terminal(process.execPath, [TIX_BIN, "event", "create", "--id", "evt_long"], terminals.env(), { cols: 80, rows: 24 });
    try {
      await terminal.waitFor(/Event name:/);
      terminal.type(name);
      await terminal.waitFor(/likes words/);
      terminal.resize(40, 24);
      // Let tix hear of the resize (SIGWINCH) before the answer.
      await new Promise((resolve) => setTimeout(resolve, 300));
      terminal.type("\r");
      await terminal.waitFor(/Capacity/);
      const answered = linesBetween(terminal.text(), /✔ Event name:/, /\? Capacity/).filter((line) => line !== "");
      expect(answered).toEqual(["✔ Event name: A rather long event nam…"]);
      for (const line of answered) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      terminal.type("5\r");
      expect(await terminal.exited).toBe(0);
      // What was typed is the name, whole: only its echo was cut.
      expect(json(["event", "show", "evt_long"]).event.name).toBe(name);
    } finally {
      terminal.kill();
    }
  });

  it("a refund's question answered after the terminal narrowed: the question and its answer laid out for the new width", async () => {
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--price", "45"], terminals.home());
    const ticket = json(["reserve", "evt_a"]).ticket.id as string;
    runTix(["purchase", ticket], terminals.home());
    const terminal = new Terminal(process.execPath, [TIX_BIN, "cancel", ticket], terminals.env(), { cols: 80, rows: 24 });
    try {
      await terminal.waitFor(/\(y\/N\)/);
      terminal.resize(40, 24);
      await new Promise((resolve) => setTimeout(resolve, 300));
      terminal.type("y\r");
      expect(await terminal.exited).toBe(0);
      const text = terminal.text();
      const answered = text.slice(text.lastIndexOf("✔ Refund")).split("\n").filter((line) => line !== "");
      const upTo = answered.findIndex((line) => / Yes$/.test(line));
      expect(upTo, answered.join("\n")).toBeGreaterThanOrEqual(1);
      const question = answered.slice(0, upTo + 1);
      for (const line of question) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      // Between words: the ticket id whole on its line.
      expect(question.some((line) => line.split(" ").includes(ticket) || line.split(" ").includes(`${ticket}?`)), question.join("\n")).toBe(true);
      expect(json(["ticket", "show", ticket]).ticket.status).toBe("cancelled");
    } finally {
      terminal.kill();
    }
  });

  it("the seat picker follows the terminal when it is narrowed while open", async () => {
    runTix(["event", "create", "--id", "evt_hall", "--name", "Hall", "--seats", "Stalls:A-C:1-20"], terminals.home());
    const terminal = new Terminal(process.execPath, [TIX_BIN, "reserve", "evt_hall"], terminals.env(), { cols: 80, rows: 24 });
    try {
      await terminal.waitFor(/esc cancel/);
      terminal.resize(40, 24);
      // The picker redraws when the terminal tells tix of the resize (SIGWINCH), with no key pressed.
      let frame = "";
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const text = terminal.text();
        frame = text.slice(text.lastIndexOf("Pick seats:"));
        if (/^←↑↓→ move · .*…$/m.test(frame)) break;
      }
      // Drawn for 40 columns (cut with …), not for 80 and then broken by the terminal mid-word.
      const lines = frame.split("\n");
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      expect(lines.some((line) => /^←↑↓→ move · .*…$/.test(line)), frame).toBe(true);
      expect(frame).not.toMatch(/\n *(esc cancel|cked)/);
      terminal.type(ESC);
      expect(await terminal.exited).toBe(130);
    } finally {
      terminal.kill();
    }
  });

  it("the REPL's greeting is laid out between words in a 40-column terminal", async () => {
    const terminal = new Terminal(process.execPath, [TIX_BIN, "--store", "memory", "repl"], terminals.env(), { cols: 40, rows: 24 });
    try {
      await terminal.waitFor(/tix> /);
      const greeting = linesBetween(terminal.text(), /tix \d/, /tix> /);
      for (const line of greeting) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
      expect(greeting.join(" ").replace(/\s+/g, " ").trim()).toBe("tix 0.1.0 over memory, as alice. Type help, or exit to leave.".replace("0.1.0", /tix (\S+)/.exec(greeting[0]!)![1]!));
      terminal.type("exit\r");
      expect(await terminal.exited).toBe(0);
    } finally {
      terminal.kill();
    }
  });
});
