// Builds dist/: the CLI as two CommonJS files, dist/cli.cjs and dist/cli-lazy.cjs (trick 7), each
// with V8's code cache for it (dist/cli.cjs.cache, dist/cli-lazy.cjs.cache, made by
// scripts/code-cache.mjs); the library as dist/index.js; then the library's type declarations.
// Files are written to a temporary name and renamed, so a tix process starting during a build
// (tests run builds concurrently) never reads a half-written file.
//
// Start-up tricks. `tix event show` should start within 1.15× of `node -e 0`; each trick below is
// kept because removing it alone costs at least 2 % of that start-up (`npm run bench`, its
// start-up rows; docs/performance-history.md has the measurements), and this is the one place that
// explains them. What is loaded at start-up is checked by tests/e2e/startup.test.ts.
// 1. One CommonJS bundle for what commands run: Node starts a CommonJS file faster than an ES
//    module (no module loader to set up), and reads one file instead of resolving hundreds. What a
//    command does not need (SQLite, prompts) is in it but wrapped by esbuild in functions that run
//    on first use.
// 2. V8's code cache: bin/tix compiles each bundle with vm.Script, handing V8 the code that
//    scripts/code-cache.mjs saved after running typical one-shot commands (a REPL batch would fill
//    it with what only batches run, and a bigger cache is slower to deserialize), so start-up
//    compiles nothing they use. Each bundle ends with a tag made from its content and its cache
//    starts with it, so no bundle ever runs with another's cache (V8 itself only checks the
//    length). (Until issue 16's twenty-first pass bin/tix read a bundle as Latin-1, the build
//    checking that esbuild wrote ASCII: ~0.5 ms and ~65 page faults cheaper than UTF-8, under 2 %:
//    taken out. Until its nineteenth pass it read the bundle already wrapped and its cache into one
//    buffer, to touch fewer new pages: ~220 page faults fewer, but at ~2.7 µs a fault on this VM
//    now, ~1 ms of CPU, under 2 %: taken out.) Code compiled by vm.Script cannot run import() on Node 20, so the
//    bundles' import() of an ES module package (@inquirer/prompts, kept outside: bundled, it makes every start
//    slower) goes through bin/tix's, lent as `module.tixImport` (importBanner, importsThroughHost).
// 3. Whitespace and syntax minified: less to read and hash (names are kept: TIX_DEBUG=1 traces
//    stay readable).
// 4. better-sqlite3's JavaScript is bundled, and its native addon (found with require.resolve) is
//    handed to it, instead of a dozen files resolved one by one and the `bindings` package's search
//    of a dozen paths; where there is no such addon, the installed package as it is. (Until issue
//    16's twenty-first pass the addon was first looked for beside tix, without require's
//    resolving: 0.4–0.7 ms, under 2 %: taken out.)
// 5. (Taken out in issue 16: chalk's own colour detection, left out of the bundle, since chalk is
//    loaded only for colour (trick 8) and so never in a start the benchmark measures, where leaving
//    it out bought nothing: tix tells chalk the level itself, src/cli/output/style.ts.)
// 6. commander requires node:child_process (and with it net, dgram, …) for executable
//    subcommands, which tix has none of: it gets the module on first use instead.
// 7. What only `await import()` reaches — the PostgreSQL store, CSV and venue files, the HTTP server, the REPL,
//    completion scripts, the pager (LAZY below, a quarter of the code) — is a second bundle,
//    dist/cli-lazy.cjs, read and compiled (with its own cache, through bin/tix's `module.tixRun`)
//    on first use: every start reads and deserializes that much less. It must not hold a second
//    copy of a module the main bundle has (a second TixError class breaks `instanceof`, a second
//    module its state): it requires those as `tix-shared:<path>`, and the main bundle answers from
//    its table of them (`tixShared`, each module initialised on first use); the build fails if a
//    module of src/ lands in both. (~1 % alone in issue 16's nineteenth pass; measured again in its
//    twenty-first, taken out it costs `tix event show` +1.9 ms of its own CPU and ~300 page faults,
//    ~2 % of `node -e 0`: kept. It also keeps a quarter of the code out of every one-shot
//    command's reading and memory: docs/performance-history.md.)
// 8. Initialised on first call: where a static import would initialise a module at every start
//    that most starts never call, the main bundle holds a stand-in whose functions load it on
//    first call (every export must be a function; the build checks). The memory store
//    (FORWARDED below: `--store memory` only) goes to dist/cli-lazy.cjs as trick 7's modules do;
//    node:os (home folder and user name: needed only without TIX_HOME / TIX_USER),
//    fast-string-truncated-width (its Unicode regular expressions: needed only for text that is
//    not plain ASCII) and chalk (needed only for colour: src/cli/output/style.ts styles output
//    without colour itself; `new Chalk` reaches the stand-in, a constructor answering chalk's
//    object) stay in the main bundle (DEFERRED_PACKAGES). (`tix event show`: 1.242× → 1.211×
//    `node -e 0` in CPU; chalk deferred, with the event group built for its one subcommand
//    (src/cli/program.ts), 2–3 % more; docs/performance-history.md. Measured again in issue 16's
//    eighteenth pass: each of the four parts buys 1–1.7 % alone, all four ~4 %: one trick.)
import { Buffer } from "node:buffer";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
// The project's folder as a path (a URL's pathname would spell a space in it as %20, and nothing resolves).
const rootDir = fileURLToPath(root);
/** A file of the project, by its path in it, as a path. */
const pathOf = (file) => fileURLToPath(new URL(file, root));
const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

