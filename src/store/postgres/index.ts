import pg from "pg";
import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { translatePgError } from "./errors.js";
import { PostgresStore } from "./pg-store.js";
import { ensureSchema } from "./schema.js";
import { parseBigint } from "./statements.js";
import { redactUrl, urlSecrets } from "./url.js";

export { isPostgresUrl, redactUrl } from "./url.js";

export interface PostgresOptions {
  /** How long to wait to connect, and for a row or advisory lock, before STORE_UNAVAILABLE. */
  busyTimeoutMs: number;
  /** Connections kept per process (default 10). */
  maxConnections?: number;
}

const INT8_OID = 20;

/** BIGINTs as numbers, checked exact; every other type as pg parses it. Local to this pool. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8_OID) return parseBigint;
    return pg.types.getTypeParser(oid, format ?? "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * Opens a tix store in the PostgreSQL database `url` names (`postgres://user:password@host:port/db`),
 * creating or migrating its schema on first use. `clock` undefined: the database server's clock.
 * Fails with STORE_UNAVAILABLE, naming the URL without its password, when the server cannot be
 * reached, refuses the credentials, has no such database, or holds something that is not tix's.
 */
export async function openPostgresStore(url: string, clock: Clock | undefined, options: PostgresOptions): Promise<TixStore> {
  const description = redactUrl(url);
  const secrets = urlSecrets(url);
  const waitMs = Math.max(1, Math.round(options.busyTimeoutMs));
  let pool: pg.Pool;
  try {
    pool = new pg.Pool({
      connectionString: url,
      types,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: Math.max(waitMs, 5_000),
      lock_timeout: waitMs,
      // A client that stalls inside a transaction must not hold an event's lock for ever.
      idle_in_transaction_session_timeout: 60_000,
      application_name: "tix",
      allowExitOnIdle: true,
    });
  } catch (error) {
    throw translatePgError(error, description, secrets, true);
  }
  // An idle pooled connection that the server closes must not crash the process; the next
  // operation gets a fresh connection (or STORE_UNAVAILABLE).
  pool.on("error", () => undefined);
  let connected = false;
  try {
    const client = await pool.connect();
    connected = true;
    try {
      await ensureSchema(client, description);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw translatePgError(error, description, secrets, !connected);
  }
  return new PostgresStore(pool, clock, description, secrets);
}
