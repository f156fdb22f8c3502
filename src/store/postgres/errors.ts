import { TixError } from "../../core/index.js";

/** SQLSTATEs after which the whole operation is run again: nothing of it was committed. */
const RETRY_CONFLICT = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);
/** unique_violation: another connection made the same row first. */
const UNIQUE_VIOLATION = "23505";

export const MAX_ATTEMPTS = 6;
const MAX_UNIQUE_RETRIES = 2;

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** Whether a failed attempt (already rolled back) may be tried again. */
export function isRetryable(error: unknown, attempt: number): boolean {
  const code = sqlState(error);
  if (code === undefined || attempt >= MAX_ATTEMPTS) return false;
  if (RETRY_CONFLICT.has(code)) return true;
  return code === UNIQUE_VIOLATION && attempt <= MAX_UNIQUE_RETRIES;
}

/**
 * The busy timeout ran out (a lock not granted, a statement cancelled): nothing was written, and
 * running the work again would only wait as long again.
 */
export function isBusyTimeout(error: unknown): boolean {
  const code = sqlState(error);
  return code === "55P03" || code === "57014";
}

/** Backoff before attempt `attempt + 1`: a few milliseconds, doubling, with jitter. */
export function retryDelayMs(attempt: number): number {
  const base = 5 * 2 ** (attempt - 1);
  return base / 2 + Math.random() * base;
}

const SOCKET_PROBLEMS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused (is PostgreSQL running and listening there?)",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset by the server",
  EPIPE: "connection closed by the server",
  ENOENT: "no server socket at that path",
  EACCES: "permission denied on the server socket",
  ESTALLED: "it stopped answering: no answer past the busy timeout (a server process stopped, or a network dropping packets)",
  ENOTPOSTGRES: "the server there does not speak PostgreSQL's protocol (another service's port?)",
  // The client library's own codes.
  CONNECTION_CLOSED: "the connection was closed",
  CONNECTION_DESTROYED: "the connection was closed",
  CONNECTION_ENDED: "the connection was closed",
  CONNECT_TIMEOUT: "connecting timed out",
};

/** A table, schema or column tix opened is gone (42P01, 3F000, 42703). */
const TABLES_GONE = "no longer holds the tables tix opened (dropped or changed since: a restore, another program?)";

/**
 * The server's lock table is full (53200, "out of shared memory", its hint naming
 * max_locks_per_transaction): one transaction takes a lock for each event an import (or a batch)
 * creates, and the table holds about max_locks_per_transaction × max_connections. Said as
 * "out of resources" alone, a script retried an import that could never fit.
 */
const LOCK_TABLE_FULL =
  "is out of resources: its lock table is full (one transaction takes a lock for each event it creates: import fewer events at a time, or raise the server's max_locks_per_transaction)";

/** SQLSTATEs (exact, or by class prefix) that mean the store itself cannot serve. */
const STORE_PROBLEMS: ReadonlyArray<[prefix: string, problem: string]> = [
  ["55P03", "is busy: a lock was not granted within the busy timeout"],
  ["57014", "is busy: a statement was cancelled (timeout)"],
  ["40001", "is busy: too many conflicting transactions (retried)"],
  ["40P01", "is busy: too many deadlocks (retried)"],
  ["28", "refused the credentials"],
  ["3D000", "names a database that does not exist"],
  ["08", "is unreachable"],
  ["53", "is out of resources"],
  ["57P", "is shutting down or restarting"],
  ["25P03", "closed an idle transaction"],
  ["25006", "is read-only (a standby, or set read-only) and tix writes: name the primary, or every host with target_session_attrs=read-write"],
  ["42501", "denies tix the permission it needs"],
  // The schema tix opened was dropped or changed under it (a restore, another program, a newer
  // tix): the store is not the tix store it was, not tix broken. A new tix process makes it again.
  ["42P01", TABLES_GONE],
  ["3F000", TABLES_GONE],
  ["42703", TABLES_GONE],
  ["58", "has a system error"],
  ["XX", "reports damage"],
];

/**
 * Driver errors about the server become STORE_UNAVAILABLE naming the store by its redacted URL;
 * TixErrors and anything else (bugs) pass through. `secrets` are scrubbed from every message.
 */
