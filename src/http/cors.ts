import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import { invalidArgument } from "../core/index.js";

/** `--cors-origin '*'`: any origin may read the answers (with its own token; never as the anonymous user). */
export const ANY_ORIGIN = "*";

/** How long a browser may keep a preflight's answer (Chromium keeps at most 2 h, Firefox 24 h). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The request headers a page may send besides the CORS-safelisted ones: the bearer token, the JSON
 * body's type (not safelisted: that is what makes a JSON request need a preflight, body.ts) and the
 * reserve's and purchase's key.
 */
export const ALLOWED_REQUEST_HEADERS = "Authorization, Content-Type, Idempotency-Key";

/** A header's name as HTTP spells one (a token), and how many of a preflight's a page may add. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const MOST_EXTRA_HEADERS = 16;
const OWN_HEADERS = new Set(ALLOWED_REQUEST_HEADERS.toLowerCase().split(", "));

/**
 * The request headers a preflight may be answered for: tix's own, and those the page asks for
 * (`Access-Control-Request-Headers`: a tracing library's `traceparent`, an app's `X-Request-Id`),
 * which tix reads no more than it reads any header it does not know — refusing them refused the
 * page's every request. A name that is no header name, or more than 16 of them, is not echoed.
 */
export function allowedRequestHeaders(requested: string | undefined): string {
  if (requested === undefined) return ALLOWED_REQUEST_HEADERS;
  const extra = requested.split(",").map((name) => name.trim().toLowerCase()).filter((name) => name !== "" && !OWN_HEADERS.has(name));
  if (extra.length === 0 || extra.length > MOST_EXTRA_HEADERS || !extra.every((name) => HEADER_NAME.test(name))) return ALLOWED_REQUEST_HEADERS;
  return `${ALLOWED_REQUEST_HEADERS}, ${[...new Set(extra)].join(", ")}`;
}

/**
 * The response headers tix sends that are not CORS-safelisted, so a page's script reads them: a new
 * event's `Location`, a page's `Link`, `Retry-After` (409 IDEMPOTENCY_KEY_IN_USE, 503),
 * `Idempotent-Replayed`, 401's `WWW-Authenticate` and 405's `Allow`.
 */
export const EXPOSED_RESPONSE_HEADERS = "Location, Link, Retry-After, Idempotent-Replayed, WWW-Authenticate, Allow";

const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\s\\]+$/i;

/**
 * `--cors-origin` values → the origins as a browser sends them in `Origin` (scheme and host in
 * lower case, no default port: `HTTPS://Box.Example.com:443` → `https://box.example.com`), or
 * `["*"]`. Refused: anything but `scheme://host[:port]` of http or https (a path, even a trailing
 * `/`, which ASP.NET's WithOrigins would take and then match nothing; a query; user info), `null`
 * (the origin of every sandboxed page and local file, so of anyone), `*` beside named origins, and
 * `*` with the anonymous user, which is meant for programs on this machine: any site's page could
 * then read the server, and a page that needs the anonymous user must be named (it is trusted).
 */
export function parseCorsOrigins(texts: readonly string[], anonymousUser?: string): string[] {
  const origins = texts.map(parseCorsOrigin);
  if (origins.includes(ANY_ORIGIN)) {
    if (origins.length > 1) throw invalidArgument("cors-origin", `"*" already allows every origin; give it alone, or name the origins instead`);
    if (anonymousUser !== undefined) {
      throw invalidArgument("cors-origin", `"*" cannot be combined with --anonymous-user: every site's pages could read the server; name the page's origin instead (e.g. --cors-origin http://localhost:3000)`);
    }
  }
  return [...new Set(origins)];
}

