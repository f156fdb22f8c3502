import Database from "better-sqlite3";
import { connect } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Tix } from "../../src/index.js";
import type { Engine } from "../../src/http/routes.js";
import { STORE_KINDS, gate, startServer, type Harness } from "../helpers/server-harness.js";

let api: Harness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function withEvent(harness: Harness, capacity: number): Promise<Harness> {
  api = harness;
  expect((await harness.call("POST", "/events", { as: "admin", body: { Id: "evt_rush", Name: "Rush", Capacity: capacity } })).status).toBe(201);
  return harness;
}

/**
 * A server whose engine holds every `reserve` at a gate until the test opens it (`held`);
 * `entered` opens when a reserve has reached the engine.
 */
async function startHeldServer() {
  const held = gate();
  const entered = gate();
  const wrap = (tix: Tix): Engine => ({
    events: tix.events,
    tickets: {
      reserve: async (request) => {
        entered.open();
        await held.wait;
        return tix.tickets.reserve(request);
      },
      purchase: (request) => tix.tickets.purchase(request),
      cancel: (request) => tix.tickets.cancel(request),
      get: (id) => tix.tickets.get(id),
      list: (query) => tix.tickets.list(query),
      page: (request) => tix.tickets.page(request),
      transfer: (request) => tix.tickets.transfer(request),
    },
    vouchers: tix.vouchers,
  });
  return { harness: await withEvent(await startServer("memory", { wrap }), 10), held, entered };
}

describe.each(STORE_KINDS)("concurrent clients over %s", (kind) => {
  it("two clients sending the same key at once get one ticket between them", async () => {
    const harness = await withEvent(await startServer(kind), 10);
    const send = () => harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "same-key" });
    const answers = await Promise.all([send(), send()]);

    const statuses = answers.map((answer) => answer.status).sort();
    expect([[200, 200], [200, 409]]).toContainEqual(statuses);
    const ids = new Set(answers.filter((answer) => answer.status === 200).map((answer) => answer.body.Ticket.Id));
    expect(ids.size).toBe(1);
    for (const answer of answers.filter((candidate) => candidate.status === 409)) {
      expect(answer.body.Error.Code).toBe("IDEMPOTENCY_KEY_IN_USE");
    }
    expect((await harness.tix.tickets.list({ userId: "alice" })).map((ticket) => ticket.id)).toEqual([...ids]);
    expect((await harness.tix.events.get("evt_rush")).held).toBe(1);
  });

  it("never oversells: 12 users rushing 5 places over HTTP", async () => {
    const harness = await withEvent(await startServer(kind), 5);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) => harness.call("POST", "/tickets/evt_rush/reserve", { as: `user${index}`, key: `k${index}` })),
    );
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5);
    expect(answers.filter((answer) => answer.status === 409).map((answer) => answer.body.Error.Code)).toEqual(Array(7).fill("SOLD_OUT"));
    expect((await harness.tix.events.get("evt_rush"))).toMatchObject({ held: 5, available: 0 });
  });
});

