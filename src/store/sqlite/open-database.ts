import { chmodSync, closeSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { TixError, counted } from "../../core/index.js";
import { makeFolder } from "../../platform/make-folder.js";
import { MIGRATIONS, SCHEMA_VERSION, TIX_APPLICATION_ID, UnexpectedSchema, runMigration } from "./schema.js";
import { translateSqliteError } from "./sqlite-errors.js";

export interface SqliteOptions {
  /** How long to wait for another process's write lock before answering STORE_UNAVAILABLE. */
  busyTimeoutMs: number;
  /** Create the file's folder (0700) when it is missing: only for tix's own home, never a path given. */
  createFolder?: boolean | undefined;
}

/**
 * Opens (creating if need be) a tix SQLite file: folder 0700, file 0600, WAL with
 * synchronous=FULL so that an acknowledged write survives a power loss. A file that is not a tix
 * store, or was written by a newer tix, is refused and left untouched.
 */
export function openDatabase(path: string, options: SqliteOptions): Database.Database {
  try {
    createPrivately(path, options.createFolder === true);
    keepSideFilesPrivate(path);
    const db = new Database(path, { fileMustExist: true, timeout: options.busyTimeoutMs });
    let empty = false;
    try {
      const { version, isEmpty } = checkIsTixStore(db, path);
      empty = isEmpty;
      switchToWal(db, options.busyTimeoutMs);
      db.pragma("synchronous = FULL");
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      db.pragma("foreign_keys = ON");
      if (version !== SCHEMA_VERSION) migrate(db, path);
      // From here on a busy store is waited for by the runner, on a timer: never in a blocking wait.
      db.pragma("busy_timeout = 0");
      keepSideFilesPrivate(path);
      return db;
    } catch (error) {
      db.close();
      if (empty && isReadOnly(error)) return emptyReadOnlyStore();
      throw error;
    }
  } catch (error) {
    throw translateSqliteError(error, path);
  }
}

/** The file cannot be written (its mode, a read-only file system); not its folder, which SQLITE_READONLY_DIRECTORY names. */
function isReadOnly(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_READONLY") && code !== "SQLITE_READONLY_DIRECTORY";
}

/**
 * A read-only file with nothing in it yet holds no events and no tickets: a read answers that (an
 * empty list), as it would once the file had tix's tables, instead of failing to create them. The
 * tables are made in memory, read-only (query_only), so a write fails as it does on any read-only
 * store: STORE_UNAVAILABLE, "is read-only". The file itself is left untouched.
 */
function emptyReadOnlyStore(): Database.Database {
  const db = new Database(":memory:");
  migrate(db, ":memory:");
  db.pragma("query_only = ON");
  return db;
}

/**
 * WAL pages after which a commit copies them into the file (SQLite's default is 1,000). A
 * checkpoint syncs the WAL, writes each page changed since the last one, and syncs the file: at
 * 1,000 pages, every ~80th reserve paid for one (~2.6 ms), and the same hot pages (a tier's row,
 * the right edges of the indexes) were copied again each time. At 4,000 a checkpoint comes four
 * times as rarely and copies half the pages a reserve (docs/performance-history.md, "SQLite reserve").
 * Durability is the same: every commit is synced in the WAL (synchronous=FULL). The WAL grows to
 * ~16 MB between checkpoints (usually under 4,062 frames, what the WAL index's first hash table holds).
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Puts the file in WAL mode (a no-op once it is). Switching a new file out of rollback mode needs
 * its exclusive lock, and SQLite answers SQLITE_BUSY at once, without its busy handler, while
 * another connection is writing it (a second process creating the same new store): so the switch
 * is tried again, every few milliseconds, within the busy timeout.
 */
function switchToWal(db: Database.Database, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, 5); // opening is synchronous: nothing else of this process can run meanwhile
    }
  }
}

function createPrivately(path: string, createFolder: boolean): void {
  const folder = dirname(path);
  if (createFolder) makeFolder(folder);
  else if (!statSync(folder).isDirectory()) throw Object.assign(new Error(`${folder} is not a folder`), { code: "ENOTDIR" });
  // Looked at first: an existing file (the usual case) costs no exception.
  if (statSync(path, { throwIfNoEntry: false }) !== undefined) return;
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/**
 * SQLite gives the -wal and -shm files the database file's mode when it creates them: after a
 * read-only episode (the file chmod 444, a read made) they stay read-only — every later write
 * fails — and readable by all. tix makes its own side files 0600 again (owner read-write), so
 * a store recovers by itself once its file is writable; side files it does not own are left.
 */
function keepSideFilesPrivate(path: string): void {
  for (const side of [`${path}-wal`, `${path}-shm`]) {
    try {
      const stat = statSync(side, { throwIfNoEntry: false });
      if (stat !== undefined && (stat.mode & 0o777) !== 0o600 && stat.uid === process.getuid?.()) chmodSync(side, 0o600);
    } catch {
      // not there (yet), or not ours to change: SQLite reports what matters
    }
  }
}

/**
 * Read-only checks, made before anything (even the journal mode) is written to the file, in one
 * statement; answers the file's schema version, and whether the file has nothing in it yet (no
 * table, no setting tix writes: as `touch` or another program left it).
 */
function checkIsTixStore(db: Database.Database, path: string): { version: number; isEmpty: boolean } {
  const { applicationId, version, tables } = db
    .prepare("SELECT a.application_id AS applicationId, v.user_version AS version, (SELECT count(*) FROM sqlite_schema) AS tables FROM pragma_application_id() AS a, pragma_user_version() AS v")
    .get() as { applicationId: number; version: number; tables: number };
  const isEmpty = applicationId === 0 && version === 0 && tables === 0;
  if (!isEmpty && applicationId !== TIX_APPLICATION_ID) {
    throw new TixError("STORE_UNAVAILABLE", `${path} is a SQLite database but not a tix store; refusing to touch it`);
  }
  if (version > SCHEMA_VERSION) {
    throw newerSchema(path, version);
  }
  return { version, isEmpty };
}

function migrate(db: Database.Database, path: string): void {
  const readVersion = () => db.pragma("user_version", { simple: true }) as number;
  // Off while migrating, as SQLite's procedure for rebuilding a referenced table asks (the pragma
  // is ignored inside a transaction); every reference is checked before the migration commits.
  db.pragma("foreign_keys = OFF");
  try {
    // IMMEDIATE: several processes may open a new file at once; one migrates, the others wait.
    db.transaction(() => {
      const version = readVersion();
      if (version > SCHEMA_VERSION) throw newerSchema(path, version);
      if (version === SCHEMA_VERSION) return; // another process migrated it while this one waited
      try {
        for (let next = version; next < SCHEMA_VERSION; next++) runMigration(db, MIGRATIONS[next]!);
      } catch (error) {
        if (!(error instanceof UnexpectedSchema)) throw error;
        throw new TixError("STORE_UNAVAILABLE", `${path}: ${error.message}; not upgraded, left at schema version ${version}`);
      }
      const broken = db.pragma("foreign_key_check") as unknown[];
      if (broken.length > 0) {
        throw new TixError("STORE_UNAVAILABLE", `${path} has ${counted(broken.length, "row")} whose references are broken (PRAGMA foreign_key_check); not upgraded, left at schema version ${version}`);
      }
      db.pragma(`application_id = ${TIX_APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
  } finally {
    db.pragma("foreign_keys = ON");
  }
}

function newerSchema(path: string, version: number): TixError {
  return new TixError(
    "STORE_UNAVAILABLE",
    `${path} has schema version ${version}, newer than this tix understands (${SCHEMA_VERSION}); upgrade tix`,
  );
}
