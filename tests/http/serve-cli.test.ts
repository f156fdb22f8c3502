import { request } from "node:http";
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { serveProcess } from "../helpers/serve-process.js";

let home: { path: string; remove: () => void };
beforeEach(() => {
  home = tempDir("tix-serve-");
});
afterEach(() => home.remove());

const NOW = { TIX_NOW: "2030-01-01T12:00:00Z" };

/** `bin/tix serve` in the background; resolves once it prints where it listens. */
function serve(args: string[], env: Record<string, string> = {}) {
  return serveProcess(home.path, args, { env: { ...NOW, ...env } });
}

describe("tix token create", () => {
  it("prints a token alone, or the JSON envelope; the secret is made 0600 in a 0700 folder", () => {
    const plain = runTix(["token", "create", "--user", "bob"], home.path, { env: NOW });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const json = runTix(["--json", "token", "create", "--user", "bob", "--ttl", "2h"], home.path, { env: NOW });
    expect(json.code).toBe(0);
    expect(json.json()).toEqual({ status: "success", token: expect.any(String), userId: "bob", expiresAt: "2030-01-01T14:00:00.000Z", admin: false });
    const admin = runTix(["--json", "token", "create", "--user", "boss", "--admin"], home.path, { env: NOW });
    expect(admin.json()).toMatchObject({ userId: "boss", admin: true });

    expect(statSync(join(home.path, "secret")).mode & 0o777).toBe(0o600);
    expect(statSync(home.path).mode & 0o777).toBe(0o700);
  });

  it("refuses a bad --ttl (exit 2, no secret made) and a secret others can read", () => {
    const bad = runTix(["--json", "token", "create", "--ttl", "forever"], home.path);
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe("INVALID_ARGUMENT");
    expect(existsSync(join(home.path, "secret"))).toBe(false);

    expect(runTix(["token", "create"], home.path).code).toBe(0);
    chmodSync(join(home.path, "secret"), 0o644);
    const exposed = runTix(["token", "create"], home.path);
    expect(exposed.code).toBe(2);
    expect(exposed.stderr).toMatch(/readable by others.*chmod 600/);
  });

  it("a secret that cannot be read or made is said in words, exit 2 — not INTERNAL (exit 1, 'a bug in tix'), nor chmod 600 for a folder", () => {
    // TIX_HOME under a file: the folder cannot be made.
    writeFileSync(join(home.path, "plain"), "x");
    const under = join(home.path, "plain", "tix");
    for (const args of [["--json", "token", "create"], ["--json", "--store", "memory", "serve", "--port", "0"]]) {
      const run = runTix(args, under, { timeoutMs: 10_000 });
      expect(run.code, run.stderr).toBe(2);
      expect(run.json().error).toEqual({ code: "INVALID_ARGUMENT", message: `secret: cannot read or create the token secret ${join(under, "secret")}: a part of the path is not a folder` });
    }
    // A folder where the secret should be: chmod 600 would not help.
    mkdirSync(join(home.path, "secret"), { mode: 0o700 });
    const folder = runTix(["token", "create"], home.path);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`error: secret: ${join(home.path, "secret")} is not a file; remove it (tix makes a new secret there)\n`);
  });
});

