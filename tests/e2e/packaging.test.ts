// tix as its users get it: from a checkout (npm ci builds dist/), and as an installed package
// (npm pack's tarball, npm link, a global install). Installing takes minutes and the registry, so
// these check what an install rests on, offline: the files the package ships, the scripts that
// build it, and what bin/tix says when what it runs is not there.
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import ts from "typescript";
import { afterEach, beforeEach, expect, it } from "vitest";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

const ROOT = join(dirname(TIX_BIN), "..");

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir("tix packaging ")));
afterEach(() => home.remove());

it("the build scripts name files by path, not by a file URL's pathname (which spells a space %20: npm ci failed in a folder with a space)", () => {
  const scripts = ["scripts", "bench"].flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith(".mjs"))
      .map((name) => join(folder, name)),
  );
  expect(scripts).toContain("scripts/build.mjs");
  const offending = scripts.filter((script) => /import\.meta\.url\)?\.pathname|\broot\.pathname|new URL\([^)]*\)\.pathname/.test(readFileSync(join(ROOT, script), "utf8")));
  expect(offending).toEqual([]);
});

/** A copy of bin/ in a folder with a space in its name, and no dist/ beside it. */
function binWithoutDist(asCheckout: boolean): string {
  const root = join(home.path, "tix copy");
  mkdirSync(join(root, "bin"), { recursive: true });
  for (const file of ["tix", "package.json"]) copyFileSync(join(ROOT, "bin", file), join(root, "bin", file));
  if (asCheckout) {
    mkdirSync(join(root, "scripts"));
    writeFileSync(join(root, "scripts", "build.mjs"), "");
  }
  return join(root, "bin", "tix");
}

