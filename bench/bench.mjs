#!/usr/bin/env node
// npm run bench: how fast tix is, measured on the built dist/ and bin/tix (what users run), each
// figure against a floor measured in the same run on the same machine. A script, not a test:
// it prints a table and writes bench/results/bench.json and bench/results/bench.md.
//
//   npm run bench                      build, then every section (a few minutes)
//   npm run bench -- --quick           fewer and smaller runs, to try it out
//   npm run bench -- --only=startup,batch       (sections: startup, throughput, sizes, batch, contention, serve, seating, http)
//   npm run bench -- --postgres        adds PostgreSQL rows on a throw-away server (needs initdb)
//   TIX_BENCH_PG_URL=postgres://…      … or on a database you give (the bench writes to it)
//
// Knobs (environment): TIX_BENCH_RUNS (runs per figure, 5), TIX_BENCH_WARMUP_RUNS (throughput runs
// not counted, 3), TIX_BENCH_STARTUP_RUNS (30),
// TIX_BENCH_SIZES (1e3,1e5,1e6: SQLite), TIX_BENCH_MEMORY_SIZES (1e3,1e5), TIX_BENCH_BATCH_LINES
// (1000), TIX_BENCH_PROCESSES (separate processes per run, 100), TIX_BENCH_CONTENTION (1,2,4,8),
// TIX_BENCH_HTTP=0 (skip the HTTP load run), TIX_BENCH_TERMINAL_RUNS (10), TIX_BENCH_TERMINAL_EVENTS (20000).
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, type } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { customAlphabet } from "nanoid";
import { openTix } from "../dist/index.js";
import { BIN, ROOT, startReadyTix, timedRun, tixEnv } from "./lib/processes.mjs";
import { prepareSeeding, seedTo, verifySeeded } from "./lib/seed-sqlite.mjs";
import { makeTokens, serveRush } from "./lib/serve-rush.mjs";
import { seatingRows } from "./seating.mjs";
import { fmt, fmtSpread, summary } from "./lib/stats.mjs";
import { terminalRendering } from "./lib/terminal-rendering.mjs";

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const quick = flag("quick") || process.env.TIX_BENCH_QUICK === "1";
const only = argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
const numbers = (text) => text.split(",").filter(Boolean).map(Number);
const knob = (name, normal, small) => process.env[name] ?? (quick ? small : normal);

const RUNS = Number(knob("TIX_BENCH_RUNS", 5, 3));
// Throughput runs made and not counted first: V8 is still compiling tix's path (and throwing
// compiled code away as new shapes come) through the first tens of thousands of reservations.
const WARMUP_RUNS = Number(knob("TIX_BENCH_WARMUP_RUNS", 3, 3));
const STARTUP_ROUNDS = Number(knob("TIX_BENCH_STARTUP_RUNS", 30, 8));
const SIZES = numbers(knob("TIX_BENCH_SIZES", "1e3,1e5,1e6", "1e3,1e4"));
const MEMORY_SIZES = numbers(knob("TIX_BENCH_MEMORY_SIZES", "1e3,1e5", "1e3,1e4"));
const BATCH_LINES = Number(knob("TIX_BENCH_BATCH_LINES", 1000, 200));
const PROCESSES = Number(knob("TIX_BENCH_PROCESSES", 100, 20));
const CONTENTION = numbers(knob("TIX_BENCH_CONTENTION", "1,2,4,8", "1,4"));
/** Reserves each rushing process makes on an event of its own before the rush (see contention). */
const WARM_UP_RESERVES = 8;
const pgWanted = flag("postgres") || process.env.TIX_BENCH_POSTGRES === "1" || Boolean(process.env.TIX_BENCH_PG_URL);
const wants = (section) => !only || only.includes(section);

const home = mkdtempSync(join(tmpdir(), "tix-bench-"));
const env = tixEnv(home);
const rows = [];
const results = {};
const log = (text) => process.stderr.write(`bench: ${text}\n`);

/** One line of the table: a measured summary, and optionally its ratio to a floor and a target. */
function row(section, measure, value, unit, extra = {}) {
  rows.push({ section, measure, value, unit, ...extra });
}