describe("tix serve, as a process", () => {
  it("serves the store, logs each request on stderr, and exits 0 on SIGTERM", async () => {
    const store = `sqlite:${join(home.path, "tix.db")}`;
    expect(runTix(["--store", store, "seed"], home.path, { env: NOW }).code).toBe(0);
    const server = serve(["--store", store]);
    const url = await server.listening;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Tokens are made by another process, under the same $TIX_HOME secret and TIX_NOW.
    const token = runTix(["token", "create", "--user", "alice"], home.path, { env: NOW }).stdout.trim();
    const reserved = await fetch(`${url}/tickets/evt_jazz_evening/reserve`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": "order-1001" },
    });
    expect(reserved.status).toBe(200);
    expect(await reserved.json()).toMatchObject({ Status: "Success", Ticket: { UserId: "alice", Status: "Reserved", ExpiresAt: "2030-01-01T12:10:00.000Z" } });

    // A token already expired at TIX_NOW.
    const stale = runTix(["token", "create", "--user", "alice", "--ttl", "1m"], home.path, { env: { TIX_NOW: "2030-01-01T11:00:00Z" } }).stdout.trim();
    expect((await fetch(`${url}/tickets`, { headers: { Authorization: `Bearer ${stale}` } })).status).toBe(401);

    // The CLI sees what the server wrote.
    expect(runTix(["--store", store, "--json", "ticket", "list"], home.path).json().tickets).toHaveLength(1);

    expect(await server.stop()).toBe(0);
    const log = server.stderr();
    expect(log).toMatch(/ POST \/tickets\/evt_jazz_evening\/reserve 200 [\d.]+ms user=alice\n/);
    expect(log).toMatch(/ GET \/tickets 401 [\d.]+ms user=-\n/);
    expect(log).toMatch(/SIGTERM: finishing requests in flight/);
    expect(log).toMatch(/listening on http:\S+ \(store sqlite:\S+; bearer tokens required; Ctrl-C stops\)/);
    expect(log).toMatch(/stopped\n$/);
  });

  it("stops as gracefully on Ctrl-C (SIGINT), with keep-alive connections open, and exits 130 as the contract has Ctrl-C", async () => {
    const server = serve(["--store", "memory"]);
    const url = await server.listening;
    expect((await fetch(`${url}/events`)).status).toBe(200); // leaves an idle keep-alive connection
    const stoppedAt = Date.now();
    expect(await server.stop("SIGINT")).toBe(130);
    // Idle connections do not hold the stop for its 10 s of grace.
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    expect(server.stderr()).toMatch(/SIGINT: finishing requests in flight[\s\S]*stopped\n$/);
  });

  it("on SIGTERM ends idle connections at once (kept alive, or never used) and finishes the request in flight before exiting", async () => {
    const server = serveProcess(home.path, ["--store", "memory"], { env: NOW, serveArgs: ["--anonymous-user", "boxoffice"] });
    const { hostname, port } = new URL(await server.listening);
    const open = () => {
      const socket = connect(Number(port), hostname);
      let received = "";
      let closedAt: number | undefined;
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("error", () => undefined);
      socket.on("close", () => (closedAt = Date.now()));
      return { socket, received: () => received, closedAt: () => closedAt };
    };
    // Idle after an answer (kept alive for 130 s), and connected without a request.
    const keptAlive = open();
    keptAlive.socket.write(`GET /events HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
    await expect.poll(() => keptAlive.received()).toMatch(/^HTTP\/1\.1 200 [\s\S]*\r\nKeep-Alive: timeout=130\r\n/);
    const unused = open();
    // In flight: its body half sent when the signal comes.
    const body = JSON.stringify({ Id: "evt_late", Name: "Late", Capacity: 5 });
    const inFlight = open();
    inFlight.socket.write(`POST /events HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const stoppedAt = Date.now();
    const exited = server.stop("SIGTERM");
    // The idle ones are closed at once, without an answer.
    await expect.poll(() => keptAlive.closedAt() !== undefined && unused.closedAt() !== undefined, { timeout: 2_000, interval: 20 }).toBe(true);
    expect(unused.received()).toBe("");
    // The request in flight is still read and answered, and its connection then closes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(inFlight.closedAt()).toBeUndefined();
    inFlight.socket.write(body.slice(10));
    expect(await exited).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    expect(inFlight.received()).toMatch(/^HTTP\/1\.1 201 [\s\S]*\r\nConnection: close\r\n[\s\S]*"Id":"evt_late"/);
    expect(server.stderr()).toMatch(/SIGTERM: finishing requests in flight[\s\S]* POST \/events 201 [\d.]+ms user=boxoffice\n[\s\S]*stopped\n$/);
  });

  it("a second SIGTERM cuts the request in flight short: exit 0, and its access line says the server cut it, before stopped", async () => {
    const server = serveProcess(home.path, ["--store", "memory"], { env: NOW, serveArgs: ["--anonymous-user", "boxoffice"] });
    const { hostname, port } = new URL(await server.listening);
    const socket = connect(Number(port), hostname);
    socket.on("error", () => undefined);
    socket.write(`POST /events HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"Na`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = server.stop("SIGTERM");
    await expect.poll(() => server.stderr()).toMatch(/SIGTERM: finishing requests in flight/);
    void server.stop("SIGTERM");
    expect(await exited).toBe(0);
    // It read "aborted: the client closed the connection first", and came after "stopped".
    expect(server.stderr()).toMatch(/ POST \/events - [\d.]+ms user=boxoffice aborted: the server was stopping and cut it short\nstopped\n$/);
  });

  it("with --json prints where it listens as one JSON document on stdout (--port 0: a script learns the port there)", async () => {
    const server = serve(["--store", "memory", "--json"]);
    const url = await server.listening;
    for (let waited = 0; server.stdout() === "" && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.stdout()).toBe(`${JSON.stringify({ status: "success", url })}\n`);
    expect(await server.stop()).toBe(0);
    expect(server.stdout()).toBe(`${JSON.stringify({ status: "success", url })}\n`);
  });

  it("a port in use is bad input: exit 2, naming the port", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const run = runTix(["--store", "memory", "serve", "--port", String(port)], home.path);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`port: 127\\.0\\.0\\.1:${port} is already in use`));
      expect(runTix(["serve", "--port", "http"], home.path).code).toBe(2);
    } finally {
      blocker.close();
    }
  });
});