function parseCorsOrigin(text: string): string {
  if (text === ANY_ORIGIN) return ANY_ORIGIN;
  const expected = "must be an origin, http(s)://host[:port] with nothing after it, as a browser sends it in Origin (e.g. https://box.example.com or http://localhost:3000)";
  if (text.trim().toLowerCase() === "null") throw invalidArgument("cors-origin", `"${text}" is the origin of every sandboxed page and local file, so of anyone; name the page's real origin`);
  const withoutSlash = text.endsWith("/") ? text.slice(0, -1) : text;
  if (withoutSlash !== text && ORIGIN_SHAPE.test(withoutSlash)) {
    throw invalidArgument("cors-origin", `"${text}" ends with a slash, which no browser sends in Origin; give ${withoutSlash}`);
  }
  if (!ORIGIN_SHAPE.test(text)) throw invalidArgument("cors-origin", `"${text}" ${expected}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidArgument("cors-origin", `"${text}" ${expected}`);
  }
  if (url.hostname === "") throw invalidArgument("cors-origin", `"${text}" ${expected}`);
  return url.origin;
}

/**
 * Which origins may call the server from a browser, and the headers that tell the browser so, as
 * ASP.NET Core's CORS middleware answers them: only for a request that sends `Origin`; an origin
 * not allowed gets no CORS header at all, so the browser keeps the answer from the page. No
 * `Access-Control-Allow-Credentials`: tix reads no cookies, a page sends its token itself.
 */
export class CorsPolicy {
  private readonly any: boolean;
  private readonly origins: ReadonlySet<string>;

  /** `origins` as parseCorsOrigins answers them. */
  constructor(origins: readonly string[]) {
    this.any = origins.includes(ANY_ORIGIN);
    this.origins = new Set(origins.filter((origin) => origin !== ANY_ORIGIN));
  }

  allows(origin: string): boolean {
    return this.any || this.origins.has(origin);
  }

  /** Whether `origin` was named (not merely allowed by `*`): such a page is trusted as the seed's clients are. */
  readonly named = (origin: string): boolean => this.origins.has(origin);

  /**
   * Sets the headers of an actual answer (any status) on `response`, before the route runs: the
   * answer's own headers are added to them at writeHead.
   */
  decorate(response: ServerResponse, origin: string): void {
    if (this.any) {
      response.setHeader("Access-Control-Allow-Origin", ANY_ORIGIN);
    } else {
      // The answer depends on Origin, allowed or not: a cache must not give one page's answer to another.
      response.setHeader("Vary", "Origin");
      if (!this.origins.has(origin)) return;
      response.setHeader("Access-Control-Allow-Origin", origin);
    }
    response.setHeader("Access-Control-Expose-Headers", EXPOSED_RESPONSE_HEADERS);
  }

  /**
   * A preflight's answer headers, for the methods its path answers (as a 405's `Allow` names them).
   * `privateNetwork`: the browser asks whether a page of a public site may reach this server on a
   * private address or loopback (Chrome's Private Network Access, `Access-Control-Request-Private-Network:
   * true`); a named origin may (the operator named it), `*` may not: every public site's pages could
   * then reach a server on loopback or an intranet. Without the answer Chrome refused the request.
   */
  preflight(origin: string, methods: string, privateNetwork = false, requestedHeaders?: string): OutgoingHttpHeaders {
    if (this.any) return { ...preflightHeaders(methods, requestedHeaders), "Access-Control-Allow-Origin": ANY_ORIGIN, Vary: "Access-Control-Request-Headers" };
    if (!this.origins.has(origin)) return { Vary: "Origin" };
    return {
      ...preflightHeaders(methods, requestedHeaders), "Access-Control-Allow-Origin": origin, Vary: "Origin, Access-Control-Request-Headers",
      ...(privateNetwork && { "Access-Control-Allow-Private-Network": "true" }),
    };
  }
}

function preflightHeaders(methods: string, requestedHeaders: string | undefined): OutgoingHttpHeaders {
  return {
    "Access-Control-Allow-Methods": methods,
    "Access-Control-Allow-Headers": allowedRequestHeaders(requestedHeaders),
    "Access-Control-Max-Age": String(PREFLIGHT_MAX_AGE_SECONDS),
  };
}