async function main() {
  const started = performance.now();
  results.environment = environment();
  log(`Node ${results.environment.node}, SQLite ${results.environment.sqlite}, ${results.environment.cpus} × ${results.environment.cpu}; load ${results.environment.loadAtStart}`);
  let pg;
  try {
    // Start-up first, before a PostgreSQL server runs beside it.
    if (wants("startup")) await startup();
    if (pgWanted) pg = await postgres();
    if (wants("throughput")) await throughput(pg);
    if (wants("sizes")) await sizes();
    if (wants("batch")) await batch();
    if (wants("contention")) await contention(pg);
    if (wants("serve")) await serve(pg);
    if (wants("seating")) await seating();
    if (wants("terminal")) await terminalRendering({ env, home, runs: Number(knob("TIX_BENCH_TERMINAL_RUNS", 10, 3)), count: Number(knob("TIX_BENCH_TERMINAL_EVENTS", 20_000, 20_000)), row, results, log });
  } finally {
    await pg?.stop();
    rmSync(home, { recursive: true, force: true });
  }
  results.environment.loadAtEnd = loadavg().map((value) => value.toFixed(2)).join(" ");
  results.environment.seconds = Math.round((performance.now() - started) / 1000);
  report();
  if (wants("http") && process.env.TIX_BENCH_HTTP !== "0") http();
}

function environment() {
  const db = new Database(":memory:");
  const sqlite = db.prepare("SELECT sqlite_version()").pluck().get();
  db.close();
  const version = (name) => JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
  return {
    date: new Date().toISOString(),
    node: process.version,
    sqlite,
    betterSqlite3: version("better-sqlite3"),
    tix: JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version,
    os: `${type()} ${release()}`,
    cpu: cpus()[0]?.model.trim() ?? "unknown",
    cpus: cpus().length,
    loadAtStart: loadavg().map((value) => value.toFixed(2)).join(" "),
    codeCache: codeCacheTaken(),
    knobs: { RUNS, WARMUP_RUNS, STARTUP_ROUNDS, SIZES, MEMORY_SIZES, BATCH_LINES, PROCESSES, CONTENTION, quick },
  };
}

/** Whether V8 takes dist/cli.cjs.cache (compiled as bin/tix does it), so start-up is what users get. */
function codeCacheTaken() {
  const bundle = join(ROOT, "dist", "cli.cjs");
  const check = spawnSync(process.execPath, ["-e", `
    const { readFileSync } = require("node:fs"); const { Script } = require("node:vm"); const Module = require("node:module");
    const source = readFileSync(${JSON.stringify(bundle)}, "utf8"); const cache = readFileSync(${JSON.stringify(`${bundle}.cache`)});
    const tag = source.slice(-17, -1);
    const script = new Script(Module.wrap(source), { filename: ${JSON.stringify(bundle)}, cachedData: cache.subarray(16) });
    console.log(cache.toString("latin1", 0, 16) === tag && !script.cachedDataRejected ? "taken" : "refused");`], { encoding: "utf8" });
  return check.stdout.trim() || `missing (${check.stderr.split("\n")[0]})`;
}

// ---------------------------------------------------------------------------------------------
// Cold start: bin/tix against `node -e 0`, alternating, stdout and stderr piped as in a script.

async function startup() {
  log(`start-up: ${STARTUP_ROUNDS} rounds`);
  timedRun([BIN, "seed"], env);
  const commands = [
    { measure: "`tix --version`", args: () => [BIN, "--version"] },
    { measure: "`tix event show ID` (SQLite)", args: () => [BIN, "event", "show", "evt_jazz_evening"], target: 1.15 },
    { measure: "`tix reserve ID` (SQLite: a write, synced)", args: (i) => [BIN, "--user", `cold-${i}`, "reserve", "evt_rock_night_2025"] },
  ];
  const node = [];
  const times = commands.map(() => []);
  const pairs = commands.map(() => []);
  for (let round = -3; round < STARTUP_ROUNDS; round++) {
    commands.forEach((command, index) => {
      const base = timedRun(["-e", "0"], env).ms;
      const ms = timedRun(command.args(round + 3), env).ms;
      if (round < 0) return; // warm-up: file caches
      node.push(base);
      times[index].push(ms);
      pairs[index].push(ms / base);
    });
  }
  const baseline = summary(node);
  results.startup = { node: baseline, commands: [] };
  row("Start-up", "`node -e 0`", baseline, "ms");
  commands.forEach((command, index) => {
    const time = summary(times[index]);
    const ratio = { ...summary(pairs[index]), median: time.median / baseline.median };
    results.startup.commands.push({ measure: command.measure, time, ratio });
    row("Start-up", command.measure, time, "ms", { ratio, ratioOf: "node -e 0", target: command.target && { max: command.target } });
  });
}

