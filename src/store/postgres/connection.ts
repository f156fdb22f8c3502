import type { Socket } from "node:net";
import { TixError } from "../../core/index.js";
import { isConnectionLost, isHostGone, isServerError, movedOrGone, scrub, sqlState, translatePgError } from "./errors.js";
import { HostPools, ONE_HOST_CONNECT_MS, type Connection, type Pool, type Sql } from "./host-pools.js";
import { SlotGate } from "./slot-gate.js";
import { parseStoreUrl } from "./url.js";
import { redactUrl, urlSecrets } from "../../core/index.js";

/**
 * The one file that talks to the PostgreSQL client library: `postgres` (porsager), chosen over
 * node-postgres because it pipelines (a statement is sent without waiting for the one before:
 * a whole transaction costs two or three network round trips, see transaction-runner.ts) and
 * reports a dropped connection as a rejected query instead of an `'error'` event that kills
 * the process. Its connections come from host-pools.ts (one pool per host, the primary found by
 * asking them); here is what runs on them: pipelines, the commit and its deadline, and which
 * connection may go back to its pool.
 */
export type { Connection, Sql };
/** A statement: its SQL text and its parameters. */
export type Statement = readonly [text: string, params?: readonly unknown[]];
/** Runs one statement (bounded, see Database.pipeline) and answers its rows. */
export type Rows = (statement: Statement) => Promise<Record<string, unknown>[]>;
/** A statement sent: the library's query, with the server process it went to once sent. */
type PendingQuery = Promise<unknown> & { state?: { pid?: number | null } };

export interface ConnectionOptions {
  /** How long to wait to connect, and for a row or advisory lock, before STORE_UNAVAILABLE. */
  busyTimeoutMs: number;
  /** Connections kept per process (default 10). */
  maxConnections?: number;
}

export class Database {
  readonly description: string;
  private readonly secrets: readonly string[];
  private readonly waitMs: number;
  /** How long a flight before the commit may go unanswered: past the busy timeout (a lock wait's bound on the server), with room. */
  private readonly flightMs: number;
  private readonly failover: boolean;
  private readonly maxConnections: number;
  private readonly pools: HostPools;
  private readonly poolOf = new WeakMap<Connection, Pool>();
  /** Connections known dead: never given back (the library would write on their closed socket). */
  private readonly lost = new WeakSet<Connection>();
  /** Connections with a statement still out (a commit past its deadline): given back once it answers. */
  private readonly stillBusy = new WeakSet<Connection>();
  /** Connections that answered a statement since they were reserved (a loss before that: found dead, see mayRunOnNewConnection). */
  private readonly answered = new WeakSet<Connection>();
  /** Failures of connections lost before they answered anything of their transaction. */
  private readonly foundDead = new WeakSet<object>();
  private connectionsLost = 0;
  /** Transactions holding a connection, capped after the server refused one for want of a slot. */
  private readonly slots = new SlotGate();
  /** Connections given out with a place of `slots`: the place goes back with the connection. */
  private readonly placed = new WeakSet<Connection>();
  /** The server's last refusal for want of a slot: the failure of a wait in line that runs out. */
  private lastRefusal: unknown = new Error("too many connections: no connection slot was free");
  /**
   * Without failover: the host just refused or could not be reached, until when that stands, and
   * whether a knock may show it back before then (see reserve and remember).
   */
  private unreachable: { error: TixError; until: number; knock: boolean } | undefined;

  constructor(url: string, readonly options: ConnectionOptions) {
    this.description = redactUrl(url);
    this.secrets = urlSecrets(url);
    this.waitMs = Math.max(1, Math.round(options.busyTimeoutMs));
    this.flightMs = Math.max(this.waitMs, MIN_COMMIT_WAIT_MS) + FLIGHT_ROOM_MS;
    this.maxConnections = options.maxConnections ?? 10;
    try {
      const target = parseStoreUrl(url);
      this.failover = target.failover;
      this.pools = new HostPools(
        target,
        { busyTimeoutMs: this.waitMs, maxConnections: this.maxConnections },
        async (connection, pool, statement) => {
          this.poolOf.set(connection, pool);
          const [rows] = await this.pipeline(connection, [[statement]]);
          return rows![0]!;
        },
        (error) => (this.translate(error) as Error).message.replace(/^the store \S+ /, ""),
      );
    } catch (error) {
      throw this.translate(error, true);
    }
  }

