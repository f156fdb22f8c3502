import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { Server as NetServer, type AddressInfo, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { performance } from "node:perf_hooks";
import { TixError, invalidArgument, type Clock } from "../core/index.js";
import { verifyToken, type TokenCheck } from "../auth/tokens.js";
import { ClientGone, DEFAULT_BODY_LIMIT, readJsonBody } from "./body.js";
import { anonymousRefusal } from "./anonymous-guard.js";
import { CorsPolicy, parseCorsOrigins } from "./cors.js";
import { SERVER_METHODS, answerClientError, answerConnect, unsupportedVersion } from "./client-errors.js";
import { HttpError, errorReply } from "./errors.js";
import { IdempotencyGuard } from "./idempotency.js";
import { lingerOnClose } from "./linger.js";
import { decodeSegment } from "./path-segment.js";
import { createRoutes, type Engine, type Exchange, type Reply, type Route } from "./routes.js";
import type { JsonObject } from "./shapes.js";

export interface TixServerOptions {
  tix: Engine;
  /** The token secret (`loadSecret(tixHome())`). */
  secret: Buffer;
  /** Decides token expiry and key retention; the engine's clock, so tests move both together. */
  clock: Clock;
  /** Largest accepted request body in bytes (default 64 KiB); larger ones get 413. */
  bodyLimit?: number;
  /** Where access-log lines go (default: stderr). */
  log?: (line: string) => void;
  /** Log the stack of internal errors (TIX_DEBUG=1). */
  debug?: boolean;
  /**
   * How long a request's headers (default 10 s) and the whole request (default 30 s) may take to
   * arrive, how long answers may wait unread by a client that stopped reading (default 30 s), and
   * how long a kept-alive connection may stay idle between requests (default 130 s, Kestrel's).
   */
  timeouts?: { headersMs?: number; requestMs?: number; unreadMs?: number; keepAliveMs?: number };
  /**
   * For the seed's clients, which send no token: requests without an Authorization header act as
   * this user, who may also change events. A token, when sent, still decides who acts.
   */
  anonymousUser?: string | undefined;
  /**
   * Whether the anonymous user also answers requests that name a domain other than localhost in
   * `Host` (`--insecure`); otherwise such a request needs a token (anonymousRefusal).
   */
  anonymousFromAnyHost?: boolean;
  /**
   * Origins whose web pages may call the server from a browser (`--cors-origin`): exact origins
   * (`https://box.example.com`), or `["*"]` for any (not with the anonymous user). A named origin
   * may also act as the anonymous user. None (the default): no CORS, and no work per request for it.
   */
  corsOrigins?: readonly string[];
}

/** Who acts in a request, and whether they may change events. */
interface Identity {
  userId: string;
  admin: boolean;
}

export interface TixServer {
  readonly server: Server;
  /** Starts listening; port 0 picks a free port. Answers the base URL, e.g. http://127.0.0.1:5000. */
  listen(port: number, host: string): Promise<string>;
  /**
   * Stops accepting, lets requests in flight finish for up to `graceMs`, then cuts what is left.
   * Answers whether requests were cut short (then, or by cutShort): their work may still be waiting
   * in the store, for nobody.
   */
  close(graceMs?: number): Promise<boolean>;
  /** Cuts every connection now, requests in flight too (a second signal while closing). */
  cutShort(): void;
}

/** The seed's Web API over the engine, on Node's own `http`. */
export function createTixServer(options: TixServerOptions): TixServer {
  const { tix, secret, clock, bodyLimit = DEFAULT_BODY_LIMIT, debug = false, anonymousUser, anonymousFromAnyHost = false } = options;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const routes = indexRoutes(createRoutes(tix, new IdempotencyGuard()));
  const corsOrigins = options.corsOrigins ?? [];
  const cors = corsOrigins.length === 0 ? undefined : new CorsPolicy(parseCorsOrigins(corsOrigins, anonymousUser));
  const context: ServerContext = { tokens: new VerifiedTokens(secret), clock, anonymousUser, anonymousFromAnyHost, bodyLimit, cors };
  // Without CORS the requests go straight to serve(): not one check is added to them.
  const handle = cors === undefined ? serve : (request: IncomingMessage, response: ServerResponse, expectsContinue: boolean) => serveCrossOrigin(cors, request, response, expectsContinue);
  let closing = false;

  const { headersMs = 10_000, requestMs = 30_000, unreadMs = 30_000, keepAliveMs = KEEP_ALIVE_MS } = options.timeouts ?? {};
  // Node looks for requests past their time every `connectionsCheckingInterval`. Its headers and
  // request timers run from a request's first byte: the idle time of a kept-alive connection before
  // it does not count, so 10 s and 30 s hold with a 130 s keep-alive (a test pins this).
  // requireHostHeader off: Node would answer a request without Host itself, 400 with no body and
  // no log line; match() refuses it instead, with the JSON error every other refusal has.
  const server = createServer({
    connectionsCheckingInterval: Math.min(1_000, headersMs / 2),
    requestTimeout: requestMs,
    headersTimeout: headersMs,
    keepAliveTimeout: keepAliveMs,
    requireHostHeader: false,
  }, (request, response) => {
    void handle(request, response, false);
  });
  // A client that sends its request and then half-closes (shutdown(SHUT_WR): `nc -N`, a script's
  // socket, some HTTP/1.0 clients) is answered, and the connection closed after that answer, as
  // Kestrel and Go answer it. Node's default ended the socket at the client's FIN: a POST /events
  // whose answer waited on the store was carried out, the event made, but never answered (logged
  // "aborted"). A FIN in the middle of a request is still a parse error (socketOnEnd).
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  // Every connection, so shutting down can close those that never sent a request (close()).
  const connections = new Set<Socket>();
  // When each connection last did something (connected, a request came, an answer went), and its
  // bytes read then: shutting down closes a kept-alive connection only once it has been idle for
  // IDLE_DRAIN_MS (see close()).
  const activity = new WeakMap<Socket, { at: number; bytesRead: number }>();
  const touch = (socket: Socket) => activity.set(socket, { at: Date.now(), bytesRead: socket.bytesRead });
  server.on("connection", (socket: Socket) => {
    connections.add(socket);
    touch(socket);
    socket.once("close", () => connections.delete(socket));
  });
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    touch(request.socket);
    response.once("finish", () => touch(request.socket));
  });
  // `Expect: 100-continue`: the client waits for a go-ahead before sending its body. It is given
  // only when a route reads the body and the declared length fits, so a refused upload is not sent.
  server.on("checkContinue", (request: IncomingMessage, response: ServerResponse) => void handle(request, response, true));
  // Any other expectation cannot be met (RFC 9110 §10.1.1): 417 with the JSON error body, where
  // Node answered it itself with an empty one and no access-log line.
  server.on("checkExpectation", (request: IncomingMessage, response: ServerResponse) => {
    const exchange = new RequestExchange(request, response, false, context);
    response.on("close", () => log(accessLine(exchange)));
    if (cors !== undefined && request.headers.origin !== undefined) cors.decorate(response, request.headers.origin);
    const problem = versionRefusal(request)
      ?? new HttpError("EXPECTATION_FAILED", `Expect: "${request.headers.expect}" cannot be met; only 100-continue is understood`, { Connection: "close" });
    send(request, response, errorReply(problem), closing);
  });
  // Requests Node's parser refuses (headers too large, a malformed request line, headers too slow)
  // get the same JSON error body as every other failure.
  server.on("clientError", (error: Error & { code?: string }, socket) => answerClientError(error, socket, log, (target, method) => errorReply(methodRefusal(routes, target, method))));
  server.on("connect", (request: IncomingMessage, socket: Duplex) => answerConnect(request, socket, log));
  // A client that stops reading its answers held its connection, and the answers' memory, for
  // ever: nothing timed out once the request had arrived. A connection with answers waiting to be
  // written and no progress for `unreadMs` is closed; one whose request is still being worked on
  // (nothing to write yet) is left alone, and slow requests have their own timeouts.
  // A connection idle between requests is closed too: its keep-alive time (Node's own keep-alive
  // timer ends in this same event, and with a listener here Node no longer closes the socket
  // itself, so kept-alive connections stayed open for ever while the answers said timeout=5).
  server.setTimeout(unreadMs, (socket: Socket) => {
    if (socket.writableLength > 0) {
      unread.add(socket);
      socket.destroy();
    } else if (!answering(socket)) {
      socket.destroy();
    }
  });

  async function serve(request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): Promise<void> {
    const exchange = new RequestExchange(request, response, expectsContinue, context);
    // One listener: "close" follows "finish" (the answer handed to the OS) a tick later, or comes
    // alone when the client went away first.
    response.on("close", () => log(accessLine(exchange)));
    let reply: Reply;
    try {
      if (request.url === "*") {
        serverOptions(request);
        sendEmpty(request, response, { Allow: SERVER_METHODS }, closing);
        return;
      }
      reply = await match(routes, request, exchange).handle(exchange);
    } catch (error) {
      // Nobody is left to answer; the access log says the request was aborted.
      if (error instanceof ClientGone) return;
      if (!(error instanceof TixError || error instanceof HttpError) || error.code === "INTERNAL") {
        log(`internal error: ${debug && error instanceof Error ? error.stack : String(error instanceof Error ? error.message : error)}`);
      }
      reply = errorReply(error);
    }
    send(request, response, reply, closing);
  }

  /**
   * A request when CORS is on. One with `Origin` (a browser's, from a page of another origin) gets
   * the CORS headers on its answer, whatever the answer; a preflight (`OPTIONS` with
   * `Access-Control-Request-Method`) is answered here, before any route: 204 with what the path
   * allows, or no CORS header when the origin is not allowed (also 204, as ASP.NET Core answers
   * it: the browser then refuses the request). Any other OPTIONS is a request as without CORS.
   */
  function serveCrossOrigin(policy: CorsPolicy, request: IncomingMessage, response: ServerResponse, expectsContinue: boolean): Promise<void> {
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
        preflight(policy, origin, request, response);
        return Promise.resolve();
      }
      policy.decorate(response, origin);
    }
    return serve(request, response, expectsContinue);
  }

  function preflight(policy: CorsPolicy, origin: string, request: IncomingMessage, response: ServerResponse): void {
    const exchange = new RequestExchange(request, response, false, context);
    response.on("close", () => log(accessLine(exchange)));
    let methods: string;
    try {
      methods = pathMethods(routes, request, exchange);
    } catch (error) {
      // A path no route has (404), no Host (400), HTTP/2.0 (505): answered as the request would be.
      policy.decorate(response, origin);
      send(request, response, errorReply(error), closing);
      return;
    }
    const privateNetwork = String(request.headers["access-control-request-private-network"]).trim().toLowerCase() === "true";
    const requestedHeaders = request.headers["access-control-request-headers"];
    sendEmpty(request, response, policy.preflight(origin, methods, privateNetwork, requestedHeaders), closing);
  }

  // The requests cut are logged as the server's doing: they read "the client closed the connection first".
  let cutAny = false;
  let drainTimer: NodeJS.Timeout | undefined;
  /**
   * Closes the connections idle for IDLE_DRAIN_MS (no request being answered, no byte read),
   * and looks again when the next of the others would be. A request that arrives meanwhile is
   * answered with `Connection: close`, and Node closes its connection after the answer.
   */
  function closeIdle(): void {
    const now = Date.now();
    let next = Infinity;
    for (const socket of connections) {
      if (answering(socket)) continue;
      const seen = activity.get(socket) ?? { at: now, bytesRead: socket.bytesRead };
      if (seen.bytesRead !== socket.bytesRead) activity.set(socket, { at: now, bytesRead: socket.bytesRead });
      const idleSince = seen.bytesRead !== socket.bytesRead ? now : seen.at;
      if (now - idleSince >= IDLE_DRAIN_MS) socket.destroy();
      else next = Math.min(next, idleSince + IDLE_DRAIN_MS);
    }
    if (next !== Infinity) drainTimer = setTimeout(closeIdle, Math.max(10, next - now));
  }

  function cutShort(): void {
    for (const socket of connections) {
      cut.add(socket);
      cutAny = true;
    }
    server.closeAllConnections();
  }

  return {
    server,
    cutShort,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    close: async (graceMs = 10_000) => {
      closing = true;
      // net.Server's close: stop accepting. http.Server's (Node 19+) also closes every idle
      // kept-alive connection at once, and a request the client was sending on one at that instant
      // met a closed socket: ECONNRESET, about 4 requests in 300 under steady keep-alive load.
      const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
      // Instead a connection between requests is closed once it has been idle for IDLE_DRAIN_MS
      // (at once if it already has): a client sending steadily has its next request answered,
      // with `Connection: close`, and the connection ends after it. So do connections that have
      // sent nothing yet (a client's spare one): each held the stop for the whole grace time.
      // One whose request is being answered ends after its answer.
      closeIdle();
      const deadline = setTimeout(cutShort, graceMs);
      try {
        await closed;
        // Connections cut short emit "close" (and so their access lines) from libuv's close
        // phase, after the server's own "close": a timer runs after it.
        await new Promise((resolve) => setTimeout(resolve, 0));
      } finally {
        clearTimeout(deadline);
        clearTimeout(drainTimer);
      }
      return cutAny;
    },
  };
}

