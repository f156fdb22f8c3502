import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STORE_KINDS, startServer, type Harness } from "../helpers/server-harness.js";

/** The box office's second round over HTTP: sales windows (409), access codes, vouchers, transfers. */
describe.each(STORE_KINDS)("tix serve, sales and transfers, over %s", (kind) => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer(kind);
    const created = await api.call("POST", "/events", {
      as: "admin",
      body: {
        Id: "evt_tour", Name: "Tour", StartsAt: "2030-01-02T20:00Z", SalesEnd: "2030-01-02T12:00Z", Hold: "2d",
        TicketTypes: [{ Name: "Presale", Price: "39.00", Capacity: 2, AccessCode: "FANS" }, { Name: "GA", Price: "49.00", Capacity: 5 }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });
  afterEach(() => api.close());

  const reserve = (user: string, key: string, body: Record<string, unknown> = { Tier: "GA" }) =>
    api.call("POST", "/tickets/evt_tour/reserve", { as: user, key, body });

  it("shows sales windows and which tiers need a code, never the code", async () => {
    const { body } = await api.call("GET", "/events/evt_tour");
    expect(body.Event).toMatchObject({ SalesStart: null, SalesEnd: "2030-01-02T12:00:00.000Z" });
    expect(body.Event.Tiers).toMatchObject([{ Name: "Presale", RequiresCode: true, SalesStart: null, SalesEnd: null }, { Name: "GA", RequiresCode: false }]);
    expect(JSON.stringify(body)).not.toContain("FANS");
  });

  it("reserves a coded tier with Code in the body; a wrong or missing code is 403 ACCESS_CODE_INVALID", async () => {
    for (const body of [{ Tier: "Presale" }, { Tier: "Presale", Code: "CREW" }]) {
      const refused = await reserve("alice", "k1", body);
      expect(refused.status).toBe(403);
      expect(refused.body.Error.Code).toBe("ACCESS_CODE_INVALID");
    }
    const reserved = await reserve("alice", "k1", { Tier: "Presale", code: "fans" });
    expect(reserved.status).toBe(200);
    expect(reserved.body.Ticket).toMatchObject({ Tier: "Presale", Price: "39.00" });
  });

  it("answers 409 SALES_CLOSED outside the sales window, and for a purchase after the event started", async () => {
    const held = await reserve("alice", "k1");
    api.clock.set("2030-01-02T12:00:00Z");
    const closed = await reserve("bob", "k1");
    expect(closed.status).toBe(409);
    expect(closed.body).toMatchObject({ Message: expect.stringContaining("closed at 2030-01-02T12:00:00.000Z"), Error: { Code: "SALES_CLOSED" } });
    api.clock.set("2030-01-02T20:00:00Z");
    const late = await api.call("POST", `/tickets/${held.body.Ticket.Id}/purchase`, { as: "alice" });
    expect(late.status).toBe(409);
    expect(late.body.Error.Code).toBe("SALES_CLOSED");
  });

  it("creates vouchers (admins only) and charges the discounted price for a purchase with Voucher in the body", async () => {
    const forbidden = await api.call("POST", "/events/evt_tour/vouchers", { as: "alice", body: { Code: "SPRING", Percent: 20 } });
    expect(forbidden.status).toBe(403);
    const created = await api.call("POST", "/events/evt_tour/vouchers", { as: "admin", body: { Code: "spring", Percent: 20, MaxUses: 1 } });
    expect(created.status).toBe(201);
    expect(created.body.Voucher).toMatchObject({ EventId: "evt_tour", Code: "SPRING", Discount: "20%", MaxUses: 1, Uses: 0 });

    const alice = await reserve("alice", "k1");
    const paid = await api.call("POST", `/tickets/${alice.body.Ticket.Id}/purchase`, { as: "alice", body: { Voucher: "Spring" } });
    expect(paid.status).toBe(200);
    expect(paid.body.Ticket).toMatchObject({ Status: "Purchased", Price: "39.20", Discount: "9.80", DiscountMinor: 980, Voucher: "SPRING" });

    const bob = await reserve("bob", "k1");
    const usedUp = await api.call("POST", `/tickets/${bob.body.Ticket.Id}/purchase`, { as: "bob", body: { Voucher: "SPRING" } });
    expect(usedUp.status).toBe(409);
    expect(usedUp.body.Error.Code).toBe("VOUCHER_USED_UP");
    const unknown = await api.call("POST", `/tickets/${bob.body.Ticket.Id}/purchase`, { as: "bob", body: { Voucher: "NOPE" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.Error.Code).toBe("VOUCHER_INVALID");
    // A malformed code is named as the body has it (it said "voucher:", a name no body sends).
    const malformed = await api.call("POST", `/tickets/${bob.body.Ticket.Id}/purchase`, { as: "bob", body: { Voucher: "" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.Message).toBe(`Voucher: "" must be 1 to 64 letters A to Z (no accents), digits, '-' or '_'`);
    // The discount's fields are named as the body spells them (it said "discount:", which no body has).
    for (const [body, message] of [
      [{ Code: "X" }, 'Percent: is required, or Amount, e.g. {"Percent": 20} or {"Amount": "5.00"}'],
      [{ Code: "X", Percent: 5, Amount: "1.00" }, "Amount: given with Percent; send one of them"],
      [{ code: "X", percent: 5, amount: "1.00" }, "Amount: given with Percent; send one of them"],
    ] as const) {
      const refused = await api.call("POST", "/events/evt_tour/vouchers", { as: "admin", body });
      expect([refused.status, refused.body.Message]).toEqual([400, message]);
    }
    const listed = await api.call("GET", "/events/evt_tour/vouchers", { as: "admin" });
    expect(listed.body.Vouchers).toMatchObject([{ Code: "SPRING", Uses: 1 }]);
  });

  it("transfers a purchased ticket with POST /tickets/{id}/transfer; the old owner can no longer act on it", async () => {
    const held = await reserve("alice", "k1");
    const id = held.body.Ticket.Id as string;
    const early = await api.call("POST", `/tickets/${id}/transfer`, { as: "alice", body: { To: "bob" } });
    expect(early.status).toBe(409);
    expect(early.body.Error.Code).toBe("TICKET_NOT_PURCHASED");
    await api.call("POST", `/tickets/${id}/purchase`, { as: "alice" });
    const missing = await api.call("POST", `/tickets/${id}/transfer`, { as: "alice", body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.Message).toBe('To: is required, e.g. {"To": "bob"}');
    const number = await api.call("POST", `/tickets/${id}/transfer`, { as: "alice", body: { To: 5 } });
    expect(number.body.Message).toBe('To: must be a string, e.g. {"To": "bob"}');
    const spaced = await api.call("POST", `/tickets/${id}/transfer`, { as: "alice", body: { To: "b b" } });
    expect(spaced.body.Message).toBe('To: "b b" must be 1 to 64 printable characters without spaces');
    const moved = await api.call("POST", `/tickets/${id}/transfer`, { as: "alice", body: { To: "bob" } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ Status: "Success", From: "alice", To: "bob", LeftWaitlist: false, Ticket: { Id: id, UserId: "bob", Status: "Purchased" } });
    expect(moved.body.OrderId).toBe(moved.body.Ticket.OrderId);
    const again = await api.call("POST", `/tickets/${id}/transfer`, { as: "alice", body: { To: "carol" } });
    expect(again.status).toBe(403);
    expect((await api.call("GET", `/tickets/${id}`, { as: "bob" })).body.Ticket.UserId).toBe("bob");
    expect((await api.call("DELETE", `/tickets/${id}`, { as: "alice" })).status).toBe(403);
    expect((await api.call("DELETE", `/tickets/${id}`, { as: "bob" })).body.Ticket.Status).toBe("Cancelled");
  });

  it("applies sales windows, a tier's AccessCode, vouchers and transfers to a seated event; a transferred ticket keeps its Seat", async () => {
    const created = await api.call("POST", "/events", {
      as: "admin",
      body: {
        Id: "evt_hall", Name: "Hall", StartsAt: "2030-01-02T20:00Z", Seats: ["Stalls:A:1-4", "Circle:A:1-2"], LimitPerUser: 4,
        TicketTypes: [{ Name: "Stalls", Price: "30.00" }, { Name: "Circle", Price: "50.00", AccessCode: "FANS" }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.Event).toMatchObject({ Seated: true, Capacity: 6, SalesEnd: "2030-01-02T20:00:00.000Z" });
    expect(created.body.Event.Tiers).toMatchObject([{ Name: "Stalls", RequiresCode: false }, { Name: "Circle", RequiresCode: true }]);
    const seats = (user: string, key: string, body: Record<string, unknown>) => api.call("POST", "/tickets/evt_hall/reserve", { as: user, key, body });
    const noCode = await seats("alice", "k1", { Seats: ["Circle:A1"] });
    expect(noCode.status).toBe(403);
    expect(noCode.body.Error.Code).toBe("ACCESS_CODE_INVALID");
    const held = await seats("alice", "k1", { Seats: ["Circle:A1", "Stalls:A1"], Code: "fans" });
    expect(held.status, JSON.stringify(held.body)).toBe(200);
    await api.call("POST", "/events/evt_hall/vouchers", { as: "admin", body: { Code: "HALF", Percent: 50 } });
    const paid = await api.call("POST", `/tickets/${held.body.OrderId}/purchase`, { as: "alice", body: { Voucher: "HALF" } });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const circle = held.body.Tickets.find((ticket: { Seat: string }) => ticket.Seat === "Circle:A1").Id as string;
    expect((await api.call("GET", `/tickets/${circle}`, { as: "alice" })).body.Ticket).toMatchObject({ Status: "Purchased", Price: "25.00", Voucher: "HALF" });
    const moved = await api.call("POST", `/tickets/${circle}/transfer`, { as: "alice", body: { To: "bob" } });
    expect(moved.body).toMatchObject({ From: "alice", To: "bob", Ticket: { Id: circle, Seat: "Circle:A1", UserId: "bob" } });
    const taken = await seats("carol", "k1", { Seats: ["Circle:A1"], Code: "FANS" });
    expect(taken.status).toBe(409);
    expect(taken.body.Error.Code).toBe("SEAT_TAKEN");
    api.clock.set("2030-01-02T20:00:00Z");
    const closed = await seats("carol", "k2", { Seats: ["Stalls:A2"] });
    expect(closed.status).toBe(409);
    expect(closed.body.Error.Code).toBe("SALES_CLOSED");
  });
});
