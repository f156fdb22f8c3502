import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STORE_KINDS, startServer, type Harness } from "../helpers/server-harness.js";

describe.each(STORE_KINDS)("tix serve over %s", (kind) => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer(kind);
    const created = await api.call("POST", "/events", {
      as: "admin",
      body: { Id: "evt_jazz", Name: "Jazz Evening", Venue: "Portland Theater", StartsAt: "2030-07-10T19:30Z", Capacity: 2, Price: "45.00" },
    });
    expect(created.status).toBe(201);
  });
  afterEach(() => api.close());

  const reserve = (user: string, key: string, eventId = "evt_jazz") =>
    api.call("POST", `/tickets/${eventId}/reserve`, { as: user, key });

  it("serves events in the seed's PascalCase shapes; reads are public", async () => {
    const list = await api.call("GET", "/events");
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(list.body).toEqual({
      Status: "Success",
      Events: [{
        Id: "evt_jazz", Name: "Jazz Evening", Venue: "Portland Theater", StartsAt: "2030-07-10T19:30:00.000Z", Date: "2030-07-10T19:30:00.000Z",
        Capacity: 2, Held: 0, Sold: 0, Available: 2, HoldSeconds: 600, Price: "45.00", PriceMinor: 4500, Currency: "USD",
        Tiers: [{ Name: "GA", Capacity: 2, Held: 0, Sold: 0, Available: 2, Price: "45.00", PriceMinor: 4500, SalesStart: null, SalesEnd: null, RequiresCode: false }],
        TicketTypes: [{ Name: "GA", Price: "45.00" }], LimitPerUser: null, SalesStart: null, SalesEnd: "2030-07-10T19:30:00.000Z", Seated: false,
      }],
      Next: null,
    });
    const one = await api.call("GET", "/events/evt_jazz");
    expect(one.body).toMatchObject({ Status: "Success", Event: { Id: "evt_jazz", Available: 2 } });
  });

  it("GET /events answers pages: 100 events by default, ?limit= and ?after=, Next and a Link to the next page", async () => {
    await api.tix.events.createMany({ events: Array.from({ length: 120 }, (_, index) => ({ id: `evt_${String(index).padStart(3, "0")}`, name: `Show ${index}`, capacity: 1 })) });
    const first = await api.call("GET", "/events");
    expect(first.body.Events).toHaveLength(100);
    expect(first.body.Events[0].Id).toBe("evt_jazz");
    expect(first.body.Next).toBe("/events?limit=100&after=evt_098");
    expect(first.headers.get("link")).toBe('</events?limit=100&after=evt_098>; rel="next"');
    const rest = await api.call("GET", first.body.Next);
    expect(rest.body.Events.map((event: { Id: string }) => event.Id)).toEqual(["evt_099", ...Array.from({ length: 20 }, (_, index) => `evt_${100 + index}`)]);
    expect(rest.body.Next).toBeNull();
    expect(rest.headers.get("link")).toBeNull();

    const small = await api.call("GET", "/events?limit=2&after=evt_000");
    expect([small.body.Events.map((event: { Id: string }) => event.Id), small.body.Next]).toEqual([["evt_001", "evt_002"], "/events?limit=2&after=evt_002"]);
    for (const query of ["limit=0", "limit=1001", "limit=ten", "after=evt_nope"]) {
      const refused = await api.call("GET", `/events?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.Error.Code).toBe("INVALID_ARGUMENT");
    }
  });

  it("reads query names in any case (?Limit=1, as ASP.NET binds them) and refuses one given twice, instead of ignoring or picking one", async () => {
    await api.call("POST", "/events", { as: "admin", body: { Id: "evt_rock", Name: "Rock", Capacity: 5 } });
    const pascal = await api.call("GET", "/events?Limit=1");
    expect([pascal.status, pascal.body.Events.length, pascal.body.Next]).toEqual([200, 1, "/events?limit=1&after=evt_jazz"]);
    expect((await api.call("GET", "/events?LIMIT=1&After=evt_jazz")).body.Events.map((event: { Id: string }) => event.Id)).toEqual(["evt_rock"]);
    const twice = await api.call("GET", "/events?limit=1&limit=5");
    expect([twice.status, twice.body.Message]).toEqual([400, "limit: given more than once in the query; send it once"]);
    const spelled = await api.call("GET", "/tickets?status=reserved&Status=purchased", { as: "alice" });
    expect([spelled.status, spelled.body.Message]).toEqual([400, "status: given more than once in the query (also as Status); send it once"]);
    expect((await api.call("GET", "/tickets?STATUS=Reserved", { as: "alice" })).status).toBe(200);
  });

  it("PATCH with a PascalCase field set to null clears it (Venue) or restores its default (SalesEnd), as camelCase does", async () => {
    const cleared = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { Venue: null, SalesEnd: "2030-07-01T00:00Z" } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.Event).toMatchObject({ Venue: null, SalesEnd: "2030-07-01T00:00:00.000Z" });
    expect(cleared.body.Changes.map((change: { Field: string }) => change.Field)).toEqual(["venue", "salesEnd"]);
    const restored = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { SalesEnd: null } });
    expect(restored.status).toBe(200);
    expect(restored.body.Event.SalesEnd).toBe("2030-07-10T19:30:00.000Z");
  });

  it("PATCH and POST read LimitPerUser, as the event answers it (it was dropped in silence); null or \"none\" lifts it", async () => {
    const limited = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { Name: "Jazz", LimitPerUser: 4 } });
    expect([limited.status, limited.body.Event.LimitPerUser]).toEqual([200, 4]);
    expect(limited.body.Changes).toContainEqual({ Field: "limitPerUser", From: null, To: 4 });
    expect((await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { LimitPerUser: "none" } })).body.Event.LimitPerUser).toBeNull();
    expect((await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { limitPerUser: "2" } })).body.Event.LimitPerUser).toBe(2);
    expect((await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { LimitPerUser: null } })).body.Event.LimitPerUser).toBeNull();
    const bad = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { LimitPerUser: 0 } });
    expect([bad.status, bad.body.Message]).toEqual([400, 'LimitPerUser: must be a whole number from 1 to 1000, or "none", got 0']);
    const odd = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { LimitPerUser: [2] } });
    expect([odd.status, odd.body.Message]).toEqual([400, 'LimitPerUser: must be a whole number, or null (or "none") for no limit']);
    const created = await api.call("POST", "/events", { as: "admin", body: { Name: "Limited", Capacity: 10, LimitPerUser: 3 } });
    expect([created.status, created.body.Event.LimitPerUser]).toEqual([201, 3]);
  });

  it("a field given both in PascalCase and in camelCase is 400 naming it, not the PascalCase one with the other dropped in silence", async () => {
    const both = await api.call("PATCH", "/events/evt_jazz", { as: "admin", body: { Capacity: 5, capacity: 6000 } });
    expect(both.status).toBe(400);
    expect(both.body.Message).toBe("Capacity: given both as Capacity and as capacity; send one");
    const created = await api.call("POST", "/events", { as: "admin", body: { Name: "Rock", name: "Jazz", Capacity: 5 } });
    expect([created.status, created.body.Message]).toEqual([400, "Name: given both as Name and as name; send one"]);
    const reserved = await api.call("POST", "/tickets/evt_jazz/reserve", { as: "alice", key: "k-both", body: { Quantity: 1, quantity: 2 } });
    expect([reserved.status, reserved.body.Message]).toEqual([400, "Quantity: given both as Quantity and as quantity; send one"]);
    expect((await api.call("GET", "/events/evt_jazz")).body.Event).toMatchObject({ Capacity: 2, Held: 0 });
    expect((await api.call("GET", "/events")).body.Events).toHaveLength(1);
  });

  it("POST /events creates (201, Location) or, with a known Id, updates (200); camelCase bodies too", async () => {
    const created = await api.call("POST", "/events", { as: "admin", body: { name: "Rock Night", capacity: 5000, hold: "15m", price: 89 } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ Status: "Success", Created: true, Event: { Name: "Rock Night", HoldSeconds: 900, Price: "89.00" } });
    expect(created.headers.get("location")).toBe(`/events/${created.body.Event.Id}`);

    const updated = await api.call("POST", "/events", { as: "admin", body: { Id: "evt_jazz", Name: "Jazz Night", Capacity: 3, HoldSeconds: 120 } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ Created: false, Event: { Id: "evt_jazz", Name: "Jazz Night", Capacity: 3, HoldSeconds: 120 } });

    const put = await api.call("PUT", "/events/evt_jazz", { as: "admin", body: { Capacity: 4, Venue: null } });
    expect(put.status).toBe(200);
    expect(put.body.Event).toMatchObject({ Capacity: 4, Venue: null, Name: "Jazz Night" });
  });

  it("reserve → replay → purchase → cancel, as the seed answers", async () => {
    const reserved = await reserve("alice", "order-1001");
    expect(reserved.status).toBe(200);
    expect(reserved.body).toEqual({
      Status: "Success",
      Ticket: {
        Id: expect.stringMatching(/^tkt_/), EventId: "evt_jazz", UserId: "alice", Status: "Reserved",
        ReservedAt: "2030-01-01T12:00:00.000Z", ExpiresAt: "2030-01-01T12:10:00.000Z", PurchasedAt: null, CancelledAt: null,
        Price: "45.00", PriceMinor: 4500, Currency: "USD", CardLast4: null,
        Tier: "GA", OrderId: expect.stringMatching(/^ord_/), CheckedInAt: null, Voucher: null, Discount: "0.00", DiscountMinor: 0, Seat: null,
      },
      Replayed: false,
      Key: "order-1001",
    });
    const id: string = reserved.body.Ticket.Id;

    // The draft's form, a Structured Field string, is the same key.
    expect((await reserve("alice", '"order-1001"')).body).toMatchObject({ Replayed: true, Ticket: { Id: id }, Key: "order-1001" });
    const replay = await reserve("alice", "order-1001");
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toMatchObject({ Replayed: true, Ticket: { Id: id } });

    expect((await api.call("GET", `/tickets/${id}`, { as: "alice" })).body.Ticket).toMatchObject({ Id: id, Status: "Reserved" });
    const purchased = await api.call("POST", `/tickets/${id}/purchase`, { as: "alice", body: { Card: "4242 4242 4242 4242" } });
    expect(purchased.status).toBe(200);
    expect(purchased.body.Ticket).toMatchObject({ Status: "Purchased", CardLast4: "4242", PurchasedAt: "2030-01-01T12:00:00.000Z" });

    const again = await api.call("POST", `/tickets/${id}/purchase`, { as: "alice" });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ Status: "Error", Message: expect.any(String), Error: { Code: "ALREADY_PURCHASED", Message: expect.any(String) } });

    const cancelled = await api.call("DELETE", `/tickets/${id}`, { as: "alice" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.Ticket).toMatchObject({ Status: "Cancelled", CancelledAt: "2030-01-01T12:00:00.000Z" });
    expect((await api.call("GET", "/events/evt_jazz")).body.Event).toMatchObject({ Held: 0, Sold: 0, Available: 2 });

    const mine = await api.call("GET", "/tickets?status=Cancelled", { as: "alice" });
    expect(mine.body.Tickets.map((ticket: { Id: string }) => ticket.Id)).toEqual([id]);
    expect((await api.call("GET", "/tickets", { as: "bob" })).body.Tickets).toEqual([]);
  });

  // The key was read from the header alone: one sent in the body was ignored in silence (with a
  // header, another key was used; without one, the request was refused as keyless).
  it("an idempotency key in the body (IdempotencyKey, any case) is used when no header is sent; with the header, the same key or 400", async () => {
    const post = (path: string, as: string, body: unknown, key?: string) => api.call("POST", path, { as, body, ...(key === undefined ? {} : { key }) });
    const first = await post("/tickets/evt_jazz/reserve", "alice", { IdempotencyKey: "order-1" });
    expect([first.status, first.body.Key, first.body.Replayed, first.headers.get("idempotent-replayed")]).toEqual([200, "order-1", false, null]);
    const ticketId = first.body.Ticket.Id as string;
    // The same key again, in the body in camelCase, or in the header: the same ticket, replayed.
    for (const [body, header] of [[{ idempotencyKey: "order-1" }, undefined], [undefined, "order-1"], [{ IdempotencyKey: "order-1" }, "order-1"]] as const) {
      const again = await post("/tickets/evt_jazz/reserve", "alice", body, header);
      expect([again.status, again.body.Ticket?.Id, again.body.Replayed, again.headers.get("idempotent-replayed")], JSON.stringify(body)).toEqual([200, ticketId, true, "true"]);
    }
    // The header and the body naming two keys: which one was meant is a guess. Nothing is reserved.
    const both = await post("/tickets/evt_jazz/reserve", "bob", { idempotencyKey: "order-2" }, "order-3");
    expect([both.status, both.body.Message]).toEqual([400, 'idempotencyKey: "order-2" is not the Idempotency-Key header\'s "order-3"; send the key once, in the header']);
    for (const [body, message] of [
      [{ IdempotencyKey: 7 }, 'IdempotencyKey: must be a string, e.g. {"IdempotencyKey": "order-1001"}'],
      [{ IdempotencyKey: "" }, "IdempotencyKey: must be 1 to 255 printable characters"],
      [{ IdempotencyKey: null }, "Idempotency-Key: the header is required: send a new key for each reservation, and the same key to retry it"],
      [{ IdempotencyKey: "a", idempotencykey: "a" }, "IdempotencyKey: given both as IdempotencyKey and as idempotencykey; send one"],
    ] as const) {
      const refused = await post("/tickets/evt_jazz/reserve", "bob", body);
      expect([refused.status, refused.body.Message], JSON.stringify(body)).toEqual([400, message]);
    }
    expect((await api.call("GET", "/events/evt_jazz/availability")).body.Available).toBe(1);

    // A purchase's key too: the body's is used without a header, and a retry is replayed, charged once.
    const paid = await post(`/tickets/${ticketId}/purchase`, "alice", { IdempotencyKey: "pay-1" });
    expect([paid.status, paid.body.Key, paid.body.Replayed]).toEqual([200, "pay-1", false]);
    const repaid = await post(`/tickets/${ticketId}/purchase`, "alice", undefined, "pay-1");
    expect([repaid.status, repaid.body.Replayed]).toEqual([200, true]);
    const mixed = await post(`/tickets/${ticketId}/purchase`, "alice", { IdempotencyKey: "pay-2" }, "pay-1");
    expect([mixed.status, mixed.body.Error?.Code]).toEqual([400, "INVALID_ARGUMENT"]);
  });

  it("matches routes whatever the case of their literal parts, decodes ids, and reads the query only where a route has one", async () => {
    expect((await api.call("GET", "/Events/evt%5Fjazz/AVAILABILITY")).body).toMatchObject({ Status: "Success", Available: 2 });
    expect((await api.call("GET", "/events/evt_jazz?limit=oops")).body).toMatchObject({ Event: { Id: "evt_jazz" } });
    expect((await api.call("GET", "/events?limit=oops")).status).toBe(400);
    // One trailing slash is none; an empty segment is one no route has, as in ASP.NET's routing (it was dropped).
    expect((await api.call("GET", "/events/evt_jazz/")).body).toMatchObject({ Event: { Id: "evt_jazz" } });
    expect((await api.call("GET", "//events//evt_jazz/")).body).toMatchObject({ Error: { Code: "ROUTE_NOT_FOUND" } });
    expect((await api.call("GET", "/events/evt_jazz/availability/more")).body).toMatchObject({ Error: { Code: "ROUTE_NOT_FOUND" } });
    expect((await api.call("GET", "/evt_jazz/events")).body).toMatchObject({ Error: { Code: "ROUTE_NOT_FOUND" } });
    // A truncated escape is kept as written, as Kestrel keeps it: an id that does not exist (it was 400).
    expect((await api.call("GET", "/events/%E0%A4%A")).body).toMatchObject({ Error: { Code: "EVENT_NOT_FOUND", Message: "no event with id %E0%A4%A" } });
    const wrongMethod = await api.call("DELETE", "/TICKETS/tkt_x/Reserve");
    expect([wrongMethod.status, wrongMethod.headers.get("allow")]).toEqual([405, "POST"]);
  });

  it("answers HEAD wherever it answers GET: the same status and headers, no body", async () => {
    const get = await fetch(`${api.url}/events/evt_jazz`);
    const head = await fetch(`${api.url}/events/evt_jazz`, { method: "HEAD" });
    expect([head.status, await head.text()]).toEqual([200, ""]);
    expect(head.headers.get("content-length")).toBe(get.headers.get("content-length"));
    expect(head.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect((await fetch(`${api.url}/events/evt_nope`, { method: "HEAD" })).status).toBe(404);
    const onPost = await fetch(`${api.url}/tickets/evt_jazz/reserve`, { method: "HEAD" });
    expect([onPost.status, onPost.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await api.call("DELETE", "/events/evt_jazz")).headers.get("allow")).toBe("GET, HEAD, PUT, PATCH");
  });

  it("maps every class of error to its status, with the contract's code", async () => {
    const alice = (await reserve("alice", "a1")).body.Ticket.Id as string;
    const expectError = async (answer: Promise<{ status: number; body: unknown }>, status: number, code: string) => {
      const { status: got, body } = await answer;
      expect({ got, body }).toEqual({ got: status, body: { Status: "Error", Message: expect.any(String), Error: { Code: code, Message: expect.any(String) } } });
      expect((body as { Message: string; Error: { Message: string } }).Message).toBe((body as { Error: { Message: string } }).Error.Message);
    };

    await expectError(api.call("POST", "/events", { as: "admin", body: { Name: "x", Capacity: 0 } }), 400, "INVALID_ARGUMENT");
    await expectError(api.call("POST", "/events", { as: "admin", body: { Name: 7, Capacity: 1 } }), 400, "INVALID_ARGUMENT");
    await expectError(api.call("POST", "/events", { as: "admin", body: "{not json" }), 400, "INVALID_ARGUMENT");
    await expectError(api.call("POST", "/events", { as: "admin", body: "[1]" }), 400, "INVALID_ARGUMENT");
    await expectError(api.call("PUT", "/events/evt_jazz", { as: "admin", body: {} }), 400, "INVALID_ARGUMENT");
    await expectError(api.call("POST", "/tickets/evt_jazz/reserve", { as: "carol" }), 400, "INVALID_ARGUMENT");
    await expectError(api.call("POST", `/tickets/${alice}/purchase`, { as: "alice", body: { Card: "4242424242424241" } }), 400, "INVALID_ARGUMENT");

    await expectError(api.call("POST", `/tickets/${alice}/purchase`, { as: "alice", body: { Card: "4000000000000002" } }), 402, "PAYMENT_DECLINED");

    await expectError(api.call("POST", `/tickets/${alice}/purchase`, { as: "bob" }), 403, "NOT_TICKET_OWNER");
    await expectError(api.call("DELETE", `/tickets/${alice}`, { as: "bob" }), 403, "NOT_TICKET_OWNER");
    await expectError(api.call("GET", `/tickets/${alice}`, { as: "bob" }), 403, "NOT_TICKET_OWNER");
    await expectError(api.call("POST", "/events", { as: "bob", body: { Name: "x", Capacity: 1 } }), 403, "FORBIDDEN");
    await expectError(api.call("PATCH", "/events/evt_jazz", { as: "bob", body: { Capacity: 9 } }), 403, "FORBIDDEN");

    await expectError(api.call("GET", "/events/evt_nope"), 404, "EVENT_NOT_FOUND");
    await expectError(reserve("alice", "a2", "evt_nope"), 404, "EVENT_NOT_FOUND");
    await expectError(api.call("GET", "/tickets/tkt_nope", { as: "alice" }), 404, "TICKET_NOT_FOUND");
    await expectError(api.call("GET", "/nowhere"), 404, "ROUTE_NOT_FOUND");

    const wrongMethod = await api.call("DELETE", "/events/evt_jazz");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD, PUT, PATCH");

    await expectError(reserve("alice", "a3"), 409, "DUPLICATE_RESERVATION");
    expect((await reserve("bob", "b1")).status).toBe(200);
    await expectError(reserve("carol", "c1"), 409, "SOLD_OUT");
    await expectError(api.call("PUT", "/events/evt_jazz", { as: "admin", body: { Capacity: 1 } }), 409, "CAPACITY_BELOW_COMMITTED");

    await expectError(reserve("alice", "a1", "evt_other"), 422, "IDEMPOTENCY_KEY_REUSED");

    api.clock.advance(10 * 60_000);
    await expectError(api.call("POST", `/tickets/${alice}/purchase`, { as: "alice" }), 410, "HOLD_EXPIRED");
    expect((await api.call("GET", `/tickets/${alice}`, { as: "alice" })).body.Ticket.Status).toBe("Expired");
  });

  it("asks for a valid bearer token wherever a user acts: missing, expired or forged → 401", async () => {
    const missing = await api.call("POST", "/tickets/evt_jazz/reserve", { key: "k" });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="tix"');
    expect(missing.body.Error.Code).toBe("UNAUTHENTICATED");

    // Accepted once (the server keeps a token it verified), then refused once it has expired.
    const shortLived = api.token("alice", 60);
    expect((await api.call("GET", "/tickets", { authorization: `Bearer ${shortLived}` })).status).toBe(200);
    api.clock.advance(60_000);
    const expired = await api.call("POST", "/tickets/evt_jazz/reserve", { key: "k", authorization: `Bearer ${shortLived}` });
    expect(expired.status).toBe(401);
    expect(expired.body.Error.Message).toMatch(/expired/);
    expect(expired.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);

    // Another user's name in the payload, the signature left as it was.
    const [header, , signature] = api.token("alice").split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "mallory", iat: 0, exp: 4_102_444_800 })).toString("base64url");
    for (const authorization of [`Bearer ${header}.${payload}.${signature}`, "Bearer not-a-token", `Basic ${Buffer.from("a:b").toString("base64")}`]) {
      const answer = await api.call("POST", "/events", { authorization, body: { Name: "x", Capacity: 1 } });
      expect(answer.status, authorization).toBe(401);
    }
    expect((await api.call("GET", "/tickets")).status).toBe(401);
    expect((await api.call("GET", "/events")).body.Events).toHaveLength(1); // nothing was created
  });

  it("writes one access-log line per request: method, path, status, duration, user", async () => {
    await api.call("GET", "/events/evt_jazz");
    await reserve("alice", "log-1");
    const lines = api.logs.slice(-2);
    expect(lines[0]).toMatch(/^\S+Z GET \/events\/evt_jazz 200 \d+\.\dms user=-$/);
    expect(lines[1]).toMatch(/^\S+Z POST \/tickets\/evt_jazz\/reserve 200 \d+\.\dms user=alice$/);
  });
});