/** What every request's exchange reads from its server. */
interface ServerContext {
  tokens: VerifiedTokens;
  clock: Clock;
  anonymousUser: string | undefined;
  anonymousFromAnyHost: boolean;
  bodyLimit: number;
  cors: CorsPolicy | undefined;
}

/**
 * A query string as ASP.NET binds one: names in any case (`?Limit=2` was ignored, answering 100
 * events), each given once (`?limit=1&limit=5` took the first in silence).
 */
class QueryParameters extends URLSearchParams {
  override get(name: string): string | null {
    const wanted = name.toLowerCase();
    let found: string | null = null;
    let foundAs = "";
    for (const [key, value] of this.entries()) {
      if (key.toLowerCase() !== wanted) continue;
      if (found !== null) throw invalidArgument(foundAs, `given more than once in the query${key === foundAs ? "" : ` (also as ${key})`}; send it once`);
      found = value;
      foundAs = key;
    }
    return found;
  }
}

/**
 * One request as its route sees it: a class, not an object of closures, so a request allocates
 * one object for it; who acts is worked out at the first ask and kept (also for the access log).
 */
class RequestExchange implements Exchange {
  readonly started = performance.now();
  params: readonly string[] = NO_PARAMS;
  /** The query string after `?` ("" when none), parsed when a route asks for it. */
  queryText = "";
  identity: Identity | undefined = undefined;
  private parsedQuery: URLSearchParams | undefined = undefined;

