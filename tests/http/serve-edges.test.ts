import { rmSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { startServer, type Answer, type Harness } from "../helpers/server-harness.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/** `tix serve` at its edges: the store's file going away under it, numbers sent as strings, SIGTERM under load. */
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Calls `ask` until `done` holds for its answer (a few seconds at most). */
async function answerWhen(ask: () => Promise<Answer>, done: (answer: Answer) => boolean): Promise<Answer> {
  const until = Date.now() + 5_000;
  for (;;) {
    const answer = await ask();
    if (done(answer) || Date.now() > until) return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the SQLite file deleted or replaced under a running server", () => {
  it("reads answer 503 naming what happened instead of serving the deleted file; so do writes", async () => {
    const server = (harness = await startServer("sqlite"));
    const dbPath = join(server.dir, "tix.db");
    const created = await server.call("POST", "/events", { as: "admin", body: { Id: "evt_gone", Name: "Gone", Capacity: 10 } });
    expect(created.status).toBe(201);
    expect((await server.call("GET", "/events/evt_gone")).status).toBe(200);

    rmSync(dbPath);
    // The file is checked at most every 100 ms on reads: within a moment the read is refused.
    const read = await answerWhen(() => server.call("GET", "/events/evt_gone"), (answer) => answer.status !== 200);
    expect(read.status).toBe(503);
    expect(read.body.Error.Code).toBe("STORE_UNAVAILABLE");
    expect(read.body.Message).toMatch(/tix\.db was deleted while tix had it open; tix no longer reads the file it had open/);
    expect((await server.call("GET", "/events")).status).toBe(503);
    const reserve = await server.call("POST", "/tickets/evt_gone/reserve", { as: "alice", key: "k1" });
    expect(reserve.status).toBe(503);
    expect(reserve.body.Message).toMatch(/was deleted while tix had it open/);
  });

  it("a new store made at the path by another tix is not read as if it were the one the server has open", async () => {
    const server = (harness = await startServer("sqlite"));
    const dbPath = join(server.dir, "tix.db");
    expect((await server.call("POST", "/events", { as: "admin", body: { Id: "evt_old", Name: "Old", Capacity: 10 } })).status).toBe(201);
    // Started afresh, as a user resetting the store would: the file and its -wal and -shm.
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbPath}${suffix}`, { force: true });
    const home = tempDir("tix-edges-home-");
    try {
      const made = runTix(["--store", `sqlite:${dbPath}`, "event", "create", "--id", "evt_new", "--name", "New", "--capacity", "5"], home.path);
      expect(made.code, made.stderr).toBe(0);
    } finally {
      home.remove();
    }
    const list = await answerWhen(() => server.call("GET", "/events"), (answer) => answer.status !== 200);
    expect(list.status).toBe(503);
    expect(list.body.Message).toMatch(/was replaced while tix had it open/);
    // The new file holds only what the other tix wrote.
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.prepare("SELECT id FROM events").all()).toEqual([{ id: "evt_new" }]);
    } finally {
      db.close();
    }
  });
});

describe("numbers written as strings in event bodies", () => {
  // The seed is ASP.NET: its web defaults read a number written as a string
  // (JsonNumberHandling.AllowReadingFromString), so a seed client may send "Capacity": "500".
  it("are read as the numbers they spell, HoldSeconds included; anything else is refused naming the field as sent", async () => {
    const server = (harness = await startServer("memory"));
    const made = await server.call("POST", "/events", { as: "admin", body: { Name: "Strings", Capacity: "500", HoldSeconds: "90", Price: "12.50" } });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.Event).toMatchObject({ Capacity: 500, HoldSeconds: 90, Price: "12.50" });
    const patched = await server.call("PATCH", `/events/${made.body.Event.Id}`, { as: "admin", body: { HoldSeconds: 120 } });
    expect(patched.body.Event.HoldSeconds).toBe(120);

    for (const [body, field] of [
      [{ Name: "Bad", Capacity: 5, HoldSeconds: "10m" }, "HoldSeconds"],
      [{ Name: "Bad", Capacity: 5, HoldSeconds: "1.5" }, "HoldSeconds"],
      [{ Name: "Bad", Capacity: 5, HoldSeconds: 0 }, "HoldSeconds"],
      [{ Name: "Bad", Capacity: "five" }, "Capacity"],
      [{ Name: "Bad", Capacity: 5, Price: "12,50" }, "Price"],
    ] as const) {
      const refused = await server.call("POST", "/events", { as: "admin", body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.Message, JSON.stringify(body)).toMatch(new RegExp(`^${field}: `));
    }
    expect((await server.call("GET", "/events")).body.Events).toHaveLength(1);
  });

  it("a refusal shows what the body sent: a JSON number as a number (got -5), a string in quotes (got \"-5\")", async () => {
    const server = (harness = await startServer("memory"));
    const id = (await server.call("POST", "/events", { as: "admin", body: { Name: "Numbers", Capacity: 5 } })).body.Event.Id;
    const refusals: string[] = [];
    for (const [method, path, body, headers] of [
      ["POST", "/events", { Name: "Bad", Capacity: -5 }],
      ["POST", "/events", { Name: "Bad", Capacity: "-5" }],
      ["POST", "/events", { Name: "Bad", Capacity: 5, HoldSeconds: -3 }],
      ["POST", "/events", { Name: "Bad", Capacity: 5, Hold: -3 }],
      ["POST", "/events", { Name: "Bad", Capacity: 5, TicketTypes: [{ Name: "VIP", Capacity: 0, Price: 1 }] }],
      ["PATCH", `/events/${id}`, { LimitPerUser: 0 }],
      ["POST", `/tickets/${id}/reserve`, { Quantity: 60 }, { "Idempotency-Key": "k1" }],
      ["POST", `/events/${id}/vouchers`, { Code: "OFF", Percent: 150 }],
      ["POST", `/events/${id}/vouchers`, { Code: "OFF", Percent: 5, MaxUses: 0 }],
      ["PATCH", `/events/${id}`, { Price: -1 }],
      ["PATCH", `/events/${id}`, { Price: "-1" }],
      ["PATCH", `/events/${id}`, { Price: 1.234 }],
      ["POST", "/events", { Name: "Bad", TicketTypes: [{ Name: "VIP", Capacity: 1, Price: -2 }] }],
      ["POST", `/events/${id}/vouchers`, { Code: "OFF", Amount: -1 }],
      ["POST", `/events/${id}/vouchers`, { Code: "OFF", Amount: 1.005 }],
    ] as const) {
      const refused = await server.call(method, path, { as: "admin", body, headers });
      expect(refused.status, JSON.stringify(body)).toBe(400);
      refusals.push(refused.body.Message);
    }
    expect(refusals).toEqual([
      "Capacity: must be a whole number from 1 to 10000000, got -5",
      'Capacity: must be a whole number from 1 to 10000000, got "-5"',
      "HoldSeconds: must be whole seconds from 1 to 604800, got -3",
      'Hold: must be whole seconds from 1 to 604800, or a duration such as "10m", got -3',
      'tier "VIP": its capacity must be a whole number from 1 to 10000000, got 0',
      'LimitPerUser: must be a whole number from 1 to 1000, or "none", got 0',
      "Quantity: must be a whole number from 1 to 50, got 60",
      "Percent: must be a whole number from 1 to 100, got 150",
      "MaxUses: must be a whole number from 1 to 1000000, got 0",
      "Price: -1 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
      'Price: "-1" is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00',
      "Price: 1.234 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
      'tier "VIP": its price -2 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00',
      "Amount: -1 is not an amount such as 5.00",
      "Amount: 1.005 is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00",
    ]);
  });

  it("a refusal of an event's Capacity or Price is worded without the command line's NAME:CAPACITY:PRICE", async () => {
    const server = (harness = await startServer("memory"));
    const made = await server.call("POST", "/events", { as: "admin", body: { Id: "evt_two", Name: "Two", TicketTypes: [{ Name: "VIP", Capacity: 2, Price: 50 }, { Name: "GA", Capacity: 5, Price: 20 }] } });
    expect(made.status).toBe(201);
    const messages = [];
    for (const [method, path, body] of [["POST", "/events", { Name: "No size" }], ["PATCH", "/events/evt_two", { Capacity: 9 }], ["PATCH", "/events/evt_two", { Price: 9 }]] as const) {
      messages.push((await server.call(method, path, { as: "admin", body })).body.Message);
    }
    expect(messages).toEqual([
      "Capacity: is required, unless tiers or seats are given",
      "Capacity: event evt_two has several tiers; change a tier's capacity instead",
      "Price: event evt_two has several tiers; change a tier's price instead",
    ]);
  });
});

describe("SIGTERM while clients keep sending", () => {
  it("answers what it took in, stores every ticket it acknowledged, and exits 0", async () => {
    const home = tempDir("tix-edges-term-");
    try {
      const store = `sqlite:${join(home.path, "tix.db")}`;
      expect(runTix(["--store", store, "event", "create", "--id", "evt_term", "--name", "Term", "--capacity", "100000"], home.path).code).toBe(0);
      const CLIENTS = 16;
      const tokens = Array.from({ length: CLIENTS }, (_, client) => runTix(["token", "create", "--user", `u${client}`], home.path).stdout.trim());
      const serve = serveProcess(home.path, ["--store", store]);
      const url = await serve.listening;
      const acknowledged: string[] = [];
      let stopping = false;
      const client = async (index: number) => {
        const headers = { Authorization: `Bearer ${tokens[index]}` };
        for (let attempt = 0; !stopping; attempt++) {
          try {
            const reserved = await fetch(`${url}/tickets/evt_term/reserve`, { method: "POST", headers: { ...headers, "Idempotency-Key": `k${index}-${attempt}` } });
            const body = (await reserved.json()) as { Ticket?: { Id: string } };
            if (reserved.status !== 200) continue;
            acknowledged.push(body.Ticket!.Id);
            // One hold per user and event: release it before the next.
            await (await fetch(`${url}/tickets/${body.Ticket!.Id}`, { method: "DELETE", headers })).text();
          } catch {
            // The server closed the connection, or no longer accepts: what was not answered is not counted.
            if (stopping) return;
          }
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
      // Stopped mid-stream, once requests are flowing.
      while (acknowledged.length < 50) await new Promise((resolve) => setTimeout(resolve, 10));
      const code = await serve.stop("SIGTERM");
      stopping = true;
      await Promise.all(clients);
      expect(code).toBe(0);
      expect(serve.stderr()).toMatch(/SIGTERM: finishing requests in flight[\s\S]*stopped\n$/);
      const db = new Database(join(home.path, "tix.db"), { readonly: true });
      try {
        const stored = new Set((db.prepare("SELECT id FROM tickets").all() as Array<{ id: string }>).map((row) => row.id));
        expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      home.remove();
    }
  });
});

describe("SIGTERM while keep-alive clients send steadily", () => {
  // Each client sends GET /events on its one kept-alive connection, pausing a few milliseconds
  // between answers, while SIGTERM comes. The server used to close every connection idle at that
  // instant; a request already on its way then met a closed socket: ECONNRESET, about 4 requests in
  // 300. Every request sent on an open connection is answered now (with `Connection: close`); only
  // refused connections (ECONNREFUSED: the server no longer listens) are not.
  it("answers every request sent on an open connection, none reset", async () => {
    const home = tempDir("tix-edges-drain-");
    try {
      const serve = serveProcess(home.path, ["--store", "memory"], { serveArgs: ["--anonymous-user", "boxoffice"] });
      const { hostname, port } = new URL(await serve.listening);
      const CLIENTS = 40;
      const resets: string[] = [];
      let answered = 0;
      let closedByServer = 0;
      let stopping = false;
      const ask = (agent: Agent) =>
        new Promise<{ close: boolean } | { error: string }>((resolve) => {
          const request = httpRequest({ host: hostname, port: Number(port), path: "/events", agent }, (response) => {
            response.resume();
            response.on("end", () => resolve({ close: response.headers.connection === "close" }));
          });
          request.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
          request.end();
        });
      const client = async () => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        try {
          for (;;) {
            const result = await ask(agent);
            if ("error" in result) {
              // Refused: the server stopped listening before this connection was opened.
              if (result.error !== "ECONNREFUSED") resets.push(result.error);
              return;
            }
            answered++;
            if (result.close) {
              closedByServer++;
              // Told to close: one more try finds the server gone (refused) or still listening.
              if (stopping) return;
            }
            await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
          }
        } finally {
          agent.destroy();
        }
      };
      const clients = Array.from({ length: CLIENTS }, () => client());
      while (answered < 300) await new Promise((resolve) => setTimeout(resolve, 5));
      stopping = true;
      const code = await serve.stop("SIGTERM");
      await Promise.all(clients);
      expect(code).toBe(0);
      expect(resets).toEqual([]);
      expect(closedByServer).toBeGreaterThan(0);
    } finally {
      home.remove();
    }
  });
});

describe("connections that send nothing", () => {
  // Node's headersTimeout covers a connection that never sends a byte too (its check runs every
  // connectionsCheckingInterval): it is answered 408 and closed, so idle sockets cannot pile up.
  it("are answered 408 and closed after the headers' time, while one that sends its request in time is answered", async () => {
    const server = (harness = await startServer("memory", { timeouts: { headersMs: 400 } }));
    const { hostname, port } = new URL(server.url);
    const open = (send?: string) =>
      new Promise<{ answer: string; openMs: number }>((resolve) => {
        const startedAt = Date.now();
        const socket = connect(Number(port), hostname);
        let answer = "";
        socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
        socket.on("error", () => undefined);
        socket.on("close", () => resolve({ answer, openMs: Date.now() - startedAt }));
        if (send !== undefined) setTimeout(() => socket.write(send), 100);
      });
    const silent = await Promise.all([open(), open(), open()]);
    for (const { answer, openMs } of silent) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 [\s\S]*"Code":"REQUEST_TIMEOUT"/);
      expect(openMs).toBeGreaterThanOrEqual(350);
      expect(openMs).toBeLessThan(5_000);
    }
    // Sent in time, and the connection closed by the client's request: answered in full.
    const spoke = await open(`GET /events HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
    expect(spoke.answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe("a request without Host", () => {
  it("is 400 with the JSON error and an access-log line (HTTP/1.1); HTTP/1.0 needs none", async () => {
    const server = (harness = await startServer("memory"));
    const { hostname, port } = new URL(server.url);
    const raw = (request: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), hostname);
        let answer = "";
        socket.on("data", (chunk: Buffer) => (answer += chunk.toString()));
        socket.on("error", () => undefined);
        socket.on("close", () => resolve(answer));
        socket.end(request);
      });
    const missing = await raw("GET /events HTTP/1.1\r\nConnection: close\r\n\r\n");
    expect(missing).toMatch(/^HTTP\/1\.1 400 /);
    const body = JSON.parse(missing.split("\r\n\r\n")[1]!) as { Message: string; Error: { Code: string } };
    expect(body.Error.Code).toBe("INVALID_ARGUMENT");
    expect(body.Message).toBe("Host: an HTTP/1.1 request needs this header");
    expect(server.logs.some((line) => / GET \/events 400 [\d.]+ms user=-$/.test(line))).toBe(true);
    expect(await raw("GET /events HTTP/1.0\r\n\r\n")).toMatch(/^HTTP\/1\.1 200 /);
  });
});
