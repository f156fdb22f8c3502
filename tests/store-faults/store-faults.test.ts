import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { TIX_BIN, runTix, runTixAsync, testEnv, type TixRun } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A store tix cannot use is STORE_UNAVAILABLE (exit 8) with one line naming it — never a crash —
 * and a file that is not tix's, or is a newer tix's, is left exactly as it was.
 */
let home: { path: string; remove: () => void };
let dbPath: string;
beforeEach(() => {
  home = tempDir("tix-faults-");
  dbPath = join(home.path, "tix.db");
});
afterEach(() => home.remove());

/** The bytes, mode and neighbours of a file: "untouched" means all three are unchanged. */
function fingerprint(path: string): string {
  const folder = join(path, "..");
  return JSON.stringify({
    sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
    mode: statSync(path).mode,
    mtime: statSync(path).mtimeMs,
    folder: readdirSync(folder).sort(),
  });
}

function expectUnavailable(run: TixRun, naming: string, problem: RegExp): void {
  expect(run.code, `${run.stderr}${run.stdout}`).toBe(8);
  expect(run.stdout).toBe("");
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toContain(naming);
  expect(lines[0]).toMatch(problem);
}

function expectUnavailableAsJson(args: string[], naming: string): void {
  const run = runTix(["--json", ...args], home.path);
  expect(run.code, run.stderr).toBe(8);
  expect(run.stderr).toBe("");
  const body = run.json();
  expect(body.status).toBe("error");
  expect(body.error.code).toBe("STORE_UNAVAILABLE");
  expect(body.error.message).toContain(naming);
}

/** A real tix store, written by tix, then closed (its WAL checkpointed into the file). */
function makeTixStore(): void {
  expect(runTix(["event", "create", "--id", "evt_kept", "--name", "Kept", "--capacity", "3"], home.path).code).toBe(0);
  expect(runTix(["reserve", "evt_kept", "--key", "k1"], home.path).code).toBe(0);
}

describe("a file at the store path that tix must not use", () => {
  const commands: string[][] = [["event", "list"], ["reserve", "evt_kept", "--key", "k9"], ["event", "create", "--name", "New", "--capacity", "1"]];

  it.each([
    ["random bytes", () => randomBytes(64 * 1024)],
    ["a few bytes of text", () => Buffer.from("hello\n")],
    ["a text file as large as a database page", () => Buffer.from("SQLite format 2\u0000".padEnd(4096, "x"))],
  ])("is not SQLite (%s): exit 8 naming it, the file untouched", (_kind, bytes) => {
    writeFileSync(dbPath, bytes(), { mode: 0o600 });
    const before = fingerprint(dbPath);
    for (const args of commands) {
      expectUnavailable(runTix(args, home.path), dbPath, /not a SQLite database/);
      expect(fingerprint(dbPath), args.join(" ")).toBe(before);
    }
    expectUnavailableAsJson(["event", "list"], dbPath);
    expect(fingerprint(dbPath)).toBe(before);
  });

  it("is another program's SQLite database: exit 8, not adopted, not switched to WAL, not written", () => {
    const other = new Database(dbPath);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');");
    other.close();
    const before = fingerprint(dbPath);
    for (const args of commands) {
      expectUnavailable(runTix(args, home.path), dbPath, /not a tix store/);
      expect(fingerprint(dbPath), args.join(" ")).toBe(before);
    }
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma("journal_mode", { simple: true })).toBe("delete");
    expect(check.pragma("application_id", { simple: true })).toBe(0);
    expect(check.prepare("SELECT body FROM notes").pluck().all()).toEqual(["keep me"]);
    check.close();
  });

  it("is another program's empty database, marked with its own application_id: exit 8, untouched", () => {
    const other = new Database(dbPath);
    other.pragma("application_id = 1234567");
    other.close();
    const before = fingerprint(dbPath);
    expectUnavailable(runTix(["event", "list"], home.path), dbPath, /not a tix store/);
    expect(fingerprint(dbPath)).toBe(before);
  });

  it("is a tix store of a newer schema: exit 8, never migrated down, never written", () => {
    makeTixStore();
    const newer = new Database(dbPath);
    expect(newer.pragma("application_id", { simple: true })).toBe(TIX_APPLICATION_ID);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const before = fingerprint(dbPath);
    for (const args of commands) {
      expectUnavailable(runTix(args, home.path), dbPath, /newer/);
      expect(fingerprint(dbPath), args.join(" ")).toBe(before);
    }
    expectUnavailableAsJson(["event", "list"], dbPath);
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION + 1);
    expect(check.prepare("SELECT count(*) FROM tickets").pluck().get()).toBe(1);
    check.close();
  });
});