  constructor(
    readonly request: IncomingMessage,
    readonly response: ServerResponse,
    private readonly expectsContinue: boolean,
    private readonly context: ServerContext,
  ) {}

  query(): URLSearchParams {
    return (this.parsedQuery ??= new QueryParameters(this.queryText));
  }

  queryName(name: string): string {
    const wanted = name.toLowerCase();
    for (const key of this.query().keys()) if (key.toLowerCase() === wanted) return key;
    return name;
  }

  /**
   * A header a route reads, given at most once: Node joins a repeated one with ", " (two
   * `Idempotency-Key`s became the key "a, b", neither of the client's), so two are refused.
   */
  header(name: string): string | undefined {
    const values = this.request.headersDistinct[name];
    if (values === undefined) return undefined;
    if (values.length > 1) throw invalidArgument(headerName(name), "given more than once; send it once");
    return values[0];
  }

  user(): string {
    return this.who().userId;
  }

  viewer(): string | undefined {
    // A request that may not act as the anonymous user still reads what is public. Without a
    // token, who looks is settled here: the guard runs once, not again in authenticate().
    if (this.identity === undefined && this.request.headers.authorization === undefined) {
      const anonymous = anonymousIdentity(this.request, this.context);
      if (anonymous === undefined || anonymous instanceof HttpError) return undefined;
      this.identity = anonymous;
    }
    return this.who().userId;
  }

