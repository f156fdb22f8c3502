#!/usr/bin/env node
// node bench/seating.mjs: best available on a 50,000-seat stadium, 90 % sold, N = 1…10, each figure
// against a floor measured in the same run (one pass over every seat's state). A script, not a test:
// it prints a table and writes bench/results/seating.json.
//
//   node bench/seating.mjs            (about half a minute)
//   node bench/seating.mjs --quick    fewer repetitions
//
// The seating core (src/core/seating) is pure TypeScript; this script bundles it with esbuild into a
// temporary folder and imports that, so it needs neither dist/ nor a build step of its own.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { fmt, summary } from "./lib/stats.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const quick = process.argv.includes("--quick");
const ROUNDS = quick ? 5 : 15;
const CALLS = quick ? 100 : 400;
const TIER = "Stadium";

const seating = await loadSeating();
const rows = [];
const results = { environment: { date: new Date().toISOString(), node: process.version, cpu: cpus()[0]?.model.trim(), cpus: cpus().length, load: loadavg().map((v) => v.toFixed(2)).join(" ") } };

/** 100 sections (101-150, 201-250) × 20 rows (A-T) × 25 seats with an aisle after 12: 50,000 seats, one tier. */
const specs = [];
for (const ring of [100, 200]) for (let section = 1; section <= 50; section++) specs.push(`${ring + section}@${TIER}:A-T:1-12|13-25`);
const layout = seating.compileSeatMap(seating.parseSeatSpecs(specs));
console.error(`seating bench: ${layout.seatCount.toLocaleString("en-US")} seats, ${layout.rowCount} rows; ${ROUNDS} rounds of ${CALLS} calls a figure`);

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

function row(fill, measure, figure, base, outcome = "") {
  rows.push({ fill, measure, median: figure.median, low: figure.low, high: figure.high, ratio: figure.median / base.median, outcome });
}

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
const width = Math.max(...rows.map((r) => r.measure.length));
console.log(`| fill | measure${" ".repeat(width - 7)} | µs a call (median) | p25–p75 | × floor | outcome |`);
console.log(`| --- | ${"-".repeat(width)} | ---: | --- | ---: | --- |`);
for (const r of rows) console.log(`| ${r.fill} | ${r.measure.padEnd(width)} | ${fmt(r.median)} | ${fmt(r.low)}–${fmt(r.high)} | ${fmt(r.ratio)} | ${r.outcome} |`);
mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
writeFileSync(join(ROOT, "bench", "results", "seating.json"), `${JSON.stringify(results, null, 2)}\n`);

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
