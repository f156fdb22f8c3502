import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { serveProcess } from "../helpers/serve-process.js";
import { startServer, type Harness } from "../helpers/server-harness.js";
import { tempDir } from "../helpers/temp-dir.js";

let api: Harness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Writes `raw` on a fresh connection and answers everything the server sends until it closes. */
function rawExchange(url: string, raw: string | Buffer, { end = false } = {}): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    socket.on("data", (chunk) => (received += chunk.toString()));
    socket.on("error", reject);
    socket.on("close", () => resolve(received));
    socket.write(raw);
    if (end) socket.end();
  });
}

function jsonOf(response: string): { status: number; body: Record<string, unknown> } {
  const [head = "", body = ""] = response.split("\r\n\r\n", 2);
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(body) as Record<string, unknown> };
}

describe("errors Node's HTTP parser raises get the JSON error body", () => {
  it("431 for headers too large, 400 for a malformed request line", async () => {
    api = await startServer("memory");
    const huge = await rawExchange(api.url, `GET /events HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(huge).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
    expect(jsonOf(huge).body).toEqual({
      Status: "Error", Message: "the request's headers are too large", Error: { Code: "HEADERS_TOO_LARGE", Message: "the request's headers are too large" },
    });

    const malformed = jsonOf(await rawExchange(api.url, "THIS IS NOT HTTP\r\n\r\n"));
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ Status: "Error", Error: { Code: "INVALID_ARGUMENT" } });
    expect(malformed.body.Message).toMatch(/not valid HTTP/);
  });

  it("408 when the headers do not arrive in time", async () => {
    api = await startServer("memory", { timeouts: { headersMs: 300, requestMs: 600 } });
    const slow = jsonOf(await rawExchange(api.url, "GET /events HTTP/1.1\r\nHost: x\r\n"));
    expect(slow.status).toBe(408);
    expect(slow.body).toMatchObject({ Status: "Error", Message: expect.any(String), Error: { Code: "REQUEST_TIMEOUT" } });
  });

  it("408 when a body being read does not arrive in time; nothing is created", async () => {
    api = await startServer("memory", { timeouts: { headersMs: 200, requestMs: 400 } });
    const head = `POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token("admin")}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Name":`;
    const answer = jsonOf(await rawExchange(api.url, head));
    expect(answer.status).toBe(408);
    expect(answer.body).toMatchObject({ Status: "Error", Error: { Code: "REQUEST_TIMEOUT" } });
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    expect(api.logs.join("\n")).toMatch(/POST \/events 408 [\d.]+ms user=admin$/m);
    expect(api.logs.join("\n")).not.toMatch(/internal error/);
  });

  it("after sending its whole request, half-closing (shutdown of its side, as nc -N does), still gets the answer, then the connection closes", async () => {
    // The engine's answer comes later than the client's FIN, as a commit's does on a busy store.
    api = await startServer("memory", {
      wrap: (tix) => ({
        tickets: tix.tickets,
        vouchers: tix.vouchers,
        events: {
          create: async (fields) => {
            await new Promise((resolve) => setTimeout(resolve, 100));
            return tix.events.create(fields);
          },
          update: (fields) => tix.events.update(fields),
          get: (id) => tix.events.get(id),
          page: (request) => tix.events.page(request),
          seats: (request) => tix.events.seats(request),
        },
      }),
    });
    const body = JSON.stringify({ Name: "Half-closed", Capacity: 5 });
    const raw = `POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token("admin")}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await rawExchange(api.url, raw, { end: true });
    expect(jsonOf(answer).status).toBe(201);
    expect(jsonOf(answer).body).toMatchObject({ Status: "Success", Created: true, Event: { Name: "Half-closed" } });
    expect(api.logs.join("\n")).toMatch(/POST \/events 201 [\d.]+ms user=admin$/);
  });
});

interface UploadOutcome {
  status?: number;
  code?: string;
  error?: string;
}

/** POSTs `size` bytes with Node's client: declared (Content-Length) or chunked, optionally waiting for 100 Continue. */
function upload(url: string, token: string, size: number, options: { expectContinue?: boolean; chunked?: boolean }): Promise<UploadOutcome> {
  const body = Buffer.alloc(size, "a");
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
    if (!options.chunked) headers["Content-Length"] = size;
    if (options.expectContinue) headers.Expect = "100-continue";
    const request = httpRequest(`${url}/events`, { method: "POST", headers, agent: false });
    let settled = false;
    const settle = (outcome: UploadOutcome) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    request.on("response", (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => settle({ status: response.statusCode, code: (JSON.parse(text) as { Error: { Code: string } }).Error.Code }));
      response.on("error", (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    });
    request.on("error", (error: NodeJS.ErrnoException) => settle({ error: error.code ?? error.message }));
    const send = () => {
      if (!options.chunked) return void request.end(body);
      let offset = 0;
      const next = () => {
        while (offset < body.length) {
          if (!request.write(body.subarray(offset, (offset += 64 * 1024)))) return void request.once("drain", next);
        }
        request.end();
      };
      next();
    };
    if (options.expectContinue) request.on("continue", send);
    else send();
  });
}

describe("HTTP versions other than 1.0 and 1.1", () => {
  // Kestrel answers any request line whose version is not HTTP/1.0 or HTTP/1.1 with 505
  // (RequestRejectionReason.UnrecognizedHTTPVersion) and closes; Node's parser takes HTTP/2.0 and
  // HTTP/0.9, and tix answered them as HTTP/1.1 requests.
  it("are 505 with the JSON error body, and the connection closes (what follows is not answered)", async () => {
    api = await startServer("memory");
    const auth = `Authorization: Bearer ${api.token("admin")}\r\n`;
    for (const version of ["2.0", "0.9", "1.2", "3.0", "9.9"]) {
      // A second request on the same connection: the server closes after the 505 instead.
      const answer = await rawExchange(api.url, `GET /events HTTP/${version}\r\nHost: x\r\n\r\nGET /events HTTP/1.1\r\nHost: x\r\n\r\n`);
      expect(answer, version).toMatch(/^HTTP\/1\.1 505 HTTP Version Not Supported\r\n/);
      expect(answer.match(/HTTP\/1\.1 \d{3} /g), version).toHaveLength(1);
      expect(answer, version).toMatch(/\r\nConnection: close\r\n/);
      expect(answer, version).toMatch(/\r\nContent-Type: application\/json; charset=utf-8\r\n/);
      const message = `HTTP/${version} is not supported; send the request as HTTP/1.1 (or HTTP/1.0)`;
      expect(jsonOf(answer).body, version).toEqual({ Status: "Error", Message: message, Error: { Code: "HTTP_VERSION_NOT_SUPPORTED", Message: message } });
    }
    // Nothing it asked for is done: an HTTP/2.0 POST creates no event, even with an Expect.
    const body = '{"Name":"Two","Capacity":5}';
    const post = (version: string, expect = "") =>
      rawExchange(api!.url, `POST /events HTTP/${version}\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n${expect}\r\n${body}`);
    expect(jsonOf(await post("2.0")).status).toBe(505);
    expect(jsonOf(await post("2.0", "Expect: something-else\r\n")).status).toBe(505);
    expect(jsonOf(await post("2.0", "Expect: 100-continue\r\n")).status).toBe(505);
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    expect(jsonOf(await rawExchange(api.url, "CONNECT example.com:443 HTTP/2.0\r\nHost: example.com:443\r\n\r\n")).status).toBe(505);
    expect(api.logs.join("\n")).toMatch(/ GET \/events 505 [\d.]+ms user=-/);
    expect(api.logs.join("\n")).toMatch(/ - - 505 - user=- refused by the HTTP parser: HPE_INVALID_VERSION/);

    // A malformed version is a malformed request line: 400, as Kestrel answers it.
    for (const version of ["HTTP/1.10", "HTTP/2", "HTTP/1.1x"]) {
      expect(jsonOf(await rawExchange(api.url, `GET /events ${version}\r\nHost: x\r\n\r\n`)).status, version).toBe(400);
    }
    // 1.0 and 1.1 are served as before.
    expect(jsonOf(await rawExchange(api.url, "GET /events HTTP/1.0\r\n\r\n")).status).toBe(200);
    expect(jsonOf(await rawExchange(api.url, "GET /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).status).toBe(200);
  });

  it("an HTTP/2 client without TLS (prior knowledge) is told in HTTP/2 that the server speaks HTTP/1.1, as Kestrel tells it", async () => {
    api = await startServer("memory");
    const { hostname, port } = new URL(api.url);
    const received = await new Promise<Buffer>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      const chunks: Buffer[] = [];
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("error", reject);
      socket.on("close", () => resolve(Buffer.concat(chunks)));
      socket.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
    });
    // A GOAWAY frame (RFC 9113 §6.8): length 8, type 7, stream 0, last stream 0, HTTP_1_1_REQUIRED (0xd).
    expect([...received]).toEqual([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0d]);
    expect(api.logs.join("\n")).toMatch(/PRI \* - - user=- an HTTP\/2 connection without TLS: answered GOAWAY HTTP_1_1_REQUIRED/);
  });
});

describe("CONNECT", () => {
  it("(a client taking tix for a proxy) is 405 with the JSON error body and Allow; Node closed the connection without an answer", async () => {
    api = await startServer("memory");
    const answer = await rawExchange(api.url, "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer).toMatch(/\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE\r\n/);
    expect(jsonOf(answer).body).toMatchObject({ Status: "Error", Message: expect.stringMatching(/^tix is not a proxy/), Error: { Code: "METHOD_NOT_ALLOWED" } });
  });
});

describe("a method Node's HTTP parser does not know", () => {
  // Node's parser knows a fixed list of methods (TRACE, PROPFIND, … reach the routes: 405 or 404)
  // and refused any other token (FOO, BREW, lower-case get) as 400 "not valid HTTP/1.1", where a
  // method is any token (RFC 9110 §9.1) and Kestrel's routing answers 405 with Allow.
  it("is 405 with Allow and the JSON error body on a path a route has, 404 on another, as TRACE is; the request line may arrive in pieces", async () => {
    api = await startServer("memory");
    const answers: Array<[number, string | undefined, unknown]> = [];
    const requests = [
      "FOO /events HTTP/1.1\r\nHost: x\r\n\r\n",
      "get /Events/evt_jazz?limit=1 HTTP/1.1\r\nHost: x\r\n\r\n",
      `BREW /tickets/evt_jazz/reserve HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
      "TRACE /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "FOO /nowhere HTTP/1.1\r\nHost: x\r\n\r\n",
      "FOO http://127.0.0.1/events HTTP/1.0\r\n\r\n",
      "FOO * HTTP/1.1\r\nHost: x\r\n\r\n",
    ];
    for (const request of requests) {
      const answer = await rawExchange(api.url, request);
      answers.push([jsonOf(answer).status, /\r\nAllow: ([^\r]*)\r\n/.exec(answer)?.[1], jsonOf(answer).body]);
    }
    const error = (code: string, message: string) => ({ Status: "Error", Message: message, Error: { Code: code, Message: message } });
    expect(answers).toEqual([
      [405, "GET, HEAD, POST", error("METHOD_NOT_ALLOWED", "/events answers GET, HEAD, POST, not FOO")],
      [405, "GET, HEAD, PUT, PATCH", error("METHOD_NOT_ALLOWED", "/Events/evt_jazz answers GET, HEAD, PUT, PATCH, not get")],
      [405, "POST", error("METHOD_NOT_ALLOWED", "/tickets/evt_jazz/reserve answers POST, not BREW")],
      [405, "GET, HEAD, POST", error("METHOD_NOT_ALLOWED", "/events answers GET, HEAD, POST, not TRACE")],
      [404, undefined, error("ROUTE_NOT_FOUND", "no route FOO /nowhere; see docs/http.md")],
      [405, "GET, HEAD, POST", error("METHOD_NOT_ALLOWED", "/events answers GET, HEAD, POST, not FOO")],
      [400, undefined, error("INVALID_ARGUMENT", "request target: * is only for OPTIONS (the server as a whole), not FOO; name a path such as /events")],
    ]);
    expect(api.logs.join("\n")).toMatch(/ FOO \/events 405 - user=- a method Node's HTTP parser does not know$/m);

    // The request line in three pieces, as a slow client sends it.
    const { hostname, port } = new URL(api.url);
    const pieced = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let received = "";
      socket.on("data", (chunk) => (received += chunk.toString()));
      socket.on("error", reject);
      socket.on("close", () => resolve(received));
      const pieces = ["FO", "O /tickets/tkt_", "x HTTP/1.1\r\nHost: x\r\n\r\n"];
      const next = () => {
        socket.write(pieces.shift()!);
        if (pieces.length > 0) setTimeout(next, 50);
      };
      next();
    });
    expect([jsonOf(pieced).status, /\r\nAllow: ([^\r]*)\r\n/.exec(pieced)?.[1]]).toEqual([405, "DELETE, GET, HEAD"]);
    // Not a request line at all: still the parser's 400.
    expect(jsonOf(await rawExchange(api.url, "FOO BAR\r\n\r\n")).status).toBe(400);
  });
});

