// A throw-away PostgreSQL server for tests and benchmarks: `initdb` into a fresh temporary folder,
// `pg_ctl start` on 127.0.0.1 and a free port (its unix socket inside that folder), one database
// per `createDatabase()`, and `stop()` removes it all. As root, the server binaries run as the
// `postgres` OS user (PostgreSQL refuses to run as root).
//
// Plain JavaScript (typed by postgres-server.d.mts), so that vitest, `node` scripts (the
// benchmark) and a person can all use it:  node tests/helpers/postgres-server.mjs  prints a URL
// and keeps the server up until Ctrl-C.
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, chownSync, constants, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { pathToFileURL } from "node:url";
import pg from "pg";

export const SUPERUSER = "tix";
/** Settings for a disposable server: durability off (tests only!), enough connections for rushes. */
const SERVER_SETTINGS = [
  "-c listen_addresses=127.0.0.1",
  "-c fsync=off",
  "-c synchronous_commit=off",
  "-c full_page_writes=off",
  "-c max_connections=200",
  "-c shared_buffers=32MB",
  "-c log_min_messages=warning",
];

/** Where initdb and pg_ctl (and any other `tools`) are: PATH first, then Debian's and the usual install folders. */
export function findBinDir(tools = ["initdb", "pg_ctl"]) {
  const candidates = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  for (const root of ["/usr/lib/postgresql"]) {
    if (!existsSync(root)) continue;
    for (const version of readdirSync(root).sort().reverse()) candidates.push(join(root, version, "bin"));
  }
  candidates.push("/usr/local/pgsql/bin");
  for (const dir of candidates) {
    try {
      for (const tool of tools) accessSync(join(dir, tool), constants.X_OK);
      return dir;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** The postgres OS user's uid and gid (needed only as root). */
export function postgresUser() {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresUnavailableReason(tools = ["initdb", "pg_ctl"]) {
  if (!findBinDir(tools)) return `PostgreSQL server binaries (${tools.join(", ")}) not found on PATH or in /usr/lib/postgresql/*/bin`;
  if (isRoot() && !postgresUser()) return "running as root, but there is no `postgres` OS user to run the server as";
  return undefined;
}

/** Runs a server binary (as `postgres` when we are root); rejects with its output on failure. */
export function run(command, args, cwd) {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} failed (${code}):\n${output}`))));
  });
}

export function runSync(command, args, cwd) {
  const [file, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  execFileSync(file, argv, { cwd, env: { ...process.env, LC_ALL: "C" }, stdio: "ignore" });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/**
 * `initdb` into `data` (inside `root`, which becomes the postgres user's when we are root): the
 * superuser SUPERUSER with `password` over TCP (scram-sha-256), trusted on the unix socket.
 */
export async function initDataDir(initdb, root, data, password) {
  writeFileSync(join(root, "pwfile"), `${password}\n`, { mode: 0o600 });
  if (isRoot()) {
    const { uid, gid } = postgresUser();
    chownSync(root, uid, gid);
    chownSync(join(root, "pwfile"), uid, gid);
  }
  await run(initdb, [
    "-D", data, "-U", SUPERUSER, `--pwfile=${join(root, "pwfile")}`, "--auth-local=trust", "--auth-host=scram-sha-256",
    "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions",
  ], root);
}

let databaseCounter = 0;

/**
 * Starts a fresh server. `url` names a database already created in it (`tix`); `createDatabase()`
 * makes another, empty one (each test case or file can have its own). Always call `stop()`.
 */
export async function startPostgres({ settings = [] } = {}) {
  const reason = postgresUnavailableReason();
  if (reason) throw new Error(reason);
  const binDir = findBinDir();
  const initdb = join(binDir, "initdb");
  const pgCtl = join(binDir, "pg_ctl");
  const root = mkdtempSync(join(tmpdir(), "tix-pg-"));
  const data = join(root, "data");
  const log = join(root, "server.log");
  const password = randomBytes(12).toString("hex");
  let started = false;

  const stopSync = () => {
    if (started) {
      started = false;
      try {
        runSync(pgCtl, ["-D", data, "-m", "immediate", "-w", "-s", "stop"], root);
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  // A script that dies without calling stop() must not leave a server behind.
  process.once("exit", stopSync);

  try {
    await initDataDir(initdb, root, data, password);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [`-p ${port}`, `-k ${root}`, ...SERVER_SETTINGS, ...settings].join(" ");
      try {
        await run(pgCtl, ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "-s", "start"], root);
        started = true;
        break;
      } catch (error) {
        // The port may have been taken between choosing and binding it: try another one.
        const serverLog = existsSync(log) ? readFileSync(log, "utf8") : "";
        if (attempt >= 3 || !/could not (bind|create listen)/i.test(serverLog)) throw new Error(`${error.message}\n${serverLog}`, { cause: error });
      }
    }
    const host = "127.0.0.1";
    const urlFor = (database) => `postgres://${SUPERUSER}:${password}@${host}:${port}/${database}`;

    const query = async (sql, params = [], database = "postgres") => {
      const client = new pg.Client({ connectionString: urlFor(database) });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows;
      } finally {
        await client.end();
      }
    };

    const createDatabase = async (name = `tix_${process.pid}_${++databaseCounter}_${randomBytes(3).toString("hex")}`) => {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      // FILE_COPY (PostgreSQL 15+) is several times faster than the default for a small template.
      await query(`CREATE DATABASE ${quoted} STRATEGY FILE_COPY`).catch((error) => {
        if (error.code !== "42601" && error.code !== "42704") throw error;
        return query(`CREATE DATABASE ${quoted}`);
      });
      return urlFor(name);
    };

    const url = await createDatabase("tix");
    return {
      url,
      host,
      port,
      user: SUPERUSER,
      password,
      dataDir: data,
      urlFor,
      createDatabase,
      query,
      /** Stops the server (`fast`: ends sessions cleanly; `immediate`: as a crash), keeping its data. */
      async pause(mode = "fast") {
        await run(pgCtl, ["-D", data, "-m", mode, "-w", "-s", "stop"], root);
        started = false;
      },
      /**
       * Kills the postmaster and every process it started with SIGKILL (a crash), keeping its data;
       * resolves once they are gone (until then its lock file stops resume()).
       */
      async crash() {
        const postmaster = Number(readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0]);
        let children = [];
        try {
          children = execFileSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
        } catch {
          // no children
        }
        const alive = (pid) => {
          try {
            process.kill(pid, 0);
            return true;
          } catch {
            return false;
          }
        };
        for (const pid of [postmaster, ...children]) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        started = false;
        for (const deadline = Date.now() + 30_000; [postmaster, ...children].some(alive) && Date.now() < deadline;) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      },
      /** Starts it again, on the same port, after pause() or crash(). */
      async resume() {
        const options = [`-p ${port}`, `-k ${root}`, ...SERVER_SETTINGS, ...settings].join(" ");
        await run(pgCtl, ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "-s", "start"], root);
        started = true;
      },
      async stop() {
        process.removeListener("exit", stopSync);
        if (started) {
          started = false;
          await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "-s", "stop"], root).catch(() => undefined);
        }
        rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    process.removeListener("exit", stopSync);
    stopSync();
    throw error;
  }
}

// `node tests/helpers/postgres-server.mjs`: start one, print its URL, stop on Ctrl-C / SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startPostgres();
  process.stdout.write(`${server.url}\n`);
  process.stderr.write("PostgreSQL is running; Ctrl-C stops it and removes its data.\n");
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const shutdown = () => void server.stop().then(() => {
    clearInterval(keepAlive);
    process.exit(0);
  });
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