export function translatePgError(error: unknown, description: string, secrets: readonly string[], connecting = false): unknown {
  if (error instanceof TixError) return error;
  const code = sqlState(error);
  const detail = scrub(error instanceof Error ? error.message : String(error), secrets);
  const socketProblem = code === undefined ? undefined : SOCKET_PROBLEMS[code];
  const cause = scrubbed(error, secrets);
  if (socketProblem !== undefined) return unavailable(`the store ${description} is unreachable: ${socketProblem} (${code})`, cause);
  if (code === "53200" && /max_locks_per_transaction/.test(String((error as { hint?: unknown }).hint))) {
    return unavailable(`the store ${description} ${LOCK_TABLE_FULL}: ${detail} (${code})`, cause);
  }
  const storeProblem = code === undefined ? undefined : STORE_PROBLEMS.find(([prefix]) => code.startsWith(prefix))?.[1];
  if (storeProblem !== undefined) return unavailable(`the store ${description} ${storeProblem}: ${detail} (${code})`, cause);
  if (connecting || isConnectionLoss(detail)) return unavailable(`the store ${description} is unavailable: ${detail}`, cause);
  return cause;
}

function isConnectionLoss(message: string): boolean {
  return /Connection terminated|connection (was )?closed|CONNECTION_|ECONN/i.test(message);
}

function unavailable(message: string, cause: unknown): TixError {
  return new TixError("STORE_UNAVAILABLE", message, { cause });
}

/**
 * `message` with every secret (the URL's password) replaced by `***` where it stands on its own
 * (in a URL, quoted, alone), not inside a longer word: a short password mangled the server's
 * words — `ser` made `could not ***ialize access`, `x` named the database `"ti***"`.
 */
export function scrub(message: string, secrets: readonly string[]): string {
  let clean = message;
  for (const secret of secrets) {
    if (secret === "") continue;
    const before = /^[\p{L}\p{N}]/u.test(secret) ? "(?<![\\p{L}\\p{N}])" : "";
    const after = /[\p{L}\p{N}]$/u.test(secret) ? "(?![\\p{L}\\p{N}])" : "";
    clean = clean.replace(new RegExp(`${before}${secret.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${after}`, "gu"), "***");
  }
  return clean;
}

/** The error itself, or — if its message or stack mentions a secret — a scrubbed copy keeping its code. */
function scrubbed(error: unknown, secrets: readonly string[]): unknown {
  if (!(error instanceof Error) || secrets.length === 0) return error;
  const message = scrub(error.message, secrets);
  const stack = error.stack === undefined ? undefined : scrub(error.stack, secrets);
  if (message === error.message && stack === error.stack) return error;
  const copy = new Error(message);
  copy.name = error.name;
  copy.stack = stack;
  const code = sqlState(error);
  return code === undefined ? copy : Object.assign(copy, { code });
}

/** The error a TixError stands for (the driver's), or the error itself. */
function rootCause(error: unknown): unknown {
  let current = error;
  while (current instanceof TixError && current.cause !== undefined) current = current.cause;
  return current;
}

/** The connection is gone: a socket error, the client's own codes, or the server ending the session (FATAL). */
export function isConnectionLost(error: unknown): boolean {
  const { code, severity } = (rootCause(error) ?? {}) as { code?: unknown; severity?: unknown };
  return (typeof code === "string" && /^(CONNECT|E[A-Z]+$)/.test(code)) || /^(FATAL|PANIC)$/.test(String(severity));
}

/**
 * Connecting found no server to talk to: refused, unreachable, timed out, closed, or a server
 * shutting down or starting up — not one that answered no (credentials, database), nor tix's own
 * wait for a connection (`unanswered`).
 */
export function isHostGone(error: unknown): boolean {
  const root = rootCause(error) as { unanswered?: unknown } | null;
  if (root?.unanswered === true) return false;
  const code = sqlState(root);
  return code !== undefined && (/^(E[A-Z]+|CONNECT_TIMEOUT|CONNECTION_[A-Z]+)$/.test(code) || /^57P0[123]$/.test(code));
}

/** An error the server reported (it has a SQLSTATE): the transaction did not commit. */
export function isServerError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && (error as { severity?: unknown }).severity !== undefined;
}

/** SQLSTATEs of a server that is going away, starting, in recovery, or does not take writes. */
const MOVED_OR_GONE = /^(08|57P0[123]|25006)/;

/**
 * The host went away or does not take writes (a connection lost or refused, a shutdown, a standby
 * or a server turned read-only): with several hosts, the primary may now be another one.
 */
export function movedOrGone(error: unknown): boolean {
  const root = rootCause(error);
  const code = sqlState(root);
  return isConnectionLost(root) || code === "NO_PRIMARY" || (code !== undefined && MOVED_OR_GONE.test(code));
}