describe("the Expect header", () => {
  it("with an expectation other than 100-continue is 417 with the JSON error body (Node's own answer had none)", async () => {
    api = await startServer("memory");
    const answer = await rawExchange(api.url, `POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token("admin")}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nExpect: something-else\r\n\r\n{}`);
    expect(answer).toMatch(/^HTTP\/1\.1 417 /);
    expect(jsonOf(answer).body).toMatchObject({ Status: "Error", Message: 'Expect: "something-else" cannot be met; only 100-continue is understood', Error: { Code: "EXPECTATION_FAILED" } });
    expect(api.logs.join("\n")).toMatch(/POST \/events 417 /);
  });
});

describe("bytes after the last request of a connection", () => {
  // RFC 9112 §9.6: after a request with Connection: close the server processes no further
  // requests. It answered 400 "not valid HTTP/1.1" in place of the request's own answer, though
  // the request was carried out: the event below was created while the client was told 400.
  it("are dropped: the request before them gets its own answer", async () => {
    api = await startServer("memory");
    const auth = `Authorization: Bearer ${api.token("admin")}\r\n`;
    const body = '{"Name":"Closing","Capacity":5}';
    const answer = jsonOf(await rawExchange(api.url, `POST /events HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}GARBAGE`));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ Status: "Success", Event: { Name: "Closing" } });
    expect((await api.call("GET", "/events")).body.Events).toHaveLength(1);
    // An HTTP/1.0 request (no keep-alive) is its connection's last too.
    const old = await rawExchange(api.url, "GET /events HTTP/1.0\r\n\r\nGET /nowhere HTTP/1.0\r\n\r\n");
    expect(old).toMatch(/^HTTP\/1\.1 200 /);
    expect(old.match(/HTTP\/1\.1 /g)).toHaveLength(1);
  });
});