describe("tix serve --anonymous-user", () => {
  it("serves a seed client without tokens, says so at start-up, and is refused off loopback unless --insecure", async () => {
    const store = `sqlite:${join(home.path, "tix.db")}`;
    expect(runTix(["--store", store, "seed"], home.path, { env: NOW }).code).toBe(0);

    const anonymous = serveProcess(home.path, ["--store", store], { env: NOW, serveArgs: ["--anonymous-user", "seed-client"] });
    const url = await anonymous.listening;
    expect(anonymous.stderr()).toMatch(/requests without a token act as seed-client, who may change events; tokens still work/);
    const reserved = await fetch(`${url}/Tickets/evt_jazz_evening/reserve`, { method: "POST", headers: { "Idempotency-Key": "seed-1" } });
    expect(await reserved.json()).toMatchObject({ Status: "Success", Ticket: { UserId: "seed-client" } });
    // A request naming a domain (a DNS-rebinding page) is not the seed's client.
    expect(await reserveNaming(url, "box-office.example")).toBe(403);
    expect(await anonymous.stop()).toBe(0);

    const open = runTix(["--store", store, "serve", "--port", "0", "--host", "0.0.0.0", "--anonymous-user", "seed-client"], home.path);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/anonymous-user: on --host 0\.0\.0\.0, anyone who can reach it would act as seed-client; add --insecure/);
    expect(runTix(["serve", "--insecure"], home.path).code).toBe(2);
    const spaced = runTix(["serve", "--port", "0", "--anonymous-user", "seed client"], home.path);
    expect([spaced.code, spaced.stderr]).toEqual([2, 'error: anonymous-user: "seed client" must be 1 to 64 printable characters without spaces\n']); // the flag's name, not "user"

    const insecure = serveProcess(home.path, ["--store", store], { env: NOW, serveArgs: ["--host", "0.0.0.0", "--anonymous-user", "seed-client", "--insecure"] });
    const insecureUrl = await insecure.listening;
    expect(insecureUrl).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    // Acts as seed-client, who already holds a ticket of this event: 409, not 403.
    expect(await reserveNaming(insecureUrl.replace("0.0.0.0", "127.0.0.1"), "box-office.example")).toBe(409);
    expect(await insecure.stop()).toBe(0);
  });
});

/** The status of a reserve sent without a token to `url` with `Host: <name>:<port>` (fetch cannot set Host). */
function reserveNaming(url: string, name: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, method: "POST", path: "/Tickets/evt_jazz_evening/reserve", headers: { Host: `${name}:${port}`, "Idempotency-Key": `named-${name}` } }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode!));
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}
