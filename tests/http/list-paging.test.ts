import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { STORE_KINDS, startServer, type Harness } from "../helpers/server-harness.js";

/**
 * GET /tickets and GET /events/{id}/vouchers answer pages, as GET /events does: at most `limit`
 * (default 100, 1 to 1000) after `after`, with `Next` (and `Link: <…>; rel="next"`) to follow.
 */
describe.each(STORE_KINDS)("tix serve, paged lists of tickets and vouchers, over %s", (kind) => {
  let api: Harness;
  beforeEach(async () => {
    api = await startServer(kind);
    for (const id of ["evt_one", "evt_two"]) {
      const created = await api.call("POST", "/events", { as: "admin", body: { Id: id, Name: id, Capacity: 300, LimitPerUser: 200, Price: "10.00" } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  });
  afterEach(() => api.close());

  /** Every page from `path`, following `Next`: the items under `key` and how many pages there were. */
  async function follow(path: string, key: string, as: string): Promise<{ items: Array<Record<string, unknown>>; pages: number }> {
    const items: Array<Record<string, unknown>> = [];
    let pages = 0;
    for (let next: string | null = path; next !== null; pages++) {
      const answer = await api.call("GET", next, { as });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      items.push(...(answer.body[key] as Array<Record<string, unknown>>));
      expect(answer.headers.get("link")).toBe(answer.body.Next === null ? null : `<${answer.body.Next}>; rel="next"`);
      next = answer.body.Next as string | null;
    }
    return { items, pages };
  }

  it("GET /tickets: the caller's tickets a page at a time, the filters kept in Next; 100 a page by default", async () => {
    // 150 of alice's tickets: 120 of evt_one (80 bought), 30 of evt_two; a few of bob's.
    for (const [eventId, orders] of [["evt_one", 3], ["evt_two", 1]] as const) {
      for (let order = 0; order < orders; order++) {
        const reserved = await api.call("POST", `/tickets/${eventId}/reserve`, { as: "alice", key: `${eventId}-${order}`, body: { Quantity: eventId === "evt_one" ? 40 : 30 } });
        expect(reserved.status, JSON.stringify(reserved.body)).toBe(200);
        if (order < orders - 1) await api.call("POST", `/tickets/${reserved.body.OrderId}/purchase`, { as: "alice" });
      }
    }
    await api.call("POST", "/tickets/evt_one/reserve", { as: "bob", key: "b", body: { Quantity: 2 } });

    const first = await api.call("GET", "/tickets", { as: "alice" });
    expect(first.body.Tickets).toHaveLength(100);
    expect(first.body.Next).toBe(`/tickets?limit=100&after=${first.body.Tickets[99].Id}`);
    const all = await follow("/tickets", "Tickets", "alice");
    expect(all.pages).toBe(2);
    expect(all.items).toHaveLength(150);
    expect(new Set(all.items.map((ticket) => ticket.Id)).size).toBe(150);
    expect(all.items.every((ticket) => ticket.UserId === "alice")).toBe(true);
    // Oldest first: reservation times never go back.
    expect(all.items.map((ticket) => ticket.ReservedAt)).toEqual(all.items.map((ticket) => ticket.ReservedAt).sort());

    const bought = await follow("/tickets?eventId=evt_one&status=purchased&limit=7", "Tickets", "alice");
    expect(bought.pages).toBe(12);
    expect(bought.items).toHaveLength(80);
    expect(bought.items.every((ticket) => ticket.EventId === "evt_one" && String(ticket.Status).toLowerCase() === "purchased")).toBe(true);
    const second = await api.call("GET", "/tickets?eventId=evt_one&status=purchased&limit=7", { as: "alice" });
    expect(second.body.Next).toBe(`/tickets?eventId=evt_one&status=purchased&limit=7&after=${second.body.Tickets[6].Id}`);

    const bad = await api.call("GET", "/tickets?after=tkt_none", { as: "alice" });
    expect(bad.status).toBe(400);
    expect((await api.call("GET", "/tickets?limit=0", { as: "alice" })).status).toBe(400);
    expect((await api.call("GET", "/tickets?limit=1001", { as: "alice" })).status).toBe(400);
    expect((await api.call("GET", "/tickets", { as: "bob" })).body).toMatchObject({ Next: null });
  });

  it("GET /tickets?after= naming another user's ticket is 400 as an unknown id is, word for word, whether or not tickets of the caller's follow it (it answered 200: a user could tell whose ids exist)", async () => {
    const bobs = await api.call("POST", "/tickets/evt_one/reserve", { as: "bob", key: "b1" });
    const alices = await api.call("POST", "/tickets/evt_two/reserve", { as: "alice", key: "a1" });
    expect([bobs.status, alices.status]).toEqual([200, 200]);
    const bobId = bobs.body.Ticket.Id as string;
    const unknownId = `${bobId.slice(0, -1)}${bobId.endsWith("x") ? "y" : "x"}`;
    const answers = [];
    for (const after of [bobId, unknownId]) {
      for (const query of [`after=${after}`, `eventId=evt_one&after=${after}`]) {
        const answer = await api.call("GET", `/tickets?${query}`, { as: "alice" });
        answers.push([answer.status, String(answer.body.Message).replace(after, "ID")]);
      }
    }
    expect(answers).toEqual(Array(4).fill([400, "after: no ticket ID; give the last id of the previous page"]));
    // Paging after one's own ticket goes on as before (the page after the last is empty, Next null).
    const own = await api.call("GET", `/tickets?after=${alices.body.Ticket.Id as string}`, { as: "alice" });
    expect([own.status, own.body.Tickets, own.body.Next]).toEqual([200, [], null]);
    expect((await api.call("GET", `/tickets?after=${bobId}`, { as: "bob" })).status).toBe(200);
  });

  it("GET /tickets: a page's last ticket transferred (or bought) before the next page is asked goes on after its place; one never the caller's is still 400", async () => {
    const reserved = await api.call("POST", "/tickets/evt_one/reserve", { as: "alice", key: "a", body: { Quantity: 4 } });
    expect(reserved.status, JSON.stringify(reserved.body)).toBe(200);
    expect((await api.call("POST", `/tickets/${reserved.body.OrderId}/purchase`, { as: "alice" })).status).toBe(200);
    // Later, so the bought four come first in the list (reservation time, then id).
    api.clock.advance(1_000);
    const held = await api.call("POST", "/tickets/evt_two/reserve", { as: "alice", key: "b", body: { Quantity: 2 } });
    expect(held.status).toBe(200);
    const ids = async (path: string, as = "alice") => {
      const answer = await api.call("GET", path, { as });
      return [answer.status, answer.status === 200 ? answer.body.Tickets.map((ticket: { Id: string }) => ticket.Id) : answer.body.Message];
    };
    const [, mine] = await ids("/tickets");
    expect(mine).toHaveLength(6);

    const first = await api.call("GET", "/tickets?limit=2", { as: "alice" });
    expect(first.body.Tickets.map((ticket: { Id: string }) => ticket.Id)).toEqual(mine.slice(0, 2));
    // The page's last ticket is given to bob before alice asks for the next page: it was 400.
    const cursor = mine[1] as string;
    expect((await api.call("POST", `/tickets/${cursor}/transfer`, { as: "alice", body: { To: "bob" } })).status).toBe(200);
    expect(await ids(first.body.Next)).toEqual([200, mine.slice(2, 4)]);
    // Bob pages after it as his own; carol, who never had it, is refused as for an unknown id.
    expect(await ids(`/tickets?after=${cursor}`, "bob")).toEqual([200, []]);
    expect(await ids(`/tickets?after=${cursor}`, "carol")).toEqual([400, `after: no ticket ${cursor}; give the last id of the previous page`]);
    // Passed on again (bob to carol): alice, and bob, still page after it.
    expect((await api.call("POST", `/tickets/${cursor}/transfer`, { as: "bob", body: { To: "carol" } })).status).toBe(200);
    expect(await ids(`/tickets?limit=2&after=${cursor}`)).toEqual([200, mine.slice(2, 4)]);
    expect(await ids(`/tickets?after=${cursor}`, "bob")).toEqual([200, []]);
    expect(await ids(`/tickets?after=${cursor}`, "dave")).toEqual([400, `after: no ticket ${cursor}; give the last id of the previous page`]);

    // A held ticket bought between two pages of status=reserved leaves that list: the next page still follows it.
    const reservedPage = await api.call("GET", "/tickets?status=reserved&limit=1", { as: "alice" });
    const heldId = reservedPage.body.Tickets[0].Id as string;
    expect((await api.call("POST", `/tickets/${heldId}/purchase`, { as: "alice" })).status).toBe(200);
    expect(await ids(reservedPage.body.Next)).toEqual([200, [mine[5]]]);
  });

  it("a bad eventId in the query is named as the query spells it (was 'event id', as a path's id); a PATCH path's bad id is 'event id' (was the body's 'Id')", async () => {
    const messages = [];
    for (const path of ["/tickets?eventId=", `/tickets?EventId=${"e".repeat(300)}`]) {
      const refused = await api.call("GET", path, { as: "alice" });
      expect(refused.status, path).toBe(400);
      messages.push(refused.body.Message);
    }
    const patched = await api.call("PATCH", `/events/${"e".repeat(300)}`, { as: "admin", body: { Capacity: 5 } });
    expect(patched.status).toBe(400);
    messages.push(patched.body.Message);
    expect(messages).toEqual([
      "eventId: must be 1 to 255 printable characters",
      "EventId: must be 1 to 255 printable characters",
      "event id: must be 1 to 255 printable characters",
    ]);
  });

  it("every query parameter's error names it as the query spells it: Status, Limit, After (they were named status, limit, after)", async () => {
    const refusals: Array<[string, string]> = [
      ["/tickets?Status=bogus", 'Status: "bogus" is not one of reserved, purchased, cancelled, expired'],
      ["/tickets?status=bogus", 'status: "bogus" is not one of reserved, purchased, cancelled, expired'],
      ["/tickets?LIMIT=0", 'LIMIT: "0" must be a whole number from 1 to 1000'],
      ["/tickets?After=tkt_nope", "After: no ticket tkt_nope; give the last id of the previous page"],
      ["/events?Limit=abc", 'Limit: "abc" must be a whole number from 1 to 1000'],
      ["/events?After=evt_nope", "After: no event evt_nope; give the last id of the previous page"],
      ["/events?after=evt_nope", "after: no event evt_nope; give the last id of the previous page"],
    ];
    for (const [path, message] of refusals) {
      const refused = await api.call("GET", path, { as: "alice" });
      expect([refused.status, refused.body.Message], path).toEqual([400, message]);
    }
  });

  it("GET /events/{id}/vouchers: a page at a time after a code", async () => {
    const codes = Array.from({ length: 12 }, (_, index) => `CODE${String.fromCharCode(90 - index)}`);
    for (const code of codes) {
      expect((await api.call("POST", "/events/evt_one/vouchers", { as: "admin", body: { Code: code, Percent: 10 } })).status).toBe(201);
      await api.call("POST", "/events/evt_two/vouchers", { as: "admin", body: { Code: code, Percent: 20 } });
    }
    const whole = await api.call("GET", "/events/evt_one/vouchers", { as: "admin" });
    expect(whole.body.Vouchers.map((voucher: { Code: string }) => voucher.Code)).toEqual(codes);
    expect(whole.body.Next).toBeNull();
    const paged = await follow("/events/evt_one/vouchers?limit=5", "Vouchers", "admin");
    expect(paged.pages).toBe(3);
    expect(paged.items).toEqual(whole.body.Vouchers);
    const page = await api.call("GET", "/events/evt_one/vouchers?limit=5", { as: "admin" });
    expect(page.body.Next).toBe(`/events/evt_one/vouchers?limit=5&after=${codes[4]}`);
    expect((await api.call("GET", "/events/evt_one/vouchers?after=NOPE", { as: "admin" })).status).toBe(400);
    expect((await api.call("GET", "/events/evt_one/vouchers", { as: "alice" })).status).toBe(403);
  });
});