// ---------------------------------------------------------------------------------------------
// Throughput through the library (dist/index.js), each against a floor in the same run.

const ALPHABET = "0123456789abcdefghijkmnopqrstuvwxyz";
const newId = customAlphabet(ALPHABET, 16);

async function throughput(pg) {
  const stores = [
    { name: "memory", url: () => "memory", fresh: true, ops: quick ? 5000 : 20_000, floor: mapFloor, floorName: "Map.set + id", target: 0.3 },
    { name: "SQLite", url: () => `sqlite:${join(home, "throughput.db")}`, ops: quick ? 100 : 400, floor: sqliteFloor(join(home, "throughput.db")), floorName: "one-row insert transaction", target: 0.5 },
  ];
  if (pg) stores.push({ name: "PostgreSQL", url: () => pg.url, ops: quick ? 100 : 300, floor: await pgFloor(pg.url), floorName: "one-row insert", target: 0.5 });
  results.throughput = {};
  for (const store of stores) {
    log(`throughput: ${store.name}, ${RUNS} runs of ${store.ops}`);
    const reserve = [];
    const floor = [];
    const ratio = [];
    const purchase = [];
    const cancel = [];
    const warmup = [];
    let tix = store.fresh ? undefined : await openTix({ store: store.url() });
    for (let run = -WARMUP_RUNS; run < RUNS; run++) {
      if (store.fresh) tix = await openTix({ store: store.url() });
      const { event } = await tix.events.create({ name: `Bench ${run}`, capacity: 10_000_000, price: "10.00", hold: "1h" });
      const users = Array.from({ length: store.ops }, (_, i) => `t${run + 1}-${i}-${newId()}`);
      let start = performance.now();
      const tickets = [];
      for (const userId of users) tickets.push((await tix.tickets.reserve({ eventId: event.id, userId, key: "k" })).ticket.id);
      const tixRate = store.ops / ((performance.now() - start) / 1000);
      const floorRate = await store.floor(store.ops, event.id);
      start = performance.now();
      for (let i = 0; i < users.length; i++) await tix.tickets.purchase({ ticketId: tickets[i], userId: users[i] });
      const purchaseRate = store.ops / ((performance.now() - start) / 1000);
      start = performance.now();
      for (let i = 0; i < users.length; i++) await tix.tickets.cancel({ ticketId: tickets[i], userId: users[i] });
      const cancelRate = store.ops / ((performance.now() - start) / 1000);
      if (store.fresh) await tix.close();
      if (run < 0) {
        warmup.push({ reserve: tixRate, floor: floorRate }); // kept in bench.json, not counted
        continue;
      }
      reserve.push(tixRate);
      floor.push(floorRate);
      ratio.push(tixRate / floorRate);
      purchase.push(purchaseRate);
      cancel.push(cancelRate);
    }
    if (!store.fresh) await tix.close();
    await store.floor.close?.();
    const figures = { reserve: summary(reserve), floor: summary(floor), ratio: summary(ratio), purchase: summary(purchase), cancel: summary(cancel), warmup };
    results.throughput[store.name] = figures;
    row("Throughput", `reserve, ${store.name}`, figures.reserve, "/s", { ratio: figures.ratio, ratioOf: store.floorName, target: store.target && { min: store.target } });
    row("Throughput", `floor: ${store.floorName}, ${store.name}`, figures.floor, "/s");
    row("Throughput", `purchase, ${store.name}`, figures.purchase, "/s");
    row("Throughput", `cancel (refund), ${store.name}`, figures.cancel, "/s");
  }
}

