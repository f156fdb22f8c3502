import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: { path: string; remove: () => void };
/** Every command at one pinned instant unless a test moves it: the sales windows below are read against it. */
const NOW = "2030-01-01T12:00:00Z";
const tix = (args: string[], env: Record<string, string> = {}) => runTix(args, home.path, { env: { TIX_NOW: NOW, ...env } });
const json = (args: string[], env: Record<string, string> = {}) => tix(["--json", ...args], env);

beforeEach(() => {
  home = tempDir();
});
afterEach(() => home.remove());

describe("sales windows, access codes, vouchers and transfers from the CLI", () => {
  it("sets sales windows with --sales-start/--sales-end and answers SALES_CLOSED (exit 4) outside them", () => {
    const created = json(["event", "create", "--id", "evt_tour", "--name", "Tour", "--capacity", "10", "--starts-at", "2030-03-01T20:00Z",
      "--sales-start", "2030-01-01T13:00Z", "--hold", "2d"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json().event).toMatchObject({ salesStart: "2030-01-01T13:00:00.000Z", salesEnd: "2030-03-01T20:00:00.000Z" });
    const early = json(["reserve", "evt_tour", "--key", "k1"]);
    expect(early.code).toBe(4);
    expect(early.json().error).toMatchObject({ code: "SALES_CLOSED", message: "sales for event evt_tour open at 2030-01-01T13:00:00.000Z" });
    expect(tix(["reserve", "evt_tour", "--key", "k1"]).stderr).toBe("error: sales for event evt_tour open at 2030-01-01T13:00:00.000Z\n");

    const later = { TIX_NOW: "2030-02-01T00:00:00Z" };
    const held = json(["reserve", "evt_tour", "--key", "k1"], later);
    expect(held.code, held.stderr).toBe(0);
    const updated = json(["event", "update", "evt_tour", "--sales-end", "2030-02-01T00:00Z"], later);
    expect(updated.json().changes).toEqual([{ field: "salesEnd", from: null, to: "2030-02-01T00:00:00.000Z" }]);
    expect(json(["--user", "bob", "reserve", "evt_tour", "--key", "k1"], later).json().error.code).toBe("SALES_CLOSED");
    expect(json(["--user", "bob", "waitlist", "join", "evt_tour"], later).json().error.code).toBe("SALES_CLOSED");
    // A hold made in time may be paid for after sales close, until the event starts.
    expect(json(["purchase", held.json().ticket.id], { TIX_NOW: "2030-02-02T00:00:00Z" }).code).toBe(0);
    expect(json(["event", "update", "evt_tour", "--sales-start", "2030-04-01T00:00Z"], later).code).toBe(2);
    expect(json(["event", "update", "evt_tour", "--sales-end", "yesterday"], later).code).toBe(2);
  });

  it("protects a tier with --code (reserve --code; ACCESS_CODE_INVALID, exit 7, names no code) and never prints a code", () => {
    expect(tix(["event", "create", "--id", "evt_gig", "--name", "Gig", "--tier", "Presale:2:39.00", "--code", "FANS"]).code).toBe(0);
    expect(tix(["event", "update", "evt_gig", "--tier", "GA:5:49.00"]).code).toBe(0);
    expect(tix(["event", "update", "evt_gig", "--tier", "A:1:1", "--tier", "B:1:1", "--code", "X"]).code).toBe(2);
    // --code with no --tier at all: told how to name the tier, not "with several tiers" (none was given).
    const alone = tix(["event", "create", "--id", "evt_one", "--name", "One", "--capacity", "5", "--price", "10", "--code", "FANS"]);
    expect([alone.code, alone.stderr]).toEqual([2, "error: code: protects the one --tier given with it: --tier GA:100:45.00 --code FANS; to protect an event's existing tier, --tier GA:: --code FANS (an empty capacity and price keep the tier's)\n"]);
    expect(tix(["event", "create", "--id", "evt_one", "--name", "One", "--capacity", "5", "--price", "10"]).code).toBe(0);
    expect(tix(["event", "update", "evt_one", "--tier", "GA::", "--code", "FANS"]).stdout).toContain("changes:\tGA access code none → (hidden)\n");
    for (const code of [[], ["--code", "NOPE"]]) {
      const refused = json(["reserve", "evt_gig", "--tier", "Presale", "--key", "k1", ...code]);
      expect(refused.code).toBe(7);
      expect(refused.json().error.code).toBe("ACCESS_CODE_INVALID");
      expect(refused.stdout).not.toContain("FANS");
    }
    expect(json(["reserve", "evt_gig", "--tier", "Presale", "--code", "fans", "--key", "k1"]).code).toBe(0);
    const shown = [tix(["event", "show", "evt_gig"]).stdout, json(["event", "show", "evt_gig"]).stdout, json(["log", "--event", "evt_gig"]).stdout].join("");
    expect(shown).not.toContain("FANS");
    expect(json(["event", "show", "evt_gig"]).json().event.tiers.map((tier: { requiresCode: boolean }) => tier.requiresCode)).toEqual([true, false]);
  });

  it("creates and lists vouchers; purchase --voucher charges the discounted price; report shows revenue after discounts", () => {
    expect(tix(["event", "create", "--id", "evt_gig", "--name", "Gig", "--capacity", "10", "--price", "40.00", "--limit-per-user", "5"]).code).toBe(0);
    const created = json(["voucher", "create", "--event", "evt_gig", "--code", "spring", "--percent", "25", "--max-uses", "1"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json().voucher).toMatchObject({ code: "SPRING", discount: "25%", maxUses: 1, uses: 0 });
    expect(json(["voucher", "create", "--event", "evt_gig", "--code", "SPRING", "--amount", "5"]).code).toBe(2);
    // The discount is named by its flags (it said "discount:", which is no flag), before the store is read: evt_nope is not looked up.
    for (const [flags, message] of [
      [[], "error: percent: give --percent N (1 to 100) or --amount A, the discount off each ticket\n"],
      [["--percent", "5", "--amount", "1"], "error: amount: give --percent N or --amount A, not both\n"],
    ] as const) {
      const refused = tix(["voucher", "create", "--event", "evt_nope", "--code", "X", ...flags]);
      expect([refused.code, refused.stderr]).toEqual([2, message]);
    }
    expect(json(["voucher", "create", "--event", "evt_nope", "--code", "X", "--percent", "5"]).code).toBe(3);

    const first = json(["reserve", "evt_gig", "--key", "k1"]).json().ticket;
    const paid = tix(["purchase", first.id, "--voucher", "Spring"]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.stdout).toContain("voucher:\tSPRING\n");
    expect(paid.stdout).toContain("price:\t30.00\n");
    const second = json(["reserve", "evt_gig", "--key", "k2"]).json().ticket;
    const usedUp = json(["purchase", second.id, "--voucher", "SPRING"]);
    expect(usedUp.code).toBe(4);
    expect(usedUp.json().error.code).toBe("VOUCHER_USED_UP");
    expect(json(["purchase", second.id, "--voucher", "OTHER"]).json().error.code).toBe("VOUCHER_INVALID");
    expect(json(["purchase", second.id]).code).toBe(0);

    expect(tix(["voucher", "list", "--event", "evt_gig"]).stdout).toBe("evt_gig\tSPRING\t25%\t1\t1\t\t\t2030-01-01T12:00:00.000Z\n");
    expect(json(["voucher", "list"]).json().vouchers).toMatchObject([{ eventId: "evt_gig", code: "SPRING", uses: 1 }]);
    expect(json(["report", "evt_gig"]).json().report.total).toMatchObject({ sold: 2, revenue: "70.00", discounts: "10.00" });
    expect(json(["log", "--event", "evt_gig"]).json().entries.map((entry: { action: string }) => entry.action)).toContain("voucher.created");
  });

  it("transfers a ticket or an order with tix transfer --to; the new owner checks in (--holder), the old one can't", () => {
    expect(tix(["event", "create", "--id", "evt_gig", "--name", "Gig", "--capacity", "10", "--price", "10.00"]).code).toBe(0);
    const order = json(["reserve", "evt_gig", "--key", "k1", "--quantity", "2"]).json();
    expect(json(["transfer", order.orderId, "--to", "bob"]).json().error.code).toBe("TICKET_NOT_PURCHASED");
    expect(json(["purchase", order.orderId]).code).toBe(0);
    const moved = json(["transfer", order.tickets[0].id, "--to", "bob"]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.json()).toMatchObject({ from: "alice", to: "bob", ticket: { id: order.tickets[0].id, userId: "bob" } });
    expect(tix(["transfer", order.tickets[0].id, "--to", "carol"]).code).toBe(7);
    expect(tix(["transfer", order.tickets[0].id]).code).toBe(2);
    const nobody = tix(["transfer", order.tickets[0].id, "--to", "a b"]);
    expect([nobody.code, nobody.stderr]).toEqual([2, 'error: to: "a b" must be 1 to 64 printable characters without spaces\n']); // the flag's name, not "user"
    expect(json(["checkin", order.tickets[0].id, "--holder", "alice"]).json().error.code).toBe("NOT_TICKET_OWNER");
    const spaced = tix(["checkin", order.tickets[0].id, "--holder", "b b"]);
    expect([spaced.code, spaced.stderr]).toEqual([2, 'error: holder: "b b" must be 1 to 64 printable characters without spaces\n']); // the flag's name, not "user"
    expect(json(["checkin", order.tickets[0].id, "--holder", "bob"]).code).toBe(0);
    const rest = tix(["transfer", order.orderId, "--to", "carol"]);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stdout).toContain("userId:\tcarol\n");
    expect(json(["--user", "carol", "ticket", "list"]).json().tickets.map((ticket: { id: string }) => ticket.id)).toEqual([order.tickets[1].id]);
    expect(json(["ticket", "list"]).json().tickets).toEqual([]);
    expect(json(["log", "--ticket", order.tickets[1].id]).json().entries.map((entry: { action: string }) => entry.action))
      .toEqual(["ticket.reserved", "ticket.purchased", "ticket.transferred"]);
  });

  it("says when a transfer takes its recipient off the waiting list: their per-user limit is reached", () => {
    for (const id of ["evt_tiny", "evt_small"]) {
      expect(tix(["event", "create", "--id", id, "--name", "Tiny", "--capacity", "1", "--limit-per-user", "1"]).code).toBe(0);
    }
    const bought = (eventId: string) => {
      const { ticket } = json(["--user", "bob", "reserve", eventId, "--key", eventId]).json();
      expect(json(["--user", "bob", "purchase", ticket.id]).code).toBe(0);
      expect(json(["waitlist", "join", eventId]).json()).toMatchObject({ joined: true, ticket: null });
      return ticket.id as string;
    };
    const human = tix(["--user", "bob", "transfer", bought("evt_tiny"), "--to", "alice"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toBe("note: alice reached the per-user limit of event evt_tiny and left its waiting list\n");
    expect(json(["waitlist", "show", "evt_tiny"]).json().waitlist).toEqual([]);
    const machine = json(["--user", "bob", "transfer", bought("evt_small"), "--to", "alice"]);
    // Under --json too: the note on stderr, the JSON on stdout saying the same (leftWaitlist).
    expect(machine.stderr).toBe("note: alice reached the per-user limit of event evt_small and left its waiting list\n");
    expect(machine.json()).toMatchObject({ status: "success", from: "bob", to: "alice", leftWaitlist: true });
    const plain = json(["event", "create", "--id", "evt_plain", "--name", "Plain", "--capacity", "2"]);
    expect(plain.code).toBe(0);
    const { ticket } = json(["reserve", "evt_plain", "--key", "k1"]).json();
    json(["purchase", ticket.id]);
    expect(json(["transfer", ticket.id, "--to", "carol"]).json()).toMatchObject({ leftWaitlist: false });
  });

  it("says whom an update takes off the waiting list: a sales start moved later, a changed per-user limit", () => {
    expect(tix(["event", "create", "--id", "evt_late", "--name", "Late", "--capacity", "1", "--limit-per-user", "2", "--starts-at", "2030-06-01T20:00Z"]).code).toBe(0);
    expect(json(["--user", "bob", "reserve", "evt_late", "--key", "k1"]).code).toBe(0);
    expect(json(["waitlist", "join", "evt_late"]).json()).toMatchObject({ joined: true, ticket: null });
    expect(json(["--user", "carol", "waitlist", "join", "evt_late"]).json()).toMatchObject({ joined: true, ticket: null });
    const postponed = json(["event", "update", "evt_late", "--sales-start", "2030-02-01T00:00Z"]);
    expect(postponed.code, postponed.stderr).toBe(0);
    expect(postponed.json().leftWaitlist).toEqual([
      { userId: "alice", tier: "GA", reason: "sales not open yet" },
      { userId: "carol", tier: "GA", reason: "sales not open yet" },
    ]);
    expect(json(["waitlist", "show", "evt_late"]).json().waitlist).toEqual([]);

    expect(tix(["event", "create", "--id", "evt_pair", "--name", "Pair", "--capacity", "1", "--limit-per-user", "2"]).code).toBe(0);
    expect(json(["reserve", "evt_pair", "--key", "k1"]).code).toBe(0);
    expect(json(["waitlist", "join", "evt_pair"]).json()).toMatchObject({ joined: true });
    const machine = json(["event", "update", "evt_pair", "--limit-per-user", "1"]);
    expect(machine.json()).toMatchObject({
      changes: [{ field: "limitPerUser", from: 2, to: 1 }],
      leftWaitlist: [{ userId: "alice", tier: "GA", reason: "per-user limit changed" }],
    });
    expect(json(["event", "update", "evt_pair", "--name", "Pair 2"]).json().leftWaitlist).toEqual([]);
  });

  it("seeds the samples as upcoming events that can be reserved, the seated one too", () => {
    expect(tix(["seed"]).code).toBe(0);
    expect(json(["event", "show", "evt_rock_night_2025"]).json().event).toMatchObject({ name: "Rock Night 2025", startsAt: "2030-06-15T20:00:00.000Z" });
    expect(json(["reserve", "evt_rock_night_2025", "--key", "k1"]).code).toBe(0);
    expect(json(["event", "show", "evt_string_quartet_night"]).json().event).toMatchObject({ venue: "Riverside Hall", seated: true, startsAt: "2030-10-18T19:30:00.000Z" });
    expect(json(["reserve", "evt_string_quartet_night", "--seats", "Stalls:C11", "--key", "k2"]).json().ticket.seat).toBe("Stalls:C11");
  });

  it("applies the box office to seated events: sales windows, a tier's --code, vouchers on seats, transfers that keep the seat", () => {
    const created = json(["event", "create", "--id", "evt_hall", "--name", "Hall", "--seats", "Stalls:A:1-4", "--seats", "Circle:A:1-2",
      "--tier", "Circle:50.00,code=FANS", "--price", "30.00", "--starts-at", "2030-03-01T20:00Z", "--sales-start", "2030-01-01T13:00Z", "--limit-per-user", "4"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json().event).toMatchObject({ seated: true, capacity: 6, salesStart: "2030-01-01T13:00:00.000Z" });
    expect(json(["reserve", "evt_hall", "--seats", "Stalls:A1"]).json().error.code).toBe("SALES_CLOSED");
    const open = { TIX_NOW: "2030-01-02T00:00:00Z" };
    const noCode = json(["reserve", "evt_hall", "--seats", "Circle:A1"], open);
    expect(noCode.code).toBe(7);
    expect(noCode.json().error.code).toBe("ACCESS_CODE_INVALID");
    const pair = json(["reserve", "evt_hall", "--seats", "Stalls:A1,Circle:A1", "--code", "fans", "--key", "k1"], open);
    expect(pair.code, pair.stderr).toBe(0);
    expect(json(["voucher", "create", "--event", "evt_hall", "--code", "TEN", "--amount", "10.00"], open).code).toBe(0);
    const paid = json(["purchase", pair.json().orderId, "--voucher", "ten"], open).json();
    expect(paid.tickets.map((ticket: { seat: string; price: string }) => [ticket.seat, ticket.price])).toEqual([["Stalls:A1", "20.00"], ["Circle:A1", "40.00"]]);
    const moved = json(["transfer", paid.tickets[1].id, "--to", "bob"], open);
    expect(moved.json()).toMatchObject({ from: "alice", to: "bob", ticket: { seat: "Circle:A1", userId: "bob" } });
    const taken = json(["--user", "carol", "reserve", "evt_hall", "--seats", "Circle:A1", "--code", "FANS"], open);
    expect(taken.code).toBe(4);
    expect(taken.json().error.code).toBe("SEAT_TAKEN");
    expect(tix(["--user", "bob", "ticket", "show", paid.tickets[1].id], open).stdout).toContain("seat:\tCircle:A1\n");
    expect(json(["purchase", paid.tickets[0].id], { TIX_NOW: "2030-03-01T20:00:00Z" }).json().error.code).toBe("ALREADY_PURCHASED");
    expect(json(["--user", "carol", "reserve", "evt_hall", "--seats", "Stalls:A2"], { TIX_NOW: "2030-03-01T20:00:00Z" }).json().error.code).toBe("SALES_CLOSED");
  });
});
