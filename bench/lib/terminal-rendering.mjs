// The terminal-rendering row of `npm run bench`: `tix event list --all` over 20,000 events in a
// real pseudo-terminal (node-pty), against the same list piped, alternating, in the same run.
// The target (issue 14): a terminal costs at most 2× the piped time.
import { spawn as spawnPty } from "node-pty";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openTix } from "../../dist/index.js";
import { BIN, timedRun } from "./processes.mjs";
import { summary } from "./stats.mjs";

const COLUMNS = 160;
const ROWS = 50;

/** Wall time of `bin/tix args` in a pseudo-terminal of COLUMNS × ROWS, its output read as a terminal would. */
function timedInTerminal(args, env) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const pty = spawnPty(process.execPath, [BIN, ...args], { name: "xterm-256color", cols: COLUMNS, rows: ROWS, env });
    let bytes = 0;
    pty.onData((data) => (bytes += data.length));
    pty.onExit(({ exitCode }) => {
      const ms = performance.now() - start;
      if (exitCode !== 0) reject(new Error(`${args.join(" ")} exited ${exitCode} in a terminal`));
      else resolve({ ms, bytes });
    });
  });
}

/** 20,000 events, each with its own start time (so no two dates are formatted alike), some past. */
async function seedEvents(store, count) {
  const tix = await openTix({ store });
  const start = Date.UTC(2024, 0, 1);
  const inputs = Array.from({ length: count }, (_, i) => ({
    id: `evt_bench_${i}`,
    name: `Bench event number ${i}${i % 7 === 0 ? " with a name long enough to be cut on a terminal" : ""}`,
    venue: `Hall ${i % 97}, Some Street ${i % 13}`,
    startsAt: new Date(start + i * 3_700_000).toISOString(),
    capacity: 100 + (i % 900),
    price: `${10 + (i % 90)}.00`,
  }));
  await tix.events.createMany({ events: inputs, actor: "bench" });
  await tix.close();
}

export async function terminalRendering({ env, home, runs, count, row, results, log }) {
  const dir = mkdtempSync(join(home, "terminal-"));
  const store = `sqlite:${join(dir, "tix.db")}`;
  log(`terminal rendering: seeding ${count.toLocaleString("en-US")} events`);
  await seedEvents(store, count);
  const piped = { ...env, TIX_STORE: store };
  // A terminal as a person has it: colour on, no pager (the time measured is tix's own).
  const terminal = { ...piped, TERM: "xterm-256color" };
  delete terminal.NO_COLOR;
  const list = ["event", "list"];
  const lines = timedRun([BIN, ...list], piped).stdout.split("\n").length - 1;
  if (lines !== count) throw new Error(`event list printed ${lines} lines, expected ${count}`);
  log(`terminal rendering: ${runs} runs each, piped and in a ${COLUMNS}-column terminal`);
  const pipe = [];
  const all = [];
  const first = [];
  const pairs = [];
  for (let run = -1; run < runs; run++) {
    const base = timedRun([BIN, ...list], piped).ms;
    const tty = await timedInTerminal(["--no-pager", ...list, "--all"], terminal);
    const screenful = await timedInTerminal(["--no-pager", ...list], terminal);
    if (run < 0) continue; // warm-up: file caches
    pipe.push(base);
    all.push(tty.ms);
    first.push(screenful.ms);
    pairs.push(tty.ms / base);
  }
  const floor = summary(pipe);
  const allTime = summary(all);
  const ratio = { ...summary(pairs), median: allTime.median / floor.median };
  const firstTime = summary(first);
  results.terminal = { events: count, columns: COLUMNS, piped: floor, all: allTime, ratio, default: firstTime };
  const section = `Terminal output (${count.toLocaleString("en-US")} events, SQLite)`;
  row(section, "`tix event list`, piped (every event, tab-separated)", floor, " ms");
  row(section, `\`tix event list --all\` in a ${COLUMNS}-column terminal (every event, a fitted table)`, allTime, " ms", { ratio, ratioOf: "piped", target: { max: 2 } });
  row(section, "`tix event list` in a terminal (the first 30, upcoming first)", firstTime, " ms", { ratio: { ...summary(first.map((ms, i) => ms / pipe[i])), median: firstTime.median / floor.median }, ratioOf: "piped" });
}
