import { connect, isIP, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import postgres from "postgres";
import { parseBigint } from "./columns.js";
import { isConnectionLost, movedOrGone } from "./errors.js";
import { dropLostTypeQueries } from "./lost-type-queries.js";
import type { StoreTarget } from "./url.js";

/**
 * One pool of connections per host, and which host takes writes. The client library (`postgres`,
 * porsager) reads multi-host URLs itself, but its `target_session_attrs=read-write` accepts a hot
 * standby (it checks default_transaction_read_only only), and while no host is acceptable it
 * retries without pause and without end; so each host gets a pool of its own, and the primary is
 * found by asking the hosts in the URL's order — the first that is neither in recovery nor
 * read-only. Without failover (one host, no target_session_attrs) the one pool is used as it is.
 */
export type Sql = postgres.Sql<Record<string, never>>;
/** One connection, reserved for one transaction. */
export type Connection = postgres.ReservedSql<Record<string, never>>;

/** One host's connections. */
export interface Pool {
  readonly sql: Sql;
  /** `host:port`, for messages. */
  readonly label: string;
  /** Commits waiting for their answer here; `doubt` set once the server warned about one. */
  readonly commits: Set<{ doubt: boolean }>;
  /** Whether a connection of it was lost (the library's end() then waits out its whole timeout). */
  lostOne: boolean;
  /** Connections whose statement tix stopped waiting for (closing the store does not wait for them). */
  abandoned: number;
  /** Whether a server has answered on any of its connections (a silent port has not: connecting timed out). */
  heard: boolean;
  /**
   * Requests for a connection still waiting, each asked again when a connection of the pool closes
   * (see reserve: the library may then lose the one it had).
   */
  readonly waiting: Set<() => void>;
  /**
   * Its open sockets, destroyed when it ends: the library only half-closes them, and a socket
   * whose server is stuck in a commit would keep the process alive.
   */
  readonly sockets: Set<Socket>;
  /** Each open socket by the server process at its other end (its BackendKeyData), to end a stalled one. */
  readonly socketsByBackend: Map<number, Socket>;
  /** Where the library last connected (what a knock asks, see HostPools.knock). */
  address?: Address;
  /** The knock out now, shared by the operations that ask for one before it starts. */
  knocking?: { started: number; answer: Promise<Knock> };
  retireTimer?: NodeJS.Timeout;
  ended?: Promise<void>;
}

/** A server's address as the library connects to it: TCP, or a unix socket's path. */
type Address = { host: string; port: number } | { path: string };

/** What a plain connection to a server's address found: it accepts, it refuses (or errs), or no answer in time. */
export type Knock = "accepts" | "refused" | "silent";

/** How long a knock waits for the address to answer before it counts as silent. */
export const KNOCK_WAIT_MS = 1_000;

export interface PoolOptions {
  busyTimeoutMs: number;
  maxConnections: number;
}

/** What PostgreSQL says (in the detail) when a commit waited for a synchronous standby and was cut short, in English. */
const NOT_REPLICATED = /might not have been replicated|canceling (the )?wait for synchronous replication/i;

/** A server's notice, as the client library reads it: `severity` and `routine` are never translated, `message` and `detail` are. */
export interface ServerNotice {
  severity?: string;
  routine?: string;
  message?: string;
  detail?: string;
}

/**
 * Whether a notice says a commit's wait for a synchronous standby was cut short: committed here, perhaps
 * not on the standby. Known by the server function that raises it (syncrep.c's SyncRepWaitForLSN
 * warns of nothing else), so a server whose lc_messages is not English is read as well; the English
 * text besides, should a release move the warning.
 */
export function cutShortCommit(notice: ServerNotice): boolean {
  if (notice.severity !== "WARNING") return false;
  return notice.routine === "SyncRepWaitForLSN" || NOT_REPLICATED.test(`${notice.message ?? ""} ${notice.detail ?? ""}`);
}

/** Asks a host whether it takes writes: not a standby, not read-only by default. */
const PROBE = "SELECT pg_is_in_recovery() AS recovery, current_setting('transaction_read_only') AS read_only";

/** On one host, how long connecting may take at least (longer with a longer busy timeout). */
export const ONE_HOST_CONNECT_MS = 5_000;

/** With failover, how long one host may take to give a connection before the next is tried. */
export const HOST_CONNECT_TIMEOUT_MS = 2_000;

/** How many times one request for a connection is made, at most (see HostPools.reserve). */
const MAX_ASKS = 4;

/**
 * How a PostgreSQL server's first answer begins: the one-byte answer to an SSL request (S or N),
 * or a message — an authentication request, an error (too many clients, no such database), a
 * notice, a protocol version offer — whose 4-byte length follows its type.
 */
const SSL_ANSWERS = new Set([..."SN"].map((char) => char.charCodeAt(0)));
const FIRST_MESSAGES = new Set([..."RENv"].map((char) => char.charCodeAt(0)));
const LONGEST_FIRST_MESSAGE = 1 << 20;

function looksLikePostgres(first: Buffer): boolean {
  if (first.length === 1) return SSL_ANSWERS.has(first[0]!) || FIRST_MESSAGES.has(first[0]!);
  if (!FIRST_MESSAGES.has(first[0]!)) return false;
  if (first.length < 5) return true;
  const length = first.readUInt32BE(1);
  return length >= 4 && length <= LONGEST_FIRST_MESSAGE;
}

/**
 * A URL naming another service's port (a web server, say): its answer is not PostgreSQL's, and
 * the library, seeing the connection end, would connect again without pause until the connect
 * timeout (15 s of a busy loop). The socket is failed instead, so connecting fails at once.
 */
function refuseIfNotPostgres(socket: Socket, first: Buffer): void {
  if (first.length === 0 || looksLikePostgres(first)) return;
  const sample = first.subarray(0, 24).toString("latin1").replace(/[^\x20-\x7e]/g, "?");
  socket.destroy(Object.assign(new Error(`the server there is not PostgreSQL (it answered "${sample}")`), { code: "ENOTPOSTGRES" }));
}

/** The BackendKeyData message's start: type K, length 12 (protocol 3.0: pid and secret, 4 bytes each). */
const BACKEND_KEY_DATA = Buffer.from([0x4b, 0, 0, 0, 12]);
/** A connection's start-up answers come in a few chunks (SCRAM's exchange, then the parameters and the key). */
const START_UP_CHUNKS = 8;

/**
 * Notes which server process a connection talks to, from its start-up answers read on `readable`
 * (over TLS, the TLS socket): a statement that stalls carries that process id (the library's
 * query.state), and `socket`, the connection's own, can then be ended.
 */
function noteBackend(readable: Duplex, socket: Socket, byBackend: Map<number, Socket>): void {
  let chunks = 0;
  const sniff = (chunk: Buffer) => {
    const at = chunk.indexOf(BACKEND_KEY_DATA);
    if (at >= 0 && at + 9 <= chunk.length) {
      const pid = chunk.readUInt32BE(at + 5);
      byBackend.set(pid, socket);
      socket.once("close", () => byBackend.get(pid) === socket && byBackend.delete(pid));
    }
    if (at >= 0 || ++chunks >= START_UP_CHUNKS) readable.off("data", sniff);
  };
  readable.on("data", sniff);
}

/**
 * The client library removes every listener of its socket once it has closed, but a write under
 * way may still fail after that: over TLS, one cut short when tix ended a stalled connection's TCP
 * socket completed with EBADF (seen once in a full test run, tests/postgres/tls.test.ts), and an
 * 'error' nobody hears ends the process. Once closed, a socket's late errors are heard and dropped:
 * the library has already failed whatever waited on it.
 */
function lateErrorsUnheard(socket: Socket): void {
  socket.once("close", () => process.nextTick(() => socket.on("error", () => undefined)));
}

/** How TLS is asked for by a URL's sslmode (or ssl), as the client library reads it; undefined: not at all. */
type TlsMode = "prefer" | "require" | "verify";

function tlsOf(url: string): TlsMode | undefined {
  let params: URLSearchParams;
  try {
    params = new URL(url.replace(/^postgres(ql)?:/i, "http:")).searchParams;
  } catch {
    return undefined;
  }
  const mode = params.get("sslrootcert") === "system" ? "verify-full" : params.get("sslmode") ?? params.get("ssl") ?? process.env.PGSSL;
  if (mode === undefined || mode === null || mode === "" || mode === "disable" || mode === "false") return undefined;
  if (mode === "prefer" || mode === "allow") return "prefer";
  if (mode === "require" || mode === "true") return "require";
  return "verify";
}

/** PostgreSQL's SSLRequest: length 8, code 80877103. */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

/**
 * Asks the server for TLS on `socket` and starts it, within `waitMs`: the TLS socket, or undefined
 * when the server declined and `mode` lets the connection go on in the clear (prefer, allow).
 * `require` and the rest fail then; `verify-ca` / `verify-full` check the server's certificate.
 */
function startTls(socket: Socket, mode: TlsMode, host: string, waitMs: number): Promise<TLSSocket | undefined> {
  return new Promise<TLSSocket | undefined>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(Object.assign(new Error("connecting timed out (TLS)"), { code: "CONNECT_TIMEOUT" })), waitMs);
    const closed = () => fail(Object.assign(new Error("the connection was closed while starting TLS"), { code: "CONNECTION_CLOSED" }));
    socket.once("error", fail);
    socket.once("close", closed);
    socket.once("connect", () => socket.write(SSL_REQUEST));
    socket.once("data", (answer: Buffer) => {
      if (socket.destroyed) return;
      // Only these: the pool's own listeners (its socket set, asking again on a close) stay.
      socket.removeListener("error", fail);
      socket.removeListener("close", closed);
      if (answer[0] !== 0x53 /* S */) {
        clearTimeout(timer);
        if (mode === "prefer" && answer[0] === 0x4e /* N */) return resolve(undefined);
        return fail(Object.assign(new Error("the server does not accept TLS connections (sslmode asks for TLS)"), { code: "ENOTLS" }));
      }
      const secure = tlsConnect({ socket, servername: isIP(host) ? undefined : host, rejectUnauthorized: mode === "verify" });
      secure.once("secureConnect", () => {
        clearTimeout(timer);
        secure.removeListener("error", fail);
        resolve(secure);
      });
      secure.once("error", fail);
    });
  });
}

