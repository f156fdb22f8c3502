import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { SyncRunner } from "../sync/sync-runner.js";
import { RunnerStore, type RunnerStoreOptions } from "../tix-store.js";
import { openDatabase, type SqliteOptions } from "./open-database.js";
import { SqliteRepository } from "./sqlite-repository.js";
import { isBusy, translateSqliteError } from "./sqlite-errors.js";

export function openSqliteStore(path: string, clock: Clock, options: SqliteOptions & RunnerStoreOptions): TixStore {
  const repository = new SqliteRepository(openDatabase(path, options), path);
  const runner = new SyncRunner(repository, clock, `sqlite:${path}`, {
    translateError: (error) => translateSqliteError(error, path),
    isBusy,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  return new RunnerStore(runner, options);
}
