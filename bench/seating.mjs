#!/usr/bin/env node
// Reserved seating, measured. Two parts, each figure against a floor measured in the same run:
//  - the core: best available on a 50,000-seat stadium, 90 % sold, N = 1…10 (and splits, named
//    seats, opening the index), against one pass over every seat's state;
//  - the stores: a seated reserve through the engine (memory, SQLite) on that stadium, against a
//    general-admission reserve on the same store, and at 0 % and 90 % sold (it must not grow).
// `npm run bench` runs both as its "Seating" section (bench.mjs calls seatingRows). Alone:
//
//   node bench/seating.mjs            the core table (about half a minute), bench/results/seating.json
//   node bench/seating.mjs --quick    fewer repetitions
//
// The seating core (src/core/seating) is pure TypeScript; this script bundles it with esbuild into a
// temporary folder and imports that, so the core part needs neither dist/ nor a build step.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { fmt, summary } from "./lib/stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TIER = "Stadium";
/** 100 sections (101-150, 201-250) × 20 rows (A-T) × 25 seats with an aisle after 12: 50,000 seats, one tier. */
export const STADIUM = [100, 200].flatMap((ring) => Array.from({ length: 50 }, (_, section) => `${ring + section + 1}@${TIER}:A-T:1-12|13-25`));

let ROUNDS = 15;
let CALLS = 400;
let seating;
let layout;

/** A seeded generator (mulberry32), so every run sells the same seats. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sold as a box office sells: best-available orders of 1-8 seats (split when need be) until `fraction` is sold. */
function soldFrontFirst(fraction) {
  const index = seating.SeatIndex.open(layout);
  const next = random(7);
  const target = Math.round(layout.seatCount * fraction);
  for (let sold = 0; sold < target;) {
    const quantity = Math.min(1 + Math.floor(next() * 8), target - sold);
    const { seats } = seating.chooseSeats(index, { tier: TIER, quantity, allowSplit: true });
    index.set(seats, seating.SEAT_SOLD);
    sold += seats.length;
  }
  return index;
}

/** `fraction` of the seats sold at random: the most broken-up map, few blocks of 3 or more left. */
function soldScattered(fraction) {
  const states = new Uint8Array(layout.seatCount);
  const order = Array.from(states.keys());
  const next = random(11);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (const seat of order.slice(0, Math.round(layout.seatCount * fraction))) states[seat] = seating.SEAT_SOLD;
  return seating.SeatIndex.open(layout, states);
}

/** Microseconds a call: the median of ROUNDS rounds of CALLS calls. */
function time(work) {
  for (let i = 0; i < CALLS; i++) work(i); // warm-up
  const perCall = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) work(i);
    perCall.push(((performance.now() - start) * 1000) / CALLS);
  }
  return summary(perCall);
}

/** The floor: one pass over every seat's state (what a scan of the map would cost at the least). */
function floor(index) {
  const states = index.snapshot();
  let sink = 0;
  const result = time(() => {
    let free = 0;
    for (let seat = 0; seat < states.length; seat++) if (states[seat] === seating.SEAT_FREE) free++;
    sink += free;
  });
  return sink >= 0 ? result : result;
}

/** Best available, then the seats held and put back: what a reserve asks of the index. */
function reserveCost(index, quantity, allowSplit) {
  let outcome = "";
  const figure = time(() => {
    try {
      const { seats, blocks } = seating.chooseSeats(index, { tier: TIER, quantity, allowSplit });
      index.set(seats, seating.SEAT_HELD);
      index.set(seats, seating.SEAT_FREE);
      outcome = blocks === 1 ? "side by side" : `${blocks} blocks`;
    } catch (error) {
      outcome = error.code;
    }
  });
  return { figure, outcome };
}

