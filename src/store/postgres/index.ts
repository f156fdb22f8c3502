import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { RunnerStore, type RunnerStoreOptions } from "../tix-store.js";
import { Database, type ConnectionOptions } from "./connection.js";
import { ensureSchema } from "./schema.js";
import { TransactionRunner } from "./transaction-runner.js";

export { isPostgresUrl } from "./url.js";

export type PostgresOptions = ConnectionOptions & RunnerStoreOptions;

/**
 * Opens a tix store in the PostgreSQL database `url` names (`postgres://user:password@host:port/db`,
 * several `host:port` for a primary and its standbys), creating or migrating its schema on first
 * use. `clock` undefined: the database server's clock. Fails with STORE_UNAVAILABLE, naming the
 * URL without its password, when the server cannot be reached, refuses the credentials, has no
 * such database, or holds something that is not tix's.
 */
export async function openPostgresStore(url: string, clock: Clock | undefined, options: PostgresOptions): Promise<TixStore> {
  const database = new Database(url, options);
  try {
    const connection = await database.reserve();
    let failure: unknown;
    try {
      // Bounded: a server that stops answering (a stopped process) must not hold the opening for ever.
      await ensureSchema(connection, database.description, (query) => database.bounded(connection, query));
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      database.release(connection, failure);
    }
  } catch (error) {
    await database.end().catch(() => undefined);
    throw database.translate(error, true);
  }
  return new RunnerStore(new TransactionRunner(database, clock), options);
}
