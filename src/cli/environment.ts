import { homedir, userInfo } from "node:os";
import { join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/** `$TIX_HOME`, else `$XDG_DATA_HOME/tix`, else `~/.local/share/tix`. */
export function tixHome(env: Env = process.env): string {
  if (env.TIX_HOME) return env.TIX_HOME;
  const dataHome = env.XDG_DATA_HOME || join(homedir(), ".local", "share");
  return join(dataHome, "tix");
}

export function defaultStoreUrl(env: Env = process.env): string {
  return env.TIX_STORE || `sqlite:${join(tixHome(env), "tix.db")}`;
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
