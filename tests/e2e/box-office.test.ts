import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: { path: string; remove: () => void };
const tix = (args: string[], env: Record<string, string> = {}) => runTix(args, home.path, { env });
const json = (args: string[], env: Record<string, string> = {}) => tix(["--json", ...args], env);

beforeEach(() => {
  home = tempDir();
});
afterEach(() => home.remove());

describe("tiers and orders from the CLI", () => {
  it("creates a tiered event, reserves an order in a tier, and pays for it by order id", () => {
    const created = json(["event", "create", "--id", "evt_gala", "--name", "Gala", "--tier", "VIP:50:120.00", "--tier", "GA:500:45.00", "--limit-per-user", "4"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json().event).toMatchObject({ capacity: 550, price: "45.00", limitPerUser: 4, tiers: [{ name: "VIP", capacity: 50, price: "120.00" }, { name: "GA" }] });

    const order = json(["reserve", "evt_gala", "--tier", "VIP", "--quantity", "3", "--key", "party"]);
    expect(order.code, order.stderr).toBe(0);
    const body = order.json();
    expect(body).toMatchObject({ replayed: false, key: "party", ticket: { tier: "VIP", price: "120.00" } });
    expect(body.tickets).toHaveLength(3);
    expect(body.orderId).toMatch(/^ord_/);
    expect(body.ticket.id).toBe(body.tickets[0].id);

    const paid = json(["purchase", body.orderId]);
    expect(paid.code, paid.stderr).toBe(0);
    expect(paid.json().tickets.map((t: { status: string }) => t.status)).toEqual(["purchased", "purchased", "purchased"]);
    expect(json(["reserve", "evt_gala", "--tier", "GA", "--quantity", "2", "--key", "more"]).json().error.code).toBe("LIMIT_EXCEEDED");
    expect(tix(["reserve", "evt_gala", "--key", "x"]).code).toBe(2);
    expect(tix(["reserve", "evt_gala", "--tier", "GA", "--quantity", "0"]).code).toBe(2);
  });
});

describe("waiting list, check-in, report, export and log from the CLI", () => {
  it("walks the box office: sell out, wait, release, check in, report", () => {
    json(["event", "create", "--id", "evt_tiny", "--name", "Tiny", "--capacity", "1", "--price", "10.00"]);
    const held = json(["reserve", "evt_tiny", "--key", "k"]).json().ticket;
    const joined = json(["waitlist", "join", "evt_tiny"], { TIX_USER: "bob" });
    expect(joined.json()).toMatchObject({ joined: true, ticket: null, entry: { userId: "bob", position: 1 } });
    expect(tix(["waitlist", "show", "evt_tiny"]).stdout).toBe("1\tbob\tGA\t" + joined.json().entry.joinedAt + "\n");
    // Piped, a second join says it changed nothing, as --json's "joined": false does.
    expect(tix(["waitlist", "join", "evt_tiny"], { TIX_USER: "bob" }).stdout).toBe("eventId:\tevt_tiny\ntier:\tGA\nposition:\t1\njoined:\tfalse\n");

    tix(["cancel", held.id]);
    const bobs = json(["ticket", "list"], { TIX_USER: "bob" }).json().tickets;
    expect(bobs).toHaveLength(1);
    expect(bobs[0]).toMatchObject({ status: "reserved", userId: "bob" });
    expect(json(["waitlist", "show", "evt_tiny"]).json().waitlist).toEqual([]);

    expect(tix(["checkin", bobs[0].id]).code).toBe(4);
    tix(["purchase", bobs[0].id], { TIX_USER: "bob" });
    const checked = json(["checkin", bobs[0].id], { TIX_USER: "door" });
    expect(checked.code).toBe(0);
    expect(checked.json().ticket.checkedInAt).not.toBeNull();
    const again = json(["checkin", bobs[0].id]);
    expect(again.code).toBe(4);
    expect(again.json().error.code).toBe("ALREADY_CHECKED_IN");

    const report = json(["report", "evt_tiny"]).json().report;
    expect(report.total).toMatchObject({ capacity: 1, sold: 1, revenue: "10.00", refunds: 0, checkedIn: 1 });
    expect(tix(["report", "evt_tiny", "--format", "csv"]).stdout.split("\n")[0]).toBe("tier,capacity,sold,held,available,revenue,refunds,refunded,checkedIn,currency,discounts");
    expect(tix(["report", "evt_tiny", "--format", "json"]).json().report.eventId).toBe("evt_tiny");

    const csv = tix(["export", "tickets", "--event", "evt_tiny"]).stdout.trimEnd().split("\n");
    expect(csv[0]).toBe("id,eventId,tier,orderId,userId,status,reservedAt,expiresAt,purchasedAt,cancelledAt,checkedInAt,price,currency,cardLast4,voucher,discount,seat");
    expect(csv).toHaveLength(3);
    expect(tix(["export", "tickets", "--event", "evt_tiny", "--format", "json"]).json().tickets).toHaveLength(2);
    expect(tix(["export", "tickets", "--event", "evt_nope"]).code).toBe(3);

    const log = json(["log", "--event", "evt_tiny"]).json().entries.map((entry: { action: string; actor: string }) => `${entry.actor}:${entry.action}`);
    expect(log).toEqual(["alice:event.created", "alice:ticket.reserved", "bob:waitlist.joined", "alice:ticket.cancelled",
      "system:waitlist.promoted", "system:ticket.reserved", "bob:ticket.purchased", "door:ticket.checked_in"]);
    expect(json(["log", "--ticket", held.id]).json().entries).toHaveLength(2);
    expect(tix(["waitlist", "leave", "evt_tiny"], { TIX_USER: "carol" }).code).toBe(3);
  });
});

describe("import", () => {
  const write = (name: string, text: string) => {
    const path = join(home.path, name);
    writeFileSync(path, text);
    return path;
  };

  it("imports a CSV of events, tiers included, and updates rows whose id exists", () => {
    const file = write("events.csv", [
      "id,name,capacity,venue,starts_at,hold,price,tiers",
      "evt_a,Alpha,100,Hall A,2025-09-01T20:00Z,15m,25.00,",
      'evt_b,"Beta, the gala",,Hall B,,,,"VIP:10:99.00;GA:90:30.00"',
    ].join("\n"));
    const out = json(["import", file]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.json()).toMatchObject({ imported: 2, skipped: [] });
    expect(json(["event", "show", "evt_b"]).json().event).toMatchObject({ name: "Beta, the gala", capacity: 100, tiers: [{ name: "VIP" }, { name: "GA" }] });
    expect(json(["event", "show", "evt_a"]).json().event).toMatchObject({ holdSeconds: 900, price: "25.00", startsAt: "2025-09-01T20:00:00.000Z" });
    expect(json(["import", write("again.json", JSON.stringify([{ id: "evt_a", name: "Alpha", capacity: 120 }]))]).json().imported).toBe(1);
    expect(json(["event", "show", "evt_a"]).json().event.capacity).toBe(120);
  });

  it("imports nothing when a row is bad, naming the row and field; --skip-invalid imports the rest", () => {
    const file = write("bad.json", JSON.stringify({ events: [{ name: "Good", capacity: 5 }, { name: "Bad", capacity: -3 }, { name: "", capacity: 1 }] }));
    const refused = tix(["import", file]);
    expect(refused.code).toBe(2);
    // The file is one line: each row is also named by its place in the list.
    expect(refused.stderr).toMatch(/^error: .*bad.json: 2 invalid rows; nothing was imported.*\n {2}line 1, item 2: capacity: .*\n {2}line 1, item 3: name: must not be empty\n$/);
    expect(json(["event", "list"]).json().events).toEqual([]);

    const skipping = tix(["import", file, "--skip-invalid"]);
    expect(skipping.code).toBe(0);
    expect(skipping.stderr).toContain("warning: skipped line 1, item 2: capacity:");
    expect(json(["event", "list"]).json().events.map((event: { name: string }) => event.name)).toEqual(["Good"]);
    expect(tix(["import", join(home.path, "missing.csv")]).code).toBe(2);
    expect(tix(["import", write("x.txt", "")]).code).toBe(2);
  });
});

describe("the audit log's times", () => {
  it("gives the times in an entry's details as ISO-8601 UTC strings, as every other time in the JSON (event.created, event.updated, voucher.created)", () => {
    const env = { TIX_NOW: "2027-01-01T12:00:00Z" };
    expect(tix(["event", "create", "--id", "evt_w", "--name", "W", "--starts-at", "2027-03-01T20:00Z", "--sales-start", "2027-02-01T00:00Z",
      "--tier", "GA:3:5.00,sales-start=2027-02-02T00:00Z,sales-end=2027-02-20T00:00Z"], env).code).toBe(0);
    expect(tix(["event", "update", "evt_w", "--name", "W2"], env).code).toBe(0);
    expect(tix(["voucher", "create", "--event", "evt_w", "--code", "SOON", "--amount", "1.00", "--valid-until", "2027-01-05T00:00Z"], env).code).toBe(0);
    const log = json(["log", "--event", "evt_w"], env);
    expect(log.code, log.stderr).toBe(0);
    const details = Object.fromEntries(log.json().entries.map((entry: { action: string; details: unknown }) => [entry.action, entry.details]));
    const window = { salesStart: "2027-02-01T00:00:00.000Z", salesEnd: "2027-03-01T20:00:00.000Z",
      tiers: [{ name: "GA", capacity: 3, priceMinor: 500, salesStart: "2027-02-02T00:00:00.000Z", salesEnd: "2027-02-20T00:00:00.000Z" }] };
    expect(details["event.created"]).toMatchObject(window);
    expect(details["event.updated"]).toMatchObject(window);
    expect(details["voucher.created"]).toMatchObject({ code: "SOON", validUntil: "2027-01-05T00:00:00.000Z" });
    const piped = tix(["log", "--event", "evt_w"], env).stdout;
    expect(piped).toContain("validUntil=2027-01-05T00:00:00.000Z");
    expect(piped).not.toMatch(/=1[78]\d{11}\b/);
  });
});
