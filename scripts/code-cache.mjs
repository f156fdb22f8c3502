// Makes V8's code cache for the CLI bundle: `node scripts/code-cache.mjs dist/cli.cjs` writes
// dist/cli.cjs.cache, which bin/tix hands to V8 so that start-up does not compile the bundle.
// The bundle is compiled here exactly as bin/tix compiles it (keep the two in step), then run on
// a batch of typical commands over a throw-away store, so that the cache also holds the functions
// those commands compile on first call. The cache starts with the bundle's tag (see build.mjs).
import { Buffer } from "node:buffer";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Readable } from "node:stream";
import vm from "node:vm";

const file = resolve(process.argv[2]);
const source = readFileSync(file, "utf8");
const tag = /\/\/# tixBuild=([0-9a-f]{16})\n$/.exec(source)?.[1];
if (!tag) throw new Error(`${file} has no tixBuild tag`);
const script = new vm.Script(Module.wrap(source), { filename: file });

const home = mkdtempSync(join(tmpdir(), "tix-code-cache-"));
const lines = [
  "seed", "event list", "event list --json", "event show evt_jazz_evening", "event show evt_jazz_evening --json",
  "event create --name Warm --capacity 5 --price 10.00", "event update $event --capacity 6",
  "reserve evt_jazz_evening --key warm-1", "reserve evt_jazz_evening --key warm-1 --json", "purchase $ticket",
  "ticket show $ticket --json", "ticket list", "cancel $ticket", "reserve evt_no_such_event", "event show",
];
// What the commands print (and the two expected failures) goes to the build's pipe, shown only if
// this script fails.
Object.assign(process.env, { TIX_HOME: home, TIX_USER: "warm", TIX_NO_INPUT: "1", NO_COLOR: "1" });
delete process.env.TIX_STORE;
process.argv = [process.argv[0], file, "--store", `sqlite:${join(home, "tix.db")}`, "repl"];
Object.defineProperty(process, "stdin", { value: Readable.from(lines.map((line) => `${line}\n`)) });

process.on("exit", () => {
  const temporary = `${file}.cache.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(tag), script.createCachedData()]));
  renameSync(temporary, `${file}.cache`);
  rmSync(home, { recursive: true, force: true });
  process.exitCode = 0;
});

const cli = new Module(file);
cli.filename = file;
cli.tixImport = (specifier) => import(specifier);
script.runInThisContext()(cli.exports, Module.createRequire(file), cli, file, dirname(file));
