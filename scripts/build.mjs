// Bundles the CLI into dist/cli.js (one file plus lazily loaded chunks: start-up reads little) and
// the library into dist/index.js, then emits the library's type declarations.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const root = new URL("..", import.meta.url);
rmSync(new URL("dist", root), { recursive: true, force: true });

const { version } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));

const shared = {
  define: { __TIX_VERSION__: JSON.stringify(version) },
  absWorkingDir: root.pathname,
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  logLevel: "warning",
  // Native and heavy optional drivers stay in node_modules and load only when used.
  external: ["better-sqlite3", "pg", "pg-native", "inquirer", "@inquirer/*", "node-pty"],
  // Bundled CommonJS (cli-table3) calls require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __tixCreateRequire } from 'node:module'; const require = __tixCreateRequire(import.meta.url);" },
};

await Promise.all([
  build({ ...shared, entryPoints: { cli: "src/cli/main.ts" }, outdir: "dist", splitting: true, chunkNames: "chunks/[name]-[hash]" }),
  build({ ...shared, entryPoints: { index: "src/index.ts" }, outdir: "dist", packages: "external" }),
]);

execFileSync(process.execPath, [new URL("node_modules/typescript/bin/tsc", root).pathname, "-p", "tsconfig.build.json"], {
  cwd: root.pathname,
  stdio: "inherit",
});