/** What a reservation is at the very least: an id made and a record put in a Map. */
async function mapFloor(ops, eventId) {
  const map = new Map();
  const start = performance.now();
  for (let i = 0; i < ops; i++) {
    const id = `tkt_${newId()}`;
    map.set(id, { id, eventId, userId: `u${i}`, status: "reserved", reservedAt: i, expiresAt: i + 600_000 });
  }
  return ops / ((performance.now() - start) / 1000);
}

/**
 * One row inserted in one write transaction, on tix's own file with tix's pragmas (WAL,
 * synchronous=FULL, a checkpoint every 4,000 WAL pages: src/store/sqlite/open-database.ts). The
 * checkpoint setting is per connection: with SQLite's 1,000 the floor's commits would run the
 * checkpoints of the reserves' pages.
 */
function sqliteFloor(file) {
  let db;
  const floor = async (ops, eventId) => {
    if (!db) {
      db = new Database(file, { timeout: 5000 });
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      db.pragma("wal_autocheckpoint = 4000");
      db.pragma("foreign_keys = ON");
      db.exec(`CREATE TABLE IF NOT EXISTS bench_floor (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, user_id TEXT NOT NULL,
        status TEXT NOT NULL, reserved_at INTEGER NOT NULL, expires_at INTEGER NOT NULL) STRICT`);
    }
    const insert = db.prepare("INSERT INTO bench_floor VALUES (?, ?, ?, 'reserved', ?, ?)");
    const write = db.transaction((i) => insert.run(`tkt_${newId()}`, eventId, `u${i}`, i, i + 600_000));
    const start = performance.now();
    for (let i = 0; i < ops; i++) write.immediate(i);
    return ops / ((performance.now() - start) / 1000);
  };
  floor.close = () => db?.close();
  return floor;
}

