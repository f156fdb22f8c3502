import { accessSync, constants, statSync } from "node:fs";
import { dirname } from "node:path";
import { TixError } from "../../core/index.js";

const STORE_PROBLEMS: ReadonlyArray<[prefix: string, problem: string]> = [
  ["SQLITE_BUSY", "is busy: another process held its lock past the busy timeout"],
  ["SQLITE_LOCKED", "is locked"],
  ["SQLITE_NOTADB", "is not a SQLite database"],
  ["SQLITE_CORRUPT", "is damaged"],
  ["SQLITE_CANTOPEN", "cannot be opened"],
  ["SQLITE_PERM", "cannot be opened (permission denied)"],
  // The file is writable, its folder is not: SQLite cannot make the -wal and -shm files beside it.
  ["SQLITE_READONLY_DIRECTORY", "cannot be used: its folder is read-only (tix needs to create the -wal and -shm files beside it)"],
  ["SQLITE_READONLY", "is read-only"],
  ["SQLITE_FULL", "cannot be written: the disk is full"],
  // The -shm file could not grow: on Linux, a full disk (tmpfs) answers this rather than SQLITE_FULL.
  ["SQLITE_IOERR_SHMSIZE", "cannot be used: its -shm file could not grow (is the disk full?)"],
  ["SQLITE_IOERR", "cannot be read or written"],
];

const FILE_PROBLEMS: ReadonlyArray<[code: string, problem: string]> = [
  ["EACCES", "cannot be opened (permission denied)"],
  ["EPERM", "cannot be opened (permission denied)"],
  ["EISDIR", "is a folder"],
  ["ENOTDIR", "has a file where a folder should be"],
  // mkdir of the store's folder where a file already is.
  ["EEXIST", "has a file where a folder should be"],
  ["ENOENT", "cannot be created: its folder does not exist (tix creates only its own TIX_HOME; make the folder first)"],
  ["ENAMETOOLONG", "cannot be opened (the path is too long)"],
  ["ELOOP", "cannot be opened (too many symbolic links)"],
  ["EROFS", "is on a read-only file system"],
  ["ENOSPC", "cannot be written: the disk is full"],
];

/** Driver and file-system errors about the store itself become STORE_UNAVAILABLE, naming the file. */
export function translateSqliteError(error: unknown, path: string): unknown {
  if (error instanceof TixError) return error;
  const driver = driverMissing(error);
  if (driver !== undefined) return new TixError("STORE_UNAVAILABLE", `the store ${path} cannot be opened: ${driver}`, { cause: error });
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return error;
  // SQLite says only "cannot open" for a folder given as the store (`--store sqlite:/tmp`).
  const problem = (code === "SQLITE_CANTOPEN" ? cannotOpenBecause(path) : undefined) ??
    STORE_PROBLEMS.find(([prefix]) => code.startsWith(prefix))?.[1] ??
    FILE_PROBLEMS.find(([fileCode]) => code === fileCode)?.[1] ??
    // Any other failed system call on the store's path: the store is unavailable, not tix broken.
    (typeof (error as { syscall?: unknown }).syscall === "string" ? "cannot be opened or created" : undefined) ??
    tablesGone(code, error);
  return problem === undefined
    ? error
    : new TixError("STORE_UNAVAILABLE", `the store ${path} ${problem} (${code})`, { cause: error });
}

/**
 * SQLite's driver, better-sqlite3, is installed without its native addon (its install script did
 * not run: `npm install --ignore-scripts`, a package manager that runs none unless allowed), or
 * with one built for another Node.js (Node was upgraded since): no SQLite store can open, while
 * memory and PostgreSQL still can. Not a bug in tix, and not one the user can read in
 * `bindings`' thirteen tried paths or dlopen's words: said as what to do.
 */
function driverMissing(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : "";
  const missing =
    text.startsWith("Could not locate the bindings file") ||
    (code === "ERR_DLOPEN_FAILED" && text.includes("better_sqlite3")) ||
    (code === "MODULE_NOT_FOUND" && text.includes("'better-sqlite3'"));
  return missing
    ? `the SQLite driver (better-sqlite3) is not built for this Node.js (${process.version}): run npm rebuild better-sqlite3 where tix was installed (its install script may not have run)`
    : undefined;
}

/**
 * The tables tix opened were dropped or changed under it (another program, a backup restored with
 * the SQLite shell): the store is not the tix store it was, not tix broken. SQLite says so only in words.
 */
function tablesGone(code: string, error: unknown): string | undefined {
  const message = String((error as { message?: unknown }).message);
  return code === "SQLITE_ERROR" && /^no such (table|column)\b/.test(message)
    ? `no longer holds the tables tix opened (dropped or changed since: a restore, another program?): ${message}`
    : undefined;
}

/**
 * What SQLite's bare "cannot open" means here: a folder given as the store (`--store sqlite:/tmp`),
 * or a file on a read-only file system (a backup mounted read-only, a snapshot), where SQLite
 * cannot make the -wal and -shm files it needs even to read a WAL file.
 */
function cannotOpenBecause(path: string): string | undefined {
  if (isFolder(path)) return "is a folder, not a file: name a file in it (tix creates it), such as sqlite:<folder>/tix.db";
  try {
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EROFS") {
      return "cannot be used: it is on a read-only file system (tix needs to create the -wal and -shm files beside it, even to read; copy it to a writable folder)";
    }
  }
  return undefined;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Another connection holds the lock this one needs. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}
