// What bin/tix loads at start-up. Claims about speed live in the benchmark (`npm run bench`, README
// "Performance"), never in tests: these check only *what* is loaded, which is what the speed rests
// on, so a change that quietly brings back a heavy module at start-up fails here.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const DIST = join(dirname(TIX_BIN), "..", "dist");

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

/** Runs bin/tix (stdout and stderr pipes, as in a script) and answers what the process loaded. */
function loadedBy(args: string[]): { code: number; stdout: string; builtins: string[]; files: string[]; addons: string[] } {
  const probe = join(home.path, "probe.cjs");
  const report = join(home.path, "loaded.json");
  writeFileSync(probe, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify({
    builtins: process.moduleLoadList.filter((name) => name.startsWith("NativeModule ")).map((name) => name.slice(13)),
    files: Object.keys(require.cache),
    // Native addons, however they were opened (bin/tix opens SQLite's with process.dlopen).
    addons: [...new Set(require("node:fs").readFileSync("/proc/self/maps", "utf8").split("\\n").map((line) => line.split(/\\s+/)[5] ?? "").filter((path) => path.endsWith(".node")))],
  })));\n`);
  const run = spawnSync(process.execPath, ["-r", probe, TIX_BIN, ...args], { env: testEnv(home.path), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return { code: run.status ?? -1, stdout: run.stdout, ...JSON.parse(readFileSync(report, "utf8")) };
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

it("the bundle requires drivers, CSV and the HTTP server only inside code that runs on first use", () => {
  const bundle = readFileSync(join(DIST, "cli.cjs"), "utf8");
  // esbuild's lazily run modules start with `var init_… = __esm({`; a require of these at the top
  // level of the bundle would be indented by nothing.
  for (const name of ["postgres", "better-sqlite3", "@inquirer/prompts", "csv-parse", "csv-stringify", "node:http"]) {
    expect(bundle, name).not.toMatch(new RegExp(`^(?:var|const|let|import)[^\\n]*require\\("${name.replace("/", "\\/")}"\\)`, "m"));
  }
});

it("the bundle also runs on its own, required plainly", () => {
  const run = spawnSync(process.execPath, [join(DIST, "cli.cjs"), "--store", "memory", "event", "list", "--json"], { env: testEnv(home.path), encoding: "utf8" });
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ status: "success", events: [] });
});

it("bin/tix hands V8 a code cache made for this very bundle, and V8 takes it", () => {
  const bundle = join(DIST, "cli.cjs");
  // Compiled as bin/tix compiles it, in a plain node (V8 refuses a cache made under other flags).
  const check = spawnSync(process.execPath, ["-e", `
    const { readFileSync } = require("node:fs"); const vm = require("node:vm"); const Module = require("node:module");
    const source = readFileSync(${JSON.stringify(bundle)}, "utf8"); const cache = readFileSync(${JSON.stringify(`${bundle}.cache`)});
    const tag = source.slice(-17, -1);
    const script = new vm.Script(Module.wrap(source), { filename: ${JSON.stringify(bundle)}, cachedData: cache.subarray(16) });
    console.log(JSON.stringify({ tagged: source.endsWith("//# tixBuild=" + tag + "\\n"), matches: cache.toString("latin1", 0, 16) === tag, rejected: script.cachedDataRejected }));
  `], { encoding: "utf8" });
  expect(JSON.parse(check.stdout)).toEqual({ tagged: true, matches: true, rejected: false });
});
