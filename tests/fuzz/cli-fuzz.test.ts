import { spawnSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIX_BIN, fastCheckSeed, knob, runTix, runTixAsync, type TixRun } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Bad input never knocks tix over: random command lines (random and unicode strings, control
 * characters, huge / negative / fractional numbers, very long values, unknown flags, impossible
 * dates) through the real bin/tix. Every run must exit 0 or 2–7 — never 1 (a bug), never a
 * signal — with at most one line on stderr besides its notes (`note: …`, each one line: a past
 * start, a one-shot write to the memory store), no stack trace, and a run that fails must leave
 * the store exactly as it was. Size: TIX_STRESS_RUNS command lines.
 */
const RUNS = knob("TIX_STRESS_RUNS", 80, 1_000);
const PROCESS_TIMEOUT_MS = 30_000;

let home: { path: string; remove: () => void };
let ticketId: string;

type Row = Record<string, unknown>;
interface Snapshot { events: Row[]; tickets: Row[]; keys: Row[]; version: unknown }

/** Everything tix stores, read beside it: the store is unchanged iff this is. */
function snapshot(): Snapshot {
  const db = new Database(join(home.path, "tix.db"), { readonly: true });
  try {
    const rows = (sql: string) => db.prepare(sql).all() as Row[];
    return {
      events: rows("SELECT * FROM events ORDER BY id"),
      tickets: rows("SELECT * FROM tickets ORDER BY id"),
      keys: rows("SELECT * FROM idempotency_keys ORDER BY user_id, key"),
      version: db.pragma("user_version", { simple: true }),
    };
  } finally {
    db.close();
  }
}

/**
 * A snapshot as text. With `asOf`, holds past their expiry at that instant are shown released, as
 * tix reads them either way: a read that fails after releasing due holds (`event show evt_missing`
 * a day later) changed nothing a user can see.
 */
function render(state: Snapshot, asOf?: number): string {
  if (asOf === undefined) return JSON.stringify(state);
  const tickets = state.tickets.map((ticket) =>
    ticket.status === "reserved" && (ticket.expires_at as number) <= asOf ? { ...ticket, status: "expired" } : ticket);
  const events = state.events.map((event) => ({
    ...event,
    held: tickets.filter((ticket) => ticket.event_id === event.id && ticket.status === "reserved").length,
  }));
  return JSON.stringify({ ...state, events, tickets });
}

const dump = (): string => render(snapshot());

/** The latest instant a run may have taken as "now": its TIX_NOW, or the clock after it ended. */
function latestNow(env: { TIX_NOW?: string | undefined }): number {
  const pinned = env.TIX_NOW ? Date.parse(env.TIX_NOW) : Number.NaN;
  return Number.isFinite(pinned) ? Math.max(pinned, Date.now()) : Date.now();
}

beforeAll(() => {
  home = tempDir("tix-fuzz-");
  expect(runTix(["event", "create", "--id", "evt_fuzz", "--name", "Fuzz", "--capacity", "5", "--hold", "1d"], home.path).code).toBe(0);
  const reserved = runTix(["--json", "reserve", "evt_fuzz", "--key", "k1"], home.path);
  expect(reserved.code, reserved.stderr).toBe(0);
  ticketId = reserved.json().ticket.id;
});
afterAll(() => home?.remove());

// ---- what to throw at it ----

/** argv cannot carry NUL (exec refuses it; see the test below), so it is taken out. */
const noNul = (text: string) => text.replace(/\0/g, "");