  /**
   * Changes whenever what this process reads may come from another history than before: a
   * connection was lost (the server may have restarted without its last commits, or been replaced
   * by a promoted standby) or a primary was found again. Caches of stored state start over then.
   */
  get history(): number {
    return this.connectionsLost + this.pools.primariesFound;
  }

  /** When an operation starting now stops waiting for a primary: the busy timeout. */
  deadline(): number {
    return Date.now() + this.waitMs;
  }

  /**
   * A connection for one transaction, on the host that takes writes; give it back with
   * `release()`. With failover, waits until `deadline` for a primary to appear.
   */
  async reserve(deadline = this.deadline()): Promise<Connection> {
    if (this.unreachable !== undefined) await this.stillUnreachable();
    const place = { held: await this.slots.enter(deadline) };
    if (!place.held) throw this.translate(this.lastRefusal);
    try {
      const connection = await this.reserveInSlot(deadline, place);
      this.placed.add(connection);
      return connection;
    } catch (error) {
      if (place.held) this.slots.leave();
      throw error;
    }
  }

  /** reserve, holding a place of `slots` (`place.held`: given back while it waits for another). */
  private async reserveInSlot(deadline: number, place: { held: boolean }): Promise<Connection> {
    let slotWaits = 0;
    for (let attempt = 1; ; attempt++) {
      let pool: Pool | undefined;
      try {
        pool = await this.pools.primary();
        // Never unbounded: the library can lose the request of a connection that was reset while
        // it started (lost-type-queries.ts), and that request would then wait for ever.
        const connection = await this.pools.reserve(pool, this.failover ? deadline : Date.now() + Math.max(this.waitMs, ONE_HOST_CONNECT_MS));
        this.unreachable = undefined;
        this.poolOf.set(connection, pool);
        this.answered.delete(connection);
        return connection;
      } catch (error) {
        // No connection slot left on the server for a new one (its max_connections, or the role's
        // or database's CONNECTION LIMIT, below this process's 10): refused before anything was
        // sent. The connections this process has free up in moments: wait in line for one of them
        // within the busy timeout (slot-gate.ts), as for a lock. Failing at once made a rush of 40
        // reserves with 3 slots answer 27 of them STORE_UNAVAILABLE (503 from tix serve).
        if (sqlState(error) === TOO_MANY_CONNECTIONS && Date.now() < deadline) {
          // As after a lost connection, the library's end() would wait out its whole timeout (5 s).
          if (pool !== undefined) pool.lostOne = true;
          this.lastRefusal = error;
          place.held = false;
          // Other processes hold the slots: only time frees one.
          if (this.slots.refused() === 0) await slotPause(++slotWaits, deadline);
          place.held = await this.slots.enter(deadline);
          if (!place.held) throw this.translate(error);
          attempt--;
          continue;
        }
        // On one host, a request the library lost is made once more (on a new connection), and so is
        // one whose new connection the server ended as it started (its backends were terminated, or
        // it restarted): a server that is really going away refuses the second, which then fails.
        if (!this.failover && attempt === 1 && ((error as { unanswered?: boolean }).unanswered === true || endedWhileConnecting(error))) continue;
        if (!this.failover) throw this.remember(error);
        if (!movedOrGone(error)) throw this.translate(error, true);
        if (pool !== undefined) this.pools.suspect(pool, error);
        if (Date.now() >= deadline) throw this.noPrimary(error);
        await pause(attempt, deadline);
      }
    }
  }

  /** Whether a failed operation, nothing of which committed, may run again: its host moved or went, and there is time. */
  mayRunElsewhere(error: unknown, deadline: number): boolean {
    return this.failover && !(error instanceof TixError) && movedOrGone(error) && Date.now() < deadline;
  }

  /**
   * On one host: whether a failed transaction, nothing of which committed, runs again on a new
   * connection — its connection was found dead (lost before it answered anything of the
   * transaction, and not by the server's word for a statement of it: a connection that died idle in
   * the pool, its backend terminated or its server restarted meanwhile). One lost while the
   * transaction ran (a backend terminated during a lock wait) is not: that fails, as it says.
   */
  mayRunOnNewConnection(error: unknown, attempt: number): boolean {
    // Each idle connection of the pool may have died: a few attempts, each on the next one, at most.
    return !this.failover && attempt <= this.maxConnections && typeof error === "object" && error !== null && this.foundDead.has(error);
  }

