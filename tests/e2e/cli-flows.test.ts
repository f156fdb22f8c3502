import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: { path: string; remove: () => void };
const tix = (args: string[], env: Record<string, string> = {}) => runTix(args, home.path, { env });

beforeEach(() => {
  home = tempDir();
  expect(tix(["seed"]).code).toBe(0);
});
afterEach(() => home.remove());

const reserve = (eventId: string, key: string, env: Record<string, string> = {}) =>
  tix(["--json", "reserve", eventId, "--key", key], env);

describe("the seed flow through bin/tix", () => {
  it("reserve → purchase", () => {
    const reserved = reserve("evt_jazz_evening", "k1");
    expect(reserved.code).toBe(0);
    const body = reserved.json();
    expect(body).toMatchObject({ status: "success", replayed: false, key: "k1", ticket: { status: "reserved", eventId: "evt_jazz_evening", userId: "alice", price: "45.00" } });
    expect(body.ticket.id).toMatch(/^tkt_/);

    const purchased = tix(["--json", "purchase", body.ticket.id]);
    expect(purchased.code).toBe(0);
    expect(purchased.json()).toMatchObject({ status: "success", ticket: { id: body.ticket.id, status: "purchased", cardLast4: "4242" } });
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event).toMatchObject({ held: 0, sold: 1, available: 1499 });
  });

  it("reserve → cancel puts the place back on sale", () => {
    const { ticket } = reserve("evt_jazz_evening", "k1").json();
    const cancelled = tix(["--json", "cancel", ticket.id]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.json().ticket.status).toBe("cancelled");
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event).toMatchObject({ held: 0, available: 1500 });
    expect(tix(["--json", "cancel", ticket.id]).code).toBe(4);
  });

  it("reserve → the hold expires → purchase fails with HOLD_EXPIRED (exit 5)", () => {
    // A day before the seeded (upcoming) concert, so that its sales are open throughout.
    const day = 86_400_000;
    const startsAt = Date.parse(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event.startsAt);
    const start = { TIX_NOW: new Date(startsAt - day).toISOString() };
    const later = { TIX_NOW: new Date(startsAt - day + 10 * 60_000).toISOString() };
    const { ticket } = reserve("evt_jazz_evening", "k1", start).json();
    expect(ticket.expiresAt).toBe(new Date(startsAt - day + 10 * 60_000).toISOString());
    const expired = tix(["--json", "purchase", ticket.id], later);
    expect(expired.code).toBe(5);
    expect(expired.json().error.code).toBe("HOLD_EXPIRED");
    expect(tix(["--json", "ticket", "show", ticket.id], later).json().ticket.status).toBe("expired");
    expect(tix(["--json", "event", "show", "evt_jazz_evening"], later).json().event.held).toBe(0);
  });

  it("replays a key: the same ticket, replayed, nothing new", () => {
    const first = reserve("evt_rock_night_2025", "retry-me").json();
    const again = reserve("evt_rock_night_2025", "retry-me");
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({ replayed: true, ticket: { id: first.ticket.id } });
    expect(tix(["--json", "ticket", "list"]).json().tickets).toHaveLength(1);
  });

  it("refuses the key reused on another event: IDEMPOTENCY_KEY_REUSED, exit 4", () => {
    reserve("evt_rock_night_2025", "k1");
    const reused = reserve("evt_jazz_evening", "k1");
    expect(reused.code).toBe(4);
    expect(reused.json()).toMatchObject({ status: "error", error: { code: "IDEMPOTENCY_KEY_REUSED" } });
  });

  it("gives another user with an identical key their own ticket", () => {
    const alice = reserve("evt_rock_night_2025", "same").json();
    const bob = reserve("evt_rock_night_2025", "same", { TIX_USER: "bob" });
    expect(bob.code).toBe(0);
    expect(bob.json()).toMatchObject({ replayed: false, ticket: { userId: "bob" } });
    expect(bob.json().ticket.id).not.toBe(alice.ticket.id);
    const viaFlag = tix(["--user", "carol", "--json", "reserve", "evt_rock_night_2025", "--key", "same"]);
    expect(viaFlag.json().ticket.userId).toBe("carol");
  });

  it("answers SOLD_OUT (exit 4) once capacity is taken", () => {
    expect(tix(["event", "create", "--id", "evt_tiny", "--name", "Tiny Gig", "--capacity", "1"]).code).toBe(0);
    expect(reserve("evt_tiny", "k").code).toBe(0);
    const soldOut = reserve("evt_tiny", "k", { TIX_USER: "bob" });
    expect(soldOut.code).toBe(4);
    expect(soldOut.json().error.code).toBe("SOLD_OUT");
  });

  it("answers DUPLICATE_RESERVATION (exit 4) for a second hold with a new key", () => {
    reserve("evt_jazz_evening", "k1");
    const second = reserve("evt_jazz_evening", "k2");
    expect(second.code).toBe(4);
    expect(second.json().error.code).toBe("DUPLICATE_RESERVATION");
  });

  it("lets only the owner purchase or cancel: NOT_TICKET_OWNER, exit 7", () => {
    const { ticket } = reserve("evt_jazz_evening", "k1").json();
    const stranger = tix(["--json", "purchase", ticket.id], { TIX_USER: "mallory" });
    expect(stranger.code).toBe(7);
    expect(stranger.json().error.code).toBe("NOT_TICKET_OWNER");
    expect(tix(["cancel", ticket.id], { TIX_USER: "mallory" }).code).toBe(7);
  });

  it("declines the declining test card (exit 6) and keeps the hold", () => {
    const { ticket } = reserve("evt_jazz_evening", "k1").json();
    const declined = tix(["--json", "purchase", ticket.id, "--card", "4000000000000002"]);
    expect(declined.code).toBe(6);
    expect(declined.json().error.code).toBe("PAYMENT_DECLINED");
    expect(tix(["--json", "ticket", "show", ticket.id]).json().ticket).toMatchObject({ status: "reserved", cardLast4: null });
  });

  it("refuses a card number failing Luhn (exit 2) and never prints it", () => {
    const { ticket } = reserve("evt_jazz_evening", "k1").json();
    const bad = tix(["purchase", ticket.id, "--card", "4242424242424241"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: card: .*Luhn/);
    expect(bad.stderr).not.toContain("4242424242424241");
    expect(tix(["--json", "ticket", "show", ticket.id]).json().ticket.status).toBe("reserved");
  });

  it("answers EVENT_NOT_FOUND and TICKET_NOT_FOUND with exit 3", () => {
    expect(tix(["event", "show", "evt_nope"]).code).toBe(3);
    expect(reserve("evt_nope", "k").json().error.code).toBe("EVENT_NOT_FOUND");
    expect(tix(["--json", "purchase", "tkt_nope"]).json().error.code).toBe("TICKET_NOT_FOUND");
  });

  it("creates, updates (create-or-update) and refuses capacity below what is committed", () => {
    const created = tix(["--json", "event", "create", "--name", "Blues Night", "--capacity", "2", "--venue", "Cellar",
      "--starts-at", "2099-09-01T21:00Z", "--hold", "1h30m", "--price", "12.5"]);
    expect(created.code).toBe(0);
    const event = created.json().event;
    expect(event).toMatchObject({ name: "Blues Night", capacity: 2, holdSeconds: 5400, price: "12.50", startsAt: "2099-09-01T21:00:00.000Z" });
    reserve(event.id, "k");
    const below = tix(["--json", "event", "update", event.id, "--capacity", "0"]);
    expect(below.code).toBe(2);
    const committed = tix(["--json", "event", "create", "--id", event.id, "--name", "Blues Night", "--capacity", "1"]);
    expect(committed.code).toBe(0);
    expect(committed.json().event).toMatchObject({ id: event.id, capacity: 1, held: 1 });
    tix(["event", "update", event.id, "--capacity", "2"]);
    reserve(event.id, "k", { TIX_USER: "bob" });
    const refused = tix(["--json", "event", "update", event.id, "--capacity", "1"]);
    expect(refused.code).toBe(4);
    expect(refused.json().error.code).toBe("CAPACITY_BELOW_COMMITTED");
  });

  it("seeds twice without adding anything", () => {
    const again = tix(["--json", "seed"]);
    expect(again.code).toBe(0);
    expect(again.json().created).toBe(0);
    const names = tix(["--json", "event", "list"]).json().events.map((event: { name: string }) => event.name);
    expect(names).toEqual(expect.arrayContaining(["Rock Night 2025", "Jazz Evening"]));
    expect(names).toHaveLength(new Set(names).size);
    // Samples are upcoming: the next date with the seed's month, day and time that is still ahead.
    const upcoming = (monthDayTime: string) => expect.toSatisfy((iso: string) => {
      const time = Date.parse(iso);
      return iso.slice(4) === `-${monthDayTime}:00.000Z` && time > Date.now() && time <= Date.now() + 366 * 86_400_000;
    });
    expect(tix(["--json", "event", "show", "evt_rock_night_2025"]).json().event).toMatchObject({
      venue: "Seattle Dome", startsAt: upcoming("06-15T20:00"), capacity: 5000,
    });
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event).toMatchObject({
      venue: "Portland Theater", startsAt: upcoming("07-10T19:30"), capacity: 1500,
    });
  });

  it("lists tickets: mine by default, everyone's with --all-users, filtered by event and status", () => {
    const mine = reserve("evt_jazz_evening", "k1").json().ticket;
    reserve("evt_rock_night_2025", "k1", { TIX_USER: "bob" });
    tix(["purchase", mine.id]);
    const ids = (args: string[]) => tix(["--json", "ticket", "list", ...args]).json().tickets.map((t: { id: string }) => t.id);
    expect(ids([])).toEqual([mine.id]);
    expect(ids(["--all-users"])).toHaveLength(2);
    expect(ids(["--all-users", "--event", "evt_rock_night_2025"])).toHaveLength(1);
    expect(ids(["--status", "purchased"])).toEqual([mine.id]);
    expect(ids(["--status", "reserved"])).toEqual([]);
    // Any case, as gh's enum flags and as tix serve's ?status=Purchased (the seed's capitalised statuses).
    expect(ids(["--status", "Purchased"])).toEqual([mine.id]);
    expect(ids(["--status", "PURCHASED"])).toEqual([mine.id]);
    const lost = tix(["ticket", "list", "--status", "lost"]);
    expect([lost.code, lost.stderr.trim()]).toEqual([2, 'error: status: "lost" is not one of reserved, purchased, cancelled, expired']);
  });
});

