import type { Clock } from "../../core/index.js";
import type { TixStore } from "../../core/index.js";
import { SyncStore } from "../sync/sync-store.js";
import { openDatabase, type SqliteOptions } from "./open-database.js";
import { SqliteRepository } from "./sqlite-repository.js";
import { translateSqliteError } from "./sqlite-errors.js";

export function openSqliteStore(path: string, clock: Clock, options: SqliteOptions): TixStore {
  const repository = new SqliteRepository(openDatabase(path, options));
  return new SyncStore(repository, clock, `sqlite:${path}`, (error) => translateSqliteError(error, path));
}