  admin(): string {
    const { userId, admin } = this.who();
    if (!admin) throw new HttpError("FORBIDDEN", `${userId} may not change events: that needs an admin token (tix token create --user ${userId} --admin)`);
    return userId;
  }

  body(): Promise<JsonObject> {
    return readJsonBody(this.request, this.context.bodyLimit, () => this.expectsContinue && this.response.writeContinue());
  }

  private who(): Identity {
    return (this.identity ??= authenticate(this.request, this.context));
  }
}

const NO_PARAMS: readonly string[] = [];

/**
 * Shutting down, a kept-alive connection is closed once idle this long: a request sent on it
 * before is answered (with `Connection: close`) rather than met by a closed socket.
 */
export const IDLE_DRAIN_MS = 500;

/** Kestrel's KeepAliveTimeout: a kept-alive connection idle this long is closed (Node's default was 5 s). */
export const KEEP_ALIVE_MS = 130_000;

/** Whether a connection has a request being answered (Node's response in progress on it). */
function answering(socket: Socket): boolean {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage != null;
}

/** Connections the server closed because their client stopped reading its answers (for the access log). */
const unread = new WeakSet<object>();

/** Connections the server cut while shutting down, its requests' time up (for the access log). */
const cut = new WeakSet<object>();

/** `2026-11-30T22:40:00.123Z GET /events 200 1.2ms user=alice`, and why when the answer was not sent in full. */
function accessLine({ request, response, started, identity }: RequestExchange): string {
  const status = response.headersSent ? response.statusCode : "-";
  const aborted = response.writableFinished ? ""
    : unread.has(response.socket ?? request.socket) ? " aborted: the client stopped reading its answers; the server closed the connection"
    : cut.has(response.socket ?? request.socket) ? " aborted: the server was stopping and cut it short"
    : " aborted: the client closed the connection first";
  const milliseconds = (performance.now() - started).toFixed(1);
  return `${isoNow()} ${request.method} ${request.url} ${status} ${milliseconds}ms user=${identity?.userId ?? "-"}${aborted}`;
}