  /**
   * Sends every statement at once (a pipeline) and waits for all of them. The first failure is
   * the cause (those after it only say the transaction was aborted); it is thrown once the others
   * ended — or at once when the connection is lost, since statements the client had not yet sent
   * on it are never answered. A flight before the commit that does not answer within `flightMs`
   * (a server process or host stopped, not dead: no error ever comes) is given up and its
   * connection ended: the transaction did not happen. The commit's flight (`beforeCommit` false)
   * has its own deadline and is never cut off (see commit).
   */
  async pipeline(connection: Connection, statements: readonly Statement[], beforeCommit = true): Promise<Array<Record<string, unknown>[]>> {
    const { queries, answers } = this.send(connection, statements);
    if (!beforeCommit) return answers;
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), this.flightMs)));
    try {
      const answer = await Promise.race([answers, stalled]);
      if (answer !== "stalled") return answer;
    } finally {
      clearTimeout(timer);
    }
    throw this.stalled(connection, queries);
  }

  /**
   * Waits for a statement sent on `connection` by other code (the schema check), bounded as a
   * flight before the commit is: unanswered past `flightMs`, it is given up and its connection ended.
   */
  async bounded<T>(connection: Connection, query: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<"stalled">((resolve) => (timer = setTimeout(() => resolve("stalled"), this.flightMs)));
    try {
      const answer = await Promise.race([query.then((value) => ({ value })), stalled]);
      if (answer !== "stalled") return answer.value;
    } catch (error) {
      if (isConnectionLost(error)) this.markLost(connection);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    throw this.stalled(connection, [query as PendingQuery]);
  }

  /** A single statement's rows, on `connection`, bounded as a pipeline is. */
  rows(connection: Connection): Rows {
    return async (statement) => (await this.pipeline(connection, [statement]))[0]!;
  }

  private send(connection: Connection, statements: readonly Statement[]): { queries: PendingQuery[]; answers: Promise<Array<Record<string, unknown>[]>> } {
    if (this.lost.has(connection)) throw Object.assign(new Error("the connection was closed"), { code: "CONNECTION_CLOSED" });
    const queries = statements.map(([text, params = []]) => connection.unsafe(text, params as never[], { prepare: true }));
    const lost = new Promise<never>((_, reject) => {
      for (const query of queries) {
        query.then(() => this.answered.add(connection), (error: unknown) => {
          if (!isConnectionLost(error)) return;
          if (!this.answered.has(connection) && !isServerError(error) && typeof error === "object" && error !== null) this.foundDead.add(error);
          this.markLost(connection);
          reject(error);
        });
      }
    });
    lost.catch(() => undefined);
    const answers = Promise.race([Promise.allSettled(queries), lost]).then((settled) => {
      const failed = settled.find((outcome) => outcome.status === "rejected");
      if (failed) throw failed.reason;
      return settled.map((outcome) => [...(outcome as PromiseFulfilledResult<Record<string, unknown>[]>).value]);
    });
    return { queries, answers };
  }

  /**
   * A flight that never answered: its connection is known lost, and its socket (found by the server
   * process the statements went to) is ended, so the pool opens a new one and the server, once it
   * runs again, rolls the transaction back (over TLS too: tix starts TLS itself, see host-pools.ts).
   */
  private stalled(connection: Connection, queries: readonly PendingQuery[]): Error {
    const error = Object.assign(new Error(`no answer within ${this.flightMs} ms`), { code: "ESTALLED" });
    this.markLost(connection);
    this.socketOf(connection, queries)?.destroy(error);
    return error;
  }

  /** The socket `queries` went out on, when known (see HostPools' noteBackend). */
  private socketOf(connection: Connection, queries: readonly PendingQuery[]): Socket | undefined {
    const pid = queries.find((query) => typeof query.state?.pid === "number")?.state?.pid;
    return typeof pid === "number" ? this.poolOf.get(connection)?.socketsByBackend.get(pid) : undefined;
  }

  /**
   * Sends the last writes and COMMIT together and waits for the answer — at most `deadlineMs`:
   * a commit is never cancelled (a cancelled commit waiting for a standby is kept locally, but
   * maybe not replicated), so past the deadline, a lost connection, or a warning that it might
   * not have been replicated, its outcome is unknown: STORE_UNAVAILABLE, and the caller retries
   * with its key.
   */
  async commit(connection: Connection, statements: readonly Statement[], deadlineMs: number): Promise<void> {
    const commits = this.poolOf.get(connection)?.commits ?? new Set();
    const flight = { doubt: false };
    commits.add(flight);
    const sent = this.pipeline(connection, [...statements, ["COMMIT"]], false);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), deadlineMs)));
    try {
      const answer = await Promise.race([sent.then(() => "done" as const), deadline]);
      if (answer === "late") {
        this.abandon(connection, sent);
        throw new InDoubt(`the commit did not answer within ${deadlineMs} ms`);
      }
      if (flight.doubt) throw new InDoubt("the server committed locally, but might not have replicated it");
    } catch (error) {
      if (error instanceof InDoubt || !isServerError(error)) throw this.inDoubt(error);
      throw error;
    } finally {
      clearTimeout(timer);
      commits.delete(flight);
    }
  }

  /**
   * Gives a connection back to the pool — unless it was lost (`failure`, or a statement on it
   * found it so): the pool then opens a new one when it needs it, where a lost one given back
   * would be handed out again. A failure that says its host went away or stopped taking writes
   * makes tix look for the primary again.
   */
  release(connection: Connection, failure?: unknown): void {
    if (this.placed.delete(connection)) this.slots.leave();
    const pool = this.poolOf.get(connection);
    if (failure !== undefined && isConnectionLost(failure)) this.markLost(connection);
    if (failure !== undefined && pool !== undefined && movedOrGone(failure)) this.pools.suspect(pool, failure);
    if (this.lost.has(connection)) return;
    if (!this.stillBusy.has(connection)) connection.release();
  }

  /**
   * Ends a transaction that failed. Not sent when the connection is gone (the server rolls back
   * on its own; a statement sent on a dead reserved connection would wait for ever), and never
   * waited for long: a connection whose ROLLBACK is late is given back once it answers.
   */
  async rollback(connection: Connection, cause: unknown): Promise<void> {
    if (isConnectionLost(cause) || this.lost.has(connection)) return;
    let timer: NodeJS.Timeout | undefined;
    const sent = connection.unsafe("ROLLBACK").then(() => "done" as const);
    const answer = await Promise.race([
      sent.catch((error: unknown) => void (isConnectionLost(error) && this.markLost(connection))),
      new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), 1_000))),
    ]);
    clearTimeout(timer);
    if (answer === "late") this.abandon(connection, sent);
  }

  /**
   * Stops waiting for a statement out on `connection` (a late COMMIT or ROLLBACK): the connection
   * goes back to the pool once it answers, and closing the store does not wait for it.
   */
  private abandon(connection: Connection, sent: Promise<unknown>): void {
    const pool = this.poolOf.get(connection);
    this.stillBusy.add(connection);
    if (pool !== undefined) pool.abandoned++;
    const settle = (alive: boolean) => {
      this.stillBusy.delete(connection);
      if (pool !== undefined) pool.abandoned--;
      if (!alive) this.markLost(connection);
      else if (!this.lost.has(connection)) connection.release();
    };
    sent.then(() => settle(true), (error: unknown) => settle(!isConnectionLost(error)));
  }

  /** Driver errors become STORE_UNAVAILABLE naming the store without its password; others pass. */
  translate(error: unknown, connecting = false): unknown {
    return translatePgError(error, this.description, this.secrets, connecting);
  }

  end(): Promise<void> {
    return this.pools.end();
  }

  /**
   * The error of a failed connect, translated. When the host refused or could not be reached, the
   * answer is known for a moment: operations in the next UNREACHABLE_FOR_MS fail at once with it
   * (a batch against a dead server answers each line without trying each), then one tries again
   * — so a REPL works again once the server is back; a refusal is checked by a knock first (see
   * stillUnreachable), so an operation once the server is back runs at once.
   */
  private remember(error: unknown): unknown {
    const translated = this.translate(error, true);
    if (translated instanceof TixError && isHostGone(error)) {
      this.unreachable = { error: translated, until: Date.now() + UNREACHABLE_FOR_MS, knock: !failsSlowly(error) };
    }
    return translated;
  }

  /**
   * Throws the remembered failure while it stands — unless the server is back. A server that
   * refused (nothing listened, or it was starting or shutting down) is knocked on first: a refused
   * knock fails the operation at once, an accepted one forgets the failure and the operation runs.
   * (Without the knock, every operation in the UNREACHABLE_FOR_MS after the last refusal failed
   * even once the server was back: `tix serve` answered 503 for about half a second after a
   * restart, tests/postgres/server-restart.test.ts.) A host that failed slowly (timed out, no
   * route, no such name) is not knocked on, nor one whose knock went unanswered: a knock would
   * take as long, and a batch's lines would each wait it out.
   */
  private async stillUnreachable(): Promise<void> {
    const known = this.unreachable;
    if (known === undefined || Date.now() >= known.until) return;
    if (known.knock) {
      const pool = await this.pools.primary().catch(() => undefined);
      const knocked = pool === undefined ? "refused" : await this.pools.knock(pool);
      if (knocked === "accepts") {
        if (this.unreachable === known) this.unreachable = undefined;
        return;
      }
      if (knocked === "silent") known.knock = false;
    }
    throw new TixError("STORE_UNAVAILABLE", known.error.message, { cause: known.error.cause });
  }

  private markLost(connection: Connection): void {
    if (!this.lost.has(connection)) this.connectionsLost++;
    this.lost.add(connection);
    const pool = this.poolOf.get(connection);
    if (pool !== undefined) pool.lostOne = true;
  }

  private noPrimary(error: unknown): TixError {
    const reason = error instanceof Error ? error.message : String(error);
    return new TixError("STORE_UNAVAILABLE", `the store ${this.description} has no primary that takes writes: ${scrub(reason, this.secrets)} (waited ${this.waitMs} ms)`, { cause: error });
  }

  private inDoubt(error: unknown): TixError {
    const reason = error instanceof Error ? (this.translate(error) as Error).message : String(error);
    return new TixError(
      "STORE_UNAVAILABLE",
      `the store ${this.description} may or may not have committed this change (${reason}); retry with the same key: it is replayed if it was made`,
      { cause: error, inDoubt: true },
    );
  }
}

