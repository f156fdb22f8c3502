// What bin/tix loads at start-up. Claims about speed live in the benchmark (`npm run bench`, README
// "Performance"), never in tests: these check only *what* is loaded, which is what the speed rests
// on, so a change that quietly brings back a heavy module at start-up fails here.
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const DIST = join(dirname(TIX_BIN), "..", "dist");

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

/** Runs bin/tix (stdout and stderr pipes, as in a script) and answers what the process loaded. */
function loadedBy(args: string[], store?: string, stdout: "pipe" | "/dev/null" = "pipe"): { code: number; stdout: string; stderr: string; builtins: string[]; files: string[]; addons: string[]; read: string[] } {
  const probe = join(home.path, "probe.cjs");
  const report = join(home.path, "loaded.json");
  // The files read: bin/tix reads the bundles (and their caches) with fs.readFileSync, which opens
  // a file with fs.openSync, or not at all when it decodes UTF-8 (Node's own fast path).
  writeFileSync(probe, `const fs = require("node:fs"); const { openSync, readFileSync } = fs; const read = []; let reading = false;
  fs.openSync = (file, ...rest) => { const fd = openSync(file, ...rest); if (!reading) read.push(String(file)); return fd; };
  fs.readFileSync = (file, ...rest) => {
    if (typeof file !== "number") read.push(String(file));
    reading = true;
    try { return readFileSync(file, ...rest); } finally { reading = false; }
  };
  process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify({
    read,
    builtins: process.moduleLoadList.filter((name) => name.startsWith("NativeModule ")).map((name) => name.slice(13)),
    files: Object.keys(require.cache),
    // Native addons, however they were opened (bin/tix opens SQLite's with process.dlopen).
    addons: [...new Set(require("node:fs").readFileSync("/proc/self/maps", "utf8").split("\\n").map((line) => line.split(/\\s+/)[5] ?? "").filter((path) => path.endsWith(".node")))],
  })));\n`);
  const env = { ...testEnv(home.path), ...(store === undefined ? {} : { TIX_STORE: store }) };
  const out = stdout === "pipe" ? "pipe" : openSync(stdout, "w");
  const run = spawnSync(process.execPath, ["-r", probe, TIX_BIN, ...args], { env, encoding: "utf8", stdio: ["ignore", out, "pipe"] });
  if (typeof out === "number") closeSync(out);
  return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr, ...JSON.parse(readFileSync(report, "utf8")) };
}

const HEAVY_BUILTINS = ["child_process", "crypto", "net", "tty", "http", "readline", "stream", "worker_threads"];

it("a read over SQLite, printed to a pipe, loads no driver but SQLite's addon and none of the heavy Node modules", () => {
  expect(runTix(["seed"], home.path).code).toBe(0);
  const run = loadedBy(["event", "show", "evt_jazz_evening"]);
  expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining("Jazz Evening") });
  expect(run.builtins.filter((name) => HEAVY_BUILTINS.includes(name))).toEqual([]);
  // Everything else is in the one bundle; better-sqlite3's JavaScript too, so only its addon is
  // loaded, opened directly (not through require).
  expect(run.files.filter((file) => file !== TIX_BIN && !file.startsWith(home.path))).toEqual([]);
  expect(run.addons.map((file) => file.replace(/^.*\/node_modules\//, "node_modules/"))).toEqual(["node_modules/better-sqlite3/build/Release/better_sqlite3.node"]);
  // The main bundle and its cache, nothing of the lazy one.
  expect(run.read.filter((file) => file.startsWith(DIST)).map((file) => file.slice(DIST.length + 1))).toEqual(["cli.cjs", "cli.cjs.cache"]);
});

it("output sent to /dev/null (a character device, as a terminal is) loads no stream either", () => {
  expect(runTix(["seed"], home.path).code).toBe(0);
  const run = loadedBy(["event", "show", "evt_jazz_evening"], undefined, "/dev/null");
  expect(run.code).toBe(0);
  expect(run.builtins.filter((name) => HEAVY_BUILTINS.includes(name) || name === "internal/fs/sync_write_stream")).toEqual([]);
});

it("what a start of tix event show never runs is in the lazy bundle, read on first use with its cache, sharing the main bundle's modules", () => {
  // A PostgreSQL URL loads the lazy bundle; the store's error (a TixError made there, with the
  // main bundle's class) gets its own exit code, not the one for a bug.
  const run = loadedBy(["event", "list"], "postgres://tix@127.0.0.1:1/none");
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 8, stderr: expect.stringContaining("unreachable") });
  expect(run.read.filter((file) => file.startsWith(DIST)).map((file) => file.slice(DIST.length + 1))).toEqual(["cli.cjs", "cli.cjs.cache", "cli-lazy.cjs", "cli-lazy.cjs.cache"]);
  const main = readFileSync(join(DIST, "cli.cjs"), "utf8");
  const lazy = readFileSync(join(DIST, "cli-lazy.cjs"), "utf8");
  // esbuild wraps each module in a function named by its path: `"src/….ts"(){`.
  const defines = (bundle: string, path: string) => new RegExp(`"${path.replace(/[./]/g, "\\$&")}[^"]*"\\(`).test(bundle);
  for (const module of ["src/store/postgres/index.ts", "src/http/server.ts", "src/cli/repl/session.ts", "src/cli/output/csv.ts", "node_modules/csv-stringify/", "src/store/memory/memory-repository.ts"]) {
    expect(defines(main, module), module).toBe(false);
    expect(defines(lazy, module), module).toBe(true);
  }
  // No second copy of the core (its errors, its state): the lazy bundle takes it from the main one.
  expect(defines(main, "src/core/errors.ts")).toBe(true);
  expect(defines(lazy, "src/core/")).toBe(false);
  expect(lazy).toContain('require("tix-shared:src/core/index.ts")');
});