let isoAt = Number.NaN;
let isoText = "";

/** The time now in ISO 8601, made once a millisecond: a batch's answers go out in the same one. */
function isoNow(): string {
  const now = Date.now();
  if (now !== isoAt) {
    isoAt = now;
    isoText = new Date(now).toISOString();
  }
  return isoText;
}

function send(request: IncomingMessage, response: ServerResponse, reply: Reply, closing: boolean): void {
  const text = JSON.stringify(reply.body);
  const headers: OutgoingHttpHeaders = { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" };
  if (reply.headers !== undefined) Object.assign(headers, reply.headers);
  answer(request, response, reply.status, headers, closing, text);
}

/**
 * A 204 with `headers` (a preflight's answer): no body, so no Content-Type nor Content-Length; no
 * Cache-Control: a browser keeps a preflight's answer in its own cache, for Access-Control-Max-Age.
 */
function sendEmpty(request: IncomingMessage, response: ServerResponse, headers: OutgoingHttpHeaders, closing: boolean): void {
  answer(request, response, 204, headers, closing);
}

/** Writes an answer, unless one has gone out already (or the connection has); `headers` is the answer's own, added to. */
function answer(request: IncomingMessage, response: ServerResponse, status: number, headers: OutgoingHttpHeaders, closing: boolean, body?: string): void {
  if (response.headersSent || response.destroyed) return;
  // Closing with part of the request unread: read the rest first, so the answer is not lost. Also
  // when the client asked to close (Connection: close, HTTP/1.0): a 401 or 404 answered before a
  // large body had arrived was lost to a reset about one time in three.
  if ((closing || headers.Connection === "close" || !response.shouldKeepAlive) && !request.complete) lingerOnClose(request, response.socket!);
  // Shutting down: no keep-alive, so each connection ends with its last answer.
  if (closing) headers.Connection = "close";
  response.writeHead(status, headers);
  response.end(body);
}

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * The routes by segment count and first segment (always a literal, in lower case), so a request is
 * compared with the few that could match; a literal part is stored lower-cased with its position.
 */
type RouteIndex = Map<string, IndexedRoute[]>;

interface IndexedRoute {
  route: Route;
  /** Positions and lower-case text of the literal parts after the first. */
  literals: Array<[number, string]>;
  /** Positions of the `:name` parts. */
  params: number[];
}

const routeKey = (count: number, first: string) => `${count}/${first}`;

function indexRoutes(routes: readonly Route[]): RouteIndex {
  const index: RouteIndex = new Map();
  for (const route of routes) {
    const [first = "", ...rest] = route.path;
    if (first.startsWith(":")) throw new Error(`a route's first segment is a literal: ${route.path.join("/")}`);
    if (route.method === "OPTIONS") throw new Error(`OPTIONS is CORS's preflight, answered before the routes (pathMethods): ${route.path.join("/")}`);
    const indexed: IndexedRoute = { route, literals: [], params: [] };
    rest.forEach((part, at) => (part.startsWith(":") ? indexed.params.push(at + 1) : indexed.literals.push([at + 1, part.toLowerCase()])));
    const key = routeKey(route.path.length, first.toLowerCase());
    index.set(key, [...(index.get(key) ?? []), indexed]);
  }
  return index;
}

/** `idempotency-key` → `Idempotency-Key`, as the docs and clients spell it. */
function headerName(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase());
}

