// A throw-away two-node PostgreSQL cluster for tests: a primary and a synchronous standby, built the
// way an operator builds one, from the PostgreSQL binaries on the machine — `initdb` the primary,
// `pg_basebackup -R` the standby from it, then (and only then) `synchronous_standby_names` on the
// primary, so that a commit is acknowledged once the standby has it (`synchronous_commit=on`).
// Loopback ports, one temporary folder, `stop()` removes it all; as root, the server binaries run
// as the `postgres` OS user. Failover is what an operator (or pg_auto_failover) does: `kill()` the
// primary — SIGKILL to the postmaster *and* its children, as a machine that dies — then
// `promote()` the standby with `pg_ctl promote`.
//
// Plain JavaScript (typed by postgres-cluster.d.mts):  node tests/helpers/postgres-cluster.mjs
// prints the multi-host URL and keeps the cluster up until Ctrl-C.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clearInterval, setInterval, setTimeout } from "node:timers";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { SUPERUSER, findBinDir, freePort, initDataDir, postgresUnavailableReason, run, runSync } from "./postgres-server.mjs";

/**
 * Every node's postgresql.conf (written to the primary's before the base backup copies it; in the
 * file, not on the command line, so that pg_rewind's own recovery run sees it too). Small on
 * purpose — the machine is shared: few connections, little shared memory. fsync stays off (the
 * tests kill processes, not the machine: the page cache survives); synchronous_commit is on, so a
 * commit waits for the synchronous standby to have flushed it. wal_log_hints and wal_keep_size let
 * pg_rewind work (it reads the old primary’s WAL from before the two diverged).
 */
const NODE_SETTINGS = `
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = on
max_connections = 60
shared_buffers = 16MB
max_wal_senders = 4
wal_log_hints = on
wal_keep_size = 64MB
log_min_messages = warning
`;

/** The server binaries a cluster needs. */
const TOOLS = ["initdb", "pg_ctl", "pg_basebackup", "pg_rewind"];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The last lines of a server log, for a failure's message. */
function tail(file, lines = 25) {
  return existsSync(file) ? readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n") : "(no log)";
}

