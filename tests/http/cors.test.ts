import { request, type IncomingHttpHeaders } from "node:http";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * `tix serve --cors-origin`: a web front-end served from another origin (a SPA on another port or
 * host) calls the server from a browser. Every such call that sends a token or a JSON body is
 * preflighted; the browser lets the page read an answer only if it names the page's origin. These
 * are the requests a browser sends, made by hand against a real `tix serve`.
 */
let home: { path: string; remove: () => void };
beforeEach(() => {
  home = tempDir("tix-cors-");
});
afterEach(() => home.remove());

const NOW = { TIX_NOW: "2030-01-01T12:00:00Z" };
const FRONT_END = "http://localhost:3000";
const RESERVE = "/tickets/evt_jazz_evening/reserve";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request with exactly these headers (node:http sends what it is given, as a browser would send them). */
function send(url: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, method, path, headers }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, headers: response.headers, text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The CORS headers of an answer (and Vary), by their lower-case names. */
function corsHeaders(answer: Answer): Record<string, string> {
  return Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.startsWith("access-control-") || name === "vary")) as Record<string, string>;
}

/** What a browser sends before a reserve with a token and a JSON body. */
const reservePreflight = (origin: string) => ({
  Origin: origin,
  "Access-Control-Request-Method": "POST",
  "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
});

const ALLOWED = (origin: string) => ({
  "access-control-allow-origin": origin,
  "access-control-expose-headers": "Location, Link, Retry-After, Idempotent-Replayed, WWW-Authenticate, Allow",
  vary: "Origin",
});

function seededStore(): string {
  const store = `sqlite:${join(home.path, "tix.db")}`;
  expect(runTix(["--store", store, "seed"], home.path, { env: NOW }).code).toBe(0);
  return store;
}

const token = (user: string, admin = false) => runTix(["token", "create", "--user", user, ...(admin ? ["--admin"] : [])], home.path, { env: NOW }).stdout.trim();

describe("tix serve without --cors-origin", () => {
  it("sends no CORS header, and a preflight is what any OPTIONS was: 405 with Allow", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW });
    const url = await server.listening;
    expect(server.stderr()).not.toMatch(/CORS/);

    const preflight = await send(url, "OPTIONS", RESERVE, reservePreflight(FRONT_END));
    expect(preflight.status).toBe(405);
    expect(preflight.headers.allow).toBe("POST");
    expect(JSON.parse(preflight.text).Error.Code).toBe("METHOD_NOT_ALLOWED");
    expect(corsHeaders(preflight)).toEqual({});

    const read = await send(url, "GET", "/events", { Origin: FRONT_END });
    expect(read.status).toBe(200);
    expect(corsHeaders(read)).toEqual({});
    const refused = await send(url, "GET", "/tickets", { Origin: FRONT_END });
    expect(refused.status).toBe(401);
    expect(corsHeaders(refused)).toEqual({});
    expect(await server.stop()).toBe(0);
  });
});

