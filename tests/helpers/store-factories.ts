import { join } from "node:path";
import { beforeAll } from "vitest";
import type { ManualClock, TixStore } from "../../src/core/index.js";
import { openMemoryStore } from "../../src/store/memory/index.js";
import { openStore } from "../../src/store/open-store.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { usePostgres } from "./postgres-server.js";
import { tempDir } from "./temp-dir.js";

/** Opens a fresh, empty store on the given clock; `dispose` removes whatever it made. */
export type StoreFactory = (clock: ManualClock) => Promise<{
  store: TixStore;
  dispose?: () => Promise<void>;
  /** The same state opened again, as another process would (its own connection); none for memory. */
  another?: () => Promise<TixStore>;
}>;

/** Each adapter's empty store, written once for the contract, model and other suites. */
export const memoryStore: StoreFactory = async (clock) => ({ store: openMemoryStore(clock) });

export const sqliteStore: StoreFactory = async (clock) => {
  const dir = tempDir("tix-store-");
  return {
    store: openSqliteStore(join(dir.path, "tix.db"), clock, { busyTimeoutMs: 5_000 }),
    another: async () => openSqliteStore(join(dir.path, "tix.db"), clock, { busyTimeoutMs: 5_000 }),
    dispose: async () => dir.remove(),
  };
};

/**
 * A PostgreSQL server for the calling test file (started before its tests, stopped after), and
 * a factory that gives each case an empty store in one database of it: the schema is made on
 * first use by the same openStore() the CLI calls, and emptied before every later case.
 */
export function postgresStoreFactory(): StoreFactory {
  const server = usePostgres();
  let url: string;
  beforeAll(async () => {
    url = await server.createDatabase();
  });
  return async (clock) => {
    await server.query(`DO $$ BEGIN
      IF to_regclass('tix.events') IS NOT NULL THEN
        TRUNCATE tix.audit_log, tix.vouchers, tix.waitlist, tix.idempotency_keys, tix.tickets, tix.tiers, tix.event_seats, tix.events RESTART IDENTITY;
      END IF; END $$`, [], new URL(url).pathname.slice(1));
    return { store: await openStore(url, { clock }), another: () => openStore(url, { clock }) };
  };
}