function hostHeaders(raw: readonly string[]): number {
  let count = 0;
  for (let at = 0; at < raw.length; at += 2) if (raw[at]!.length === 4 && raw[at]!.toLowerCase() === "host") count++;
  return count;
}

/**
 * The request target as a path and query: a server must accept the absolute form too (RFC 9112
 * §3.2.2, `GET http://host:5000/events`, as a client sends through a proxy).
 */
function originForm(target: string): string {
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target);
  if (!absolute) return target;
  const rest = target.slice(absolute[0].length);
  return rest.startsWith("/") ? rest : `/${rest}`;
}

/**
 * A request whose target is `*` (the asterisk form, RFC 9112 §3.2.4): `OPTIONS *` asks what the
 * server as a whole supports (RFC 9110 §9.3.7), answered 204 with `Allow` (it was a 404, "no route
 * OPTIONS *"); with any other method the form is invalid: 400. The request line is checked first, as any request's.
 */
function serverOptions(request: IncomingMessage): void {
  checkRequestLine(request);
  if (request.method !== "OPTIONS") throw invalidArgument("request target", `* is only for OPTIONS (the server as a whole), not ${request.method}; name a path such as /events`);
}

/** What every request must be, whatever its target: HTTP/1.0 or 1.1, and (1.1) one Host header. */
function checkRequestLine(request: IncomingMessage): void {
  const refused = versionRefusal(request);
  if (refused !== undefined) throw refused;
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400.
  if (request.headers.host === undefined && request.httpVersionMajor === 1 && request.httpVersionMinor === 1) {
    throw invalidArgument("Host", "an HTTP/1.1 request needs this header");
  }
  // …and one with two (Node keeps the first and drops the other in silence).
  if (hostHeaders(request.rawHeaders) > 1) throw invalidArgument("Host", "given more than once; send it once");
}

/** The route of a request; its path parameters and query text go into `exchange`. */
function match(routes: RouteIndex, request: IncomingMessage, exchange: RequestExchange, asked = request.method): Route {
  checkRequestLine(request);
  const { pathText, queryText } = targetParts(request.url ?? "/");
  const segments = segmentsOf(pathText, request.method);
  const candidates = candidatesFor(routes, segments);
  // HEAD is GET without its body (RFC 9110 §9.3.2): Node's response leaves the body out itself.
  const method = asked === "HEAD" ? "GET" : asked;
  let onPath: IndexedRoute[] | undefined;
  let found: IndexedRoute | undefined;
  for (const candidate of candidates) {
    if (!onThePath(candidate, segments)) continue;
    (onPath ??= []).push(candidate);
    if (candidate.route.method === method) {
      found = candidate;
      break;
    }
  }
  // No route broke the loop: onPath holds every route on the path, in their order.
  if (!found) throw unmatched(onPath, pathText, request.method);
  if (found.params.length > 0) exchange.params = found.params.map((at) => segments[at]!);
  if (queryText !== undefined) exchange.queryText = queryText;
  return found.route;
}

