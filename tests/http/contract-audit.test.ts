import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startServer, type Harness } from "../helpers/server-harness.js";

// The contract's HTTP section read against a real server: "a client written for the seed's Web
// API works unchanged". Each test is a promise the fifteenth audit found broken.

describe("tix serve: a seed client works unchanged", () => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer("sqlite", { anonymousUser: "seed-client" });
  });
  afterEach(() => api.close());

  it("a body of JSON's null (what .NET's PostAsJsonAsync sends for nothing) is no body: reserve, purchase and cancel work", async () => {
    const created = await api.call("POST", "/events", { body: { Name: "Rock Night", Venue: "Dome", Date: "2030-06-15T20:00:00Z", Capacity: 3, TicketTypes: [{ Name: "General", Price: 89 }] } });
    expect(created.status).toBe(201);
    const eventId = created.body.Event.Id as string;
    const json = { "Content-Type": "application/json; charset=utf-8" };

    const reserved = await api.call("POST", `/tickets/${eventId}/reserve`, { key: "order-1", body: "null", headers: json });
    expect(reserved.status).toBe(200);
    expect(reserved.body).toMatchObject({ Status: "Success", Replayed: false, Ticket: { Status: "Reserved" } });
    const ticketId = reserved.body.Ticket.Id as string;

    const purchased = await api.call("POST", `/tickets/${ticketId}/purchase`, { body: "null", headers: json });
    expect(purchased.status).toBe(200);
    expect(purchased.body.Ticket).toMatchObject({ Status: "Purchased", CardLast4: "4242" });

    const cancelled = await api.call("POST", `/tickets/${ticketId}/cancel`, { body: "null", headers: json });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.Ticket.Status).toBe("Cancelled");
    expect((await api.call("GET", `/tickets/${eventId}/availability`)).body.Available).toBe(3);

    // Anything else that is not an object is still refused, with the seed's top-level Message.
    const listBody = await api.call("POST", `/tickets/${eventId}/reserve`, { key: "order-2", body: "[]", headers: json });
    expect(listBody.status).toBe(400);
    expect(listBody.body.Message).toBe("body: must be a JSON object");
  });
  it("a null field is the field left out, as System.Text.Json writes a model's nulls: Id on a new event, Tier and Quantity on reserve, Card on purchase", async () => {
    // A C# client's Event with no Id yet, and request models with their optional properties unset.
    const created = await api.call("POST", "/events", {
      body: { Id: null, Name: "Rock Night", Venue: "Dome", Date: "2030-06-15T20:00:00Z", Capacity: 3, Currency: null, TicketTypes: [{ Name: "General", Price: 89, Capacity: null }] },
    });
    expect(created.status).toBe(201);
    expect(created.body.Event).toMatchObject({ Capacity: 3, Currency: "USD", Price: "89.00" });
    const eventId = created.body.Event.Id as string;
    expect(eventId).toMatch(/^evt_/);

    const reserved = await api.call("POST", `/tickets/${eventId}/reserve`, { key: "order-1", body: { Tier: null, Quantity: null, Code: null, Seats: null } });
    expect(reserved.status).toBe(200);
    expect(reserved.body.Ticket).toMatchObject({ Status: "Reserved", Tier: "General" });
    // The same request as the one with no body: the key replays it.
    const retried = await api.call("POST", `/tickets/${eventId}/reserve`, { key: "order-1" });
    expect(retried.body).toMatchObject({ Replayed: true, Ticket: { Id: reserved.body.Ticket.Id } });

    const purchased = await api.call("POST", `/tickets/${reserved.body.Ticket.Id}/purchase`, { body: { Card: null, Voucher: null } });
    expect(purchased.status).toBe(200);
    expect(purchased.body.Ticket).toMatchObject({ Status: "Purchased", CardLast4: "4242" });

    // PATCH: a null Name or Capacity changes nothing; Venue's null still clears it.
    const patched = await api.call("PATCH", `/events/${eventId}`, { body: { Id: null, Name: null, Capacity: null, Venue: null } });
    expect(patched.status).toBe(200);
    expect(patched.body.Event).toMatchObject({ Name: "Rock Night", Capacity: 3, Venue: null });
    // A field of the wrong type is still refused.
    const wrong = await api.call("POST", `/tickets/${eventId}/reserve`, { key: "order-2", body: { Tier: 5 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.Message).toBe("Tier: must be a string");
  });
  it("a body's names match in any case, as ASP.NET's web defaults read them: none is ignored in silence; one given in two cases is refused", async () => {
    const created = await api.call("POST", "/events", {
      body: { NAME: "Rock Night", venue: "Dome", date: "2030-06-15T20:00:00Z", CAPACITY: 4, tickettypes: [{ name: "General", PRICE: 89 }], limitperuser: 2 },
    });
    expect(created.status).toBe(201);
    expect(created.body.Event).toMatchObject({
      Name: "Rock Night", Venue: "Dome", Date: "2030-06-15T20:00:00.000Z", Capacity: 4, LimitPerUser: 2, TicketTypes: [{ Name: "General", Price: "89.00" }],
    });
    const eventId = created.body.Event.Id as string;

    const reserved = await api.call("POST", `/tickets/${eventId}/reserve`, { key: "order-1", body: { QUANTITY: 2, TIER: "General" } });
    expect(reserved.status).toBe(200);
    expect(reserved.body.Tickets).toHaveLength(2);
    const purchased = await api.call("POST", `/tickets/${reserved.body.OrderId}/purchase`, { body: { CARD: "4000000000000002" } });
    expect([purchased.status, purchased.body.Error.Code]).toEqual([402, "PAYMENT_DECLINED"]);

    const twice = await api.call("PATCH", `/events/${eventId}`, { body: { capacity: 5, CAPACITY: 6 } });
    expect([twice.status, twice.body.Message]).toEqual([400, "Capacity: given both as capacity and as CAPACITY; send one"]);
    expect((await api.call("GET", `/events/${eventId}`)).body.Event.Capacity).toBe(4);
  });
});