it("bin/tix without dist/ (a checkout never built): one line saying how to build it, exit 1, no stack trace", () => {
  const bin = binWithoutDist(true);
  const run = spawnSync(process.execPath, [bin, "event", "list"], { env: testEnv(home.path), encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stdout).toBe("");
  expect(run.stderr).toBe(`error: tix is not built (${join(dirname(bin), "..", "dist", "cli.cjs")} is missing): run npm run build in ${join(dirname(bin), "..")} (npm ci does it too)\n`);
});

it("bin/tix without dist/ in an installed package (no build script beside it): says the installation is incomplete", () => {
  const bin = binWithoutDist(false);
  const run = spawnSync(process.execPath, [bin, "--version"], { env: testEnv(home.path), encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stderr).toMatch(/^error: this installation of tix is incomplete \(.*dist\/cli\.cjs is missing\): install tix again\n$/);
  // TIX_DEBUG=1 shows the trace, as for every other error.
  const debug = spawnSync(process.execPath, [bin, "--version"], { env: testEnv(home.path, { TIX_DEBUG: "1" }), encoding: "utf8" });
  expect(debug.status).toBe(1);
  expect(debug.stderr).toContain("ENOENT");
});

/**
 * An installed tix (node_modules/tix: bin/, dist/'s CLI bundles) whose better-sqlite3 has no native
 * addon, as `npm install --ignore-scripts` leaves it (or a package manager that runs no install script
 * unless allowed).
 */
function installedWithoutAddon(): string {
  const modules = join(home.path, "my app", "node_modules");
  const tix = join(modules, "tix");
  for (const file of ["package.json", "bin/tix", "bin/package.json", "dist/cli.cjs", "dist/cli-lazy.cjs"]) {
    mkdirSync(dirname(join(tix, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(tix, file));
  }
  for (const part of ["better-sqlite3/package.json", "better-sqlite3/lib", "bindings", "file-uri-to-path"]) cpSync(join(ROOT, "node_modules", part), join(modules, part), { recursive: true });
  return join(tix, "bin", "tix");
}

it("installed without SQLite's native addon: a SQLite store is STORE_UNAVAILABLE (exit 8) in one line saying to rebuild the driver, not an internal error; memory still works", () => {
  const bin = installedWithoutAddon();
  const env = testEnv(home.path);
  const run = spawnSync(process.execPath, [bin, "event", "list"], { env, encoding: "utf8" });
  expect(run.status).toBe(8);
  expect(run.stderr).toBe(
    `error: the store ${join(home.path, "tix.db")} cannot be opened: the SQLite driver (better-sqlite3) is not built for this Node.js (${process.version}): run npm rebuild better-sqlite3 where tix was installed (its install script may not have run)\n`,
  );
  const json = spawnSync(process.execPath, [bin, "--json", "event", "list"], { env, encoding: "utf8" });
  expect(json.status).toBe(8);
  expect(JSON.parse(json.stdout)).toMatchObject({ status: "error", error: { code: "STORE_UNAVAILABLE" } });
  const memory = spawnSync(process.execPath, [bin, "--store", "memory", "event", "list"], { env, encoding: "utf8" });
  expect([memory.status, memory.stderr]).toEqual([0, ""]);
});

/** Every path a package.json field or `exports` condition names, without its "./". */
function pointedTo(value: unknown): string[] {
  if (typeof value === "string") return [posix.normalize(value)];
  return value !== null && typeof value === "object" ? Object.values(value).flatMap(pointedTo) : [];
}

it("npm pack ships what package.json points to (bin, main, types, every export), bin/'s CommonJS marker, both CLI bundles, the licence, the docs the README links to, and declarations that need no other package", () => {
  const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" });
  expect(pack.status, pack.stderr).toBe(0);
  const files = new Set((JSON.parse(pack.stdout) as [{ files: { path: string }[] }])[0].files.map((file) => file.path));
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  const targets = [pkg.bin, pkg.main, pkg.types, pkg.exports].flatMap(pointedTo);
  expect(targets).toEqual(expect.arrayContaining(["bin/tix", "dist/index.js", "dist/types/index.d.ts", "dist/require.cjs"]));
  // bin/package.json makes bin/tix CommonJS in a "type": "module" package; the lazy bundle runs on first use.
  for (const file of [...targets, "bin/package.json", "dist/cli.cjs", "dist/cli-lazy.cjs", "README.md", "LICENSE"]) expect(files, file).toContain(file);
  expect([...files].filter((file) => /^(src|tests|scripts|bench)\//.test(file))).toEqual([]);
  // Every page the README links to ships beside it: its links work in an installed copy.
  const linked = [...readFileSync(join(ROOT, "README.md"), "utf8").matchAll(/\]\((docs\/[^)#]+)/g)].map((match) => match[1]!);
  expect(linked.length).toBeGreaterThan(3);
  for (const page of new Set(linked)) expect(files, page).toContain(page);
  // The declarations a consumer's compiler reads from dist/types/index.d.ts: all shipped, and none
  // imports a package (its types would be a devDependency the consumer does not have).
  const seen = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    expect(files, file).toContain(file);
    const text = readFileSync(join(ROOT, file), "utf8");
    for (const [, from, imported] of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*"([^"]+)"|\bimport\("([^"]+)"\)/gm)) {
      const specifier = (from ?? imported)!;
      if (!specifier.startsWith(".")) bare.add(specifier);
      else visit(posix.join(posix.dirname(file), specifier.replace(/\.js$/, ".d.ts")));
    }
  };
  visit("dist/types/index.d.ts");
  expect(seen.size).toBeGreaterThan(10);
  expect([...bare].filter((specifier) => !specifier.startsWith("node:"))).toEqual([]);
});

it("tix/package.json is exported, for tools and programs that read the installed version (import with type json, or require)", () => {
  const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
  // From inside the package, "tix" names the package itself (Node's self-reference through "exports").
  const imported = spawnSync(process.execPath, ["--input-type=module", "-e", 'const { default: pkg } = await import("tix/package.json", { with: { type: "json" } }); console.log(pkg.version);'], { cwd: ROOT, encoding: "utf8" });
  expect([imported.stdout, imported.stderr]).toEqual([`${version}\n`, ""]);
  const required = spawnSync(process.execPath, ["-e", 'console.log(require("tix/package.json").version)'], { cwd: ROOT, encoding: "utf8" });
  expect([required.stdout, required.stderr]).toEqual([`${version}\n`, ""]);
  // The library itself still refuses require, saying what to do instead.
  const library = spawnSync(process.execPath, ["-e", 'try { require("tix") } catch (error) { console.log(error.code, error.message) }'], { cwd: ROOT, encoding: "utf8" });
  expect(library.stdout).toBe('ERR_REQUIRE_ESM tix is an ES module: load it with import { openTix } from "tix", or from CommonJS with const { openTix } = await import("tix") (TypeScript with "module": "commonjs" compiles that import() into this require(): use "module": "nodenext")\n');
});

it("a TypeScript consumer (strict, nodenext): typed as an ES module, and from CommonJS typed as the dynamic import it needs; a static import there, which would throw at run time, does not compile", () => {
  const app = join(home.path, "ts app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(app, "node_modules", "tix"));
  writeFileSync(join(app, "package.json"), '{ "type": "commonjs" }');
  const sources: Record<string, string> = {
    "esm.mts": `import { openTix, isTixError, TixError, type ErrorCode, type TicketView } from "tix";
const tix = await openTix();
const { event } = await tix.events.create({ name: "Jazz", capacity: 2, price: "45.00" });
const { ticket, replayed } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
const view: TicketView = ticket;
const status: "reserved" | "purchased" | "cancelled" | "expired" = view.status;
try { await tix.events.get("nope"); } catch (error) { if (error instanceof TixError) { const code: ErrorCode = error.code; console.log(code); } console.log(isTixError(error)); }
console.log(status, replayed, event.available - event.held);
await tix.close();
`,
    "dynamic.cts": `async function main(): Promise<void> {
  const { openTix } = await import("tix");
  const tix = await openTix();
  const count: number = (await tix.events.list()).length;
  console.log(count);
  await tix.close();
}
void main();
`,
    "static.cts": `import { openTix } from "tix";\nvoid openTix;\n`,
    // CommonJS names the types as the ES module has them (the guide's way; a plain import type finds none).
    "types.cts": `import type { TicketView, ReserveOutcome } from "tix" with { "resolution-mode": "import" };
export function first(outcome: ReserveOutcome): TicketView {
  return outcome.ticket;
}
`,
  };
  for (const [name, text] of Object.entries(sources)) writeFileSync(join(app, name), text);
  const options: ts.CompilerOptions = { strict: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, types: [] };
  const program = ts.createProgram(Object.keys(sources).map((name) => join(app, name)), options);
  const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => `${diagnostic.file === undefined ? "" : diagnostic.file.fileName.slice(app.length + 1)}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
  expect(problems).toEqual([`static.cts: TS2305 Module '"tix"' has no exported member 'openTix'.`]);
});

it("a TypeScript program compiled with \"module\": \"commonjs\" (whose await import(\"tix\") the compiler makes a require): the error says so and what to set, where it said to use the await import() the program had written", () => {
  const app = join(home.path, "cjs app");
  mkdirSync(join(app, "node_modules"), { recursive: true });
  symlinkSync(ROOT, join(app, "node_modules", "tix"));
  writeFileSync(join(app, "package.json"), '{ "type": "commonjs" }');
  const source = `async function main(): Promise<void> {
  try {
    const { openTix } = await import("tix");
    console.log(typeof openTix);
  } catch (error) {
    console.log((error as Error).message);
  }
}
void main();
`;
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  expect(outputText).toContain('require("tix")');
  writeFileSync(join(app, "main.js"), outputText);
  const run = spawnSync(process.execPath, [join(app, "main.js")], { cwd: app, encoding: "utf8" });
  expect([run.stdout, run.stderr]).toEqual([
    'tix is an ES module: load it with import { openTix } from "tix", or from CommonJS with const { openTix } = await import("tix") (TypeScript with "module": "commonjs" compiles that import() into this require(): use "module": "nodenext")\n',
    "",
  ]);
});