/** A request target's path and its query text (after `?`, undefined without one), in origin form. */
function targetParts(target: string): { pathText: string; queryText: string | undefined } {
  const url = originForm(target);
  const queryAt = url.indexOf("?");
  return queryAt < 0 ? { pathText: url, queryText: undefined } : { pathText: url.slice(0, queryAt), queryText: url.slice(queryAt + 1) };
}

/** The routes a path of these segments may be, by their count and first segment. */
function candidatesFor(routes: RouteIndex, segments: readonly string[]): readonly IndexedRoute[] {
  return routes.get(routeKey(segments.length, (segments[0] ?? "").toLowerCase())) ?? [];
}

/** As ASP.NET's routing: the literal parts of a path match in any case; ids are taken as sent. */
function onThePath(candidate: IndexedRoute, segments: readonly string[]): boolean {
  return candidate.literals.every(([at, text]) => text === segments[at]!.toLowerCase());
}

/**
 * A path's segments, decoded. Split on the path's own slashes first, then each segment decoded:
 * an escaped slash (%2F) is part of its segment, never a separator, as in Kestrel's Request.Path.
 * As ASP.NET's routing splits a path: one trailing slash adds no segment, but an empty one between
 * two slashes is a segment, which no route has (dropped, `/events//availability` was the event
 * "availability", and `//events` the list).
 */
function segmentsOf(pathText: string, method: string | undefined): string[] {
  let segments = pathText.split("/");
  if (segments[0] === "") segments.shift();
  if (segments.at(-1) === "") segments.pop();
  if (segments.includes("")) throw new HttpError("ROUTE_NOT_FOUND", `no route ${method} ${pathText}: it has an empty segment (//); see docs/http.md`);
  if (pathText.includes("%")) segments = segments.map((segment) => (segment.includes("%") ? decodeSegment(segment, pathText) : segment));
  return segments;
}

/** No route for a request's method: 405 with `Allow` (the path's methods) when the path has routes (`onPath`), else 404. */
function unmatched(onPath: readonly IndexedRoute[] | undefined, pathText: string, method: string | undefined): HttpError {
  if (onPath === undefined) return new HttpError("ROUTE_NOT_FOUND", `no route ${method} ${pathText}; see docs/http.md`);
  const allowed = onPath.flatMap((candidate) => (candidate.route.method === "GET" ? ["GET", "HEAD"] : [candidate.route.method])).join(", ");
  return new HttpError("METHOD_NOT_ALLOWED", `${pathText} answers ${allowed}, not ${method}`, { Allow: allowed });
}

/**
 * What a request whose method no route has, and Node's parser does not know (`FOO`, `BREW`, `get`:
 * it refuses them itself, client-errors.ts), is answered, as for a method it knows (`TRACE`): 405
 * with `Allow` on a path a route has, 404 on another, 400 for the target `*` or a bad escape.
 */
function methodRefusal(routes: RouteIndex, target: string, method: string): Error {
  if (target === "*") return invalidArgument("request target", `* is only for OPTIONS (the server as a whole), not ${method}; name a path such as /events`);
  const { pathText } = targetParts(target);
  let segments: string[];
  try {
    segments = segmentsOf(pathText, method);
  } catch (error) {
    return error as Error;
  }
  const onPath = candidatesFor(routes, segments).filter((candidate) => onThePath(candidate, segments));
  return unmatched(onPath.length === 0 ? undefined : onPath, pathText, method);
}

/**
 * The methods a request's path answers, as a 405's `Allow` names them (`GET, HEAD, PATCH`); a path
 * no route has throws as it would for any method. No route answers OPTIONS (indexRoutes), so match
 * always throws here, and its METHOD_NOT_ALLOWED carries the list.
 */
function pathMethods(routes: RouteIndex, request: IncomingMessage, exchange: RequestExchange): string {
  try {
    match(routes, request, exchange, "OPTIONS");
  } catch (error) {
    if (error instanceof HttpError && error.code === "METHOD_NOT_ALLOWED") return error.headers.Allow!;
    throw error;
  }
  throw new Error("a route answers OPTIONS");
}

