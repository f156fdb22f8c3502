import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { SyncRunner } from "../sync/sync-runner.js";
import { RunnerStore, type RunnerStoreOptions } from "../tix-store.js";
import { openDatabase, type SqliteOptions } from "./open-database.js";
import { SqliteRepository } from "./sqlite-repository.js";
import { isBusy, translateSqliteError } from "./sqlite-errors.js";
import { WalSync, WalSyncedRunner } from "./wal-sync.js";

export interface SqliteStoreOptions extends SqliteOptions, RunnerStoreOptions {
  /** Group commit only: how the -wal file is synced (tests hold it); fs.fdatasync by default. */
  walSync?: ConstructorParameters<typeof WalSync>[3];
}

export function openSqliteStore(path: string, clock: Clock, options: SqliteStoreOptions): TixStore {
  const db = openDatabase(path, options);
  const repository = new SqliteRepository(db);
  const runner = new SyncRunner(repository, clock, `sqlite:${path}`, {
    translateError: (error) => translateSqliteError(error, path),
    isBusy,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  if (!options.groupCommit) return new RunnerStore(runner, options);
  // Group commit: commits are synced by WalSync, off the event loop, before anything is answered.
  db.pragma("synchronous = NORMAL");
  return new RunnerStore(new WalSyncedRunner(runner, new WalSync(db, `${path}-wal`, `sqlite:${path}`, options.walSync)), options);
}
