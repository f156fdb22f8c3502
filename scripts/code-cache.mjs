// Makes dist/cli.cjs.cache (see scripts/build.mjs): runs bin/tix itself on a batch of typical
// commands over a throw-away store, then saves V8's code for its compilation of the bundle, which
// by then holds the functions those commands compiled on first call. The cache starts with the
// bundle's tag, so bin/tix never hands it to another bundle.
import { Buffer } from "node:buffer";
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

const bin = new URL("../bin/tix", import.meta.url).pathname;
const bundle = new URL("../dist/cli.cjs", import.meta.url).pathname;
const tag = /\/\/# tixBuild=([0-9a-f]{16})\n$/.exec(readFileSync(bundle, "utf8"))?.[1];
if (!tag) throw new Error(`${bundle} has no tixBuild tag`);

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
process.argv = [process.argv[0], bin, "--store", `sqlite:${join(home, "tix.db")}`, "repl"];
Object.defineProperty(process, "stdin", { value: Readable.from(lines.map((line) => `${line}\n`)) });

const script = createRequire(import.meta.url)(bin);
process.on("exit", () => {
  const temporary = `${bundle}.cache.${process.pid}.tmp`;
  writeFileSync(temporary, Buffer.concat([Buffer.from(tag), script.createCachedData()]));
  renameSync(temporary, `${bundle}.cache`);
  rmSync(home, { recursive: true, force: true });
  process.exitCode = 0;
});