describe("oversized bodies", () => {
  // Before the lingering close, about 1 upload of 10 MB in 5 got a reset (EPIPE/ECONNRESET) instead.
  it.each([
    ["declared", {}],
    ["with Expect: 100-continue", { expectContinue: true }],
    ["chunked", { chunked: true }],
  ] as const)("every 10 MB upload gets its 413 and a clean close (%s)", async (_name, options) => {
    api = await startServer("memory");
    const outcomes: UploadOutcome[] = [];
    for (let attempt = 0; attempt < 15; attempt++) outcomes.push(await upload(api.url, api.token("admin"), 10 * 1024 * 1024, options));
    expect(outcomes).toEqual(Array(15).fill({ status: 413, code: "PAYLOAD_TOO_LARGE" }));
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
  });

  // Refused before its body is read (a bad token), from a client that asked to close the
  // connection (agent: false sends Connection: close): about 1 in 3 got EPIPE instead of the 401.
  // A real `tix serve` process: in-process, client and server share one event loop and it passed.
  it("every 10 MB upload refused before its body is read gets its answer when the client asked to close", async () => {
    const home = tempDir("tix-transport-");
    const server = serveProcess(home.path, ["--store", "memory"]);
    try {
      const url = await server.listening;
      const outcomes: UploadOutcome[] = [];
      for (let attempt = 0; attempt < 15; attempt++) outcomes.push(await upload(url, "not-a-token", 10 * 1024 * 1024, {}));
      expect(outcomes).toEqual(Array(15).fill({ status: 401, code: "UNAUTHENTICATED" }));
    } finally {
      await server.stop();
      home.remove();
    }
  });

  it("a body within the limit sent after 100 Continue is read as usual", async () => {
    api = await startServer("memory");
    const body = Buffer.from(JSON.stringify({ Name: "Small", Capacity: 5 }));
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const request = httpRequest(`${api!.url}/events`, {
        method: "POST",
        headers: { Authorization: `Bearer ${api!.token("admin")}`, "Content-Type": "application/json", "Content-Length": body.length, Expect: "100-continue" },
      });
      request.on("continue", () => request.end(body));
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode);
      });
      request.on("error", reject);
    });
    expect(status).toBe(201);
  });
});

