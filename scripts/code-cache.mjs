// Makes dist/cli.cjs.cache and dist/cli-lazy.cjs.cache (see scripts/build.mjs, trick 2). Each is V8's
// code for its bundle's compilation after bin/tix has run typical commands over a throw-away store,
// so it holds the functions those commands compiled on first call; each starts with its bundle's
// tag, so bin/tix never hands it to another bundle.
// - dist/cli.cjs.cache: one-shot commands, each its own process, each starting from the cache the
//   one before it saved. Not a REPL batch: what only a batch runs would make every start slower
//   (a bigger cache costs its deserializing; measured in docs/performance-history.md).
// - dist/cli-lazy.cjs.cache: a batch through `tix repl`, which is in that bundle.
// Run as `node code-cache.mjs`; it runs itself as `node code-cache.mjs <bundle> <tix args…>` for each
// command, which runs bin/tix in its own process and saves that bundle's cache at exit.
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";

const bin = fileURLToPath(new URL("../bin/tix", import.meta.url));
const self = fileURLToPath(import.meta.url);
const bundleOf = { main: "../dist/cli.cjs", lazy: "../dist/cli-lazy.cjs" };
const [, , which, ...args] = process.argv;

if (which === undefined) makeCaches();
else runSaving(fileURLToPath(new URL(bundleOf[which], import.meta.url)), args);

function makeCaches() {
  const home = mkdtempSync(join(tmpdir(), "tix-code-cache-"));
  // What the commands print (and any failure) goes to the build's pipe, shown only if this fails.
  const env = { ...process.env, TIX_HOME: home, TIX_USER: "warm", TIX_NO_INPUT: "1", NO_COLOR: "1" };
  delete env.TIX_STORE;
  const run = (file, args, input) => execFileSync(process.execPath, [file, ...args], { env, input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  try {
    for (const bundle of Object.values(bundleOf)) rmSync(new URL(`${bundle}.cache`, import.meta.url), { force: true });
    run(bin, ["seed"]);
    const oneShot = [["--version"], ["event", "list"], ["event", "show", "evt_jazz_evening"], ["reserve", "evt_jazz_evening", "--key", "warm-1"], ["ticket", "list"]];
    for (const args of oneShot) run(self, ["main", ...args]);
    const ticket = JSON.parse(run(bin, ["ticket", "list", "--json"])).tickets[0].id;
    for (const args of [["purchase", ticket], ["ticket", "show", ticket], ["cancel", ticket]]) run(self, ["main", ...args]);
    const batch = ["event list --json", "event show evt_jazz_evening --json", "event create --name Warm --capacity 5 --price 10.00", "event update $event --capacity 6",
      "reserve evt_jazz_evening --key warm-2 --json", "purchase $ticket", "ticket show $ticket --json", "cancel $ticket", "reserve evt_no_such_event", "event show"];
    run(self, ["lazy", "repl"], batch.map((line) => `${line}\n`).join(""));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Runs bin/tix with these arguments in this process, and saves `bundle`'s cache when it exits. */
function runSaving(bundle, args) {
  const tag = /\/\/# tixBuild=([0-9a-f]{16})\n$/.exec(readFileSync(bundle, "utf8"))?.[1];
  if (!tag) throw new Error(`${bundle} has no tixBuild tag`);
  process.argv = [process.argv[0], bin, ...args];
  if (args[0] === "repl") Object.defineProperty(process, "stdin", { value: Readable.from([readFileSync(0, "utf8")]) });
  const scripts = createRequire(import.meta.url)(bin);
  process.on("exit", () => {
    const script = scripts.get(bundle);
    if (!script) throw new Error(`${bundle} did not run`);
    // V8 takes a cache only under the flags it was made with, and a batch turns its optimizing
    // compiler off (src/cli/repl/batch.ts) after the bundle was loaded: the cache is made under the
    // flags every process loads it with.
    setFlagsFromString("--opt");
    const temporary = `${bundle}.cache.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(tag), script.createCachedData()]));
    renameSync(temporary, `${bundle}.cache`);
    process.exitCode = 0;
  });
}
