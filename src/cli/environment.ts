import { homedir, userInfo } from "node:os";
import { isAbsolute, join } from "node:path";
import { invalidArgument, quote, refuseTilde } from "../core/index.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `$TIX_HOME`, else `$XDG_DATA_HOME/tix`, else `~/.local/share/tix`. A relative XDG_DATA_HOME is
 * ignored, as the XDG Base Directory spec says: taken, it made a store in whatever folder the
 * command ran from, another one in each.
 */
export function tixHome(env: Env = process.env): string {
  if (env.TIX_HOME) return refuseTilde(env.TIX_HOME, "TIX_HOME");
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".local", "share");
  return join(dataHome, "tix");
}

export function defaultStoreUrl(env: Env = process.env): string {
  return env.TIX_STORE || `sqlite:${join(tixHome(env), "tix.db")}`;
}

/** The longest wait for a busy store that TIX_BUSY_TIMEOUT_MS may ask for: an hour. */
export const MAX_BUSY_TIMEOUT_MS = 3_600_000;

/** `TIX_BUSY_TIMEOUT_MS`: whole milliseconds from 0 to an hour, or unset (the store's default). */
export function busyTimeoutFromEnv(env: Env = process.env): number | undefined {
  const text = env.TIX_BUSY_TIMEOUT_MS;
  if (text === undefined || text.trim() === "") return undefined;
  const value = /^\s*\d{1,7}\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!(value <= MAX_BUSY_TIMEOUT_MS)) {
    throw invalidArgument("TIX_BUSY_TIMEOUT_MS", `must be whole milliseconds from 0 to ${MAX_BUSY_TIMEOUT_MS} (an hour), got ${quote(text)}`);
  }
  return value;
}

/** `$TIX_USER`, else the OS login name. */
export function defaultUser(env: Env = process.env): string {
  if (env.TIX_USER) return env.TIX_USER;
  try {
    return userInfo().username;
  } catch {
    return env.USER || env.LOGNAME || "anonymous";
  }
}