describe("a client that goes away", () => {
  it("mid-body is logged as an aborted request, not an internal error", async () => {
    api = await startServer("memory");
    const { hostname, port } = new URL(api.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    socket.write(`POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api.token("admin")}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"Name":`);
    await expect.poll(() => api!.logs.length === 0).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await expect.poll(() => api!.logs.join("\n")).toMatch(/POST \/events - [\d.]+ms user=admin aborted: the client closed the connection first$/);
    expect(api.logs.join("\n")).not.toMatch(/internal error/);
  });
});

describe("a kept-alive connection", () => {
  /** A raw connection: `send` writes, `answer()` waits for the next whole answer, `closedAt` is when the server closed it. */
  function keptAlive(url: string) {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    let received = "";
    let waiting: (() => void) | undefined;
    let closedAt: number | undefined;
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      waiting?.();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      closedAt = Date.now();
      waiting?.();
    });
    return {
      socket,
      closedAt: () => closedAt,
      ask: async (path: string): Promise<string> => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
        while (!/\r\n\r\n/.test(received) || received.length < received.indexOf("\r\n\r\n") + 4 + Number(/\r\nContent-Length: (\d+)/i.exec(received)?.[1] ?? 0)) {
          if (closedAt !== undefined) throw new Error(`closed before the answer: ${received}`);
          await new Promise<void>((resolve) => (waiting = resolve));
        }
        const answer = received;
        received = "";
        return answer;
      },
    };
  }

  it("stays open between requests for Kestrel's 130 s keep-alive time, and says so (Node's default was 5 s)", async () => {
    api = await startServer("memory");
    const client = keptAlive(api.url);
    const answer = await client.ask("/events");
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toMatch(/\r\nConnection: keep-alive\r\nKeep-Alive: timeout=130\r\n/);
    client.socket.destroy();
  });

  it("is closed once idle for its keep-alive time (it stayed open for ever); the headers' and request's times do not count idle time", async () => {
    // Headers due within 200 ms of a request's first byte, the whole request within 400 ms, and a
    // connection idle for 1.5 s (Node adds 1 s to what it announces) closed.
    api = await startServer("memory", { timeouts: { headersMs: 200, requestMs: 400, keepAliveMs: 1_500 } });
    const client = keptAlive(api.url);
    expect(await client.ask("/events")).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\nKeep-Alive: timeout=1\r\n/);
    // Idle for longer than the headers' and the request's times: still open, and answered.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(client.closedAt()).toBeUndefined();
    expect(await client.ask("/events")).toMatch(/^HTTP\/1\.1 200 /);
    const answeredAt = Date.now();
    // Then idle past its keep-alive time: closed by the server, without an answer (as Kestrel closes it).
    await expect.poll(() => client.closedAt(), { timeout: 8_000, interval: 50 }).toBeDefined();
    const idleMs = client.closedAt()! - answeredAt;
    expect(idleMs).toBeGreaterThanOrEqual(1_400);
    expect(idleMs).toBeLessThan(4_500);
  });
});

