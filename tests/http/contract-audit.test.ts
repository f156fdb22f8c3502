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
});
