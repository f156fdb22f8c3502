import { invalidArgument } from "../../core/index.js";

/** `postgres://` and `postgresql://` URLs name a PostgreSQL store. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** A store URL read as libpq reads it. */
export interface StoreTarget {
  /** One URL per host, in the order given, each naming that host alone (target_session_attrs removed). */
  hostUrls: string[];
  /** `host:port` of each, for messages. */
  hostLabels: string[];
  /**
   * For each host, the unix socket's file when libpq would connect there (`dir/.s.PGSQL.port`): a
   * host that is a folder (`%2Fvar%2Frun%2Fpostgresql`), or a `host=/folder` parameter. The client
   * library reads neither: it connected over TCP to localhost (or looked the folder up as a name).
   */
  socketPaths: (string | undefined)[];
  /**
   * Whether tix looks for the host that accepts writes and waits for one when it is gone: several
   * hosts, or `target_session_attrs=read-write` (or `primary`) on one (a name that moves to the
   * new primary). Otherwise the one server is used as it is.
   */
  failover: boolean;
}

/** What tix accepts in `target_session_attrs`: it writes, so it needs the primary. */
const WRITABLE_TARGETS = new Set(["read-write", "primary"]);
const OTHER_TARGETS = new Set(["any"]);

/** libpq's sslmode values. */
const SSL_MODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/**
 * What the client library (and libpq) could not read at all is bad input, refused before
 * connecting: a port that is not a number from 1 to 65535, an IPv6 address without its `]`, a `%`
 * that is no escape in the user, password or host, an sslmode libpq does not know. Each was
 * STORE_UNAVAILABLE, exit 8 ("is unavailable: Invalid URL", "URI malformed"; an unknown sslmode
 * asked for TLS and blamed the server), the code a script retries on, for a typo in the URL.
 */
function checkReadable(userInfo: string, hosts: readonly string[], params: URLSearchParams): void {
  for (const part of [userInfo, ...hosts]) {
    try {
      decodeURIComponent(part);
    } catch {
      throw invalidArgument("store", "the URL has a % that starts no escape (such as %40 for @); write a % in a user, password or host as %25");
    }
  }
  for (const host of hosts) {
    if (host === "") continue;
    const bracketed = /^\[[^\]]*\](.*)$/.exec(host);
    if (host.startsWith("[") && !bracketed) throw invalidArgument("store", `host ${JSON.stringify(host)} opens an IPv6 address with [ and does not close it with ]`);
    const afterName = bracketed ? bracketed[1]! : host.slice(host.includes(":") ? host.lastIndexOf(":") : host.length);
    if (afterName === "" || afterName === ":") continue;
    const port = afterName.slice(1);
    if (!afterName.startsWith(":") || !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
      throw invalidArgument("store", `host ${JSON.stringify(host)} has no valid port: give a number from 1 to 65535 after the last :`);
    }
  }
  const sslmode = params.get("sslmode");
  if (sslmode !== null && !SSL_MODES.includes(sslmode)) {
    throw invalidArgument("store", `sslmode=${sslmode} is not one of ${SSL_MODES.join(", ")}`);
  }
}

/**
 * Splits `postgres://user:pw@h1:5432,h2:5433/db?params` into one URL per host (libpq's multi-host
 * form; a host without a port gets 5432, or PGPORT). `target_session_attrs` may be omitted,
 * `read-write`, `primary` or `any`; tix always wants the host that accepts writes, so
 * `read-only`, `standby` and `prefer-standby` are refused.
 */
