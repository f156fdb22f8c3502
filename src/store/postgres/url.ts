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
  const prefix = url.slice(0, schemeEnd) + authority.slice(0, at + 1);
  const hosts = authority.slice(at + 1).split(",");

  const queryStart = rest.indexOf("?");
  const path = queryStart < 0 ? rest : rest.slice(0, queryStart);
  const params = new URLSearchParams(queryStart < 0 ? "" : rest.slice(queryStart + 1));
  const target = params.get("target_session_attrs") ?? undefined;
  if (target !== undefined && !WRITABLE_TARGETS.has(target) && !OTHER_TARGETS.has(target)) {
    throw invalidArgument("store", `target_session_attrs=${target} is not for tix: it writes, so it needs the primary (read-write)`);
  }
  params.delete("target_session_attrs");
  const query = [...params].length > 0 ? `?${params.toString()}` : "";

  if (hosts.length > 1 && hosts.some((host) => host === "")) throw invalidArgument("store", "a host of the store URL is empty");
  checkReadable(authority.slice(0, at + 1), hosts, params);
  const withPorts = hosts.length > 1 ? hosts.map((host) => (/:\d+$/.test(host) ? host : `${host}:${defaultPort}`)) : hosts;
  const hostUrls = hosts.length > 1 || target !== undefined ? withPorts.map((host) => `${prefix}${host}${path}${query}`) : [url];
  for (const hostUrl of hostUrls) {
    try {
      new URL(hostUrl);
    } catch {
      throw invalidArgument("store", "is not a URL the PostgreSQL client can read; write it as postgres://user[:password]@host[:port]/database");
    }
  }
  return {
    hostUrls,
    hostLabels: withPorts.map((host) => decodeURIComponent(host) || "localhost"),
    failover: hosts.length > 1 || (target !== undefined && WRITABLE_TARGETS.has(target)),
  };
}