describe("a client that stops reading its answers", () => {
  // Nothing timed out once the request had arrived: the connection, and the answers it could not
  // send, were held for ever (a probe against tix serve was still open after 40 s).
  it("has its connection closed once the answers waiting for it make no progress", async () => {
    api = await startServer("memory", { timeouts: { unreadMs: 300 } });
    await api.tix.events.createMany({ events: Array.from({ length: 50 }, (_, index) => ({ id: `evt_${index}`, name: `Show ${index} ${"x".repeat(100)}`, capacity: 1 })) });
    const { hostname, port } = new URL(api.url);
    const socket = connect(Number(port), hostname);
    socket.pause(); // reads nothing: the answers fill the socket buffers, then wait
    socket.on("error", () => undefined);
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    socket.write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2_000));
    // The answer being written when the server gave up is logged as not sent in full.
    await expect.poll(() => api!.logs.some((line) => /^\S+ GET \/events 200 .* aborted: the client stopped reading its answers; the server closed the connection$/.test(line)), { timeout: 10_000 }).toBe(true);
    socket.resume(); // a paused socket does not see the close until it reads
    await closed;
  });
});

describe("request targets", () => {
  it("takes the absolute form (GET http://host/path, as through a proxy) as its path and query, RFC 9112 §3.2.2", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const auth = `Authorization: Bearer ${api.token("admin")}\r\n`;
    const created = jsonOf(await rawExchange(api.url, `POST HTTP://${host}/events HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{"Name":"Proxy","Capacity":50}`));
    expect(created.status).toBe(201);
    const listed = jsonOf(await rawExchange(api.url, `GET http://${host}/events?limit=5 HTTP/1.1\r\nHost: ${host}\r\n${auth}Connection: close\r\n\r\n`));
    expect(listed.status).toBe(200);
    expect((listed.body.Events as Array<{ Name: string }>).map((event) => event.Name)).toEqual(["Proxy"]);
    // A host with nothing after it is the root.
    expect(jsonOf(await rawExchange(api.url, `GET http://${host} HTTP/1.1\r\nHost: ${host}\r\n${auth}Connection: close\r\n\r\n`)).status).toBe(404);
  });
});