/** One row inserted by one statement (its own transaction) on the same server and database. */
async function pgFloor(url) {
  const { default: pgModule } = await import("pg");
  const client = new pgModule.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE TABLE IF NOT EXISTS public.tix_bench_floor (id text PRIMARY KEY, event_id text NOT NULL,
    user_id text NOT NULL, status text NOT NULL, reserved_at bigint NOT NULL, expires_at bigint NOT NULL)`);
  const floor = async (ops, eventId) => {
    const start = performance.now();
    for (let i = 0; i < ops; i++) {
      await client.query({ name: "floor", text: "INSERT INTO public.tix_bench_floor VALUES ($1, $2, $3, 'reserved', $4, $5)", values: [`tkt_${newId()}`, eventId, `u${i}`, i, i + 600_000] });
    }
    return ops / ((performance.now() - start) / 1000);
  };
  floor.close = async () => {
    await client.query("DROP TABLE IF EXISTS public.tix_bench_floor");
    await client.end();
  };
  return floor;
}

// ---------------------------------------------------------------------------------------------
// Reserve cost with many tickets already stored.

async function sizes() {
  results.sizes = {};
  // Reserves per run: SQLite's are bound by syncing to disk (~0.5 ms), memory's are microseconds.
  const measureMemory = async (tix, eventId, label, per) => {
    for (let i = 0; i < per; i++) await tix.tickets.reserve({ eventId, userId: `warm-${label}-${i}`, key: "k" }); // warm-up
    const costs = [];
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      for (let i = 0; i < per; i++) await tix.tickets.reserve({ eventId, userId: `m-${label}-${run}-${i}`, key: "k" });
      costs.push(((performance.now() - start) / per) * 1000);
    }
    return summary(costs);
  };

  // One file per size, each seeded and synced first, then the sizes' runs taken in turn (10³,
  // 10⁵, 10⁶, 10³, …): a sync's latency on this machine's disk drifted from ~0.5 to ~0.75 ms over
  // minutes, and the sizes measured one after another counted that drift as a cost of size.
  const files = [];
  for (const size of SIZES) {
    const file = join(home, `sizes-${size}.db`);
    const seeder = await openTix({ store: `sqlite:${file}` });
    const seeding = await prepareSeeding(seeder);
    await seeder.close();
    log(`sizes: SQLite, seeding ${size.toLocaleString("en-US")} tickets`);
    seedTo(file, seeding, size);
    files.push({ size, file, seeding, stored: verifySeeded(file, seeding) });
  }
  const per = quick ? 50 : 200;
  const opened = [];
  for (const { size, file, seeding } of files) {
    const tix = await openTix({ store: `sqlite:${file}` });
    for (let i = 0; i < per; i++) await tix.tickets.reserve({ eventId: seeding.eventId, userId: `warm-s${size}-${i}`, key: "k" }); // warm-up
    opened.push({ tix, costs: [] });
  }
  for (let run = 0; run < RUNS; run++) {
    for (const [index, { size, seeding }] of files.entries()) {
      const { tix, costs } = opened[index];
      const start = performance.now();
      for (let i = 0; i < per; i++) await tix.tickets.reserve({ eventId: seeding.eventId, userId: `m-s${size}-${run}-${i}`, key: "k" });
      costs.push(((performance.now() - start) / per) * 1000);
    }
  }
  const sqlite = files.map(({ size, stored }, index) => ({ size, stored, cost: summary(opened[index].costs) }));
  for (const { tix } of opened) await tix.close();
  results.sizes.SQLite = sqlite;

  const memory = [];
  for (const size of MEMORY_SIZES) {
    log(`sizes: memory, ${size.toLocaleString("en-US")} tickets through the engine`);
    const tix = await openTix({ store: "memory" });
    const { event } = await tix.events.create({ name: "Bench: many tickets", capacity: 10_000_000, price: "10.00", hold: "24h" });
    for (let i = 0; i < size; i++) {
      const userId = `seed-${i}`;
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId, key: "k" });
      if (i % 4 < 2) await tix.tickets.purchase({ ticketId: ticket.id, userId });
      else if (i % 4 === 2) await tix.tickets.cancel({ ticketId: ticket.id, userId });
    }
    memory.push({ size, stored: size, cost: await measureMemory(tix, event.id, `m${size}`, quick ? 500 : 2000) });
    await tix.close();
  }
  results.sizes.memory = memory;

  for (const [store, list] of [["SQLite", sqlite], ["memory", memory]]) {
    const smallest = list[0];
    for (const entry of list) {
      const ratio = { ...summary(entry.cost.values.map((value) => value / smallest.cost.median)), median: entry.cost.median / smallest.cost.median };
      entry.ratio = ratio;
      const isTarget = store === "SQLite" && entry !== smallest && entry.size >= 1e6 && smallest.size <= 1e3;
      row("Reserve cost by size", `${store}, ${entry.size.toLocaleString("en-US")} tickets stored`, entry.cost, " µs",
        entry === smallest ? {} : { ratio, ratioOf: `${smallest.size.toLocaleString("en-US")} stored`, target: isTarget && { max: 1.2 } });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Batch: one `tix repl` fed lines on a pipe, against one process per command.

async function batch() {
  const batchHome = mkdtempSync(join(home, "batch-"));
  const batchEnv = { ...env, TIX_HOME: batchHome };
  timedRun([BIN, "event", "create", "--id", "evt_batch", "--name", "Batch", "--capacity", "1000000"], batchEnv);
  log(`batch: ${RUNS} runs of ${BATCH_LINES} lines; ${RUNS} runs of ${PROCESSES} processes`);
  const perLine = [];
  const perProcess = [];
  for (let run = 0; run < RUNS; run++) {
    const lines = Array.from({ length: BATCH_LINES }, (_, i) => `reserve evt_batch --user b${run}-${i}\n`).join("");
    const { ms, stdout } = timedRun([BIN, "repl"], batchEnv, { input: lines });
    const answered = (stdout.match(/^id:\t/gm) ?? []).length;
    if (answered !== BATCH_LINES) throw new Error(`batch answered ${answered} of ${BATCH_LINES} lines`);
    perLine.push(ms / BATCH_LINES);
    const start = performance.now();
    for (let i = 0; i < PROCESSES; i++) timedRun([BIN, "--user", `p${run}-${i}`, "reserve", "evt_batch"], batchEnv);
    perProcess.push((performance.now() - start) / PROCESSES);
  }
  const line = summary(perLine);
  const process_ = summary(perProcess);
  const speedup = { ...summary(perProcess.map((ms, i) => ms / perLine[i])), median: process_.median / line.median };
  results.batch = { perLine: line, perProcess: process_, speedup, lines: BATCH_LINES, processes: PROCESSES };
  row("Batch (SQLite, reserve)", `one process per command (${PROCESSES} a run)`, process_, " ms/command");
  row("Batch (SQLite, reserve)", `\`tix repl\` on a pipe (${BATCH_LINES} lines a run)`, line, " ms/command", { ratio: speedup, ratioOf: "faster than separate processes", target: { min: 20 } });
}