const nastyConstant = fc.constantFrom(
  "", " ", "-", "--", "—", "-1", "0", "-0", "1.5", "1e3", "1e400", "NaN", "Infinity", "0x10", "0b1", "+5", " 7 ",
  "9".repeat(40), "99999999999", "10000001", "10000000", "4294967296", "-9007199254740993", "1.000000000000000001",
  "2025-02-30", "2025-02-29", "2024-02-30", "2025-13-01", "2025-00-10", "2025-06-15T24:00Z", "2025-06-15T23:60Z",
  "2025-06-15T20:00+99:99", "0000-01-01", "0099-12-31", "9999-12-31T23:59:59.999Z", "275760-09-13", "yesterday",
  "0s", "8d", "7d", "1s", "999999d", "1h30m", "1m1h", "10", "10 m", "45S",
  "0.001", "45.000", "45.", ".5", "1000000000000", "99999999999.99", "JPY", "usd", "EURO", "€",
  "4242424242424242", "4000000000000002", "4242424242424241", "4242 4242 4242 4242", "4242-4242-4242-4242", "42",
  "reserved", "RESERVED", "expired", "lost",
  "\u001b[31mred\u001b[0m", "\u001b]0;pwned\u0007", "line\nbreak", "carriage\rreturn", "tab\there", "\u0007bell",
  "\u202eevil", "\u200b", "\ufeffbom", "💥", "👨‍👩‍👧", "e\u0301", "\ud800", "日本語のイベント", "العربية",
  "%s%n", "${HOME}", "$(reboot)", "'; DROP TABLE events; --", "../../etc/passwd", "null", "undefined", "true", "{}",
  "x".repeat(201), "y".repeat(256), "z".repeat(5_000),
);

const nasty: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: nastyConstant },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 30 }).map(noNul) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
);

/** A value that passes, so that one bad value among good ones is what gets tested. */
const GOOD: Record<string, string[]> = {
  "--name": ["Show", "Jazz Evening"],
  "--capacity": ["3", "10000000"],
  "--venue": ["Hall"],
  "--starts-at": ["2025-06-15T20:00Z", "2025-06-15"],
  "--hold": ["10m", "1h30m"],
  "--price": ["45.00", "0"],
  "--currency": ["USD", "EUR"],
  "--id": ["evt_fuzz", "evt_new"],
  "--key": ["k1", "k2"],
  "--card": ["4242424242424242", "4000000000000002"],
  "--event": ["evt_fuzz"],
  "--status": ["reserved", "cancelled"],
  "--user": ["alice", "bob"],
  "--store": ["memory"],
};

const COMMANDS: Array<{ words: string[]; positional: boolean; flags: string[] }> = [
  { words: ["event", "create"], positional: false, flags: ["--name", "--capacity", "--venue", "--starts-at", "--hold", "--price", "--currency", "--id"] },
  { words: ["event", "update"], positional: true, flags: ["--name", "--capacity", "--venue", "--starts-at", "--hold", "--price"] },
  { words: ["event", "list"], positional: false, flags: [] },
  { words: ["event", "show"], positional: true, flags: [] },
  { words: ["seed"], positional: false, flags: [] },
  { words: ["reserve"], positional: true, flags: ["--key"] },
  { words: ["purchase"], positional: true, flags: ["--card"] },
  { words: ["cancel"], positional: true, flags: [] },
  { words: ["ticket", "list"], positional: false, flags: ["--event", "--status", "--all-users"] },
  { words: ["ticket", "show"], positional: true, flags: [] },
];

const GLOBAL_FLAGS = ["--json", "--no-color", "--no-input", "--color"];
const UNKNOWN_FLAGS = ["--frobnicate", "-x", "--capacity=", "--json=yes", "--all-users=maybe", "---", "-"];

/** A store option that never points tix at a file outside the test's folder, nor at a server. */
const storeValue = fc.constantFrom("memory", "sqlite:", "bogus", "mysql://localhost/tix", "memory:", "sqlite");

const value = (flag: string) => fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...(GOOD[flag] ?? ["x"])) },
  { weight: 2, arbitrary: nasty },
);