/** The core's figures: best available and the index, on the stadium at 90 % sold (and N = 4 at 0 … 99 %). */
export async function seatingCore(options = {}) {
  await prepare(options);
  const rows = [];
  const results = { environment: { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model.trim(), cpus: cpus().length, load: loadavg().map((v) => v.toFixed(2)).join(" ") } };
  const row = (fill, measure, figure, base, outcome = "") =>
    rows.push({ fill, measure, figure, median: figure.median, low: figure.low, high: figure.high, ratio: figure.median / base.median, outcome });
  results.fills = {};
  for (const [fill, index] of [["front first", soldFrontFirst(0.9)], ["scattered", soldScattered(0.9)]]) {
    const base = floor(index);
    const packed = seating.packSeatStates(index.snapshot());
    results.fills[fill] = { free: index.freeSeats(TIER), largestBlock: index.largestBlock(TIER), floor: base };
    console.error(`seating bench: 90 % sold ${fill}: ${index.freeSeats(TIER)} free, largest block ${index.largestBlock(TIER)}`);
    row(fill, "floor: one pass over 50,000 seat states", base, base);
    for (let quantity = 1; quantity <= 10; quantity++) {
      const adjacent = reserveCost(index, quantity, false);
      row(fill, `best available, N = ${quantity}`, adjacent.figure, base, adjacent.outcome);
      if (adjacent.outcome === "SOLD_OUT") {
        const split = reserveCost(index, quantity, true);
        row(fill, `best available, N = ${quantity}, split allowed`, split.figure, base, split.outcome);
      }
    }
    const free = [];
    for (let seat = 0; seat < layout.seatCount && free.length < 4; seat++) if (index.state(seat) === seating.SEAT_FREE) free.push(seating.labelOfSeat(layout, seat));
    const named = seating.chooseSeats(index, { seats: free });
    row(fill, `named seats (${free.join(", ")})`, time(() => seating.chooseSeats(index, { seats: free })), base, named.blocks === 1 ? "side by side" : `${named.blocks} blocks`);
    row(fill, "open the index from its stored form (2 bits a seat)", time(() => seating.SeatIndex.open(layout, seating.unpackSeatStates(packed, layout.seatCount))), base);
    // A store without a cached index, per reserve: read the stored states, decide, write them back.
    row(fill, "uncached reserve, N = 4: open, choose, hold, pack", time(() => {
      const opened = seating.SeatIndex.open(layout, seating.unpackSeatStates(packed, layout.seatCount));
      opened.set(seating.chooseSeats(opened, { tier: TIER, quantity: 4, allowSplit: true }).seats, seating.SEAT_HELD);
      seating.packSeatStates(opened.snapshot());
    }), base);
  }

  // Cost does not grow with the seats sold: the same order (N = 4) at 0 … 99 % sold, front first.
  for (const fraction of [0, 0.5, 0.9, 0.99]) {
    const index = soldFrontFirst(fraction);
    const { figure, outcome } = reserveCost(index, 4, true);
    row("by % sold", `N = 4 at ${Math.round(fraction * 100)} % sold`, figure, floor(index), outcome);
  }
  results.rows = rows;
  return results;
}

/**
 * Seated reserves through the engine (`openTix` from dist/) on memory and SQLite: N = 2 best
 * available on the stadium, empty and 90 % sold, against a general-admission reserve of 2 on the
 * same store in the same run. µs a reserve, the median of `runs` runs.
 */
export async function seatingStores({ openTix, dir, quick = false, runs = 5 }) {
  const figures = {};
  const stores = [
    { name: "memory", url: "memory", per: quick ? 100 : 300 },
    { name: "SQLite", url: `sqlite:${join(dir, "seating.db")}`, per: quick ? 30 : 100 },
  ];
  for (const store of stores) {
    console.error(`seating bench: ${store.name}: filling a stadium to 90 % through the engine`);
    const tix = await openTix({ store: store.url });
    const ga = (await tix.events.create({ name: "Standing", capacity: 10_000_000, hold: "1d" })).event;
    const empty = (await tix.events.create({ name: "Stadium, empty", seats: STADIUM, hold: "1d" })).event;
    const sold = (await tix.events.create({ name: "Stadium, 90 % sold", seats: STADIUM, hold: "1d" })).event;
    for (let order = 0, left = 45_000; left > 0; order++, left -= 50) {
      await tix.tickets.reserve({ eventId: sold.id, userId: `fill-${order}`, key: "k", quantity: Math.min(50, left), allowSplit: true });
    }
    const measure = async (eventId, label, extra = {}) => {
      const reserve = (user) => tix.tickets.reserve({ eventId, userId: user, key: "k", quantity: 2, ...extra });
      for (let i = 0; i < store.per / 5; i++) await reserve(`warm-${label}-${i}`);
      const costs = [];
      for (let run = 0; run < runs; run++) {
        const start = performance.now();
        for (let i = 0; i < store.per; i++) await reserve(`${label}-${run}-${i}`);
        costs.push(((performance.now() - start) / store.per) * 1000);
      }
      return summary(costs);
    };
    figures[store.name] = {
      ga: await measure(ga.id, "ga"),
      empty: await measure(empty.id, "empty", { allowSplit: true }),
      sold: await measure(sold.id, "sold", { allowSplit: true }),
    };
    await tix.close();
  }
  return figures;
}

