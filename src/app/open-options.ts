import { checkClockShape, invalidArgument, numberShown } from "../core/index.js";
import type { Clock } from "../core/index.js";
import type { GroupCommitOptions } from "../store/open-store.js";
import { described, onlyKnownFields } from "./request.js";

/** What openTix takes (besides a bare store URL). */
export interface OpenTixOptions {
  /** `memory` (the default), `sqlite:<path>` or `postgres://…`. The CLI's file default is the CLI's. */
  store?: string | undefined;
  /** Defaults to the system clock (PostgreSQL: the server's); tests pass a ManualClock. */
  clock?: Clock | undefined;
  /** SQLite: wait this long for another process's lock before STORE_UNAVAILABLE (default 5000). */
  busyTimeoutMs?: number | undefined;
  /** Commit operations that arrive together as one transaction (servers, batches; see docs/performance-history.md). */
  groupCommit?: boolean | GroupCommitOptions | undefined;
  /** SQLite: create the file's missing folder. Off: a path whose folder is missing is STORE_UNAVAILABLE. */
  createFolder?: boolean | undefined;
}

const OPTION_NAMES: ReadonlyArray<keyof OpenTixOptions> = ["store", "clock", "busyTimeoutMs", "groupCommit", "createFolder"];

/**
 * openTix's options as a program without types may give them. A misspelt option (`{ stor:
 * "sqlite:./tix.db" }`) would otherwise open the default, memory, and lose every write when the
 * program ends; a wrong type would fail later with a TypeError, or never. No options at all
 * (undefined) is memory; null, a number, a list are INVALID_ARGUMENT.
 */
export function checkedOpenOptions(options: unknown): OpenTixOptions {
  if (options === undefined) return {};
  if (typeof options === "string") return { store: options };
  // null (a config value left empty) would open memory and lose every write, as a misspelt option would.
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw invalidArgument("options", `openTix takes a store URL or an object such as { store: "sqlite:./tix.db" }; got ${options === null ? "null" : described(options)}`);
  }
  const given = options as Record<string, unknown>;
  onlyKnownFields(given, "openTix's options", OPTION_NAMES);
  const { store, clock, busyTimeoutMs, groupCommit, createFolder } = given;
  if (store !== undefined && typeof store !== "string") {
    throw invalidArgument("store", `must be a store URL such as "memory" or "sqlite:./tix.db"; got ${described(store)}`);
  }
  if (clock !== undefined) checkClockShape(clock);
  if (busyTimeoutMs !== undefined && !(Number.isSafeInteger(busyTimeoutMs) && (busyTimeoutMs as number) >= 0)) {
    throw invalidArgument("busyTimeoutMs", `must be a whole number of milliseconds from 0; got ${numberShown(busyTimeoutMs) ?? described(busyTimeoutMs)}`);
  }
  if (groupCommit !== undefined && typeof groupCommit !== "boolean" && !isGroupCommitOptions(groupCommit)) {
    throw invalidArgument("groupCommit", "must be true, false or { maxBatch, maxWaitMs } (a whole number from 1, milliseconds from 0)");
  }
  if (createFolder !== undefined && typeof createFolder !== "boolean") {
    throw invalidArgument("createFolder", `must be true or false; got ${described(createFolder)}`);
  }
  return given as OpenTixOptions;
}

function isGroupCommitOptions(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const { maxBatch, maxWaitMs } = value as Record<string, unknown>;
  return Number.isSafeInteger(maxBatch) && (maxBatch as number) >= 1 && typeof maxWaitMs === "number" && maxWaitMs >= 0 && Number.isFinite(maxWaitMs);
}