/**
 * A request line naming a version other than HTTP/1.0 or HTTP/1.1 (`GET /events HTTP/2.0`, which
 * Node's parser takes, as it does HTTP/0.9) is answered 505 and its connection closed, as Kestrel
 * answers it (RequestRejectionReason.UnrecognizedHTTPVersion); it was answered as if HTTP/1.1.
 * Versions Node's parser itself refuses get the same answer (client-errors.ts).
 */
function versionRefusal(request: IncomingMessage): HttpError | undefined {
  if (request.httpVersionMajor === 1 && (request.httpVersionMinor === 1 || request.httpVersionMinor === 0)) return undefined;
  return new HttpError("HTTP_VERSION_NOT_SUPPORTED", unsupportedVersion(request.httpVersion), { Connection: "close" });
}

/**
 * Who a request without `Authorization` acts as: the anonymous user (who may change events), or
 * why it may not (anonymousRefusal), or nobody when the server has no anonymous user.
 */
function anonymousIdentity(request: IncomingMessage, { anonymousUser, anonymousFromAnyHost, cors }: ServerContext): Identity | HttpError | undefined {
  if (anonymousUser === undefined) return undefined;
  return anonymousRefusal(request, anonymousFromAnyHost, cors?.named) ?? { userId: anonymousUser, admin: true };
}

const CHALLENGE = 'Bearer realm="tix"';

/** `Bearer <token>`, the scheme in any case (RFC 9110 §11.1). */
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * `Authorization: Bearer <token>` → the user it was issued to; no header at all → the anonymous
 * user, when the server has one; anything else is 401 (a bad token never falls back to anonymous).
 */
function authenticate(request: IncomingMessage, context: ServerContext): Identity {
  const { tokens, clock } = context;
  const now = clock.now();
  // Node keeps the first of two and drops the other in silence: a proxy that checked the other
  // one, and the server, would disagree on who acts.
  if ((request.headersDistinct.authorization?.length ?? 0) > 1) throw invalidArgument("Authorization", "given more than once; send it once");
  const header = request.headers.authorization;
  if (header === undefined) {
    const anonymous = anonymousIdentity(request, context);
    if (anonymous instanceof HttpError) throw anonymous;
    if (anonymous !== undefined) return anonymous;
  }
  const known = header === undefined ? undefined : tokens.known(header, now);
  if (known !== undefined) return known;
  const match = BEARER.exec(header ?? "");
  if (!match) {
    throw new HttpError("UNAUTHENTICATED", "this needs a bearer token: send Authorization: Bearer <token> (make one with tix token create --user <id>)", {
      "WWW-Authenticate": CHALLENGE,
    });
  }
  const check = tokens.verify(header!, match[1]!, now);
  if (check.ok) return check;
  const problem = check.reason === "expired" ? "the token has expired; make a new one with tix token create" : "the token is not valid here";
  throw new HttpError("UNAUTHENTICATED", problem, {
    "WWW-Authenticate": `${CHALLENGE}, error="invalid_token", error_description="${problem}"`,
  });
}

/**
 * verifyToken with its answers kept: a client sends the same token with every request, and its
 * HMAC is a good part of a small request's CPU. Only valid tokens are kept, by the Authorization
 * header as sent (so a known one is not parsed again), each until it expires (checked on every
 * use, against the server's clock); the secret never changes while serving.
 */
class VerifiedTokens {
  private static readonly MOST = 10_000;
  private readonly valid = new Map<string, Identity & { expiresAt: number }>();

  constructor(private readonly secret: Buffer) {}

  /** Who a header already verified names, while its token has not expired. */
  known(header: string, now: number): Identity | undefined {
    const known = this.valid.get(header);
    return known !== undefined && now < known.expiresAt ? known : undefined;
  }

  /** Verifies `token`, the one `header` carries, and keeps the answer when it is valid. */
  verify(header: string, token: string, now: number): TokenCheck {
    const check = verifyToken(this.secret, token, now);
    if (check.ok) {
      if (this.valid.size >= VerifiedTokens.MOST) this.valid.clear();
      this.valid.set(header, { userId: check.userId, admin: check.admin, expiresAt: check.expiresAt });
    } else {
      this.valid.delete(header);
    }
    return check;
  }
}