describe("a store path tix cannot open", () => {
  it("is a folder: exit 8 naming it, and saying so (SQLite says only 'cannot open')", () => {
    mkdirSync(dbPath);
    expectUnavailable(runTix(["event", "list"], home.path), dbPath, /is a folder, not a file: name a file in it/);
    expectUnavailableAsJson(["event", "list"], dbPath);
  });

  it("ends with /, a folder whether it exists or not: exit 2 saying so, nothing created (a file named as the folder was made)", () => {
    const folder = join(home.path, "data");
    for (const path of [`${folder}/`, `${home.path}/`]) {
      const run = runTix(["--store", `sqlite:${path}`, "event", "list"], home.path);
      expect(run).toMatchObject({ code: 2, stdout: "" });
      expect(run.stderr).toBe(`error: store: sqlite:${path} ends with "/", so names a folder; name a file in it, such as sqlite:${path}tix.db\n`);
    }
    expect(existsSync(folder)).toBe(false);
  });

  it("sqlite://NAME names a host, not a file: exit 2 saying what to write, nothing created (it was the root's /NAME)", () => {
    // Before: sqlite://x.db was the path //x.db, that is /x.db: a store made at the root (or EACCES).
    const name = `tix-no-host-${randomBytes(6).toString("hex")}`;
    const run = runTix(["--store", `sqlite://${name}/tix.db`, "event", "list"], home.path);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toBe(
      `error: store: sqlite://${name}/tix.db: "//" starts a host (${name}), and a SQLite file has none; write sqlite:${name}/tix.db for a path from here, or sqlite:/${name}/tix.db from the root\n`,
    );
    expect(existsSync(`/${name}`)).toBe(false);
    const json = runTix(["--store", "sqlite://x.db", "event", "create", "--name", "N", "--capacity", "1", "--json"], home.path);
    expect(json.code).toBe(2);
    expect(json.json()).toMatchObject({ status: "error", error: { code: "INVALID_ARGUMENT" } });
    // sqlite:///abs stays the absolute path /abs.
    const absolute = runTix(["--store", `sqlite://${dbPath}`, "event", "list"], home.path);
    expect(absolute).toMatchObject({ code: 0, stderr: "" });
    expect(existsSync(dbPath)).toBe(true);
  });

  it("sqlite::memory: (SQLite's in-memory name) is refused, pointing at memory; it made a file named :memory: in the current folder", () => {
    // The test's process runs tix in its own folder (the checkout's): that is where the file was made.
    const run = runTix(["--store", "sqlite::memory:", "event", "list"], home.path);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toBe("error: store: sqlite::memory: would be a file named :memory: in this folder; for a store that lives as long as the process, write memory\n");
    expect(existsSync(join(process.cwd(), ":memory:"))).toBe(false);
  });

  it("a quoted ~ (TIX_HOME=\"~/tix\", sqlite:~/x.db) is refused, exit 2: it made a folder named ~ in the current one, a store in each", () => {
    // Only a shell expands ~, and only unquoted: an env file, a systemd unit or `-e` keep it as is.
    const cwd = join(home.path, "work");
    mkdirSync(cwd);
    const run = (args: readonly string[], env: Record<string, string | undefined>) => {
      const result = spawnSync(process.execPath, [TIX_BIN, ...args], { cwd, env: testEnv(home.path, env), encoding: "utf8" });
      return { code: result.status, stdout: result.stdout, stderr: result.stderr };
    };
    expect(run(["event", "list"], { TIX_HOME: "~/tixdata" })).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: TIX_HOME: \"~/tixdata\" starts with ~, which only a shell expands (unquoted): it would be a folder named ~ in the current one; write the full path, such as $HOME/tixdata\n",
    });
    expect(run(["--json", "seed"], { TIX_HOME: "~" })).toMatchObject({ code: 2, stderr: "" });
    expect(run(["--store", "sqlite:~/x.db", "event", "list"], {})).toMatchObject({
      code: 2,
      stderr: "error: store: \"sqlite:~/x.db\" starts with ~, which only a shell expands (unquoted): it would be a folder named ~ in the current one; write the full path, such as sqlite:$HOME/x.db\n",
    });
    expect(run(["event", "list"], { TIX_STORE: "sqlite:~ops/tix.db" })).toMatchObject({ code: 2, stderr: expect.stringContaining("such as sqlite:/home/ops/tix.db") });
    expect(readdirSync(cwd)).toEqual([]);
    // A store named elsewhere does not need the home: --store works whatever TIX_HOME says.
    expect(run(["--store", "memory", "event", "list"], { TIX_HOME: "~" })).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("has whitespace at an end (a copy-paste's): exit 2 saying what to write, nothing created — CLI, TIX_STORE, serve and library alike", async () => {
    // Before: `sqlite:x.db ` made an empty 0600 file named "x.db " and then failed, exit 8.
    const file = join(home.path, "x.db");
    const cases: Array<[string, string]> = [
      [`sqlite:${file} `, `"sqlite:${file} " has whitespace at its end; write sqlite:${file}`],
      [` sqlite:${file}\t`, `" sqlite:${file}\\t" has whitespace at both ends; write sqlite:${file}`],
      [`sqlite: ${file}`, `"sqlite: ${file}": its path has whitespace at its start; write sqlite:${file}`],
      ["memory ", `"memory " has whitespace at its end; write memory`],
      [" ", `" " is blank; write a store URL such as sqlite:./tix.db`],
    ];
    for (const [url, message] of cases) {
      const run = runTix(["--store", url, "event", "list"], home.path);
      expect(run, url).toMatchObject({ code: 2, stdout: "", stderr: `error: store: ${message}\n` });
    }
    const env = runTix(["--json", "event", "create", "--name", "N", "--capacity", "1"], home.path, { env: { TIX_STORE: `sqlite:${file} ` } });
    expect(env.code).toBe(2);
    // From the environment, the error names it: the script that set TIX_STORE has no --store to look at.
    expect(env.json()).toEqual({ status: "error", error: { code: "INVALID_ARGUMENT", message: `TIX_STORE: ${cases[0]![1]}` } });
    const serve = runTix(["--store", `sqlite:${file} `, "serve", "--port", "0"], home.path, { timeoutMs: 20_000 });
    expect(serve).toMatchObject({ code: 2, stderr: `error: store: ${cases[0]![1]}\n` });
    const { openTix } = await import("../../src/index.js");
    await expect(openTix({ store: `sqlite:${file} ` })).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: `store: ${cases[0]![1]}` });
    expect(readdirSync(home.path)).toEqual([]);
  });

  it("a TIX_STORE or TIX_USER refused as written is named as such (it said store: / user:, as if given with --store / --user)", () => {
    const bogus = runTix(["event", "list"], home.path, { env: { TIX_STORE: "bogus" } });
    expect(bogus).toMatchObject({ code: 2, stdout: "", stderr: 'error: TIX_STORE: "bogus" is not a store URL; use memory, sqlite:<path> or postgres://user@host/db\n' });
    const batch = runTix([], home.path, { env: { TIX_STORE: "bogus" }, input: "event list\n" });
    expect(batch).toMatchObject({ code: 2, stderr: 'line 1: error: TIX_STORE: "bogus" is not a store URL; use memory, sqlite:<path> or postgres://user@host/db\n' });
    expect(runTix(["--store", "bogus", "event", "list"], home.path).stderr).toBe('error: store: "bogus" is not a store URL; use memory, sqlite:<path> or postgres://user@host/db\n');
    // --store wins over TIX_STORE, so a bad TIX_STORE under a good --store is never read.
    expect(runTix(["--store", "memory", "event", "list"], home.path, { env: { TIX_STORE: "bogus" } })).toMatchObject({ code: 0, stderr: "" });
    const user = runTix(["--json", "ticket", "list"], home.path, { env: { TIX_USER: "front desk" } });
    expect([user.code, user.json().error.message]).toEqual([2, 'TIX_USER: "front desk" must be 1 to 64 printable characters without spaces']);
    expect(runTix(["--user", "front desk", "ticket", "list"], home.path).stderr).toBe('error: user: "front desk" must be 1 to 64 printable characters without spaces\n');
    expect(runTix(["--user", "desk", "--store", "memory", "ticket", "list"], home.path, { env: { TIX_USER: "front desk" } })).toMatchObject({ code: 0, stderr: "" });
  });

  // Regression: these reached the user as "internal error" (exit 1) before the fix in sqlite-errors.ts.
  it("has a file where its folder should be: exit 8, the file untouched", () => {
    const file = join(home.path, "not-a-folder");
    writeFileSync(file, "mine\n");
    const before = fingerprint(file);
    // As TIX_HOME (mkdir answers EEXIST) and deeper in a --store path (ENOTDIR).
    expectUnavailable(runTix(["event", "list"], home.path, { env: { TIX_HOME: file } }), file, /file where a folder should be/);
    expectUnavailable(runTix(["--store", `sqlite:${file}/deeper/tix.db`, "event", "list"], home.path), file, /file where a folder should be/);
    expect(fingerprint(file)).toBe(before);
  });

  it("loops through symbolic links, or is longer than the OS allows: exit 8, not an internal error", () => {
    symlinkSync(join(home.path, "loop-b"), join(home.path, "loop-a"));
    symlinkSync(join(home.path, "loop-a"), join(home.path, "loop-b"));
    expectUnavailable(runTix(["--store", `sqlite:${join(home.path, "loop-a", "tix.db")}`, "event", "list"], home.path), "loop-a", /symbolic links/);
    const tooLong = join(home.path, "n".repeat(300), "tix.db");
    expectUnavailable(runTix(["--store", `sqlite:${tooLong}`, "event", "list"], home.path), "nnnn", /too long/);
    expect(existsSync(join(home.path, "n".repeat(300)))).toBe(false);
  });

  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((path) => existsSync(path));
  const canDropPrivileges = process.getuid?.() === 0 && runuser !== undefined;

  // Tests run as root, whom file modes do not stop; the child drops to `nobody` to meet a 0600 file it does not own.
  it.skipIf(!canDropPrivileges)("is unreadable for this user: exit 8 naming it, the file untouched", () => {
    makeTixStore();
    chmodSync(home.path, 0o755);
    chmodSync(dbPath, 0o600);
    const before = fingerprint(dbPath);
    const env = testEnv(home.path);
    const result = spawnSync(runuser!, ["-u", "nobody", "--", "/usr/bin/env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
      process.execPath, TIX_BIN, "event", "list"], { encoding: "utf8", timeout: 30_000 });
    const run = { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, json: () => JSON.parse(result.stdout) };
    expectUnavailable(run, dbPath, /cannot be opened|permission|read-only/);
    expect(fingerprint(dbPath)).toBe(before);
  });
});

