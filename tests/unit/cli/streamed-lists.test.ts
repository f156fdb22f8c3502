import { PassThrough } from "node:stream";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock, type TixStore } from "../../../src/core/index.js";
import { createTix, type Tix } from "../../../src/app/open-tix.js";
import { Factory } from "../../../src/cli/factory.js";
import { render } from "../../../src/cli/output/render.js";
import { createStyle } from "../../../src/cli/output/style.js";
import type { CommandResult } from "../../../src/cli/result.js";
import { runCommandLine } from "../../../src/cli/run.js";
import { openMemoryStore } from "../../../src/store/memory/index.js";

// A script's long list (`ticket list`, `log`, `export tickets`) is read a page at a time and
// written as it is read: the rows read through the port stay a page ahead of what was written,
// whatever the list's length, and the text is the whole list's, byte for byte.

const NOW = "2025-06-01T12:00:00.000Z";
/** Rows the CLI asks the store for at a time (list-window.ts), plus the one that tells whether more follow. */
const PAGE = 1000;

let tix: Tix;
/** Rows the port has answered to list reads (tickets and log entries). */
let rowsRead = 0;
/** Log entries the port has answered. */
let logRowsRead = 0;

/** The store, each list read counted by the rows it answers. */
function counted(store: TixStore): TixStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      // A streamed list reads its pages from a snapshot: counted alike.
      if (name === "snapshot") return async () => counted(await target.snapshot());
      if (name !== "listTickets" && name !== "listFirstTickets" && name !== "listLog" && name !== "listLatestLog") return value;
      return async (...args: unknown[]) => {
        const answer = await (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        const rows = Array.isArray(answer) ? answer.length : name === "listFirstTickets" ? (answer as { tickets: unknown[] }).tickets.length : (answer as { entries: unknown[] }).entries.length;
        rowsRead += rows;
        if (name === "listLog" || name === "listLatestLog") logRowsRead += rows;
        return answer;
      };
    },
  });
}