// ---------------------------------------------------------------------------------------------
// Contention: P processes rushing one event. Each is a `tix repl` fed M reserves (distinct users);
// the event holds exactly P × M, so every attempt succeeds and the rate is successes per second,
// from the moment the reserves are sent (every process has started) to the last answer printed.
// (Not from the tickets' own reservedAt, first to last: a batch groups up to 64 lines in one
// transaction whose instants are microseconds apart, so that span leaves out most of the first
// and the last group — a quarter of one process's lines — and flattered the fewest processes.)

async function contention(pg) {
  const perProcess = quick ? 100 : 1000;
  const stores = [{ name: "SQLite", store: `sqlite:${join(home, "rush.db")}` }];
  if (pg) stores.push({ name: "PostgreSQL", store: pg.url });
  results.contention = {};
  for (const { name, store } of stores) {
    const list = [];
    for (const processes of CONTENTION) {
      log(`contention: ${name}, ${processes} processes × ${perProcess} reserves, ${RUNS} runs`);
      const rates = [];
      for (let run = 0; run < RUNS; run++) {
        const eventId = `evt_rush_${processes}_${run}_${Date.now()}`;
        const warmUpId = `${eventId}_warm_up`;
        timedRun([BIN, "--store", store, "event", "create", "--id", eventId, "--name", "Rush", "--capacity", String(processes * perProcess), "--hold", "1h"], env);
        timedRun([BIN, "--store", store, "event", "create", "--id", warmUpId, "--name", "Warm-up", "--capacity", String(processes * WARM_UP_RESERVES), "--hold", "1h"], env);
        // Every process has started, opened its store and reserved on another event (its server
        // connection has parsed and planned the statements of a lone reserve and of a batch, once
        // per connection) before any reserve is sent: the rush measures processes reserving
        // together, not their start-up.
        const warmUp = (p) => Array.from({ length: WARM_UP_RESERVES }, (_, i) => `reserve ${warmUpId} --user w${p}-${i} --json\n`).join("");
        const rushers = Array.from({ length: processes }, (_, p) => startReadyTix(["--store", store, "repl"], env, warmUp(p)));
        await Promise.all(rushers.map((rusher) => rusher.ready));
        const sentAt = performance.now();
        rushers.forEach((rusher, p) => rusher.send(Array.from({ length: perProcess }, (_, i) => `reserve ${eventId} --user r${p}-${i} --json\n`).join("")));
        const runs = await Promise.all(rushers.map((rusher) => rusher.done));
        const times = [];
        for (const { code, stdout, stderr } of runs) {
          if (code !== 0) throw new Error(`a rushing process exited ${code}: ${stderr.slice(0, 300)}`);
          for (const text of stdout.split("\n").filter(Boolean)) times.push(Date.parse(JSON.parse(text).ticket.reservedAt));
        }
        const lastAnswerAt = Math.max(...runs.map((run) => run.lastOutputAt));
        const event = JSON.parse(timedRun([BIN, "--store", store, "event", "show", eventId, "--json"], env).stdout).event;
        if (times.length !== processes * perProcess || event.held !== times.length || event.available !== 0) {
          throw new Error(`rush on ${eventId}: ${times.length} successes, event says held ${event.held}, available ${event.available}`);
        }
        rates.push(times.length / ((lastAnswerAt - sentAt) / 1000));
      }
      const rate = summary(rates);
      list.push({ processes, rate });
      const one = list[0];
      const scaling = processes > 1 && one.processes === 1 && name === "PostgreSQL"
        ? { ratio: { ...summary(rates.map((value) => value / one.rate.median)), median: rate.median / one.rate.median }, ratioOf: "1 process", target: processes >= 8 && { min: 1.5 } }
        : {};
      row(`Contention (${name}, one event)`, `${processes} process${processes > 1 ? "es" : ""}`, rate, " reserves/s", scaling);
    }
    results.contention[name] = list;
    if (name === "PostgreSQL") await hotRowCeiling(store, list.at(-1));
  }
}