/** Connects to `address` and ends the connection at once: whether something accepted it within `waitMs`. */
function knockAt(address: Address, waitMs: number): Promise<Knock> {
  return new Promise<Knock>((resolve) => {
    const socket = connect(address);
    const done = (answer: Knock) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done("silent"), waitMs);
    socket.once("connect", () => done("accepts"));
    socket.once("error", () => done("refused"));
  });
}

const closedError = () => Object.assign(new Error("the store is closed"), { code: "CONNECTION_ENDED" });

export class HostPools {
  /** The pool of the host that takes writes (the only host's, without failover). */
  private current: Pool | undefined;
  private finding: Promise<Pool> | undefined;
  /** Pools left behind (their host failed or stopped taking writes), ended once what runs there is done. */
  private readonly retired = new Set<Pool>();
  private ended = false;
  /** How many times a primary was found (each search that ends with one). */
  primariesFound = 0;

  constructor(
    private readonly target: StoreTarget,
    private readonly options: PoolOptions,
    /** Reads the probe on a fresh connection (the Database's pipeline, so a lost one is known). */
    private readonly probe: (connection: Connection, pool: Pool, statement: string) => Promise<Record<string, unknown>>,
    private readonly describe: (error: unknown) => string,
  ) {
    if (!target.failover) this.current = this.open(0);
  }