it("a memory store, loaded from the lazy bundle on first use, works for a one-shot command and a session", () => {
  const oneShot = loadedBy(["--store", "memory", "seed", "--json"]);
  expect(oneShot.code).toBe(0);
  expect(JSON.parse(oneShot.stdout).events.length).toBeGreaterThan(0);
  expect(oneShot.read.filter((file) => file.startsWith(DIST)).map((file) => file.slice(DIST.length + 1))).toContain("cli-lazy.cjs");
  const batch = spawnSync(process.execPath, [TIX_BIN, "--store", "memory", "--json"], { env: testEnv(home.path), encoding: "utf8", input: "seed\nevent show evt_jazz_evening\n" });
  expect(batch.status).toBe(0);
  expect(JSON.parse(batch.stdout.trim().split("\n")[1]!)).toMatchObject({ status: "success", event: { id: "evt_jazz_evening" } });
});

it("--version and a memory store load nothing from node_modules", () => {
  for (const args of [["--version"], ["--store", "memory", "event", "list", "--json"]]) {
    const run = loadedBy(args);
    expect(run.code, args.join(" ")).toBe(0);
    expect(run.files.filter((file) => file.includes("node_modules")), args.join(" ")).toEqual([]);
    expect(run.addons, args.join(" ")).toEqual([]);
    expect(run.builtins.filter((name) => HEAVY_BUILTINS.includes(name)), args.join(" ")).toEqual([]);
  }
});

it("making an id or a reservation loads node:crypto only then", () => {
  expect(runTix(["seed"], home.path).code).toBe(0);
  const run = loadedBy(["reserve", "evt_jazz_evening", "--json"]);
  expect(run.code).toBe(0);
  expect(run.builtins).toContain("internal/crypto/webcrypto");
});

it("the bundles require drivers, CSV and the HTTP server only inside code that runs on first use", () => {
  // Both bundles' top levels run here (the memory store is in the lazy one): a driver, CSV or the
  // HTTP server required there, not inside a module run on first use, would be loaded. (A search of
  // the minified text for a top-level require cannot tell: esbuild puts many modules on one line.)
  const run = loadedBy(["--store", "memory", "event", "list", "--json"]);
  expect(run.code).toBe(0);
  expect(run.read.filter((file) => file.startsWith(DIST)).map((file) => file.slice(DIST.length + 1))).toEqual(["cli.cjs", "cli.cjs.cache", "cli-lazy.cjs", "cli-lazy.cjs.cache"]);
  expect(run.files.filter((file) => file.includes("node_modules"))).toEqual([]);
  expect(run.addons).toEqual([]);
  expect(run.builtins.filter((name) => HEAVY_BUILTINS.includes(name))).toEqual([]);
});

it("the bundle also runs on its own, required plainly, the lazy one with it", () => {
  const run = spawnSync(process.execPath, [join(DIST, "cli.cjs"), "--store", "memory", "event", "list", "--json"], { env: testEnv(home.path), encoding: "utf8" });
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ status: "success", events: [] });
  const batch = spawnSync(process.execPath, [join(DIST, "cli.cjs"), "--store", "memory", "repl", "--json"], { env: testEnv(home.path), encoding: "utf8", input: "event show evt_none\n" });
  expect(JSON.parse(batch.stdout.trim().split("\n")[0]!)).toMatchObject({ status: "error", error: { code: "EVENT_NOT_FOUND" } });
});

it.each(["cli.cjs", "cli-lazy.cjs"])("bin/tix hands V8 a code cache made for this very bundle, and V8 takes it: %s", (name) => {
  const bundle = join(DIST, name);
  const cacheFile = `${bundle}.cache`;
  // Compiled as bin/tix compiles it, in a plain node (V8 refuses a cache made under other flags).
  const check = spawnSync(process.execPath, ["-e", `
    const { readFileSync } = require("node:fs"); const vm = require("node:vm"); const Module = require("node:module");
    const source = readFileSync(${JSON.stringify(bundle)}, "utf8"); const cache = readFileSync(${JSON.stringify(cacheFile)});
    const tag = source.slice(-17, -1);
    const script = new vm.Script(Module.wrap(source), { filename: ${JSON.stringify(bundle)}, cachedData: cache.subarray(16) });
    console.log(JSON.stringify({ tagged: source.endsWith("//# tixBuild=" + tag + "\\n"), matches: cache.toString("latin1", 0, 16) === tag, rejected: script.cachedDataRejected }));
  `], { encoding: "utf8" });
  expect(JSON.parse(check.stdout)).toEqual({ tagged: true, matches: true, rejected: false });
});

it("no Unicode property regex is made when a module loads: each is written in the function that uses it, made on first use", () => {
  // Making one (`\p{C}`, `\p{Cc}`…) costs ~0.1 ms of ICU's tables; at a module's top level every
  // start paid for each, used or not (src/core/text.ts, isPlainAscii).
  const source = join(dirname(TIX_BIN), "..", "src");
  const files = readdirSync(source, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts"));
  const madeAtLoad = files.flatMap((file) =>
    readFileSync(join(source, file), "utf8").split("\n").filter((line) => /^(export )?const \w+ = \/.*\\p\{/.test(line)).map((line) => `${file}: ${line.slice(0, 60)}`));
  expect(madeAtLoad).toEqual([]);
});