describe("tix purchase --key", () => {
  it("a retry with the key replays (exit 0, charged once); the key for another purchase is IDEMPOTENCY_KEY_REUSED (exit 4)", () => {
    const { ticket } = tix(["--json", "reserve", "evt_jazz_evening", "--key", "hold-1"]).json();
    const first = tix(["--json", "purchase", ticket.id, "--key", "pay-1"]);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ status: "success", replayed: false, key: "pay-1", ticket: { id: ticket.id, status: "purchased" } });

    const retry = tix(["--json", "purchase", ticket.id, "--key", "pay-1"]);
    expect(retry.code).toBe(0);
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
    expect(tix(["purchase", ticket.id, "--key", "pay-1"]).stdout).toMatch(/^replayed:\ttrue$/m);

    const without = tix(["--json", "purchase", ticket.id]);
    expect([without.code, without.json().error.code]).toEqual([4, "ALREADY_PURCHASED"]);

    const other = tix(["--json", "reserve", "evt_rock_night_2025", "--key", "hold-2"]).json().ticket;
    const reused = tix(["--json", "purchase", other.id, "--key", "pay-1"]);
    expect([reused.code, reused.json().error.code]).toEqual([4, "IDEMPOTENCY_KEY_REUSED"]);
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event.sold).toBe(1);
    expect(tix(["--json", "ticket", "show", other.id]).json().ticket.status).toBe("reserved");

    expect(tix(["purchase", other.id, "--key", ""]).code).toBe(2);
  });
});