describe("a store locked by another process past the busy timeout", () => {
  const BUSY = { TIX_BUSY_TIMEOUT_MS: "200" };

  it("answers STORE_UNAVAILABLE after the timeout for writes, reads need no write lock, and works again once the lock is gone", async () => {
    makeTixStore();
    const holder = new Database(dbPath);
    holder.exec("BEGIN IMMEDIATE");
    try {
      // A read finds no hold due: it reads a snapshot and never waits behind the writer.
      const read = await runTixAsync(["--json", "event", "show", "evt_kept"], home.path, { env: BUSY, timeoutMs: 30_000 });
      expect(read.code, read.stderr).toBe(0);
      expect(read.json().event).toMatchObject({ held: 1 });
      for (const args of [["reserve", "evt_kept", "--key", "k2", "--user", "bob"], ["cancel", "ord_none"]]) {
        const started = Date.now();
        const run = await runTixAsync(args, home.path, { env: BUSY, timeoutMs: 30_000 });
        const elapsed = Date.now() - started;
        expectUnavailable(run, dbPath, /busy/);
        expect(elapsed, "tix waited for the busy timeout").toBeGreaterThanOrEqual(200);
        expect(elapsed, "and not much longer").toBeLessThan(15_000);
      }
      const json = await runTixAsync(["--json", "reserve", "evt_kept", "--key", "k2", "--user", "bob"], home.path, { env: BUSY, timeoutMs: 30_000 });
      expect(json.code).toBe(8);
      expect(json.json().error.code).toBe("STORE_UNAVAILABLE");
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    // Nothing was half-done while it waited; now the same command goes through.
    expect(runTix(["--json", "event", "show", "evt_kept"], home.path).json().event).toMatchObject({ held: 1 });
    const retried = runTix(["--json", "reserve", "evt_kept", "--key", "k2", "--user", "bob"], home.path, { env: BUSY });
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.json().replayed).toBe(false);
  });

  it("fails a grouped batch's lines after one busy timeout, not one timeout per line", async () => {
    makeTixStore();
    const holder = new Database(dbPath);
    holder.exec("BEGIN IMMEDIATE");
    try {
      const lines = Array.from({ length: 20 }, (_, index) => `reserve evt_kept --key b${index} --user u${index}`);
      const started = Date.now();
      const run = await runTixAsync(["--json", "repl"], home.path, { env: { TIX_BUSY_TIMEOUT_MS: "500" }, input: `${lines.join("\n")}\n`, timeoutMs: 60_000 });
      const elapsed = Date.now() - started;
      expect(run.code, run.stderr).toBe(8);
      const answers = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line) as { error: { code: string; line: number } });
      expect(answers.map((answer) => [answer.error.code, answer.error.line])).toEqual(lines.map((_, index) => ["STORE_UNAVAILABLE", index + 1]));
      // Before: the group waited its timeout, then each line waited its own again (21 × 500 ms).
      expect(elapsed, "one busy timeout for the group").toBeLessThan(5_000);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it("waits for a lock held less than the busy timeout instead of failing", async () => {
    makeTixStore();
    const holder = new Database(dbPath);
    holder.exec("BEGIN IMMEDIATE");
    const running = runTixAsync(["--json", "reserve", "evt_kept", "--key", "k3", "--user", "carol"], home.path, { env: { TIX_BUSY_TIMEOUT_MS: "20000" }, timeoutMs: 60_000 });
    // Hold the lock across the child's start-up and first attempt, then let it go.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    holder.exec("COMMIT");
    holder.close();
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(run.json().ticket.userId).toBe("carol");
  });
});

describe("folders: tix makes its own home, never a folder of a path it was given", () => {
  it("--store and TIX_STORE naming a missing folder: exit 8 naming it, nothing created", () => {
    const missing = join(home.path, "no", "such", "dir");
    for (const [args, env] of [
      [["--store", `sqlite:${missing}/x.db`, "event", "list"], {}],
      [["event", "list"], { TIX_STORE: `sqlite:${missing}/x.db` }],
    ] as Array<[string[], Record<string, string>]>) {
      expectUnavailable(runTix(args, home.path, { env }), missing, /folder does not exist/);
      expect(existsSync(join(home.path, "no")), "no folder was made").toBe(false);
    }
  });

  it("the default store: a missing TIX_HOME is created, private (0700), with the file 0600", () => {
    const tixHome = join(home.path, "deep", "tix-home");
    const run = runTix(["event", "create", "--id", "evt_home", "--name", "Home", "--capacity", "1"], home.path, { env: { TIX_HOME: tixHome } });
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(tixHome).mode & 0o777).toBe(0o700);
    expect(statSync(join(tixHome, "tix.db")).mode & 0o777).toBe(0o600);
  });
});