/**
 * The most one row can take: as many client processes as tix's largest rush, each running
 * `UPDATE … SET n = n + 1 WHERE id = 1` in autocommit (pgbench's hot-row test), on the same server.
 */
async function hotRowCeiling(url, rush) {
  const ms = quick ? 2000 : 4000;
  const { default: postgres } = await import("postgres");
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  await sql`CREATE TABLE IF NOT EXISTS public.tix_bench_hot (id int PRIMARY KEY, n bigint NOT NULL)`;
  await sql`INSERT INTO public.tix_bench_hot VALUES (1, 0) ON CONFLICT (id) DO NOTHING`;
  log(`contention: PostgreSQL hot-row ceiling, ${rush.processes} processes × ${ms} ms, ${RUNS} runs`);
  const rates = [];
  for (let run = 0; run < RUNS; run++) {
    const counts = await Promise.all(Array.from({ length: rush.processes }, () => new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, "bench", "lib", "hot-row.mjs"), url, String(ms)], { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (chunk) => (out += chunk));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`hot-row.mjs exited ${code}`))));
    })));
    rates.push(counts.reduce((sum, count) => sum + count, 0) / (ms / 1000));
  }
  await sql`DROP TABLE IF EXISTS public.tix_bench_hot`;
  await sql.end();
  const ceiling = summary(rates);
  row("Contention (PostgreSQL, one event)", `ceiling: ${rush.processes} processes updating one row (autocommit)`, ceiling, " updates/s");
  const ratio = { ...summary(rush.rate.values.map((value) => value / ceiling.median)), median: rush.rate.median / ceiling.median };
  row("Contention (PostgreSQL, one event)", `${rush.processes} processes against the ceiling`, rush.rate, " reserves/s", { ratio, ratioOf: "hot-row ceiling", target: { min: 0.5 } });
}

// ---------------------------------------------------------------------------------------------
// tix serve: 64 HTTP clients (autocannon) reserving one event, group commit against one commit
// per request (`--no-group-commit`), each run alternating the two; durable stores. The requests
// take 4,096 buyers in turn, so each holds a handful of the event's tickets by the end of a run, as
// in an on-sale (until issue 16's nineteenth pass 128, each holding ~80–150: every reserve counted
// that many of its user's tickets, a quarter of PostgreSQL's work a grouped reserve).
const SERVE_BUYERS = Number(process.env.TIX_BENCH_SERVE_BUYERS ?? 4096);
const SERVE_WARM_UP_SECONDS = Number(process.env.TIX_BENCH_SERVE_WARMUP ?? 1);

async function serve(pg) {
  const connections = Number(process.env.TIX_BENCH_SERVE_CONNECTIONS ?? 64);
  const seconds = quick ? 2 : 4;
  const stores = [{ name: "SQLite", store: `sqlite:${join(home, "serve.db")}` }];
  if (pg) stores.push({ name: "PostgreSQL", store: pg.url });
  results.serve = {};
  const tokens = await makeTokens(env, SERVE_BUYERS);
  for (const { name, store } of stores) {
    log(`serve: ${name}, ${connections} connections, ${seconds}s, ${RUNS} runs of each mode`);
    const grouped = [];
    const single = [];
    for (let run = 0; run < RUNS; run++) {
      for (const [groupCommit, list] of [[true, grouped], [false, single]]) {
        list.push(await serveRush({ store, env, tokens, groupCommit, connections, seconds, warmUpSeconds: SERVE_WARM_UP_SECONDS, eventId: `evt_serve_${groupCommit ? "g" : "s"}_${run}_${Date.now()}` }));
      }
    }
    const rate = (list) => summary(list.map((one) => one.rate));
    const p99 = (list) => summary(list.map((one) => one.p99));
    const group = rate(grouped);
    const alone = rate(single);
    results.serve[name] = { grouped, single };
    const ratio = { ...summary(grouped.map((one, index) => one.rate / single[index].rate)), median: group.median / alone.median };
    row(`tix serve (${name}, ${connections} clients, one event)`, "one commit per request (--no-group-commit)", alone, " reserves/s");
    row(`tix serve (${name}, ${connections} clients, one event)`, "p99, one commit per request", p99(single), " ms");
    row(`tix serve (${name}, ${connections} clients, one event)`, "group commit", group, " reserves/s", { ratio, ratioOf: "one commit per request", target: { min: 10 } });
    row(`tix serve (${name}, ${connections} clients, one event)`, "p99, group commit", p99(grouped), " ms");
  }
}