  /** The pool of the host that takes writes, looking for it (once for all who ask) when unknown. */
  primary(): Promise<Pool> {
    if (this.current !== undefined) return Promise.resolve(this.current);
    if (this.ended) return Promise.reject(closedError());
    const search = (this.finding ??= this.search().finally(() => (this.finding = undefined)));
    return search.then((pool) => {
      if (!this.ended) {
        if (this.current !== pool) this.primariesFound++;
        return (this.current = pool);
      }
      this.retire(pool, 0);
      throw closedError();
    });
  }

  /**
   * A connection of `pool`, waiting for it until `deadline` at most (then it is given back when it
   * comes). The library loses a request for a connection when a connection closes while it waits
   * (postgres 3.4.9: the closed connection's slot reconnects for the oldest request waiting, and a
   * new connection's first query, of array types, drops the request it was opened for — index.js
   * onclose, connection.js ReadyForQuery): the request would then wait out the whole connect wait
   * and fail. So each close of one of the pool's connections asks once more (a few times at most);
   * the first connection that comes is taken, any other is given back as it comes.
   */
  reserve(pool: Pool, deadline: number): Promise<Connection> {
    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      let late = false;
      let asked = 0;
      let out = 0;
      const finish = () => {
        settled = true;
        clearTimeout(timer);
        pool.waiting.delete(askAgain);
      };
      const answered = () => {
        out--;
        if (late) pool.abandoned--;
      };
      const ask = () => {
        asked++;
        out++;
        pool.sql.reserve().then(
          (connection) => {
            answered();
            if (settled) return void connection.release();
            finish();
            resolve(connection);
          },
          (error: unknown) => {
            answered();
            if (settled) return;
            finish();
            reject(error);
          },
        );
      };
      const askAgain = () => {
        if (settled || asked >= MAX_ASKS) return;
        ask();
      };
      const timer = setTimeout(() => {
        finish();
        // Given back when they come; closing the store does not wait for them.
        late = true;
        pool.abandoned += out;
        // `unanswered`: the library may have lost the request (a server that answers), or — no server
        // ever answered — connecting timed out.
        reject(Object.assign(new Error(`${pool.label} gave no connection in time`), { code: "CONNECT_TIMEOUT", unanswered: pool.heard }));
      }, Math.max(0, deadline - Date.now()));
      pool.waiting.add(askAgain);
      ask();
    });
  }

  /**
   * Whether `pool`'s server accepts a connection now: a plain TCP (or unix socket) connection to
   * the address the library last used, ended as soon as it is made — no start-up message, so the
   * server's process for it ends at once, logging nothing (but with log_connections on, its
   * "connection received"). A refused one costs about 0.05 ms
   * on loopback (a library connection refused: 1.6 ms). Operations asking together share one
   * knock, but only one that started after they asked: a knock begun before the server came back
   * never answers for an operation that asked after.
   */
  async knock(pool: Pool): Promise<Knock> {
    const asked = performance.now();
    for (;;) {
      let knocking = pool.knocking;
      if (knocking === undefined) {
        const address = pool.address;
        if (address === undefined) return "refused";
        const answer = knockAt(address, KNOCK_WAIT_MS).finally(() => {
          if (pool.knocking === knocking) pool.knocking = undefined;
        });
        knocking = pool.knocking = { started: performance.now(), answer };
      }
      const answer = await knocking.answer;
      if (answer === "accepts" || knocking.started >= asked) return answer;
    }
  }

  /** The host of `pool` failed or stopped taking writes: the next connection looks for the primary again. */
  suspect(pool: Pool, failure: unknown): void {
    if (!this.target.failover || this.current !== pool) return;
    this.current = undefined;
    // Transactions still running there finish (or fail, and run again elsewhere) first: a second
    // where the host is gone, the busy timeout where it is up but no longer takes writes.
    this.retire(pool, isConnectionLost(failure) ? 1_000 : this.options.busyTimeoutMs + 1_000);
  }

  /** Ends every pool: the current one letting statements out finish (5 s at most), those left behind at once. */
  async end(): Promise<void> {
    this.ended = true;
    const current = this.current;
    this.current = undefined;
    await Promise.all([
      current && this.endPool(current, current.lostOne || current.abandoned > 0 ? 0 : 5),
      ...[...this.retired].map((pool) => this.endPool(pool, 0)),
    ]);
  }

  private async search(): Promise<Pool> {
    const reasons: string[] = [];
    for (let index = 0; index < this.target.hostUrls.length; index++) {
      const pool = this.open(index);
      try {
        // Each host gets its time to answer even near the deadline: the reason given is then true.
        const connection = await this.reserve(pool, Date.now() + HOST_CONNECT_TIMEOUT_MS);
        const row = await this.probe(connection, pool, PROBE);
        connection.release();
        if (row.recovery !== true && row.read_only !== "on") return pool;
        reasons.push(`${pool.label} ${row.recovery === true ? "is a standby" : "is read-only"}`);
      } catch (error) {
        this.retire(pool, 0);
        if (!movedOrGone(error)) throw error;
        reasons.push(`${pool.label}: ${this.describe(error)}`);
        continue;
      }
      this.retire(pool, 0);
    }
    throw Object.assign(new Error(`no host takes writes (${reasons.join("; ")})`), { code: "NO_PRIMARY" });
  }

  private open(index: number): Pool {
    dropLostTypeQueries();
    const commits = new Set<{ doubt: boolean }>();
    const sockets = new Set<Socket>();
    const socketsByBackend = new Map<number, Socket>();
    const connectWaitMs = this.target.failover ? HOST_CONNECT_TIMEOUT_MS : Math.max(this.options.busyTimeoutMs, ONE_HOST_CONNECT_MS);
    const tls = tlsOf(this.target.hostUrls[index]!);
    const sql = postgres(this.target.hostUrls[index]!, {
      // TLS is started by tix's own socket (below, as the library would): the library's would take
      // the socket over, and the start-up answers (the server process, see noteBackend) and the
      // socket's close (see reserve) would no longer be seen.
      ssl: false,
      // A unix socket (the library reads neither libpq's host=/folder nor a folder as the host).
      ...(this.target.socketPaths[index] === undefined ? {} : { path: this.target.socketPaths[index] }),
      max: this.options.maxConnections,
      connect_timeout: connectWaitMs / 1000,
      // Idle connections close after a while, so a program that forgets close() still exits.
      idle_timeout: 10,
      // The library waits before reconnecting, longer after each failure of the pool (up to 20 s,
      // never reset while fetch_types is on): a request made once the server is gone, or back,
      // would wait that out instead of failing or succeeding at once. Each request is tried once.
      backoff: () => 0,
      // (fetch_types stays on: with it off, reserve() on a new pool never resolves, postgres 3.4.)
      onnotice: (notice: ServerNotice) => {
        // Notices carry no connection: every commit of this host waiting now is in doubt.
        if (cutShortCommit(notice)) {
          for (const flight of commits) flight.doubt = true;
        }
      },
      types: { int8: { to: 20, from: [20], serialize: (value: number) => String(value), parse: parseBigint } } as never,
      // The library's own way of connecting, with the socket kept (see Pool.sockets); an option its types do not list.
      ...({
        socket: ({ host, port, path }: { host: string[]; port: number[]; path: string | false }): Socket | Promise<Socket> => {
          // Ended: a connection the library opens again for a request it still holds (its connect
          // timed out as the pool ended) would keep the process alive a whole connect wait more.
          // Refused, the library fails that request and opens nothing.
          if (pool.ended !== undefined) throw closedError();
          pool.address = path ? { path } : { host: host[0]!, port: port[0]! };
          const socket = connect(pool.address);
          Object.assign(socket, { host: host[0], port: port[0] }); // as the library sets them, for its messages
          sockets.add(socket);
          socket.once("close", () => {
            sockets.delete(socket);
            // Before the library's own listener: its queued request is then asked again in time.
            for (const askAgain of [...pool.waiting]) askAgain();
          });
          socket.once("data", (first: Buffer) => {
            pool.heard = true; // data comes after open() has returned the pool
            refuseIfNotPostgres(socket, first);
          });
          lateErrorsUnheard(socket);
          if (tls === undefined || path) {
            noteBackend(socket, socket, socketsByBackend);
            return socket;
          }
          return startTls(socket, tls, host[0]!, connectWaitMs).then((secure) => {
            if (secure) lateErrorsUnheard(secure);
            noteBackend(secure ?? socket, socket, socketsByBackend);
            return secure === undefined ? socket : Object.assign(secure, { host: host[0], port: port[0] });
          });
        },
      } as object),
      connection: {
        application_name: "tix",
        lock_timeout: this.options.busyTimeoutMs,
        // tix's writes are safe by their row locks at READ COMMITTED (reads ask REPEATABLE READ
        // themselves): a role or database set to serializable made a rush fail its conflicts as busy.
        default_transaction_isolation: "read committed",
        // A client that stalls inside a transaction must not hold an event's lock for ever.
        idle_in_transaction_session_timeout: 60_000,
        // tix names its tables tix.…, and its functions (clock_timestamp(), the advisory locks)
        // are PostgreSQL's own: a role or database whose search_path lists a schema before
        // pg_catalog let that schema's clock_timestamp() set every hold's time (a function anyone
        // may create in public before PostgreSQL 15).
        search_path: "pg_catalog, pg_temp",
      } as never,
    }) as unknown as Sql;
    const pool: Pool = { sql, label: this.target.hostLabels[index]!, commits, sockets, socketsByBackend, lostOne: false, abandoned: 0, heard: false, waiting: new Set() };
    return pool;
  }

  /** Ends `pool` after `graceMs` (at once once the store is closed). */
  private retire(pool: Pool, graceMs: number): void {
    if (pool.retireTimer !== undefined || pool.ended !== undefined) return;
    this.retired.add(pool);
    if (this.ended || graceMs === 0) {
      void this.endPool(pool, 0);
      return;
    }
    pool.retireTimer = setTimeout(() => void this.endPool(pool, 0), graceMs);
    pool.retireTimer.unref();
  }

  /** Ends a pool's connections, waiting at most `timeoutSeconds` for statements out on them. */
  private endPool(pool: Pool, timeoutSeconds: number): Promise<void> {
    clearTimeout(pool.retireTimer);
    pool.ended ??= pool.sql.end({ timeout: timeoutSeconds }).catch(() => undefined).then(() => {
      for (const socket of pool.sockets) socket.destroy();
      this.retired.delete(pool);
    });
    return pool.ended;
  }
}
