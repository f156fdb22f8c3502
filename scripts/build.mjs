// Builds dist/: the CLI as one CommonJS file, dist/cli.cjs, with V8's code cache for it
// (dist/cli.cjs.cache, made by scripts/code-cache.mjs); the library as dist/index.js; then the
// library's type declarations. Files are written to a temporary name and renamed, so a tix process
// starting during a build (tests run builds concurrently) never reads a half-written file.
//
// Start-up tricks. `tix event show` should start within 1.15× of `node -e 0`; each trick below is
// kept because removing it alone costs at least 2 % of that start-up (`npm run bench`, its
// start-up rows; docs/performance.md has the measurements), and this is the one place that
// explains them. What is loaded at start-up is checked by tests/e2e/startup.test.ts.
// 1. One CommonJS bundle: Node starts a CommonJS file faster than an ES module (no module loader
//    to set up), and reads one file instead of resolving hundreds. What a command does not need
//    (SQLite, PostgreSQL, CSV, the HTTP server, the REPL, prompts) is in it but wrapped by esbuild
//    in functions that run on first use.
// 2. V8's code cache: bin/tix compiles the bundle with vm.Script, handing V8 the code that
//    scripts/code-cache.mjs saved after running typical commands, so start-up compiles nothing
//    they use. The bundle ends with a tag made from its content and the cache starts with it, so
//    no bundle ever runs with another's cache (V8 itself only checks the length). Code compiled by
//    vm.Script cannot run import() on Node 20, so the bundle's import() of an ES module package
//    (@inquirer/prompts, kept outside the bundle: bundled, it makes every start slower) goes
//    through bin/tix's, lent as `module.tixImport` (the banner and importsThroughHost below).
// 3. Whitespace and syntax minified: less to read and hash (names are kept: TIX_DEBUG=1 traces
//    stay readable).
// 4. better-sqlite3's JavaScript is bundled, and its native addon is loaded from where
//    better-sqlite3 builds it, instead of a dozen files resolved one by one and the `bindings`
//    package's search of a dozen paths; where that addon is not found, the installed package is
//    used as it is.
// 5. chalk's own colour detection (which loads tty, net and os) is left out: tix tells chalk the
//    level itself (src/cli/output/style.ts, from the one switch in src/cli/io.ts).
// 6. commander requires node:child_process (and with it net, dgram, …) for executable
//    subcommands, which tix has none of: it gets the module on first use instead.
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
};

/** Tricks 4 to 6 (see the top of this file). */
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
import { join } from "node:path";
let addon;
function load(path) {
  const addon = { exports: {} };
  process.dlopen(addon, path);
  return addon.exports;
}
function nativeAddon() {
  if (addon === undefined) {
    try {
      addon = load(join(__dirname, "..", "node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node"));
    } catch {
      try {
        addon = load(require.resolve("better-sqlite3/build/Release/better_sqlite3.node"));
      } catch {
        addon = null;
      }
    }
  }
  return addon;
}
export default function Database(filename, options) {
  const binding = nativeAddon();
  return binding === null ? new (require("better-sqlite3"))(filename, options) : new Bundled(filename, { ...options, nativeBinding: binding });
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
  // The CLI (tricks 1 to 6).
  build({
    ...shared,
    entryPoints: { cli: "src/cli/main.ts" },
    outdir: "dist",
    format: "cjs",
    outExtension: { ".js": ".cjs" },
    // The PostgreSQL client loads from node_modules, only for a postgres:// store; prompts: trick 2.
    external: ["postgres", "@inquirer/*", "bindings"],
    plugins: [cliStartup],
    minifyWhitespace: true,
    minifySyntax: true,
    // Trick 2's import(). ("use strict" first: the code was written as ES modules, which are strict.)
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

// Trick 2: the bundle ends with a tag made from its content, which its code cache starts with.
const cli = new URL("dist/cli.cjs", root).pathname;
const files = results.flatMap((result) => result.outputFiles).map((file) => {
  if (file.path !== cli) return { path: file.path, contents: file.contents };
  const contents = Buffer.from(importsThroughHost(file.text));
  const tag = createHash("sha256").update(contents).digest("hex").slice(0, 16);
  return { path: file.path, contents: Buffer.concat([contents, Buffer.from(`//# tixBuild=${tag}\n`)]) };
});

/**
 * Trick 2: the bundle's import()s of packages go through bin/tix's (see the banner above); required
 * plainly, the bundle makes them itself. (The lines changed here are a few characters longer than
 * their source map says.)
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
try {
  execFileSync(process.execPath, [new URL("scripts/code-cache.mjs", root).pathname], { stdio: "pipe", timeout: 60_000 });
} catch (error) {
  // tix works without it, only starts slower.
  rmSync(`${cli}.cache`, { force: true });
  console.warn(`warning: no code cache for dist/cli.cjs: ${error.message.split("\n")[0]}\n${error.stderr ?? ""}`);
}

execFileSync(process.execPath, [new URL("node_modules/typescript/bin/tsc", root).pathname, "-p", "tsconfig.build.json"], {
  cwd: root.pathname,
  stdio: "inherit",
});
