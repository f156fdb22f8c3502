import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STORE_KINDS, startServer, type Harness } from "../helpers/server-harness.js";

// An acceptance sweep of `tix serve` against the contract's HTTP section, over real HTTP: each
// test is a deviation the sweep found (seed29).

describe.each(STORE_KINDS)("tix serve contract sweep, over %s", (kind) => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer(kind, { anonymousUser: "seed-client" });
  });
  afterEach(() => api.close());

  const seedBody = { Name: "Rock Night", Venue: "Dome", Date: "2030-06-15T20:00:00Z", Capacity: 3 };

  it("a bad Date is named Date, as the seed's client sent it, not StartsAt (a name it never sent)", async () => {
    const created = await api.call("POST", "/events", { body: { ...seedBody, Date: "tomorrow" } });
    expect(created.status).toBe(400);
    expect(created.body.Message).toBe('Date: "tomorrow" is not an ISO-8601 time such as 2025-06-15T20:00Z');

    const ok = await api.call("POST", "/events", { body: seedBody });
    const id = ok.body.Event.Id as string;
    for (const method of ["PUT", "PATCH"]) {
      const changed = await api.call(method, `/events/${id}`, { body: { date: "2030-02-30T00:00:00Z" } });
      expect(changed.status).toBe(400);
      expect(changed.body.Message).toMatch(/^Date: "2030-02-30T00:00:00Z" is not an ISO-8601 time/);
    }
    // StartsAt still names itself.
    const named = await api.call("POST", "/events", { body: { Name: "x", Capacity: 1, StartsAt: "soon" } });
    expect(named.body.Message).toMatch(/^StartsAt: "soon"/);
  });

  it("an event read, its Date changed and sent back (StartsAt still the old time) is refused, not left unchanged in silence", async () => {
    const created = await api.call("POST", "/events", { body: seedBody });
    // What a client's model of the answer keeps and sends back: both StartsAt and (the seed's) Date.
    const { Id: id, Name, Venue, StartsAt, Date, Capacity, HoldSeconds } = created.body.Event as Record<string, unknown>;
    const event = { Name, Venue, StartsAt, Date, Capacity, HoldSeconds };

    // The answer's own StartsAt and Date, the same time: a round trip changes nothing and is fine.
    const same = await api.call("PUT", `/events/${id as string}`, { body: { ...event, Name: "Rock Night II" } });
    expect(same.status).toBe(200);
    expect(same.body.Changes).toEqual([{ Field: "name", From: "Rock Night", To: "Rock Night II" }]);
    // The same time written another way is the same time.
    const sameInstant = await api.call("PATCH", `/events/${id as string}`, { body: { StartsAt: "2030-06-15T20:00:00.000Z", Date: "2030-06-15T22:00:00+02:00" } });
    expect(sameInstant.status).toBe(200);
    expect(sameInstant.body.Changes).toEqual([]);

    // The seed's name changed, tix's left as read: which one is meant is a guess. It answered 200
    // with the date unchanged.
    const moved = await api.call("PUT", `/events/${id as string}`, { body: { ...event, Date: "2030-06-16T20:00:00Z" } });
    expect(moved.status).toBe(400);
    expect(moved.body.Message).toBe('Date: given both as StartsAt ("2030-06-15T20:00:00.000Z") and as Date ("2030-06-16T20:00:00Z"), two different times; send one');
    expect((await api.call("GET", `/events/${id as string}`)).body.Event.Date).toBe("2030-06-15T20:00:00.000Z");

    // A null beside a time is two different values too (it took the time).
    const cleared = await api.call("POST", "/events", { body: { Name: "x", Capacity: 1, StartsAt: null, Date: "2030-01-01T00:00:00Z" } });
    expect(cleared.status).toBe(400);
    expect(cleared.body.Message).toBe('Date: given both as StartsAt (null) and as Date ("2030-01-01T00:00:00Z"), two different times; send one');
  });

  it("PUT or PATCH with a body Id naming another event than the path is refused, not ignored in silence (the lead)", async () => {
    const first = (await api.call("POST", "/events", { body: seedBody })).body.Event.Id as string;
    const second = (await api.call("POST", "/events", { body: { ...seedBody, Name: "Jazz" } })).body.Event.Id as string;
    for (const method of ["PUT", "PATCH"]) {
      const crossed = await api.call(method, `/events/${first}`, { body: { Id: second, Capacity: 9 } });
      expect(crossed.status, method).toBe(400);
      expect(crossed.body.Message).toBe(`Id: the body names event "${second}", the path "${first}"; leave Id out or give the path's`);
    }
    expect((await api.call("GET", `/events/${first}`)).body.Event.Capacity).toBe(3);
    // The event as read and sent back, its own Id in it, is fine.
    const same = await api.call("PUT", `/events/${first}`, { body: { Id: first, Capacity: 9 } });
    expect(same.status).toBe(200);
    expect(same.body.Changes).toEqual([{ Field: "capacity", From: 3, To: 9 }]);
  });

  it("Hold and HoldSeconds together are refused, rather than HoldSeconds dropped unread (even when not a number)", async () => {
    const both = await api.call("POST", "/events", { body: { ...seedBody, Hold: "5m", HoldSeconds: "bad" } });
    expect(both.status).toBe(400);
    expect(both.body.Message).toBe("HoldSeconds: given both as Hold and as HoldSeconds; send one");
    const other = await api.call("POST", "/events", { body: { ...seedBody, hold: "5m", holdseconds: 600 } });
    expect(other.status).toBe(400);
    expect(other.body.Message).toBe("HoldSeconds: given both as hold and as holdseconds; send one");
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);

    // Each alone still works.
    expect((await api.call("POST", "/events", { body: { ...seedBody, Hold: "5m" } })).body.Event.HoldSeconds).toBe(300);
    expect((await api.call("POST", "/events", { body: { ...seedBody, HoldSeconds: 120 } })).body.Event.HoldSeconds).toBe(120);
  });
});