describe("tix serve --cors-origin", () => {
  it("answers an allowed origin's preflight on reserve (Authorization, Idempotency-Key), then the reserve and its replay with the CORS headers", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", FRONT_END, "--cors-origin", "HTTPS://Box.Example.com:443"] });
    const url = await server.listening;
    expect(server.stderr()).toMatch(/; web pages of http:\/\/localhost:3000, https:\/\/box\.example\.com may call it \(CORS\); Ctrl-C stops\)\n/);

    const preflight = await send(url, "OPTIONS", RESERVE, reservePreflight(FRONT_END));
    expect(preflight.status).toBe(204);
    expect(preflight.text).toBe("");
    expect(corsHeaders(preflight)).toEqual({
      "access-control-allow-origin": FRONT_END,
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Headers",
    });
    expect(preflight.headers["content-type"]).toBeUndefined();
    expect(preflight.headers["content-length"]).toBeUndefined();
    // Path literals match in any case, as for any request; the methods are the path's own.
    const event = await send(url, "OPTIONS", "/Events/evt_jazz_evening", { Origin: "https://box.example.com", "Access-Control-Request-Method": "PATCH" });
    expect([event.status, event.headers["access-control-allow-origin"], event.headers["access-control-allow-methods"]]).toEqual([204, "https://box.example.com", "GET, HEAD, PUT, PATCH"]);

    // The request the preflight allowed: answered with the origin, and its replay header readable.
    const alice = token("alice");
    const reserve = () => send(url, "POST", RESERVE, { Origin: FRONT_END, Authorization: `Bearer ${alice}`, "Idempotency-Key": "spa-1", "Content-Type": "application/json" }, "{}");
    const first = await reserve();
    expect(first.status).toBe(200);
    expect(JSON.parse(first.text)).toMatchObject({ Status: "Success", Ticket: { UserId: "alice", Status: "Reserved" }, Replayed: false });
    expect(corsHeaders(first)).toEqual(ALLOWED(FRONT_END));
    const replay = await reserve();
    expect([replay.status, replay.headers["idempotent-replayed"]]).toEqual([200, "true"]);
    expect(corsHeaders(replay)).toEqual(ALLOWED(FRONT_END));

    // A request without Origin (curl, the seed's clients) is answered as without CORS.
    const plain = await send(url, "GET", "/events", {});
    expect(corsHeaders(plain)).toEqual({});

    expect(await server.stop()).toBe(0);
    expect(server.stderr()).toMatch(/ OPTIONS \/tickets\/evt_jazz_evening\/reserve 204 [\d.]+ms user=-\n/);
  });

  it("error answers carry the CORS headers too, so the page reads why (401 with WWW-Authenticate, 409, 404, a plain OPTIONS's 405)", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", FRONT_END] });
    const url = await server.listening;

    const unauthenticated = await send(url, "POST", RESERVE, { Origin: FRONT_END, "Idempotency-Key": "spa-1" });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers["www-authenticate"]).toBe('Bearer realm="tix"');
    expect(corsHeaders(unauthenticated)).toEqual(ALLOWED(FRONT_END));

    const bob = token("bob");
    const held = await send(url, "POST", RESERVE, { Origin: FRONT_END, Authorization: `Bearer ${bob}`, "Idempotency-Key": "bob-1" });
    expect(held.status).toBe(200);
    const twice = await send(url, "POST", RESERVE, { Origin: FRONT_END, Authorization: `Bearer ${bob}`, "Idempotency-Key": "bob-2" });
    expect([twice.status, JSON.parse(twice.text).Error.Code]).toEqual([409, "DUPLICATE_RESERVATION"]);
    expect(corsHeaders(twice)).toEqual(ALLOWED(FRONT_END));

    const missing = await send(url, "GET", "/events/evt_gone", { Origin: FRONT_END });
    expect([missing.status, corsHeaders(missing)]).toEqual([404, ALLOWED(FRONT_END)]);

    // A preflight on a path no route has is that path's 404, with the headers (the browser then refuses it).
    const nowhere = await send(url, "OPTIONS", "/nowhere", { Origin: FRONT_END, "Access-Control-Request-Method": "POST" });
    expect([nowhere.status, JSON.parse(nowhere.text).Error.Code, corsHeaders(nowhere)]).toEqual([404, "ROUTE_NOT_FOUND", ALLOWED(FRONT_END)]);
    // An OPTIONS that is no preflight (no Access-Control-Request-Method) is 405 as before, readable.
    const options = await send(url, "OPTIONS", "/events", { Origin: FRONT_END });
    expect([options.status, options.headers.allow, corsHeaders(options)]).toEqual([405, "GET, HEAD, POST", ALLOWED(FRONT_END)]);
    expect(await server.stop()).toBe(0);
  });

  it("an origin not named gets no CORS header: its preflight is an empty 204, its answers are the browser's to refuse", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", FRONT_END] });
    const url = await server.listening;

    for (const origin of ["http://evil.example", "http://localhost:3001", "https://localhost:3000", "null"]) {
      const preflight = await send(url, "OPTIONS", RESERVE, reservePreflight(origin));
      expect([preflight.status, corsHeaders(preflight)], origin).toEqual([204, { vary: "Origin" }]);
      const read = await send(url, "GET", "/events", { Origin: origin });
      expect([read.status, corsHeaders(read)], origin).toEqual([200, { vary: "Origin" }]);
    }
    const refused = await send(url, "POST", RESERVE, { Origin: "http://evil.example", "Idempotency-Key": "evil-1" });
    expect([refused.status, corsHeaders(refused)]).toEqual([401, { vary: "Origin" }]);
    expect(await server.stop()).toBe(0);
  });

  // Chrome's Private Network Access: a page of a public site (https://box.example.com) calling a
  // server on loopback or an intranet first asks whether it may; without the answer Chrome refused
  // the request, though the origin was named.
  it("a preflight asking for headers tix does not read (a tracing library's traceparent) is allowed them; names that are no header names are not echoed", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", FRONT_END] });
    const url = await server.listening;
    const asking = (headers: string) => send(url, "OPTIONS", RESERVE, { ...reservePreflight(FRONT_END), "Access-Control-Request-Headers": headers });
    const traced = await asking("authorization,content-type,idempotency-key,traceparent,X-Request-Id,traceparent");
    expect([traced.status, traced.headers["access-control-allow-headers"]]).toEqual([204, "Authorization, Content-Type, Idempotency-Key, traceparent, x-request-id"]);
    const odd = await asking("authorization,bad header,x-fine");
    expect(odd.headers["access-control-allow-headers"]).toBe("Authorization, Content-Type, Idempotency-Key");
    const many = await asking(Array.from({ length: 17 }, (_, index) => `x-h${index}`).join(","));
    expect(many.headers["access-control-allow-headers"]).toBe("Authorization, Content-Type, Idempotency-Key");
    expect(await server.stop()).toBe(0);
  });

  it("a named origin's preflight that asks for the private network is allowed it; another origin's, and one under *, are not", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", "https://box.example.com"] });
    const url = await server.listening;
    const asking = (origin: string) => ({ ...reservePreflight(origin), "Access-Control-Request-Private-Network": "true" });
    const named = await send(url, "OPTIONS", RESERVE, asking("https://box.example.com"));
    expect([named.status, corsHeaders(named)]).toEqual([204, {
      "access-control-allow-origin": "https://box.example.com",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key",
      "access-control-allow-private-network": "true",
      "access-control-max-age": "600",
      vary: "Origin, Access-Control-Request-Headers",
    }]);
    // Not asked, not said.
    expect(corsHeaders(await send(url, "OPTIONS", RESERVE, reservePreflight("https://box.example.com")))["access-control-allow-private-network"]).toBeUndefined();
    const other = await send(url, "OPTIONS", RESERVE, asking("https://evil.example"));
    expect([other.status, corsHeaders(other)]).toEqual([204, { vary: "Origin" }]);
    expect(await server.stop()).toBe(0);

    const any = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", "*"] });
    const anyUrl = await any.listening;
    const anywhere = await send(anyUrl, "OPTIONS", RESERVE, asking("https://anywhere.example"));
    expect([anywhere.status, anywhere.headers["access-control-allow-origin"], anywhere.headers["access-control-allow-private-network"]]).toEqual([204, "*", undefined]);
    expect(await any.stop()).toBe(0);
  });

  it("* allows any origin's page, which still needs its token; the answers say * and do not vary by origin", async () => {
    const server = serveProcess(home.path, ["--store", seededStore()], { env: NOW, serveArgs: ["--cors-origin", "*"] });
    const url = await server.listening;
    expect(server.stderr()).toMatch(/; web pages of any origin may call it \(CORS\);/);

    const preflight = await send(url, "OPTIONS", RESERVE, reservePreflight("https://anywhere.example"));
    expect([preflight.status, corsHeaders(preflight)]).toEqual([204, {
      "access-control-allow-origin": "*",
      "access-control-allow-methods": "POST",
      "access-control-allow-headers": "Authorization, Content-Type, Idempotency-Key",
      "access-control-max-age": "600",
      vary: "Access-Control-Request-Headers",
    }]);
    const refused = await send(url, "POST", RESERVE, { Origin: "https://anywhere.example", "Idempotency-Key": "k" });
    expect(refused.status).toBe(401);
    expect(corsHeaders(refused)).toEqual({ "access-control-allow-origin": "*", "access-control-expose-headers": ALLOWED("*")["access-control-expose-headers"] });
    expect(await server.stop()).toBe(0);
  });

  it("with --anonymous-user, a named origin's page acts as that user without a token; any other page still may not", async () => {
    const store = seededStore();
    const server = serveProcess(home.path, ["--store", store], { env: NOW, serveArgs: ["--anonymous-user", "seed-client", "--cors-origin", FRONT_END] });
    const url = await server.listening;

    const named = await send(url, "POST", RESERVE, { Origin: FRONT_END, "Idempotency-Key": "seed-1" });
    expect(named.status).toBe(200);
    expect(JSON.parse(named.text).Ticket.UserId).toBe("seed-client");
    expect(corsHeaders(named)).toEqual(ALLOWED(FRONT_END));

    const other = await send(url, "POST", RESERVE, { Origin: "http://evil.example", "Idempotency-Key": "evil-1" });
    expect([other.status, JSON.parse(other.text).Error.Code, corsHeaders(other)]).toEqual([403, "FORBIDDEN", { vary: "Origin" }]);
    // The Host check (DNS rebinding) still holds for a named origin's page.
    const { port } = new URL(url);
    const rebound = await send(url, "POST", RESERVE, { Origin: FRONT_END, Host: `evil.example:${port}`, "Idempotency-Key": "seed-2" });
    expect(rebound.status).toBe(403);
    expect(await server.stop()).toBe(0);
    expect(runTix(["--store", store, "--user", "seed-client", "--json", "ticket", "list"], home.path).json().tickets).toHaveLength(1);
  });

  it("takes origins as a browser sends them: an IPv6 address, a name in Unicode (its punycode), a default port dropped", async () => {
    const server = serveProcess(home.path, ["--store", "memory"], { env: NOW, serveArgs: ["--cors-origin", "http://[::1]:3000", "--cors-origin", "https://Bücher.example:443", "--cors-origin", "http://[::1]:3000"] });
    const url = await server.listening;
    expect(server.stderr()).toMatch(/; web pages of http:\/\/\[::1\]:3000, https:\/\/xn--bcher-kva\.example may call it \(CORS\);/);
    for (const origin of ["http://[::1]:3000", "https://xn--bcher-kva.example"]) {
      const preflight = await send(url, "OPTIONS", "/events", { Origin: origin, "Access-Control-Request-Method": "POST" });
      expect([preflight.status, preflight.headers["access-control-allow-origin"], preflight.headers["access-control-allow-methods"]], origin).toEqual([204, origin, "GET, HEAD, POST"]);
    }
    expect(await server.stop()).toBe(0);
  });

  it("a bad --cors-origin is exit 2 with one line naming it, before anything is opened or made", () => {
    const store = `sqlite:${join(home.path, "tix.db")}`;
    const expected = 'must be an origin, http(s)://host[:port] with nothing after it, as a browser sends it in Origin (e.g. https://box.example.com or http://localhost:3000)';
    const cases: Array<[string[], string]> = [
      [["--cors-origin", "https://box.example.com/app"], `cors-origin: "https://box.example.com/app" ${expected}`],
      [["--cors-origin", "box.example.com"], `cors-origin: "box.example.com" ${expected}`],
      [["--cors-origin", "ftp://box.example.com"], `cors-origin: "ftp://box.example.com" ${expected}`],
      [["--cors-origin", "https://box.example.com?x=1"], `cors-origin: "https://box.example.com?x=1" ${expected}`],
      [["--cors-origin", "https://user@box.example.com"], `cors-origin: "https://user@box.example.com" ${expected}`],
      [["--cors-origin", "http://localhost:99999"], `cors-origin: "http://localhost:99999" ${expected}`],
      [["--cors-origin", ""], `cors-origin: "" ${expected}`],
      [["--cors-origin", FRONT_END, "--cors-origin", "https://box.example.com/"], 'cors-origin: "https://box.example.com/" ends with a slash, which no browser sends in Origin; give https://box.example.com'],
      [["--cors-origin", "null"], 'cors-origin: "null" is the origin of every sandboxed page and local file, so of anyone; name the page\'s real origin'],
      [["--cors-origin", "*", "--cors-origin", FRONT_END], 'cors-origin: "*" already allows every origin; give it alone, or name the origins instead'],
      [["--cors-origin", "*", "--anonymous-user", "seed-client"], 'cors-origin: "*" cannot be combined with --anonymous-user: every site\'s pages could read the server; name the page\'s origin instead (e.g. --cors-origin http://localhost:3000)'],
    ];
    for (const [flags, message] of cases) {
      const run = runTix(["--store", store, "serve", "--port", "0", ...flags], home.path, { timeoutMs: 10_000 });
      expect([run.code, run.stdout, run.stderr], flags.join(" ")).toEqual([2, "", `error: ${message}\n`]);
    }
    // Nothing opened, nothing made: no store file, no token secret.
    expect(existsSync(join(home.path, "tix.db"))).toBe(false);
    expect(readdirSync(home.path)).toEqual([]);
  });
});
