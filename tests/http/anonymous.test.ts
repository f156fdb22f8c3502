import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type Harness } from "../helpers/server-harness.js";

/**
 * The anonymous user (`--anonymous-user`, for the seed's clients on loopback) is for programs on
 * this machine, not for web pages open in its browser: a page of another site, or one whose own
 * name was made to resolve to 127.0.0.1 (DNS rebinding), could otherwise create events, reserve
 * and cancel as that user.
 */
let api: Harness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** One request with exactly these headers (node:http lets a test set Host, as a browser would). */
function send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: { Message?: string; Error?: { Code: string } } }> {
  const { hostname, port } = new URL(api!.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, method, path, headers: { ...(body ? { "Content-Type": "application/json" } : {}), ...headers } }, (response) => {
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const EVENT = JSON.stringify({ Name: "Late Show", Capacity: 5 });

describe("the anonymous user and web pages", () => {
  it("a page of another origin cannot act as the anonymous user; the same origin, a token, and public reads still work", async () => {
    api = await startServer("memory", { anonymousUser: "seed-client" });
    const host = new URL(api.url).host;
    const refused = await send("POST", "/events", { Origin: "http://evil.example" }, EVENT);
    expect(refused.status).toBe(403);
    expect(refused.body.Error?.Code).toBe("FORBIDDEN");
    expect(refused.body.Message).toBe("a web page of another origin (Origin: http://evil.example) cannot act as the anonymous user; send a bearer token (tix token create --user <id>); a page to be trusted is named with tix serve --cors-origin http://evil.example");
    // A sandboxed page or a file sends Origin: null.
    expect((await send("POST", "/events", { Origin: "null" }, EVENT)).status).toBe(403);
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);

    // Public reads stay public from any page; the seed's client (no Origin) and the server's own origin act.
    expect((await send("GET", "/events", { Origin: "http://evil.example" })).status).toBe(200);
    expect((await send("POST", "/events", {}, EVENT)).status).toBe(201);
    expect((await send("POST", "/events", { Origin: `http://${host}` }, EVENT)).status).toBe(201);
    // A token decides who acts, whatever the page.
    expect((await send("POST", "/events", { Origin: "http://evil.example", Authorization: `Bearer ${api.token("admin")}` }, EVENT)).status).toBe(201);
  });

  it("a request naming a domain other than localhost (DNS rebinding) cannot act as the anonymous user, unless served with --insecure", async () => {
    api = await startServer("memory", { anonymousUser: "seed-client" });
    const port = new URL(api.url).port;
    const rebound = await send("POST", "/events", { Host: `evil.example:${port}`, Origin: `http://evil.example:${port}` }, EVENT);
    expect(rebound.status).toBe(403);
    expect(rebound.body.Message).toBe(`Host: "evil.example:${port}" names a domain; the anonymous user answers requests to localhost or an IP address (serve with --insecure to allow names), or send a bearer token (tix token create --user <id>)`);
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    for (const name of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost", `0.0.0.0:${port}`, `192.168.1.20:${port}`, `app.localhost:${port}`]) {
      expect((await send("POST", "/events", { Host: name }, EVENT)).status, name).toBe(201);
    }
    // The full name, and an HTTP/1.0 request with no Host at all (no browser sends one): no domain is named.
    // Both were 403, the second as `Host: "" names a domain`.
    expect((await send("POST", "/events", { Host: `localhost.:${port}` }, EVENT)).status).toBe(201);
    const http10 = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1");
      let received = "";
      socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
      socket.on("close", () => resolve(received));
      socket.on("error", reject);
      socket.write(`POST /events HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: ${EVENT.length}\r\n\r\n${EVENT}`);
    });
    expect(http10).toMatch(/^HTTP\/1\.1 201 /);
    await api.close();

    api = await startServer("memory", { anonymousUser: "seed-client", anonymousFromAnyHost: true });
    expect((await send("POST", "/events", { Host: `box-office.example:${port}` }, EVENT)).status).toBe(201);
  });

  it("a public read that names who looks (the seat map) shows the anonymous user's seats only to requests that may act as it; the others still read it", async () => {
    api = await startServer("memory", { anonymousUser: "seed-client" });
    const port = new URL(api.url).port;
    const hall = JSON.stringify({ Id: "evt_hall", Name: "Hall", Seats: ["Stalls:A-B:1-4"], TicketTypes: [{ Name: "Stalls", Price: "30.00" }] });
    expect((await send("POST", "/events", {}, hall)).status).toBe(201);
    expect((await send("POST", "/tickets/evt_hall/reserve", { "Idempotency-Key": "k1" }, JSON.stringify({ Seats: ["A1", "A2"] }))).status).toBe(200);
    const seats = async (headers: Record<string, string>) => {
      const answer = await send("GET", "/events/evt_hall/seats", headers);
      return [answer.status, (answer.body as { Seats?: { Yours?: number } }).Seats?.Yours ?? (answer.body.Error?.Code ?? "no Yours")];
    };
    expect(await seats({})).toEqual([200, 2]);
    expect(await seats({ Origin: `http://localhost:${port}`, Host: `localhost:${port}` })).toEqual([200, 2]);
    expect(await seats({ Origin: "http://evil.example" })).toEqual([200, "no Yours"]);
    expect(await seats({ Host: `evil.example:${port}` })).toEqual([200, "no Yours"]);
    expect(await seats({ Authorization: `Bearer ${api.token("bob")}` })).toEqual([200, 0]);
    expect(await seats({ Authorization: "Bearer not-a-token" })).toEqual([401, "UNAUTHENTICATED"]);
  });
});