export function parseStoreUrl(url: string, defaultPort = process.env.PGPORT || "5432"): StoreTarget {
  const schemeEnd = url.indexOf("://") + 3;
  const authorityEnd = url.slice(schemeEnd).search(/[/?#]/);
  const authority = authorityEnd < 0 ? url.slice(schemeEnd) : url.slice(schemeEnd, schemeEnd + authorityEnd);
  const rest = authorityEnd < 0 ? "" : url.slice(schemeEnd + authorityEnd);
  const at = authority.lastIndexOf("@");
  const bare = url.slice(0, schemeEnd) + authority.slice(0, at + 1);
  const hosts = authority.slice(at + 1).split(",");

  const queryStart = rest.indexOf("?");
  const path = queryStart < 0 ? rest : rest.slice(0, queryStart);
  const params = new URLSearchParams(queryStart < 0 ? "" : rest.slice(queryStart + 1));
  const target = params.get("target_session_attrs") ?? undefined;
  if (target !== undefined && !WRITABLE_TARGETS.has(target) && !OTHER_TARGETS.has(target)) {
    throw invalidArgument("store", `target_session_attrs=${target} is not for tix: it writes, so it needs the primary (read-write)`);
  }
  params.delete("target_session_attrs");
  // libpq's `host` and `port` parameters: the library would send them to the server as settings.
  const hostParam = params.get("host") ?? undefined;
  const portParam = params.get("port") ?? undefined;
  const socketParam = hostParam !== undefined && hosts.length === 1 && hosts[0] === "" && hostParam.startsWith("/");
  if (socketParam) {
    if (portParam !== undefined && !/^\d{1,5}$/.test(portParam)) throw invalidArgument("store", `port=${portParam} is not a port: give a number from 1 to 65535`);
    params.delete("host");
    params.delete("port");
  }
  // libpq's user, password and dbname parameters, which the library also sent as settings (the
  // server refused "password"; the password went unsent, "refused the credentials"): into the URL.
  const named = { user: params.get("user") ?? undefined, password: params.get("password") ?? undefined, dbname: params.get("dbname") ?? undefined };
  for (const name of ["user", "password", "dbname"]) params.delete(name);
  const lifted = named.user !== undefined || named.password !== undefined || named.dbname !== undefined;
  const query = [...params].length > 0 ? `?${params.toString()}` : "";

  if (hosts.length > 1 && hosts.some((host) => host === "")) throw invalidArgument("store", "a host of the store URL is empty");
  checkReadable(authority.slice(0, at + 1), hosts, params);
  const userInfo = authority.slice(0, Math.max(at, 0));
  const colon = userInfo.indexOf(":");
  const user = named.user !== undefined ? encodeURIComponent(named.user) : colon < 0 ? userInfo : userInfo.slice(0, colon);
  const password = named.password !== undefined ? encodeURIComponent(named.password) : colon < 0 ? undefined : userInfo.slice(colon + 1);
  const prefix = lifted
    ? `${url.slice(0, schemeEnd)}${user}${password === undefined ? "" : `:${password}`}${user !== "" || password !== undefined ? "@" : ""}`
    : bare;
  const database = named.dbname !== undefined ? `/${encodeURIComponent(named.dbname)}` : path;
  // A unix socket: a host that is a folder (percent-encoded), or an empty host with host=/folder.
  const sockets = hosts.map((host) => {
    const [name, port] = socketParam
      ? [hostParam!, portParam ?? defaultPort]
      : /:\d+$/.test(host) ? [host.slice(0, host.lastIndexOf(":")), host.slice(host.lastIndexOf(":") + 1)] : [host, defaultPort];
    const folder = decodeURIComponent(name);
    return folder.startsWith("/") ? { folder: folder.replace(/(.)\/+$/, "$1"), port } : undefined;
  });
  const withPorts = hosts.length > 1 ? hosts.map((host) => (/:\d+$/.test(host) ? host : `${host}:${defaultPort}`)) : hosts;
  // The library is given the socket's file (see host-pools.ts) and, in the URL, a host it can read.
  const urlHosts = withPorts.map((host, index) => (sockets[index] ? `localhost:${sockets[index].port}` : host));
  const hostUrls = hosts.length > 1 || target !== undefined || sockets.some(Boolean) || lifted
    ? urlHosts.map((host) => `${prefix}${host}${database}${query}`)
    : [url];
  for (const hostUrl of hostUrls) {
    try {
      new URL(hostUrl);
    } catch {
      throw invalidArgument("store", "is not a URL the PostgreSQL client can read; write it as postgres://user[:password]@host[:port]/database");
    }
  }
  return {
    hostUrls,
    hostLabels: withPorts.map((host, index) => (sockets[index] ? `${sockets[index].folder}:${sockets[index].port}` : decodeURIComponent(host) || "localhost")),
    socketPaths: sockets.map((socket) => socket && `${socket.folder}/.s.PGSQL.${socket.port}`),
    failover: hosts.length > 1 || (target !== undefined && WRITABLE_TARGETS.has(target)),
  };
}