/** Present one time in six. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arbitrary });

const positional = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("evt_fuzz", "TICKET", "evt_missing", "tkt_missing") },
  { weight: 1, arbitrary: nasty },
);

/** Mostly well-formed command lines with bad values in them; sometimes plain chaos. */
const commandLine: fc.Arbitrary<string[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(...COMMANDS).chain((command) => fc.tuple(
      fc.subarray(GLOBAL_FLAGS),
      rarely(fc.tuple(fc.constantFrom("--user", "--store"), nasty)),
      command.positional ? positional.map((id): string[] => [id]) : rarely(positional).map((id): string[] => (id === undefined ? [] : [id])),
      fc.array(fc.constantFrom(...(command.flags.length > 0 ? command.flags : ["--json"])).chain((flag): fc.Arbitrary<string[]> =>
        flag === "--all-users" ? fc.constant([flag]) : value(flag).map((text) => [flag, text])), { maxLength: 4 }),
      rarely(fc.constantFrom(...UNKNOWN_FLAGS)),
    ).map(([globals, globalOption, positionals, flags, unknown]): string[] => {
      const safeGlobal = globalOption?.[0] === "--store" ? [] : globalOption ?? [];
      return [...globals, ...safeGlobal, ...command.words, ...positionals, ...flags.flat(), ...(unknown ? [unknown] : [])];
    })),
  },
  {
    weight: 1,
    arbitrary: fc.array(fc.oneof(
      fc.constantFrom(...GLOBAL_FLAGS, ...UNKNOWN_FLAGS, ...COMMANDS.flatMap((command) => [...command.words, ...command.flags])),
      nasty,
    ), { maxLength: 8 }),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constant("--store"), storeValue, fc.constantFrom(...COMMANDS)).map(([flag, store, command]) => [flag, store, ...command.words, "evt_fuzz"]) },
).map((argv) => argv.map((arg) => (arg === "TICKET" ? ticketId : arg)));

/** Environment values are fuzzed too: the clock, the user, the busy timeout. */
const environment = fc.record({
  TIX_NOW: rarely(fc.oneof(fc.constantFrom("2030-01-01T12:00:00Z", "2025-02-30", "soon", "", "9999-12-31"), nasty)),
  TIX_USER: rarely(fc.oneof(fc.constantFrom("bob", "carol", "a b", "x".repeat(65)), nasty)),
  TIX_BUSY_TIMEOUT_MS: rarely(fc.constantFrom("-5", "abc", "0", "1e9", "100")),
});

const ALLOWED_EXITS = [0, 2, 3, 4, 5, 6, 7];
/** C0 and C1 control characters (ESC, CR, BEL…) and bidi overrides: what a terminal obeys. */
// eslint-disable-next-line no-control-regex
const OBEYED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
/** The contract's exit table (written out here, not imported: this test checks the code against it), and the codes tix adds in the contract's classes. */
const EXIT_OF_CODE: Record<string, number> = {
  INVALID_ARGUMENT: 2, EVENT_NOT_FOUND: 3, TICKET_NOT_FOUND: 3, SOLD_OUT: 4, DUPLICATE_RESERVATION: 4,
  IDEMPOTENCY_KEY_REUSED: 4, ALREADY_PURCHASED: 4, ALREADY_CANCELLED: 4, CAPACITY_BELOW_COMMITTED: 4, SALES_CLOSED: 4,
  HOLD_EXPIRED: 5, PAYMENT_DECLINED: 6, NOT_TICKET_OWNER: 7,
  NOT_WAITING: 3, SEAT_MAP_NOT_FOUND: 3, SEAT_TAKEN: 4, LIMIT_EXCEEDED: 4, ALREADY_CHECKED_IN: 4, TICKET_NOT_PURCHASED: 4, VOUCHER_INVALID: 4,
  VOUCHER_USED_UP: 4, ACCESS_CODE_INVALID: 7,
};