describe("the in-flight rule and purchase replay", () => {
  it("a second request with a key still being processed gets 409 IDEMPOTENCY_KEY_IN_USE; after it, the replay", async () => {
    const { harness, held, entered } = await startHeldServer();
    const first = harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "slow" });
    await entered.wait;

    const second = await harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "slow" });
    expect(second.status).toBe(409);
    expect(second.body.Error.Code).toBe("IDEMPOTENCY_KEY_IN_USE");
    expect(second.headers.get("retry-after")).toBe("1");

    held.open();
    const answered = await first;
    expect(answered.status).toBe(200);
    const retry = await harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "slow" });
    expect(retry.body).toMatchObject({ Replayed: true, Ticket: { Id: answered.body.Ticket.Id } });
  });

  it("keys are per user: another user's same key is not in flight", async () => {
    const { harness, held, entered } = await startHeldServer();
    const first = harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "shared" });
    await entered.wait;
    const bob = harness.call("POST", "/tickets/evt_rush/reserve", { as: "bob", key: "shared" });
    held.open();
    const [alice, bobs] = await Promise.all([first, bob]);
    expect([alice.status, bobs.status]).toEqual([200, 200]);
    expect(alice.body.Ticket.Id).not.toBe(bobs.body.Ticket.Id);
  });

  it("a purchase with an Idempotency-Key replays its answer; the key on another ticket is 422", async () => {
    const harness = await withEvent(await startServer("sqlite"), 10);
    const ticket = (await harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "r1" })).body.Ticket.Id;
    const buy = (id: string, key: string) => harness.call("POST", `/tickets/${id}/purchase`, { as: "alice", key, body: { Card: "4242424242424242" } });

    const first = await buy(ticket, "pay-1");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ Replayed: false, Ticket: { Status: "Purchased" } });
    const retry = await buy(ticket, "pay-1");
    expect(retry.status).toBe(200);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual({ ...first.body, Replayed: true });
    expect((await harness.call("POST", `/tickets/${ticket}/purchase`, { as: "alice" })).body.Error.Code).toBe("ALREADY_PURCHASED");

    harness.clock.advance(1);
    const other = (await harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "r2" })).body.Ticket.Id;
    const reused = await buy(other, "pay-1");
    expect(reused.status).toBe(422);
    expect(reused.body.Error.Code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await harness.tix.events.get("evt_rush")).sold).toBe(1);
  });
});

describe("limits, store failures and shutdown", () => {
  it("refuses a body over the limit with 413, declared or streamed", async () => {
    const harness = await startServer("memory", { bodyLimit: 1024 });
    api = harness;
    const big = JSON.stringify({ Name: "x".repeat(2048), Capacity: 1 });
    const declared = await harness.call("POST", "/events", { as: "admin", body: big });
    expect(declared.status).toBe(413);
    expect(declared.body.Error.Code).toBe("PAYLOAD_TOO_LARGE");

    const chunks = [big.slice(0, 600), big.slice(600)];
    const stream = new ReadableStream({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = await fetch(`${harness.url}/events`, {
      method: "POST",
      headers: { Authorization: `Bearer ${harness.token("admin")}`, "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await harness.call("GET", "/events")).body.Events).toEqual([]);
  });

  it("answers 503 STORE_UNAVAILABLE to a write while another process holds the SQLite lock past the busy timeout", async () => {
    const harness = await startServer("sqlite", { busyTimeoutMs: 20 });
    api = harness;
    await harness.tix.events.create({ id: "evt_busy", name: "Busy", capacity: 5 });
    const other = new Database(join(harness.dir, "tix.db"));
    try {
      other.exec("BEGIN IMMEDIATE");
      // (Reads do not wait behind another process's write lock: tests/store-faults/serve-busy.test.ts.)
      const busy = await harness.call("POST", "/tickets/evt_busy/reserve", { as: "alice", key: "busy-1" });
      expect(busy.status).toBe(503);
      expect(busy.body.Error.Code).toBe("STORE_UNAVAILABLE");
      expect(busy.headers.get("retry-after")).toBe("1");
      other.exec("ROLLBACK");
      expect((await harness.call("GET", "/events")).status).toBe(200);
    } finally {
      other.close();
    }
  });

  it("shuts down gracefully: stops accepting, finishes the request in flight", async () => {
    const { harness, held, entered } = await startHeldServer();
    api = undefined; // closed by the test itself
    const inFlight = harness.call("POST", "/tickets/evt_rush/reserve", { as: "alice", key: "last" });
    await entered.wait;

    const closed = harness.close();
    // A new connection is refused. (A request on one kept alive from before is answered, with
    // Connection: close: serve-edges.test.ts.)
    const { hostname, port } = new URL(harness.url);
    const refused = await new Promise<string | undefined>((resolve) => {
      const socket = connect(Number(port), hostname, () => (socket.destroy(), resolve(undefined)));
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code));
    });
    expect(refused).toBe("ECONNREFUSED");
    held.open();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.headers.get("connection")).toBe("close");
    await closed;
  });
});