describe("escapes in the path", () => {
  // Kestrel decodes a path's escapes before routing but keeps %2F as it is (an escaped slash is
  // never a separator), keeps an escape that is not UTF-8 as written, and refuses %00 (400).
  it("are decoded segment by segment after the path is split on its own slashes; a malformed one is kept as written", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const auth = `Authorization: Bearer ${api.token("admin")}\r\n`;
    const get = async (path: string) => jsonOf(await rawExchange(api!.url, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Connection: close\r\n\r\n`));
    expect((await api.call("POST", "/events", { as: "admin", body: { Id: "evt_a", Name: "A", Capacity: 5 } })).status).toBe(201);
    const eventAt = async (path: string) => {
      const answer = await get(path);
      return answer.status === 200 ? (answer.body.Event as { Id: string }).Id : `${answer.status} ${(answer.body.Error as { Code: string }).Code} ${String(answer.body.Message)}`;
    };

    // An escaped slash belongs to its segment: it neither splits an id nor reaches another route
    // (ids have no slash: such an id is one that does not exist).
    expect(await eventAt("/events/a%2Fb")).toBe("404 EVENT_NOT_FOUND no event with id a/b");
    expect(await eventAt("/events/a%2fb")).toBe("404 EVENT_NOT_FOUND no event with id a/b");
    expect(await eventAt("/events/a/b")).toBe("404 ROUTE_NOT_FOUND no route GET /events/a/b; see docs/http.md");
    expect(await eventAt("/events/evt_a%2Favailability")).toBe("404 EVENT_NOT_FOUND no event with id evt_a/availability");
    expect((await get("/events/evt_a/availability")).body.EventId).toBe("evt_a");
    expect(await eventAt("/events%2Fevt_a")).toBe("404 ROUTE_NOT_FOUND no route GET /events%2Fevt_a; see docs/http.md");
    // Other escapes are decoded, in literal segments too (which match in any case).
    expect(await eventAt("/Ev%65nts/evt%5Fa")).toBe("evt_a");
    expect(await eventAt("/events/100%25")).toBe("404 EVENT_NOT_FOUND no event with id 100%");

    // An escape that is not one is kept as written (it was 400 "not a valid URL path"), as Kestrel keeps it.
    expect(await eventAt("/events/100%")).toBe("404 EVENT_NOT_FOUND no event with id 100%");
    expect(await eventAt("/events/%zz")).toBe("404 EVENT_NOT_FOUND no event with id %zz");
    expect(await eventAt("/events/evt_a%zz/availability")).toBe("404 EVENT_NOT_FOUND no event with id evt_a%zz");
    expect(await eventAt("/events%zz")).toBe("404 ROUTE_NOT_FOUND no route GET /events%zz; see docs/http.md");
    expect(await eventAt("/events/%")).toBe("404 EVENT_NOT_FOUND no event with id %");
    expect(await eventAt("/events/x%4")).toBe("404 EVENT_NOT_FOUND no event with id x%4");
    // Bytes that are not UTF-8 stay as written; the UTF-8 around them is decoded.
    expect(await eventAt("/events/%FF%41")).toBe("404 EVENT_NOT_FOUND no event with id %FFA");
    expect(await eventAt("/events/%C0%AF")).toBe("404 EVENT_NOT_FOUND no event with id %C0%AF");
    expect(await eventAt("/events/%E2%28%A1%zz")).toBe("404 EVENT_NOT_FOUND no event with id %E2(%A1%zz");
    expect(await eventAt("/events/caf%C3%A9%zz")).toBe("404 EVENT_NOT_FOUND no event with id café%zz");
    // An empty segment is one no route has, as in ASP.NET's routing: 404, never another route (the
    // slashes were dropped: the event "availability", the list, evt_a's availability). One trailing slash is none.
    for (const path of ["/events//availability", "//events", "/events/evt_a//availability", "/events//", "/tickets//availability"]) {
      expect(await eventAt(path)).toBe(`404 ROUTE_NOT_FOUND no route GET ${path}: it has an empty segment (//); see docs/http.md`);
    }
    const reserved = jsonOf(await rawExchange(api.url, `POST /tickets//reserve HTTP/1.1\r\nHost: ${host}\r\n${auth}Idempotency-Key: k1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
    expect([reserved.status, (reserved.body.Error as { Code: string }).Code]).toEqual([404, "ROUTE_NOT_FOUND"]);
    expect(await eventAt("/events/evt_a/")).toBe("evt_a");
    expect((await get("/events/")).status).toBe(200);
    // A null character is refused, as Kestrel refuses it.
    for (const path of ["/events/a%00b", "/events/%00%zz", "/events%00"]) {
      const refused = await get(path);
      expect(refused.status, path).toBe(400);
      expect(refused.body.Message, path).toBe(`path: "${path}" is not a valid URL path: it has an escaped null character (%00)`);
    }
  });
});

describe("the Host header", () => {
  it("given twice is 400 naming it (RFC 9112 §3.2), as one missing is", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const twice = jsonOf(await rawExchange(api.url, `GET /events HTTP/1.1\r\nHost: ${host}\r\nHost: elsewhere.example\r\nAuthorization: Bearer ${api.token("admin")}\r\nConnection: close\r\n\r\n`));
    expect(twice.status).toBe(400);
    expect(twice.body.Message).toBe("Host: given more than once; send it once");
    expect(jsonOf(await rawExchange(api.url, `GET /events HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${api.token("admin")}\r\nConnection: close\r\n\r\n`)).status).toBe(200);
  });
});

describe("the Authorization header", () => {
  it("given twice is 400 naming it: Node kept the first and dropped the other in silence", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const tickets = (authorization: string) => rawExchange(api!.url, `GET /tickets HTTP/1.1\r\nHost: ${host}\r\n${authorization}Connection: close\r\n\r\n`);
    const twice = jsonOf(await tickets(`Authorization: Bearer ${api.token("alice")}\r\nAuthorization: Bearer ${api.token("mallory")}\r\n`));
    expect(twice.status).toBe(400);
    expect(twice.body.Message).toBe("Authorization: given more than once; send it once");
    expect(jsonOf(await tickets(`Authorization: Bearer ${api.token("alice")}\r\n`)).status).toBe(200);
  });
});

describe("the Content-Type header", () => {
  it("given twice on a body is 400 naming it: Node kept the first and dropped the other in silence", async () => {
    api = await startServer("memory");
    const body = '{"Name":"Typed","Capacity":5}';
    const post = (types: string) => rawExchange(api!.url, `POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${api!.token("admin")}\r\n${types}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`);
    const twice = jsonOf(await post("Content-Type: application/json\r\nContent-Type: text/plain\r\n"));
    expect(twice.status).toBe(400);
    expect(twice.body.Message).toBe("Content-Type: given more than once; send it once");
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    expect(jsonOf(await post("Content-Type: application/json\r\n")).status).toBe(201);
  });
});

describe("OPTIONS *", () => {
  it("(what the server as a whole supports, RFC 9110 §9.3.7) is 204 with Allow, as a kept-alive connection goes on; it was 404 \"no route OPTIONS *\"", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const answers = await rawExchange(api.url, `OPTIONS * HTTP/1.1\r\nHost: ${host}\r\n\r\nGET /events HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    const [options = "", events = ""] = answers.split(/(?=HTTP\/1\.1 )/);
    expect(options).toMatch(/^HTTP\/1\.1 204 No Content\r\n/);
    expect(options).toMatch(/\r\nAllow: GET, HEAD, POST, PUT, PATCH, DELETE\r\n/);
    expect(options).not.toMatch(/Content-Length|Content-Type/i);
    expect(options.endsWith("\r\n\r\n")).toBe(true);
    expect(jsonOf(events)).toMatchObject({ status: 200, body: { Status: "Success", Events: [] } });
    expect(api.logs.join("\n")).toMatch(/OPTIONS \* 204 /);
    // The request line is checked as any request's: no Host is 400; another method with * is 400 saying what * is for.
    const noHost = jsonOf(await rawExchange(api.url, "OPTIONS * HTTP/1.1\r\nConnection: close\r\n\r\n"));
    expect([noHost.status, noHost.body.Message]).toEqual([400, "Host: an HTTP/1.1 request needs this header"]);
    const get = jsonOf(await rawExchange(api.url, `GET * HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    expect([get.status, get.body.Message]).toEqual([400, "request target: * is only for OPTIONS (the server as a whole), not GET; name a path such as /events"]);
  });
});

describe("the Idempotency-Key header", () => {
  it("given twice is 400 naming it: Node joined the two into one key (\"a, b\") and reserved with it", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const auth = `Authorization: Bearer ${api.token("admin")}\r\n`;
    const created = jsonOf(await rawExchange(api.url, `POST /events HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{"Name":"Twice","Capacity":50}`));
    const eventId = (created.body.Event as { Id: string }).Id;
    const reserve = (keys: string) => rawExchange(api!.url, `POST /tickets/${eventId}/reserve HTTP/1.1\r\nHost: ${host}\r\n${auth}${keys}Connection: close\r\n\r\n`);
    const twice = jsonOf(await reserve("Idempotency-Key: a\r\nIdempotency-Key: b\r\n"));
    expect(twice.status).toBe(400);
    expect(twice.body.Message).toBe("Idempotency-Key: given more than once; send it once");
    const availability = jsonOf(await rawExchange(api.url, `GET /events/${eventId}/availability HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    expect(availability.body.Available).toBe(50);
    const once = jsonOf(await reserve("Idempotency-Key: a\r\n"));
    expect(once.status).toBe(200);
    expect(once.body.Key).toBe("a");
  });
  it("outside printable ASCII (\"é\" in UTF-8, a Latin-1 byte) is 400 saying so, and reserves nothing: it reserved with the key \"Ã©\", which the client never sent", async () => {
    api = await startServer("memory");
    const { host } = new URL(api.url);
    const auth = `Authorization: Bearer ${api.token("admin")}\r\n`;
    const created = jsonOf(await rawExchange(api.url, `POST /events HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{"Name":"Ascii","Capacity":50}`));
    const eventId = (created.body.Event as { Id: string }).Id;
    const send = (path: string, key: Buffer) => rawExchange(api!.url, Buffer.concat([
      Buffer.from(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\n${auth}Idempotency-Key: `), key, Buffer.from("\r\nConnection: close\r\n\r\n"),
    ]));
    const message = "Idempotency-Key: must be 1 to 255 printable ASCII characters in a header (other bytes are not read as the client's text); send a key such as order-1001";
    for (const key of [Buffer.from("é", "utf8"), Buffer.from([0xe9]), Buffer.from('"caf\u00e9"', "utf8")]) {
      const refused = jsonOf(await send(`/tickets/${eventId}/reserve`, key));
      expect([refused.status, refused.body], key.toString("hex")).toEqual([400, { Status: "Error", Message: message, Error: { Code: "INVALID_ARGUMENT", Message: message } }]);
    }
    // A control character is refused as every unprintable key is (a tab reaches tix; Node's parser refuses the others).
    const tab = jsonOf(await send(`/tickets/${eventId}/reserve`, Buffer.from("a\tb")));
    expect([tab.status, tab.body.Message]).toEqual([400, "Idempotency-Key: must be 1 to 255 printable characters"]);
    const purchase = jsonOf(await send("/tickets/tkt_none/purchase", Buffer.from("é", "utf8")));
    expect([purchase.status, purchase.body.Message]).toEqual([400, message]);
    const availability = jsonOf(await rawExchange(api.url, `GET /events/${eventId}/availability HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    expect(availability.body.Available).toBe(50);
    const ascii = jsonOf(await send(`/tickets/${eventId}/reserve`, Buffer.from("order 1001~")));
    expect([ascii.status, ascii.body.Key]).toEqual([200, "order 1001~"]);
  });
});