/**
 * The server ended a connection as it started: its backend terminated (57P01 by an administrator's
 * pg_terminate_backend, or a shutdown), reset or closed — not refused, unreachable or timed out.
 */
function endedWhileConnecting(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(57P01|ECONNRESET|EPIPE|CONNECTION_CLOSED|CONNECTION_DESTROYED)$/.test(code);
}

/**
 * A connection that failed only after a wait, or whose retry would wait as long: timed out,
 * no route to the host or its network, its name not found. (Refused, reset, closed, or a server
 * starting or shutting down: the host answered at once.)
 */
function failsSlowly(error: unknown): boolean {
  let root = error;
  while (root instanceof TixError && root.cause !== undefined) root = root.cause;
  const code = (root as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(CONNECT_TIMEOUT|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)$/.test(code);
}

/** A commit is waited for at least this long (with a shorter busy timeout too). */
export const MIN_COMMIT_WAIT_MS = 5_000;
/** How much longer than that a flight may take before it is taken as stalled. */
const FLIGHT_ROOM_MS = 2_000;

/** How long a host that refused a connection (or could not be reached) is taken as gone. */
export const UNREACHABLE_FOR_MS = 1_000;

class InDoubt extends Error {}

/** SQLSTATE too_many_connections: the server, the role or the database has no connection slot left. */
const TOO_MANY_CONNECTIONS = "53300";

/** Waits for a connection slot: 5 ms, doubling up to 100 ms, with jitter, never past `deadline`. */
function slotPause(wait: number, deadline: number): Promise<void> {
  const base = Math.min(100, 5 * 2 ** Math.min(wait - 1, 5));
  const ms = Math.min(base / 2 + Math.random() * base / 2, Math.max(0, deadline - Date.now()));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits a little before trying again: 50 ms, doubling up to 1 s, never past `deadline`. */
function pause(attempt: number, deadline: number): Promise<void> {
  const ms = Math.min(1_000, 50 * 2 ** (attempt - 1), Math.max(0, deadline - Date.now()));
  return new Promise((resolve) => setTimeout(resolve, ms));
}