/** The "Seating" rows of `npm run bench`, in bench.mjs's shape: { measure, value, unit, extra }. */
export async function seatingRows({ openTix, dir, quick = false, runs = 5 }) {
  const core = await seatingCore({ quick });
  const ratioTo = (figure, base) => ({ ...summary(figure.values.map((value) => value / base.median)), median: figure.median / base.median });
  const rows = [];
  const front = core.rows.filter((row) => row.fill === "front first");
  const floor = front[0].figure;
  rows.push({ measure: "floor: one pass over 50,000 seat states", value: floor, unit: " µs" });
  for (const quantity of [1, 2, 4, 6, 10]) {
    const found = front.find((row) => row.measure === `best available, N = ${quantity}`);
    rows.push({
      measure: `best available, N = ${quantity}, 50,000 seats 90 % sold (${found.outcome})`, value: found.figure, unit: " µs",
      extra: { ratio: ratioTo(found.figure, floor), ratioOf: "one pass over the seats", target: { max: 2 } },
    });
  }
  const bySold = core.rows.filter((row) => row.fill === "by % sold");
  const none = bySold[0].figure;
  const most = bySold.at(-1);
  rows.push({ measure: "best available, N = 4, 0 % sold", value: none, unit: " µs" });
  rows.push({ measure: `best available, ${most.measure.slice(0, -5)} sold`, value: most.figure, unit: " µs", extra: { ratio: ratioTo(most.figure, none), ratioOf: "0 % sold", target: { max: 1.5 } } });
  const stores = await seatingStores({ openTix, dir, quick, runs });
  for (const [name, figure] of Object.entries(stores)) {
    rows.push({ measure: `reserve 2, general admission, ${name}`, value: figure.ga, unit: " µs" });
    rows.push({
      measure: `reserve 2 best available, 50,000 seats empty, ${name}`, value: figure.empty, unit: " µs",
      extra: { ratio: ratioTo(figure.empty, figure.ga), ratioOf: "general admission", target: name === "SQLite" ? { max: 2 } : undefined },
    });
    rows.push({
      measure: `reserve 2 best available, 50,000 seats 90 % sold, ${name}`, value: figure.sold, unit: " µs",
      extra: { ratio: ratioTo(figure.sold, figure.empty), ratioOf: "empty", target: { max: 1.5 } },
    });
  }
  return rows;
}

/** Loads the core (bundled from src/) and the stadium's layout, once. */
async function prepare({ quick = false } = {}) {
  ROUNDS = quick ? 5 : 15;
  CALLS = quick ? 100 : 400;
  seating ??= await loadSeating();
  layout ??= seating.compileSeatMap(seating.parseSeatSpecs(STADIUM));
  console.error(`seating bench: ${layout.seatCount.toLocaleString("en-US")} seats, ${layout.rowCount} rows; ${ROUNDS} rounds of ${CALLS} calls a figure`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const results = await seatingCore({ quick: process.argv.includes("--quick") });
  const { rows } = results;
  const width = Math.max(...rows.map((r) => r.measure.length));
  console.log(`| fill | measure${" ".repeat(width - 7)} | µs a call (median) | p25–p75 | × floor | outcome |`);
  console.log(`| --- | ${"-".repeat(width)} | ---: | --- | ---: | --- |`);
  for (const r of rows) console.log(`| ${r.fill} | ${r.measure.padEnd(width)} | ${fmt(r.median)} | ${fmt(r.low)}–${fmt(r.high)} | ${fmt(r.ratio)} | ${r.outcome} |`);
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  writeFileSync(join(ROOT, "bench", "results", "seating.json"), `${JSON.stringify(results, (key, value) => (key === "values" ? undefined : value), 2)}\n`);
}

async function loadSeating() {
  const folder = mkdtempSync(join(tmpdir(), "tix-seating-bench-"));
  try {
    const outfile = join(folder, "seating.mjs");
    await build({ absWorkingDir: ROOT, entryPoints: ["src/core/seating/index.ts"], bundle: true, platform: "node", target: "node20", format: "esm", outfile, logLevel: "warning" });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