describe("tix serve contract sweep: a ticket type's fields are named where the body has them", () => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer("sqlite", { anonymousUser: "seed-client" });
  });
  afterEach(() => api.close());

  it("TicketTypes[i].Name, not Name (the event's) or Tier (a name the body never has)", async () => {
    const post = (TicketTypes: unknown) => api.call("POST", "/events", { body: { Name: "Rock", Capacity: 3, TicketTypes } });
    expect((await post([{ Name: "General", Price: 1 }, { Name: 5, Price: 1 }])).body.Message).toBe("TicketTypes[1].Name: must be a string");
    expect((await post([{ Name: "", Price: 1 }])).body.Message).toBe(`TicketTypes[0].Name: "" must be 1 to 40 printable characters without ':'`);
    expect((await post([{ Name: "A:B", Price: 1 }])).body.Message).toBe(`TicketTypes[0].Name: "A:B" must be 1 to 40 printable characters without ':'`);
    expect((await post([{ Name: "General", Price: true }])).body.Message).toBe("TicketTypes[0].Price: must be a string or a number");
    expect((await post({ General: [] })).body.Message).toBe("TicketTypes.General: must be a string or a number");
    expect((await post([{ Name: "General", Price: 1, AccessCode: 7 }])).body.Message).toBe("TicketTypes[0].AccessCode: must be a string or null");
    // What names itself still does.
    expect((await post([{ Price: 1 }])).body.Message).toBe("TicketTypes: each ticket type needs a Name");
    expect((await post([{ Name: "G", Price: -1 }])).body.Message).toMatch(/^tier "G": its price -1 is not an amount/);
    expect((await api.call("GET", "/events")).body.Events).toEqual([]);
    expect((await post([{ Name: " General ", Price: 1 }])).status).toBe(201);
  });
});
