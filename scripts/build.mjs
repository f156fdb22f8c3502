// Bundles the CLI into one CommonJS file, dist/cli.cjs, and makes V8's code cache for it
// (dist/cli.cjs.cache, see scripts/code-cache.mjs; bin/tix loads both); bundles the library into
// dist/index.js; then emits the library's type declarations.
// Files are written to a temporary name and renamed, so a tix process starting during a build
// (tests run builds concurrently) never reads a half-written file.
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

const shared = {
  absWorkingDir: root.pathname,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  write: false,
  define: { __TIX_VERSION__: JSON.stringify(version) },
  // Native and heavy optional drivers stay in node_modules and load only when used.
  external: ["better-sqlite3", "pg", "pg-native", "inquirer", "@inquirer/*", "node-pty"],
};

/**
 * Start-up work the CLI can skip, each measured (`npm run bench`, README "Performance"):
 * - better-sqlite3's JavaScript is bundled, and its native addon is loaded from where
 *   better-sqlite3 builds it, instead of a dozen files resolved one by one and the `bindings`
 *   package's search of a dozen paths; where that addon is not found, the installed package
 *   is used as it is.
 * - chalk's own colour detection (which loads tty, net and os) is left out: tix tells chalk the
 *   level itself (src/cli/output/style.ts, from the one switch in src/cli/io.ts).
 * - commander requires node:child_process (and with it net, dgram, …) for executable subcommands,
 *   which tix has none of: it gets the module on first use instead.
 */
const cliStartup = {
  name: "tix-cli-startup",
  setup(b) {
    // In the shim itself, "better-sqlite3" is the installed package, loaded at run time.
    b.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
      args.namespace === "tix" ? { path: "better-sqlite3", external: true } : { path: "better-sqlite3", namespace: "tix" });
    b.onLoad({ filter: /^better-sqlite3$/, namespace: "tix" }, () => ({
      resolveDir: root.pathname,
      loader: "js",
      contents: `
import Bundled from "better-sqlite3/lib/index.js";
let addon;
function nativeAddon() {
  if (addon === undefined) {
    try {
      addon = require.resolve("better-sqlite3/build/Release/better_sqlite3.node");
    } catch {
      addon = null;
    }
  }
  return addon;
}
export default function Database(filename, options) {
  const path = nativeAddon();
  return path === null ? new (require("better-sqlite3"))(filename, options) : new Bundled(filename, { ...options, nativeBinding: path });
}
`,
    }));
    b.onResolve({ filter: /^#supports-color$/ }, (args) =>
      /[\\/]node_modules[\\/]chalk[\\/]/.test(args.importer) ? { path: "supports-color", namespace: "tix-no-color-detection" } : undefined);
    b.onLoad({ filter: /.*/, namespace: "tix-no-color-detection" }, () => ({ loader: "js", contents: "export default { stdout: false, stderr: false };" }));
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "tix-lazy" } : undefined);
    b.onLoad({ filter: /.*/, namespace: "tix-lazy" }, (args) => ({
      loader: "js",
      contents: `module.exports = new Proxy({}, { get: (_, key) => require("node:${args.path}")[key] });`,
    }));
  },
};

const results = await Promise.all([
  // The CLI: CommonJS, because Node starts a CommonJS entry faster than an ES module (it need not
  // set up its module loader). One file: what a command does not need (SQLite, PostgreSQL, CSV,
  // the HTTP server, the REPL) is inside it but wrapped by esbuild in functions that run only on
  // first use; @inquirer/prompts stays a real import(), made only when a prompt is shown.
  build({
    ...shared,
    entryPoints: { cli: "src/cli/main.ts" },
    outdir: "dist",
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    external: [...shared.external.filter((name) => name !== "better-sqlite3"), "bindings"],
    plugins: [cliStartup],
    // Less to read at every start. Identifiers are left as they are (TIX_DEBUG=1 traces stay
    // readable, and no code runs to keep function names, as keepNames would at every closure).
    minifyWhitespace: true,
    minifySyntax: true,
    // See importsThroughHost below. ("use strict" first: the code was written as ES modules, which are strict.)
    banner: { js: '"use strict"; var __tixImport = (specifier) => (typeof module.tixImport === "function" ? module.tixImport(specifier) : import(specifier));' },
  }),
  build({
    ...shared,
    entryPoints: { index: "src/index.ts" },
    outdir: "dist",
    packages: "external",
    // Bundled CommonJS calls require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __tixCreateRequire } from 'node:module'; const require = __tixCreateRequire(import.meta.url);" },
  }),
]);

// The bundle ends with a tag made from its content; the code cache made for it carries the same tag,
// so bin/tix never runs one bundle with the cache of another (V8 itself checks only the length).
const cli = new URL("dist/cli.cjs", root).pathname;
const files = results.flatMap((result) => result.outputFiles).map((file) => {
  if (file.path !== cli) return { path: file.path, contents: file.contents };
  const contents = Buffer.from(importsThroughHost(file.text));
  const tag = createHash("sha256").update(contents).digest("hex").slice(0, 16);
  return { path: file.path, contents: Buffer.concat([contents, Buffer.from(`//# tixBuild=${tag}\n`)]) };
});

/**
 * Node 20 cannot run an import() in a script compiled by vm.Script without an experimental flag,
 * nor at all from a code cache ("A dynamic import callback was not specified"), so the bundle's
 * import()s of ES module packages (@inquirer/prompts) go through bin/tix's, lent as
 * `module.tixImport` (see the banner above); required plainly, the bundle makes them itself.
 * (The lines changed here are a few characters longer than their source map says.)
 */
function importsThroughHost(code) {
  return code.replace(/(?<![\w$.])import\((?=\s*["'])/g, "__tixImport(");
}

for (const file of files) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
// What the earlier layout (an ES module entry with chunks) left behind.
for (const stale of ["dist/cli.js.map", "dist/chunks"]) rmSync(new URL(stale, root), { recursive: true, force: true });

try {
  execFileSync(process.execPath, [new URL("scripts/code-cache.mjs", root).pathname, cli], { stdio: "pipe", timeout: 60_000 });
} catch (error) {
  // tix works without it, only starts slower.
  rmSync(`${cli}.cache`, { force: true });
  console.warn(`warning: no code cache for dist/cli.cjs: ${error.message.split("\n")[0]}\n${error.stderr ?? ""}`);
}

execFileSync(process.execPath, [new URL("node_modules/typescript/bin/tsc", root).pathname, "-p", "tsconfig.build.json"], {
  cwd: root.pathname,
  stdio: "inherit",
});