const shared = {
  absWorkingDir: rootDir,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  write: false,
  define: { __TIX_VERSION__: JSON.stringify(version) },
};

/** Tricks 4, 6 and 8a (see the top of this file). */
const cliStartup = {
  name: "tix-cli-startup",
  setup(b) {
    // In the shim itself, "better-sqlite3" is the installed package, loaded at run time.
    b.onResolve({ filter: /^better-sqlite3$/ }, (args) =>
      args.namespace === "tix" ? { path: "better-sqlite3", external: true } : { path: "better-sqlite3", namespace: "tix" });
    b.onLoad({ filter: /^better-sqlite3$/, namespace: "tix" }, () => ({
      resolveDir: rootDir,
      loader: "js",
      contents: `
import Bundled from "better-sqlite3/lib/index.js";
let addon;
function nativeAddon() {
  if (addon === undefined) {
    try {
      const native = { exports: {} };
      process.dlopen(native, require.resolve("better-sqlite3/build/Release/better_sqlite3.node"));
      addon = native.exports;
    } catch {
      addon = null;
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
    // Trick 8a: node:os, fast-string-truncated-width and chalk, initialised on first call.
    b.onResolve({ filter: /^(node:)?os$/ }, (args) =>
      args.importer.startsWith(`${rootDir}src/`) ? { path: "node:os", namespace: "tix-deferred-builtin" } : undefined);
    b.onLoad({ filter: /.*/, namespace: "tix-deferred-builtin" }, async (args) => {
      const builtin = await import(args.path);
      const functions = Object.keys(builtin).filter((name) => name !== "default" && typeof builtin[name] === "function");
      return { loader: "js", contents: forwarders(functions, `require(${JSON.stringify(args.path)})`) };
    });
    b.onResolve({ filter: /^(fast-string-truncated-width|chalk)$/ }, async (args) => {
      if (args.pluginData === "tix-resolving") return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "tix-resolving" });
      return { path: real.path, namespace: "tix-deferred-package", pluginData: args.path };
    });
    b.onLoad({ filter: /.*/, namespace: "tix-deferred-package" }, (args) => ({
      loader: "js",
      resolveDir: rootDir,
      contents: `${forwarders([], `require(${JSON.stringify(args.path)})`)}\n${DEFERRED_PACKAGES[args.pluginData]}`,
    }));
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "tix-lazy" } : undefined);
    b.onLoad({ filter: /.*/, namespace: "tix-lazy" }, (args) => ({
      loader: "js",
      contents: `module.exports = new Proxy({}, { get: (_, key) => require("node:${args.path}")[key] });`,
    }));
  },
};

/** Trick 8a: the packages initialised on first call, each with its stand-in's exports (what tix imports of it). */
const DEFERRED_PACKAGES = {
  "fast-string-truncated-width": "export default function deferred(...args) { return load().default.apply(this, args); }",
  // Called with `new`: a constructor that returns an object makes `new` answer that object.
  chalk: "export function Chalk(options) { return new (load().Chalk)(options); }",
};

/**
 * Trick 7: what `await import()` reaches only for these — the PostgreSQL store, CSV, the HTTP server
 * and tokens, the REPL, completion scripts, the pager — goes to dist/cli-lazy.cjs.
 */
const LAZY = [
  "src/store/postgres/index.ts",
  "src/cli/output/csv.ts",
  "src/cli/import-rows.ts",
  "src/cli/venue-file.ts",
  "src/app/import-events.ts",
  "src/http/run-server.ts",
  "src/auth/tokens.ts",
  "src/cli/repl/session.ts",
  "src/cli/completion/scripts.ts",
  "src/cli/output/pager.ts",
];

/** Trick 8a: modules whose functions load them on first call, from dist/cli-lazy.cjs. */
const FORWARDED = ["src/store/memory/index.ts"];

/**
 * Trick 8a's stand-in: a function for each name that calls the one of the module `load` answers.
 * Only functions can stand in so (a class, a constant or a mutable binding cannot).
 */
function forwarders(names, load) {
  const calls = names.map((name) => `export function ${name}(...args) { return load().${name}.apply(this, args); }`);
  return [`let loaded;\nconst load = () => (loaded ??= ${load});`, ...calls].join("\n");
}

/** Each FORWARDED module's exports, by path, after checking that each is a function declared as such. */
async function forwardedExports() {
  const exports = new Map();
  for (const path of FORWARDED) {
    const result = await build({ ...shared, entryPoints: [path], bundle: false, sourcemap: false, metafile: true, outdir: "dist/.forwarded" });
    const names = Object.values(result.metafile.outputs).flatMap((output) => output.exports ?? []);
    const source = readFileSync(new URL(path, root), "utf8");
    const notFunctions = names.filter((name) => !new RegExp(`^export (async )?function\\*? ?${name}\\b`, "m").test(source));
    if (notFunctions.length > 0) throw new Error(`${path}: trick 8a forwards functions only, not ${notFunctions.join(", ")}`);
    exports.set(path, names);
  }
  return exports;
}
const forwarded = await forwardedExports();
const LAZY_ENTRIES = [...LAZY, ...FORWARDED];

/** Resolves an import as esbuild would, answering its path relative to the project (or undefined). */
async function resolved(b, args) {
  if (args.pluginData === "tix-resolving" || args.kind === "entry-point") return undefined;
  const result = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: "tix-resolving" });
  return result.errors.length === 0 && !result.external && result.namespace === "file" ? relative(rootDir, result.path) : undefined;
}

/** Trick 7, in the main bundle: each lazy module is a stub that loads dist/cli-lazy.cjs on first use. */
const lazyStubs = {
  name: "tix-lazy-stubs",
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      const path = await resolved(b, args);
      if (path !== undefined && forwarded.has(path)) return { path, namespace: "tix-forwarded-module" };
      return path !== undefined && LAZY.includes(path) ? { path, namespace: "tix-lazy-module" } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: "tix-lazy-module" }, (args) => ({ loader: "js", contents: `module.exports = __tixLazy(${JSON.stringify(args.path)});` }));
    b.onLoad({ filter: /.*/, namespace: "tix-forwarded-module" }, (args) => ({ loader: "js", contents: forwarders(forwarded.get(args.path), `__tixLazy(${JSON.stringify(args.path)})`) }));
  },
};

/** Trick 7, in the lazy bundle: a module the main bundle has is taken from it (`tix-shared:` + its path). */
function sharedWith(main, used) {
  return {
    name: "tix-shared",
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        const path = await resolved(b, args);
        if (path === undefined || !main.has(path) || LAZY_ENTRIES.includes(path)) return undefined;
        used.add(path);
        return { path: `tix-shared:${path}`, external: true };
      });
    },
  };
}

/**
 * What the main bundle gives the lazy one (trick 7): each module, initialised on first use. A
 * function declaration, so it answers even while main.ts's first synchronous steps still run
 * (trick 8a's memory store opens there), before the bundle's last lines have.
 */
function sharedTable(used) {
  const entries = [...used].sort().map((path) => `    case ${JSON.stringify(path)}: return require(${JSON.stringify(`./${path}`)});`);
  return `import "./src/cli/main.ts";\nexport function tixShared(path) {\n  switch (path) {\n${entries.join("\n")}\n  }\n}\n`;
}

// Trick 2's import(), in both CLI bundles. ("use strict" first: the code was written as ES modules, which are strict.)
const importBanner = '"use strict"; var __tixImport = (specifier) => (typeof module.tixImport === "function" ? module.tixImport(specifier) : import(specifier));';
// Trick 7's loader: runs dist/cli-lazy.cjs once, through bin/tix (with its code cache, lent as
// `module.tixRun`) or, the bundle required plainly, compiled here.
const lazyLoader = `var __tixLazyModules, __tixLazy = (path) => (__tixLazyModules ??= __tixLoadLazy())[path]();
function __tixLoadLazy() {
  const file = require("node:path").join(__dirname, "cli-lazy.cjs");
  const lazy = { exports: {}, tixImport: module.tixImport };
  const requireShared = (id) => (id.startsWith("tix-shared:") ? module.exports.tixShared(id.slice(11)) : require(id));
  if (typeof module.tixRun === "function") module.tixRun(file, lazy, requireShared);
  else new (require("node:vm").Script)(require("node:module").wrap(require("node:fs").readFileSync(file, "utf8")), { filename: file }).runInThisContext()(lazy.exports, requireShared, lazy, file, __dirname);
  return lazy.exports.modules;
}`;

const cliOptions = (entry, plugins, banner) => ({
  ...shared,
  stdin: { contents: entry, resolveDir: rootDir, sourcefile: "tix-entry.js", loader: "js" },
  format: "cjs",
  // The PostgreSQL client loads from node_modules, only for a postgres:// store; prompts: trick 2.
  external: ["postgres", "@inquirer/*", "bindings"],
  plugins: [cliStartup, ...plugins],
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  banner: { js: banner },
});

// Trick 7 takes three builds: the main bundle (to know its modules), the lazy one (to know which
// of those it takes), the main one again with the table of them.
const mainOptions = (used) => ({ ...cliOptions(sharedTable(used), [lazyStubs], `${importBanner}\n${lazyLoader}`), outfile: "dist/cli.cjs" });
const first = await build(mainOptions(new Set()));
const mainModules = new Set(Object.keys(first.metafile.inputs));
const used = new Set();
const lazyEntry = `export const modules = {\n${LAZY_ENTRIES.map((path) => `  ${JSON.stringify(path)}: () => require(${JSON.stringify(`./${path}`)}),`).join("\n")}\n};\n`;

const results = await Promise.all([
  // The CLI (tricks 1 to 7).
  build({ ...cliOptions(lazyEntry, [sharedWith(mainModules, used)], importBanner), outfile: "dist/cli-lazy.cjs" }).then(async (lazy) => {
    const again = await build(mainOptions(used));
    const twice = Object.keys(lazy.metafile.inputs).filter((path) => mainModules.has(path) && path.startsWith("src/"));
    if (twice.length > 0) throw new Error(`in both CLI bundles: ${twice.join(", ")}`);
    return [lazy, again];
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

// Trick 2: each CLI bundle ends with a tag made from its content, which its code cache starts with.
const cli = pathOf("dist/cli.cjs");
const cliBundles = [cli, pathOf("dist/cli-lazy.cjs")];
const files = results.flat().flatMap((result) => result.outputFiles).map((file) => {
  if (!cliBundles.includes(file.path)) return { path: file.path, contents: file.contents };
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

// tix is an ES module; on Node 20 `require("tix")` cannot load it. Without a `require` entry
// Node says only "No 'exports' main defined"; this one says what to do instead. A TypeScript
// program compiled with "module": "commonjs" meets it after doing just that: the compiler turns its
// `await import("tix")` into `require("tix")` (nodenext keeps the import()), so the message says so.
files.push({
  path: pathOf("dist/require.cjs"),
  contents: `"use strict";
throw Object.assign(new Error('tix is an ES module: load it with import { openTix } from "tix", or from CommonJS with const { openTix } = await import("tix") (TypeScript with "module": "commonjs" compiles that import() into this require(): use "module": "nodenext")'), { code: "ERR_REQUIRE_ESM" });
`,
});
// Its types, what a TypeScript program compiled to CommonJS gets for `import … from "tix"` (which
// becomes that require): nothing, so the compiler refuses what would throw at run time, rather
// than the library's types saying it works (TypeScript 5.8 and later allow it under nodenext).
files.push({
  path: pathOf("dist/require.d.cts"),
  contents: `// require("tix") throws: tix is an ES module. From CommonJS load it with
// const { openTix } = await import("tix"), which has the library's types (dist/types/index.d.ts).
// To name a type in CommonJS (TypeScript 5.3 or later):
//   import type { TicketView } from "tix" with { "resolution-mode": "import" };
export {};
`,
});

for (const file of files) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
try {
  execFileSync(process.execPath, [pathOf("scripts/code-cache.mjs")], { stdio: "pipe", timeout: 60_000 });
} catch (error) {
  // tix works without it, only starts slower.
  for (const bundle of cliBundles) rmSync(`${bundle}.cache`, { force: true });
  console.warn(`warning: no code cache for dist/cli.cjs: ${error.message.split("\n")[0]}\n${error.stderr ?? ""}`);
}

execFileSync(process.execPath, [pathOf("node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: rootDir,
  stdio: "inherit",
});