describe("side files and read-only episodes", () => {
  const sideFiles = () => [`${dbPath}-wal`, `${dbPath}-shm`].filter((path) => existsSync(path));

  it("creates -wal and -shm private (0600), and makes loose ones private again", async () => {
    makeTixStore();
    const holder = new Database(dbPath); // keeps the side files in place between runs
    holder.prepare("SELECT count(*) FROM events").get();
    try {
      expect(sideFiles()).toHaveLength(2);
      for (const side of sideFiles()) expect(statSync(side).mode & 0o777, side).toBe(0o600);
      for (const side of sideFiles()) chmodSync(side, 0o644);
      expect(runTix(["event", "list"], home.path).code).toBe(0);
      for (const side of sideFiles()) expect(statSync(side).mode & 0o777, side).toBe(0o600);
    } finally {
      holder.close();
    }
  });

  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((path) => existsSync(path));
  const nobodyIn = (folder: string) => {
    chmodSync(folder, 0o777);
    const env = testEnv(folder);
    return (args: string[]) => {
      const result = spawnSync(runuser!, ["-u", "nobody", "--", "/usr/bin/env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
        process.execPath, TIX_BIN, ...args], { encoding: "utf8", timeout: 30_000 });
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    };
  };

  it.skipIf(!(process.getuid?.() === 0 && runuser !== undefined))("a read-only file with no tix tables yet reads as an empty store; a write says it is read-only; the file untouched", () => {
    // Before: every read failed creating the tables: "is read-only (SQLITE_READONLY)", exit 8.
    const asNobody = nobodyIn(home.path);
    writeFileSync(dbPath, "");
    chmodSync(dbPath, 0o444);
    const before = fingerprint(dbPath);
    expect(asNobody(["event", "list"])).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(asNobody(["ticket", "list", "--all-users"])).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(JSON.parse(asNobody(["--json", "event", "list"]).stdout)).toEqual({ status: "success", events: [] });
    expect(asNobody(["event", "show", "evt_none"])).toMatchObject({ code: 3, stdout: "" });
    const write = asNobody(["event", "create", "--name", "N", "--capacity", "1"]);
    expect(write).toEqual({ code: 8, stdout: "", stderr: `error: the store ${dbPath} is read-only (SQLITE_READONLY)\n` });
    expect(fingerprint(dbPath)).toBe(before);
    expect(sideFiles()).toEqual([]);

    // A read-only file with the tables reads as ever.
    chmodSync(dbPath, 0o600);
    rmSync(dbPath);
    expect(asNobody(["event", "create", "--id", "evt_ro", "--name", "RO", "--capacity", "5"]).code).toBe(0);
    chmodSync(dbPath, 0o444);
    expect(asNobody(["event", "list"])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^evt_ro\tRO\t/) });
    expect(asNobody(["event", "create", "--name", "N", "--capacity", "1"])).toMatchObject({ code: 8, stderr: expect.stringMatching(/is read-only/) });
  });

  it.skipIf(!(process.getuid?.() === 0 && runuser !== undefined))("recovers by itself after the file was read-only for a while (as a user file modes stop)", () => {
    chmodSync(home.path, 0o777);
    const env = testEnv(home.path);
    const asNobody = (args: string[]) => {
      const result = spawnSync(runuser!, ["-u", "nobody", "--", "/usr/bin/env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`),
        process.execPath, TIX_BIN, ...args], { encoding: "utf8", timeout: 30_000 });
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    };
    expect(asNobody(["event", "create", "--id", "evt_ro", "--name", "RO", "--capacity", "5"]).code).toBe(0);
    chmodSync(dbPath, 0o444);
    const during = asNobody(["event", "list"]);
    expect([0, 8], during.stderr).toContain(during.code);
    // What SQLite leaves after a read of a read-only file: side files as read-only as it was.
    const holder = new Database(dbPath, { readonly: true });
    holder.prepare("SELECT count(*) FROM events").get();
    for (const side of sideFiles()) chmodSync(side, 0o444);
    chmodSync(dbPath, 0o600);
    const after = asNobody(["reserve", "evt_ro", "--key", "k1"]);
    holder.close();
    expect(after.code, after.stderr).toBe(0);
    for (const side of sideFiles()) expect(statSync(side).mode & 0o777, side).toBe(0o600);
  });
});
