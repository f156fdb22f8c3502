// Bundles the CLI into dist/cli.js (one file plus lazily loaded chunks: start-up reads little) and
// the library into dist/index.js, then emits the library's type declarations.
// Files are written to a temporary name and renamed, so a tix process starting during a build
// (tests run builds concurrently) never reads a half-written file.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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
  // Bundled CommonJS (cli-table3) calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __tixCreateRequire } from 'node:module'; const require = __tixCreateRequire(import.meta.url);" },
};

const results = await Promise.all([
  build({ ...shared, entryPoints: { cli: "src/cli/main.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]" }),
  build({ ...shared, entryPoints: { index: "src/index.ts" }, outdir: "dist", packages: "external" }),
]);

// Chunks first, entry points last: an entry point never names a chunk that is not there yet.
const files = results.flatMap((result) => result.outputFiles);
files.sort((a, b) => Number(!a.path.includes("/chunks/")) - Number(!b.path.includes("/chunks/")));
for (const file of files) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}

execFileSync(process.execPath, [new URL("node_modules/typescript/bin/tsc", root).pathname, "-p", "tsconfig.build.json"], {
  cwd: root.pathname,
  stdio: "inherit",
});