/** The user-facing rules for one finished run. */
function expectWellBehaved(run: TixRun, forcedColour = false): void {
  expect(ALLOWED_EXITS, `exit ${run.code}; stderr: ${run.stderr}; stdout: ${run.stdout.slice(0, 500)}`).toContain(run.code);
  expect(run.stderr, "a stack trace reached the user").not.toMatch(/^\s+at /m);
  const stderrLines = run.stderr.split("\n").filter((line) => line !== "");
  // A success may add notes, one line each (a start in the past and the memory store's, together); anything else is one line at most.
  const notNotes = stderrLines.filter((line) => !/^note: /.test(line));
  expect(notNotes.length, `stderr must be at most one line besides notes: ${JSON.stringify(run.stderr)}`).toBeLessThanOrEqual(1);
  if (run.code !== 0) expect(stderrLines.length, `a failure's stderr must be at most one line: ${JSON.stringify(run.stderr)}`).toBeLessThanOrEqual(1);
  // What was typed may be quoted back, but never as characters the terminal would obey.
  // (Colour codes are allowed only when colour was asked for.)
  // eslint-disable-next-line no-control-regex
  const stderr = forcedColour ? run.stderr.replace(/\u001b\[[0-9;]*m/g, "") : run.stderr;
  expect(stderr.replace(/\n$/, ""), `raw control characters on stderr: ${JSON.stringify(run.stderr)}`).not.toMatch(OBEYED);
  if (run.code === 0) return;
  if (run.stdout === "") {
    // Human mode: the one line on stderr says what was wrong.
    expect(stderrLines, "a failure says why, on stderr").toHaveLength(1);
    // (With --color, "error:" is red: compared without its colour codes.)
    expect(stderr).toMatch(/^error: /);
    return;
  }
  // JSON mode: one error document on stdout, its code matching the exit code.
  const lines = run.stdout.split("\n").filter((line) => line !== "");
  expect(lines, `stdout: ${run.stdout}`).toHaveLength(1);
  const body = JSON.parse(lines[0]!);
  expect(body.status).toBe("error");
  expect(EXIT_OF_CODE[body.error.code], `${body.error.code} with exit ${run.code}`).toBe(run.code);
}

describe("bad input through bin/tix", () => {
  it(`${RUNS} random command lines: exit 0 or 2–7, one line on stderr, no stack trace; a refused one changes nothing`, async () => {
    let failures = 0;
    await fc.assert(
      fc.asyncProperty(commandLine, environment, async (argv, env) => {
        const before = snapshot();
        const run = await runTixAsync(argv, home.path, { env, timeoutMs: PROCESS_TIMEOUT_MS });
        expectWellBehaved(run, argv.includes("--color"));
        if (run.code === 2) {
          // Bad input is refused before the store is touched: not a byte of it changes.
          expect(dump(), "exit 2 changed the store").toBe(render(before));
        } else if (run.code !== 0) {
          // Other refusals change nothing a user can see (releasing due holds is not a change).
          const asOf = latestNow(env);
          expect(render(snapshot(), asOf), `exit ${run.code} changed the store`).toBe(render(before, asOf));
        }
        if (run.code !== 0) failures++;
      }),
      {
        numRuns: RUNS,
        ...fastCheckSeed(),
        // Kept counterexamples, run first: a read refused (exit 3) after it released a due hold.
        examples: [
          [["--json", "--no-color", "--no-input", "event", "show", "evt_missing"], { TIX_NOW: "2099-01-01T12:00:00Z", TIX_USER: undefined, TIX_BUSY_TIMEOUT_MS: undefined }],
        ],
      },
    );
    // Most lines are meant to be refused; some must get through to the engine.
    expect(failures).toBeGreaterThan(RUNS / 4);
  }, 120_000 + RUNS * 1_500);

  it("refuses, as exit 2 changing nothing, each kind of bad value on its own", async () => {
    const cases: string[][] = [
      ["event", "create", "--name", "X", "--capacity", "-1"],
      ["event", "create", "--name", "X", "--capacity", "1.5"],
      ["event", "create", "--name", "X", "--capacity", "99999999999999999999"],
      ["event", "create", "--name", "X", "--capacity", "10000001"],
      ["event", "create", "--name", "X", "--capacity", "3", "--starts-at", "2025-02-30"],
      ["event", "create", "--name", "X", "--capacity", "3", "--starts-at", "2025-06-15T24:00Z"],
      ["event", "create", "--name", "X", "--capacity", "3", "--hold", "8d"],
      ["event", "create", "--name", "X", "--capacity", "3", "--price", "-5"],
      ["event", "create", "--name", "X", "--capacity", "3", "--price", "4.999"],
      ["event", "create", "--name", "X", "--capacity", "3", "--price", "1e3"],
      ["event", "create", "--name", "x".repeat(201), "--capacity", "3"],
      ["event", "create", "--name", "X", "--capacity", "3", "--id", "evt/../../x"],
      ["event", "update", "evt_fuzz", "--capacity", "0"],
      ["event", "update", "evt_fuzz"],
      ["event", "show", "x".repeat(300)],
      ["reserve", "evt_fuzz", "--key", ""],
      ["reserve", "evt_fuzz", "--key", "k".repeat(256)],
      ["reserve", "evt_fuzz", "--key", "bell\u0007"],
      ["--user", "has space", "reserve", "evt_fuzz"],
      ["--user", "", "reserve", "evt_fuzz"],
      ["purchase", "TICKET", "--card", "4242424242424241"],
      ["purchase", "TICKET", "--card", "12"],
      ["ticket", "list", "--status", "lost"],
      ["reserve", "evt_fuzz", "--frobnicate"],
      ["frobnicate"],
      ["reserve"],
      // Regressions: a command group without its command printed its whole help on stderr (and no
      // JSON with --json); values with control characters were echoed raw into the error line.
      ["event"],
      ["ticket"],
      ["event", "create", "--name", "X", "--capacity", "\u001b]0;pwned\u0007\u001b[2J"],
      ["event", "create", "--name", "X", "--capacity", "3", "--starts-at", "2025-01-01\u001b[2J"],
      ["--user", "a\u001b[31mb", "event", "list"],
    ].map((argv) => argv.map((arg) => (arg === "TICKET" ? ticketId : arg)));
    for (const argv of cases) {
      for (const json of [false, true]) {
        const before = dump();
        const run = runTix(json ? ["--json", ...argv] : argv, home.path, { timeoutMs: PROCESS_TIMEOUT_MS });
        expect(run.code, `${JSON.stringify(argv)}: ${run.stderr}${run.stdout}`).toBe(2);
        expectWellBehaved(run);
        if (json) expect(run.json().error.code).toBe("INVALID_ARGUMENT");
        expect(dump(), JSON.stringify(argv)).toBe(before);
      }
    }
  }, 120_000);

  it("refuses impossible dates and stores possible ones as meant, years 0–99 and leap days included", async () => {
    // Regression: Date.UTC reads years 0–99 as 1900–1999, so 0099-12-31 was stored as 1999-12-31.
    const stored: Array<[string, string]> = [
      ["0099-12-31T10:00Z", "0099-12-31T10:00:00.000Z"],
      ["0000-02-29", "0000-02-29T00:00:00.000Z"],
      ["2000-02-29", "2000-02-29T00:00:00.000Z"],
      ["2024-02-29T23:59:59.999Z", "2024-02-29T23:59:59.999Z"],
      ["2025-06-15 20:00+02:00", "2025-06-15T18:00:00.000Z"],
    ];
    const refused = ["1900-02-29", "2025-02-29", "2100-02-29", "0001-02-29", "2025-04-31"];
    const runs = await Promise.all([...stored.map(([given]) => given), ...refused].map((startsAt) =>
      runTixAsync(["--json", "--store", "memory", "event", "create", "--name", "Dated", "--capacity", "1", "--starts-at", startsAt], home.path)));
    for (const [index, [given, expected]] of stored.entries()) {
      expect(runs[index]!.code, `${given}: ${runs[index]!.stdout}`).toBe(0);
      expect(runs[index]!.json().event.startsAt, given).toBe(expected);
    }
    for (const [index, given] of refused.entries()) {
      const run = runs[stored.length + index]!;
      expect(run.code, `${given}: ${run.stdout}`).toBe(2);
      expect(run.json().error.message).toContain("starts-at");
    }
  });

  it("cannot be handed a NUL byte in an argument: the OS interface refuses it before tix runs", () => {
    // C strings end at NUL, so no program can receive one in argv; Node refuses to try.
    expect(() => spawnSync(process.execPath, [TIX_BIN, "event", "create", "--name", "a\u0000b", "--capacity", "1"]))
      .toThrow(/null bytes/);
  });
});