/** The pids of the children of `pid` (from /proc: field 4 of /proc/<pid>/stat is the parent). */
function childrenOf(pid) {
  const children = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/** Whether `pid` still runs (a zombie, dead but not yet reaped, does not). */
function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** Why a cluster cannot be started here (binaries missing, no postgres user as root), or undefined. */
export function clusterUnavailableReason() {
  return postgresUnavailableReason(TOOLS);
}

/**
 * Starts a primary and a synchronous standby. `url` names the database `tix` on both hosts,
 * primary first (`postgres://tix:…@127.0.0.1:P1,127.0.0.1:P2/tix?target_session_attrs=read-write`).
 * Always call `stop()`.
 */
export async function startCluster() {
  const reason = clusterUnavailableReason();
  if (reason) throw new Error(reason);
  const binDir = findBinDir(TOOLS);
  const bin = (name) => join(binDir, name);
  const root = mkdtempSync(join(tmpdir(), "tix-pg-cluster-"));
  const password = randomBytes(12).toString("hex");
  const host = "127.0.0.1";
  const nodes = ["node1", "node2"].map((name) => ({ name, port: 0, dataDir: join(root, name), log: join(root, `${name}.log`), running: false }));

  const stopSync = () => {
    for (const node of nodes) {
      if (!node.running) continue;
      node.running = false;
      try {
        runSync(bin("pg_ctl"), ["-D", node.dataDir, "-m", "immediate", "-w", "-s", "stop"], root);
      } catch {
        // already gone
      }
    }
    rmSync(root, { recursive: true, force: true });
  };
  // A script that dies without calling stop() must not leave servers behind.
  process.once("exit", stopSync);

  const nodeUrl = (node, database = "tix") => `postgres://${SUPERUSER}:${password}@${host}:${node.port}/${database}`;
  const query = async (node, sql, params = [], database = "postgres") => {
    const client = new pg.Client({ connectionString: nodeUrl(node, database), connectionTimeoutMillis: 10_000 });
    client.on("error", () => undefined);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const start = async (node) => {
    const options = [`-p ${node.port}`, `-k ${root}`, `-c cluster_name=${node.name}`].join(" ");
    try {
      await run(bin("pg_ctl"), ["-D", node.dataDir, "-l", node.log, "-o", options, "-w", "-t", "120", "-s", "start"], root);
    } catch (error) {
      throw new Error(`${node.name} did not start: ${error.message}\n${tail(node.log)}`, { cause: error });
    }
    node.running = true;
  };

  /** Polls `check` until it answers true, or fails after `ms` saying what it waited for. */
  const waitFor = async (what, check, ms = 60_000) => {
    let last;
    for (const deadline = Date.now() + ms; ;) {
      try {
        if (await check()) return;
      } catch (error) {
        last = error;
      }
      if (Date.now() > deadline) throw new Error(`cluster: ${what} not within ${ms} ms${last ? ` (last error: ${last.message})` : ""}`);
      await sleep(100);
    }
  };

  let primary = nodes[0];
  let standby = nodes[1];

  /** Waits until `node` streams from the primary as its synchronous standby. */
  const waitForSync = (node = standby) =>
    waitFor(`${node.name} streaming as the synchronous standby of ${primary.name}`, async () => {
      const rows = await query(primary, "SELECT sync_state FROM pg_stat_replication WHERE application_name = $1", [node.name]);
      return rows[0]?.sync_state === "sync";
    }).catch((error) => {
      throw new Error(`${error.message}\n${node.name}'s log ends:\n${tail(node.log)}\n${primary.name}'s log ends:\n${tail(primary.log)}`, { cause: error });
    });

  /** Makes `node` the synchronous standby the primary waits for (ALTER SYSTEM: the primary's own setting, never copied by a base backup taken before). */
  const requireSyncStandby = async (node) => {
    await query(primary, `ALTER SYSTEM SET synchronous_standby_names = '${node.name}'`);
    await query(primary, "SELECT pg_reload_conf()");
  };

  try {
    for (const node of nodes) node.port = await freePort();
    await initDataDir(bin("initdb"), root, primary.dataDir, password);
    appendFileSync(join(primary.dataDir, "postgresql.conf"), NODE_SETTINGS);
    await start(primary);
    await query(primary, "CREATE DATABASE tix");
    await run(bin("pg_basebackup"), ["-D", standby.dataDir, "-R", "-X", "stream", "-c", "fast", "--no-sync", "-h", root, "-p", String(primary.port), "-U", SUPERUSER], root);
    await start(standby);
    await requireSyncStandby(standby);
    await waitForSync();
  } catch (error) {
    process.removeListener("exit", stopSync);
    stopSync();
    throw error;
  }

  const hosts = nodes.map((node) => `${host}:${node.port}`).join(",");
  return {
    url: `postgres://${SUPERUSER}:${password}@${hosts}/tix?target_session_attrs=read-write`,
    password,
    nodes,
    get primary() {
      return primary;
    },
    get standby() {
      return standby;
    },
    nodeUrl,
    query,
    waitForSync,

    /**
     * SIGKILL of the node's postmaster and of every child it has (a dead postmaster's backends
     * would otherwise live on for a moment). The postmaster is stopped first so that it forks no
     * child between the listing and the kill. Answers the time the kill was sent (Date.now()).
     */
    kill(node = primary) {
      const pid = Number(readFileSync(join(node.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
      process.kill(pid, "SIGSTOP");
      const children = childrenOf(pid);
      const killedAt = Date.now();
      process.kill(pid, "SIGKILL");
      for (const child of children) {
        try {
          process.kill(child, "SIGKILL");
        } catch {
          // already gone
        }
      }
      node.running = false;
      return { killedAt, pids: [pid, ...children] };
    },

    /**
     * Waits until none of `pids` runs any more, then removes the dead node's lock files (its
     * postmaster.pid and its socket's .lock): until the orphaned postmaster is reaped (some
     * containers' init reaps only every second or so, some never), it is a zombie whose pid makes
     * a restarted PostgreSQL believe it still runs ("lock file … already exists").
     */
    async waitGone(pids, node) {
      await waitFor(`processes ${pids.join(", ")} gone`, () => pids.every((pid) => !isAlive(pid)), 30_000);
      if (!node) return;
      rmSync(join(node.dataDir, "postmaster.pid"), { force: true });
      rmSync(join(root, `.s.PGSQL.${node.port}.lock`), { force: true });
    },

    /** A node dies as a machine does: kill(), then waitGone() (answers when the kill was sent). */
    async crash(node = primary) {
      const { killedAt, pids } = this.kill(node);
      await this.waitGone(pids, node);
      return killedAt;
    },

    /** Waits until a backend of `application` on the primary waits for `event` (pg_stat_activity's wait_event, e.g. SyncRep); answers its pid. */
    async backendWaitingFor(event, application = "tix") {
      let pid;
      await waitFor(`a ${application} backend waiting for ${event}`, async () => {
        const [row] = await query(primary, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event = $2", [application, event]);
        pid = row?.pid;
        return pid !== undefined;
      }, 30_000);
      return pid;
    },

    /**
     * `pg_ctl promote` of the standby; it is the primary once this answers (and accepts writes).
     * Answers when the command was given and when pg_ctl saw the promotion done.
     */
    async promote(node = standby) {
      const startedAt = Date.now();
      await run(bin("pg_ctl"), ["-D", node.dataDir, "-w", "-t", "120", "-s", "promote"], root);
      const promotedAt = Date.now();
      await waitFor(`${node.name} accepting writes`, async () => {
        const [row] = await query(node, "SELECT pg_is_in_recovery() AS recovering");
        return row.recovering === false;
      });
      [primary, standby] = [node, nodes.find((other) => other !== node)];
      return { startedAt, promotedAt };
    },

    /** Starts a stopped node again, on its port (as it was: an old primary comes back a primary). */
    start,
    /** Stops a node (`fast`, or `immediate` as a crash). */
    async stopNode(node, mode = "fast") {
      await run(bin("pg_ctl"), ["-D", node.dataDir, "-m", mode, "-w", "-s", "stop"], root);
      node.running = false;
    },

    /**
     * Brings the old primary back as a standby of the new one: a checkpoint on the new primary,
     * then `pg_rewind` (the old primary's timeline diverged when the standby was promoted; pg_rewind
     * finishes its crash recovery first) with `-R` to follow the new primary; then starts it and
     * makes it the synchronous standby again.
     */
    async rejoinAsStandby(node = standby) {
      // pg_rewind learns the new timeline from the new primary's control file, which a promotion
      // updates only at its next checkpoint: without one, it may find "no rewind required".
      await query(primary, "CHECKPOINT");
      const source = `host=${root} port=${primary.port} user=${SUPERUSER} dbname=postgres`;
      await run(bin("pg_rewind"), ["-D", node.dataDir, `--source-server=${source}`, "-R", "--no-sync"], root);
      await start(node);
      await requireSyncStandby(node);
      await waitForSync(node);
    },

    /** Sets `synchronous_standby_names` on the current primary ('' for none). */
    async setSyncStandby(name) {
      await query(primary, `ALTER SYSTEM SET synchronous_standby_names = '${name.replace(/'/g, "''")}'`);
      await query(primary, "SELECT pg_reload_conf()");
    },

    async stop() {
      process.removeListener("exit", stopSync);
      for (const node of nodes) {
        if (!node.running) continue;
        node.running = false;
        await run(bin("pg_ctl"), ["-D", node.dataDir, "-m", "immediate", "-w", "-s", "stop"], root).catch(() => undefined);
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// `node tests/helpers/postgres-cluster.mjs`: start one, print its URL, stop on Ctrl-C / SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cluster = await startCluster();
  process.stdout.write(`${cluster.url}\n`);
  process.stderr.write(`primary ${cluster.primary.name} (port ${cluster.primary.port}), synchronous standby ${cluster.standby.name} (port ${cluster.standby.port}); Ctrl-C stops both and removes their data.\n`);
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const shutdown = () => void cluster.stop().then(() => {
    clearInterval(keepAlive);
    process.exit(0);
  });
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}
