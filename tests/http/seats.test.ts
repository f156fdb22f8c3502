import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STORE_KINDS, startServer, type Harness } from "../helpers/server-harness.js";

/** Reserved seating over real HTTP: a seated event from the body, its map with states, reserving seats or a quantity. */
describe.each(STORE_KINDS)("tix serve seats over %s", (kind) => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer(kind);
    const created = await api.call("POST", "/events", {
      as: "admin",
      body: {
        Id: "evt_hall", Name: "Small Hall", StartsAt: "2030-07-10T19:30Z",
        Seats: ["Stalls:A-B:1-4|5-8"], TicketTypes: [{ Name: "Stalls", Price: "30.00" }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.Event).toMatchObject({ Capacity: 16, Seated: true, Tiers: [{ Name: "Stalls", Capacity: 16, Price: "30.00" }] });
    await api.tix.events.update({ id: "evt_hall", limitPerUser: 4 });
  });
  afterEach(() => api.close());

  const reserve = (user: string, key: string, body?: Record<string, unknown>) =>
    api.call("POST", "/tickets/evt_hall/reserve", { as: user, key, ...(body ? { body } : {}) });
  const stateOf = (body: { Seats: { Sections: Array<{ Rows: Array<{ Seats: Array<{ Seat: string; State: string }> }> }> } }) =>
    Object.fromEntries(body.Seats.Sections.flatMap((section) => section.Rows.flatMap((row) => row.Seats.map((seat) => [seat.Seat, seat.State]))));

  it("GET /events/{id}/seats: the map with each seat's state, public; a token's own seats are yours", async () => {
    const empty = await api.call("GET", "/events/evt_hall/seats");
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ Status: "Success", EventId: "evt_hall", Seats: { Capacity: 16, Free: 16, Held: 0, Sold: 0 } });
    expect(empty.body.Seats).not.toHaveProperty("Yours");
    expect(empty.body.Seats.Sections[0].Rows[0]).toMatchObject({ Row: "A", GapBefore: 0 });
    expect(empty.body.Seats.Sections[0].Rows[0].Seats[4]).toEqual({ Seat: "Stalls:A5", Number: 5, State: "free", GapBefore: 1 });
    await reserve("alice", "k1", { Seats: ["A1", "A2"] });
    const alice = await api.call("GET", "/events/evt_hall/seats", { as: "alice" });
    expect(alice.body.Seats).toMatchObject({ Free: 14, Held: 0, Yours: 2 });
    expect(stateOf(alice.body)).toMatchObject({ "Stalls:A1": "yours", "Stalls:A2": "yours", "Stalls:A3": "free" });
    const anyone = await api.call("GET", "/events/evt_hall/seats");
    expect(stateOf(anyone.body)).toMatchObject({ "Stalls:A1": "held", "Stalls:A2": "held" });
    expect((await api.call("GET", "/events/evt_nope/seats")).status).toBe(404);
    await api.call("POST", "/events", { as: "admin", body: { Id: "evt_ga", Name: "Standing", Capacity: 5 } });
    // A real event without the resource asked for: 404 with its own code (it was 400 INVALID_ARGUMENT, "event id: …").
    const ga = await api.call("GET", "/events/evt_ga/seats");
    expect(ga.status).toBe(404);
    expect(ga.body).toMatchObject({ Status: "Error", Message: "evt_ga is a general-admission event: it has no seat map", Error: { Code: "SEAT_MAP_NOT_FOUND" } });
    const venue = await api.call("POST", "/events", {
      as: "admin",
      body: { Name: "Box Night", Price: "12.50", SeatMap: { sections: [{ name: "Box", rows: "1-2", seats: "1-4" }] } },
    });
    expect(venue.status).toBe(201);
    expect(venue.body.Event).toMatchObject({ Capacity: 8, Seated: true, Tiers: [{ Name: "Box", Price: "12.50" }] });
    const bad = await api.call("POST", "/events", { as: "admin", body: { Name: "Bad", SeatMap: { sections: [{ name: "Box", rows: "1", seat: "1-4" }] } } });
    expect([bad.status, bad.body.Error.Code]).toEqual([400, "INVALID_ARGUMENT"]);
    // Named as the body names it: not the CLI's --seat-map, nor "the file" a client never sent.
    expect(bad.body.Message).toBe('SeatMap: sections[0]: has an unknown key "seat" (known: name, tier, rows, seats)');
    const unknown = await api.call("POST", "/events", { as: "admin", body: { Name: "Bad", SeatMap: { rooms: [] } } });
    expect(unknown.body.Message).toBe('SeatMap: has an unknown key "rooms" (known: sections, name)');
  });

  it('an empty Seats list (a C# model\'s default) with a Quantity is no particular seats: the best ones, as on general admission', async () => {
    const best = await reserve("alice", "k-empty", { Seats: [], Quantity: 2 });
    expect(best.status, JSON.stringify(best.body)).toBe(200);
    expect(best.body.Tickets).toHaveLength(2);
    await api.call("POST", "/events", { as: "admin", body: { Id: "evt_ga", Name: "Standing", Capacity: 5 } });
    const ga = await api.call("POST", "/tickets/evt_ga/reserve", { as: "bob", key: "k-ga", body: { Seats: [], Quantity: 2 } });
    expect(ga.status, JSON.stringify(ga.body)).toBe(200);
    expect(ga.body.Tickets).toHaveLength(2);
    // An empty name inside a list is still refused, naming Seats.
    const blank = await reserve("carol", "k-blank", { Seats: ["A1", ""] });
    expect([blank.status, blank.body.Message]).toEqual([400, "Seats: name seats like A12,A13 (or Stalls:A12), with no empty name"]);
    // The library, given an empty list, says what to do rather than "with no empty name".
    await expect(api.tix.tickets.reserve({ eventId: "evt_hall", userId: "dave", key: "k-lib", seats: [] })).rejects.toThrow(
      "seats: name at least one seat, like A12,A13 (or Stalls:A12); to have the best seats, leave seats out and give a quantity",
    );
  });

  it("reserves named seats (all or none: 409 SEAT_TAKEN), or a quantity best available, with their seats", async () => {
    const named = await reserve("alice", "k1", { Seats: ["A1", "A2"] });
    expect(named.status).toBe(200);
    expect(named.body).toMatchObject({ Status: "Success", Replayed: false, Blocks: 1, Ticket: { Seat: "Stalls:A1", Tier: "Stalls", Price: "30.00" } });
    expect(named.body.Tickets.map((ticket: { Seat: string }) => ticket.Seat)).toEqual(["Stalls:A1", "Stalls:A2"]);
    const taken = await reserve("bob", "k1", { Seats: "A2,A3" });
    expect(taken.status).toBe(409);
    expect(taken.body.Error.Code).toBe("SEAT_TAKEN");
    expect(taken.body.Message).toContain("Stalls:A2");
    const best = await reserve("bob", "k1", { Quantity: 2 });
    expect(best.body.Tickets.map((ticket: { Seat: string }) => ticket.Seat)).toEqual(["Stalls:A3", "Stalls:A4"]);
    const replay = await reserve("bob", "k1", { Quantity: 2 });
    expect(replay.body).toMatchObject({ Replayed: true, OrderId: best.body.OrderId });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const split = await reserve("carol", "k1", { Quantity: 3, Tier: "Stalls", AllowSplit: true });
    expect(split.body.Blocks).toBe(1);
    const one = await reserve("dave", "k1");
    expect(one.body.Ticket.Seat).toBe("Stalls:A8");
    for (const body of [{ Seats: [1, 2] }, { AllowSplit: "yes" }, { Seats: ["Z99"] }]) {
      const refused = await reserve("erin", "k9", body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
  });
});
