import { resolve } from "node:path";
import { invalidArgument, refuseTilde, systemClock, type Clock } from "../core/index.js";
import { openMemoryStore } from "./memory/index.js";
import type { TixStore } from "../core/index.js";
import { isPostgresUrl } from "./postgres/url.js";
import { DEFAULT_GROUP_COMMIT, type CommitTrigger, type GroupCommitOptions } from "./group-commit.js";

export type { CommitTrigger, GroupCommitOptions };

export interface StoreOptions {
  /** Omitted: the system clock (PostgreSQL: the database server's clock, so hosts agree). */
  clock?: Clock | undefined;
  /** How long to wait for another process's lock (PostgreSQL: also to connect) before STORE_UNAVAILABLE. */
  busyTimeoutMs?: number | undefined;
  /** Commit operations that arrive together in one transaction (`tix serve`); true: the defaults. */
  groupCommit?: GroupCommitOptions | boolean | undefined;
  /** SQLite: create the file's missing folder (tix's own home); a path given by a user never is. */
  createFolder?: boolean | undefined;
}

export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

function isMemoryUrl(url: string): boolean {
  return url === "memory" || url === "memory:";
}

/**
 * A group commit driven by its caller (a batch reading its lines) over the store at `url`; none
 * over `memory`, where nothing is written anywhere, so a group saves nothing.
 */
export function groupCommitDrivenBy(url: string, trigger: CommitTrigger): GroupCommitOptions | undefined {
  return isMemoryUrl(url) ? undefined : { ...DEFAULT_GROUP_COMMIT, trigger };
}

/** Whitespace at either end of `text`, in words ("at its end"), or undefined if there is none. */
function outerWhitespace(text: string): string | undefined {
  const atStart = /^\s/.test(text);
  const atEnd = /\s$/.test(text);
  if (atStart && atEnd) return "at both ends";
  if (atStart) return "at its start";
  return atEnd ? "at its end" : undefined;
}

/**
 * A store URL, or a SQLite path in it, with whitespace at an end (as a copy-paste leaves) is
 * refused before anything is made: `sqlite:x.db ` made an empty 0600 file named `x.db ` and then
 * failed to open it (STORE_UNAVAILABLE, exit 8). The URL is shown quoted so the space shows.
 */
function refuseOuterWhitespace(url: string): void {
  const sqlitePath = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : undefined;
  const where = outerWhitespace(url) ?? (sqlitePath === undefined ? undefined : outerWhitespace(sqlitePath));
  if (where === undefined) return;
  if (url.trim() === "") throw invalidArgument("store", `${JSON.stringify(url)} is blank; write a store URL such as sqlite:./tix.db`);
  const trimmed = url.trim();
  const meant = trimmed.startsWith("sqlite:") ? `sqlite:${trimmed.slice("sqlite:".length).trim()}` : trimmed;
  const what = outerWhitespace(url) === undefined ? ": its path has whitespace" : " has whitespace";
  const write = meant === "sqlite:" ? "sqlite:<path>, such as sqlite:./tix.db" : meant;
  throw invalidArgument("store", `${JSON.stringify(url)}${what} ${where}; write ${write}`);
}

/** `memory` | `sqlite:<path>` | `postgres://…` → a store. Drivers load only when their URL is used. */
export async function openStore(url: string, options: StoreOptions): Promise<TixStore> {
  refuseOuterWhitespace(url);
  const clock = options.clock ?? systemClock;
  const groupCommit = options.groupCommit === true ? DEFAULT_GROUP_COMMIT : options.groupCommit || undefined;
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (isMemoryUrl(url)) return openMemoryStore(clock);
  if (url.startsWith("sqlite:")) {
    const path = sqlitePathOf(url);
    const { openSqliteStore } = await import("./sqlite/index.js");
    return openSqliteStore(path, clock, { busyTimeoutMs, groupCommit, createFolder: options.createFolder });
  }
  if (isPostgresUrl(url)) {
    // Only the PostgreSQL adapter loads pg; the server's clock unless a clock is given.
    const { openPostgresStore } = await import("./postgres/index.js");
    return openPostgresStore(url, options.clock, { busyTimeoutMs, groupCommit });
  }
  throw invalidArgument("store", `"${url}" is not a store URL; use memory, sqlite:<path> or postgres://user@host/db`);
}

/** The absolute path of a `sqlite:<path>` URL's file (refused as openStore refuses it when malformed). */
export function sqlitePathOf(url: string): string {
  const given = url.slice("sqlite:".length);
  // `sqlite://x.db` read as a path is //x.db, the root's /x.db: what follows `//` in a URL is a host.
  const host = /^\/\/([^/]+)/.exec(given)?.[1];
  if (host !== undefined) {
    throw invalidArgument("store", `sqlite:${given}: "//" starts a host (${host}), and a SQLite file has none; write sqlite:${given.slice(2)} for a path from here, or sqlite:/${given.slice(2)} from the root`);
  }
  const path = given.replace(/^\/\/(?=\/)/, "");
  if (path === "") throw invalidArgument("store", "sqlite: needs a file path, e.g. sqlite:./tix.db");
  // SQLite's own name for a database in memory: taken as a path it made a file named `:memory:` here.
  if (path === ":memory:") throw invalidArgument("store", "sqlite::memory: would be a file named :memory: in this folder; for a store that lives as long as the process, write memory");
  refuseTilde(path, "store", "sqlite:");
  // resolve() drops a last "/": `sqlite:/data/tix/` made a file named /data/tix instead of a store in that folder.
  if (path.endsWith("/")) throw invalidArgument("store", `sqlite:${path} ends with "/", so names a folder; name a file in it, such as sqlite:${path}tix.db`);
  return resolve(path);
}