beforeAll(async () => {
  const clock = new ManualClock("2025-06-01T10:00:00Z");
  tix = createTix(counted(openMemoryStore(clock)), clock);
  // 2,400 of alice's tickets over three events (more than two pages), some bought; a few of bob's.
  for (const id of ["evt_a", "evt_b", "evt_c"]) {
    await tix.events.create({ id, name: id, capacity: 1100, price: "10.00", limitPerUser: 1000 });
    for (let order = 0; order < (id === "evt_c" ? 20 : 14); order++) {
      const { orderId } = await tix.tickets.reserve({ eventId: id, userId: "alice", quantity: 50 });
      if (order % 3 === 0) await tix.tickets.purchase({ ticketId: orderId, userId: "alice" });
      clock.advance(order % 2 === 0 ? 0 : 60_000);
    }
    await tix.tickets.reserve({ eventId: id, userId: "bob" });
  }
  // evt_c: carol's too, more tickets than a page.
  await tix.events.update({ id: "evt_c", capacity: 2000 });
  for (let order = 0; order < 10; order++) await tix.tickets.reserve({ eventId: "evt_c", userId: "carol", quantity: 50 });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** At each write: rows read through the port before it, and lines written with it. */
  writes: Array<{ rowsRead: number; lines: number }>;
}

/**
 * Runs a command line over the counted store, piped (or on a terminal), its stdout a stream that
 * asks the writer to wait after every piece (as a pipe whose reader is slower does).
 */
async function run(line: string[], options: { tty?: boolean } = {}): Promise<Run> {
  rowsRead = 0;
  logRowsRead = 0;
  const result: Run = { code: -1, stdout: "", stderr: "", writes: [] };
  const io = {
    stdout: {
      isTTY: options.tty ?? false,
      columns: 80,
      rows: 24,
      write(text: string) {
        result.stdout += text;
        result.writes.push({ rowsRead, lines: result.stdout.split("\n").length - 1 });
        return false;
      },
      once(_event: string, listener: () => void) {
        setImmediate(listener);
      },
    },
    stderr: { write: (text: string) => (result.stderr += text), isTTY: options.tty ?? false },
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    env: { TIX_USER: "alice", TIX_HOME: "/nonexistent/tix-test", NO_COLOR: "1", TIX_NOW: NOW, TZ: "UTC" },
  };
  const f = new Factory(io, { openTix: async () => tix });
  result.code = await runCommandLine(["--no-pager", ...line], f);
  return result;
}

/** The text the whole list, read at once, renders to (what tix printed before lists were streamed). */
function whole(result: CommandResult, mode: "plain" | "json"): string {
  const { stdout } = render(result, { mode, style: createStyle(false), now: Date.parse(NOW), width: 80 });
  return typeof stdout === "string" ? stdout : [...(stdout as Iterable<string>)].join("");
}

/** Every write came at most a page (and the row after it) ahead of what it had written. */
function expectBounded(writes: Run["writes"], rowsPerLine = 1): void {
  expect(writes.length).toBeGreaterThan(2);
  for (const { rowsRead: read, lines } of writes) expect(read - lines * rowsPerLine).toBeLessThanOrEqual(2 * (PAGE + 1));
  // The first piece is written after one page is read, not the whole list.
  expect(writes[0]!.rowsRead).toBeLessThanOrEqual(PAGE + 1);
}

describe("long lists piped: read a page at a time, written as they are read", () => {
  it("ticket list: the same text as the whole list, with never more than a page read ahead", async () => {
    const tickets = await tix.tickets.list({ userId: "alice" });
    expect(tickets.length).toBeGreaterThan(2 * PAGE);
    const piped = await run(["ticket", "list"]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(whole({ type: "tickets", tickets }, "plain"));
    expectBounded(piped.writes);

    const everyone = await run(["ticket", "list", "--all-users", "--limit", "1500"]);
    // The 1,500 shown, and one more per page (which tells whether another page follows).
    expect(rowsRead).toBeLessThanOrEqual(1500 + 2);
    expect(everyone.stdout).toBe(whole({ type: "tickets", tickets: (await tix.tickets.list({})).slice(0, 1500) }, "plain"));

    const json = await run(["--json", "ticket", "list", "--status", "purchased"]);
    expect(json.stdout).toBe(whole({ type: "tickets", tickets: await tix.tickets.list({ userId: "alice", status: "purchased" }) }, "json"));
    expect(json.writes[0]!.rowsRead).toBeLessThanOrEqual(PAGE + 1);
  });

  it("export tickets: CSV and JSON the same as the whole event's, a page read at a time", async () => {
    const tickets = await tix.tickets.list({ eventId: "evt_c" });
    expect(tickets.length).toBeGreaterThan(PAGE + 1);
    const { ticketsCsv } = await import("../../../src/cli/output/csv.js");
    const csv = await run(["export", "tickets", "--event", "evt_c"]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(ticketsCsv(tickets));
    expect(csv.writes[0]!.rowsRead).toBeLessThanOrEqual(PAGE + 1);

    const json = await run(["export", "tickets", "--event", "evt_c", "--format", "json"]);
    expect(json.stdout).toBe(whole({ type: "export", tickets }, "json"));
    expect(json.writes[0]!.rowsRead).toBeLessThanOrEqual(PAGE + 1);
  });

  it("log: the same text as the whole log, with never more than a page read ahead", async () => {
    const entries = await tix.log.list();
    expect(entries.length).toBeGreaterThan(2 * PAGE);
    const piped = await run(["log"]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe(whole({ type: "log", entries }, "plain"));
    expectBounded(piped.writes);

    const json = await run(["--json", "log", "--event", "evt_b"]);
    expect(json.stdout).toBe(whole({ type: "log", entries: await tix.log.list({ eventId: "evt_b" }) }, "json"));
    expect(json.writes[0]!.rowsRead).toBeLessThanOrEqual(PAGE + 1);
  });
});

describe("ticket list on a terminal", () => {
  it("reads only the rows it shows, and counts the rest for its footer: the same text as the whole list's window", async () => {
    const cases: Array<{ line: string[]; query: { userId?: string; eventId?: string }; limit: number }> = [
      { line: ["ticket", "list"], query: { userId: "alice" }, limit: 30 },
      { line: ["ticket", "list", "--all-users"], query: {}, limit: 30 },
      { line: ["ticket", "list", "--event", "evt_c", "--limit", "40"], query: { userId: "alice", eventId: "evt_c" }, limit: 40 },
    ];
    for (const { line, query, limit } of cases) {
      const all = await tix.tickets.list(query);
      expect(all.length).toBeGreaterThan(limit);
      const shown = await run(line, { tty: true });
      expect(shown.code).toBe(0);
      expect(rowsRead, line.join(" ")).toBe(limit);
      const { stdout } = render({ type: "tickets", tickets: all.slice(0, limit), total: all.length, everyone: query.userId === undefined }, { mode: "tty", style: createStyle(false), now: Date.parse(NOW), width: 80 });
      expect(shown.stdout).toBe(typeof stdout === "string" ? stdout : [...(stdout as Iterable<string>)].join(""));
      expect(shown.stdout).toContain(`${limit} of ${all.length.toLocaleString("en-US")} tickets; --limit N or --all`);
    }
  });
});

describe("report on a terminal", () => {
  it("draws its sales chart from counts the store made, and its table from the store's sums: no log entry or ticket is read through the port", async () => {
    const report = await run(["report", "evt_a"], { tty: true });
    expect(report.code).toBe(0);
    expect(logRowsRead).toBe(0);
    expect(rowsRead).toBe(0);
    const sold = (await tix.log.list({ eventId: "evt_a" })).filter((entry) => entry.action === "ticket.purchased").length;
    expect(report.stdout).toContain(`${sold} sold; busiest`);
  });
});