// ---------------------------------------------------------------------------------------------

async function postgres() {
  if (process.env.TIX_BENCH_PG_URL) return { url: process.env.TIX_BENCH_PG_URL, stop: async () => {} };
  const { startPostgres, postgresUnavailableReason } = await import("../tests/helpers/postgres-server.mjs");
  const reason = postgresUnavailableReason();
  if (reason) {
    log(`PostgreSQL rows skipped: ${reason}`);
    return undefined;
  }
  log("starting a throw-away PostgreSQL server (fsync off, as in the tests)");
  const server = await startPostgres();
  const version = await server.query("SHOW server_version");
  results.environment.postgres = version[0]?.server_version;
  return server;
}

function http() {
  log("HTTP: bench/http-load.mjs (another script; its own table follows)");
  const run = spawnSync(process.execPath, [join(ROOT, "bench", "http-load.mjs")], { stdio: "inherit", env: process.env });
  if (run.status !== 0) log(`bench/http-load.mjs exited ${run.status}`);
}

// ---------------------------------------------------------------------------------------------
// Reserved seating: best available against one pass over the seats, seated reserves against
// general admission on the same store (bench/seating.mjs).

async function seating() {
  log("seating: best available on a 50,000-seat stadium; seated reserves on memory and SQLite");
  for (const entry of await seatingRows({ openTix, dir: home, quick, runs: RUNS })) row("Seating", entry.measure, entry.value, entry.unit, entry.extra);
}

function report() {
  const targetText = (entry) => {
    if (!entry.target || !entry.ratio) return "";
    const value = entry.ratio.median;
    const met = entry.target.max !== undefined ? value <= entry.target.max : value >= entry.target.min;
    return `${entry.target.max !== undefined ? "≤" : "≥"} ${entry.target.max ?? entry.target.min}× — ${met ? "met" : "missed"}`;
  };
  const lines = [
    `tix ${results.environment.tix} · Node ${results.environment.node} · SQLite ${results.environment.sqlite} (better-sqlite3 ${results.environment.betterSqlite3})` +
      `${results.environment.postgres ? ` · PostgreSQL ${results.environment.postgres}` : ""} · ${results.environment.cpus} × ${results.environment.cpu} · ${results.environment.os}`,
    `${results.environment.date} · load average ${results.environment.loadAtStart} → ${results.environment.loadAtEnd} · code cache ${results.environment.codeCache} · ${results.environment.seconds} s`,
    "",
    "| Measure | Median | Spread | Ratio | Target |",
    "| --- | --- | --- | --- | --- |",
  ];
  let section = "";
  for (const entry of rows) {
    if (entry.section !== section) {
      section = entry.section;
      lines.push(`| **${section}** | | | | |`);
    }
    const ratio = entry.ratio ? `${fmt(entry.ratio.median)}× ${entry.ratioOf} (${fmt(entry.ratio.low)}–${fmt(entry.ratio.high)})` : "";
    lines.push(`| ${entry.measure} | ${fmt(entry.value.median)}${entry.unit} | ${fmtSpread(entry.value, entry.unit)} | ${ratio} | ${targetText(entry)} |`);
  }
  const table = lines.join("\n");
  process.stdout.write(`\n${table}\n\n`);
  const dir = join(ROOT, "bench", "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "bench.md"), `${table}\n`);
  writeFileSync(join(dir, "bench.json"), `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
  log("wrote bench/results/bench.json and bench/results/bench.md");
}

await main();
