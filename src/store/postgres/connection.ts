import postgres from "postgres";
import { TixError } from "../../core/index.js";
import { parseBigint } from "./columns.js";
import { translatePgError } from "./errors.js";
import { redactUrl, urlSecrets } from "../../core/index.js";

/**
 * The one file that talks to the PostgreSQL client library: `postgres` (porsager), chosen over
 * node-postgres because it pipelines (a statement is sent without waiting for the one before:
 * a whole transaction costs two or three network round trips, see transaction-runner.ts), reads
 * libpq's multi-host URLs with `target_session_attrs=read-write` (a primary and its standbys),
 * and reports a dropped connection as a rejected query instead of an `'error'` event that kills
 * the process.
 */
export type Sql = postgres.Sql<Record<string, never>>;
/** One connection, reserved for one transaction. */
export type Connection = postgres.ReservedSql<Record<string, never>>;
/** A statement: its SQL text and its parameters. */
export type Statement = readonly [text: string, params?: readonly unknown[]];

export interface ConnectionOptions {
  /** How long to wait to connect, and for a row or advisory lock, before STORE_UNAVAILABLE. */
  busyTimeoutMs: number;
  /** Connections kept per process (default 10). */
  maxConnections?: number;
}

/** What PostgreSQL says when a commit waited for a synchronous standby and was cut short. */
const NOT_REPLICATED = /might not have been replicated/i;

export class Database {
  readonly description: string;
  private readonly secrets: readonly string[];
  private readonly sql: Sql;
  /** Warnings seen in this turn of the event loop (a commit's arrive with its answer). */
  private warnings: string[] = [];
  private clearing: NodeJS.Immediate | undefined;

  constructor(url: string, readonly options: ConnectionOptions) {
    this.description = redactUrl(url);
    this.secrets = urlSecrets(url);
    const waitMs = Math.max(1, Math.round(options.busyTimeoutMs));
    try {
      this.sql = postgres(url, {
        max: options.maxConnections ?? 10,
        connect_timeout: Math.max(waitMs, 5_000) / 1000,
        // Idle connections close after a while, so a program that forgets close() still exits.
        idle_timeout: 10,
        // (fetch_types stays on: with it off, reserve() on a new pool never resolves, postgres 3.4.)
        onnotice: (notice) => this.noticed(notice),
        types: { int8: { to: 20, from: [20], serialize: (value: number) => String(value), parse: parseBigint } } as never,
        connection: {
          application_name: "tix",
          lock_timeout: waitMs,
          // A client that stalls inside a transaction must not hold an event's lock for ever.
          idle_in_transaction_session_timeout: 60_000,
        } as never,
      }) as unknown as Sql;
    } catch (error) {
      throw this.translate(error, true);
    }
  }

  /** Connections whose COMMIT outlived its deadline: given back only once it answers. */
  private readonly stillCommitting = new WeakSet<Connection>();

  /** A connection of the pool for one transaction; give it back with `release()`. */
  async reserve(): Promise<Connection> {
    try {
      return await this.sql.reserve();
    } catch (error) {
      throw this.translate(error, true);
    }
  }

  /**
   * Sends every statement at once (a pipeline) and waits for all of them. The first failure is
   * the cause (those after it only say the transaction was aborted); it is thrown once the others
   * ended — or at once when the connection is lost, since statements the client had not yet sent
   * on it are never answered.
   */
  async pipeline(connection: Connection, statements: readonly Statement[]): Promise<Array<Record<string, unknown>[]>> {
    const queries = statements.map(([text, params = []]) => connection.unsafe(text, params as never[], { prepare: true }));
    const lost = new Promise<never>((_, reject) => {
      for (const query of queries) query.catch((error: unknown) => isConnectionLost(error) && reject(error));
    });
    lost.catch(() => undefined);
    const settled = await Promise.race([Promise.allSettled(queries), lost]);
    const failed = settled.find((outcome) => outcome.status === "rejected");
    if (failed) throw failed.reason;
    return settled.map((outcome) => [...(outcome as PromiseFulfilledResult<Record<string, unknown>[]>).value]);
  }

  /**
   * Sends the last writes and COMMIT together and waits for the answer — at most `deadlineMs`:
   * a commit is never cancelled (a cancelled commit waiting for a standby is kept locally, but
   * maybe not replicated), so past the deadline, a lost connection, or a warning that it might
   * not have been replicated, its outcome is unknown: STORE_UNAVAILABLE, and the caller retries
   * with its key.
   */
  async commit(connection: Connection, statements: readonly Statement[], deadlineMs: number): Promise<void> {
    const sent = this.pipeline(connection, [...statements, ["COMMIT"]]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), deadlineMs)));
    try {
      const answer = await Promise.race([sent.then(() => "done" as const), deadline]);
      if (answer === "late") {
        this.stillCommitting.add(connection);
        sent.then(() => {
          this.stillCommitting.delete(connection);
          connection.release();
        }, () => undefined);
        throw new InDoubt(`the commit did not answer within ${deadlineMs} ms`);
      }
      if (this.warnings.some((warning) => NOT_REPLICATED.test(warning))) throw new InDoubt("the server committed locally, but might not have replicated it");
    } catch (error) {
      if (error instanceof InDoubt || !isServerError(error)) throw this.inDoubt(error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Gives a connection back to the pool — unless it was lost (`failure`): the pool then opens a
   * new one when it needs it, where a lost one given back would leave the next query unanswered.
   */
  release(connection: Connection, failure?: unknown): void {
    if (failure !== undefined && isConnectionLost(failure)) return;
    if (!this.stillCommitting.has(connection)) connection.release();
  }

  /**
   * Ends a transaction that failed. Not sent when the connection is gone (the server rolls back
   * on its own; a statement sent on a dead reserved connection would wait for ever), and never
   * waited for long.
   */
  async rollback(connection: Connection, cause: unknown): Promise<void> {
    if (isConnectionLost(cause)) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      connection.unsafe("ROLLBACK").then(() => undefined, () => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 1_000))),
    ]);
    clearTimeout(timer);
  }

  /** Driver errors become STORE_UNAVAILABLE naming the store without its password; others pass. */
  translate(error: unknown, connecting = false): unknown {
    return translatePgError(error, this.description, this.secrets, connecting);
  }

  async end(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }

  private inDoubt(error: unknown): TixError {
    const reason = error instanceof Error ? (this.translate(error) as Error).message : String(error);
    return new TixError(
      "STORE_UNAVAILABLE",
      `the store ${this.description} may or may not have committed this change (${reason}); retry with the same key: it is replayed if it was made`,
      { cause: error },
    );
  }

  private noticed(notice: { severity?: string; message?: string }): void {
    if (notice.severity !== "WARNING" || notice.message === undefined) return;
    this.warnings.push(notice.message);
    this.clearing ??= setImmediate(() => {
      this.warnings = [];
      this.clearing = undefined;
    });
  }
}

class InDoubt extends Error {}

/** The connection is gone: a socket error, or the server ending the session (FATAL). */
function isConnectionLost(error: unknown): boolean {
  if (error instanceof TixError) return false;
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return (typeof code === "string" && /^(CONNECT|E[A-Z]+$)/.test(code)) || /^(FATAL|PANIC)$/.test(String(severity));
}

/** An error the server reported (it has a SQLSTATE): the transaction did not commit. */
function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && (error as { severity?: unknown }).severity !== undefined;
}
