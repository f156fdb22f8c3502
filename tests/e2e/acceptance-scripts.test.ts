import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { sqliteTixPerTest } from "../helpers/sqlite-tix.js";

// The thirty-first pass's audit of what scripts rely on (qa31s): the built bin/tix over a real SQLite file.

const { tix, store } = sqliteTixPerTest("scripts.db");

describe("a report's money past 2^53 minor units", () => {
  it("is exact in the JSON's texts and the piped table (a number's sum was off by a cent, odd sums rounded to even)", () => {
    expect(tix(["event", "create", "--id", "big", "--name", "Big", "--capacity", "1000000", "--price", "99999999.99"]).code).toBe(0);
    const ticketId = tix(["--json", "reserve", "big", "--key", "k1"]).json().ticket.id as string;
    expect(tix(["purchase", ticketId]).code).toBe(0);
    // 905,000 more bought tickets like it, written straight into the file: selling them one by one would take minutes.
    const more = 905_000;
    const db = new Database(store().slice("sqlite:".length));
    db.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${more})
      INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, price_minor, currency, card_last4, tier, order_id)
      SELECT 'tkt_fill_' || i, event_id, 'u' || i, status, reserved_at, expires_at, purchased_at, price_minor, currency, card_last4, tier, 'ord_fill_' || i
      FROM n, tickets WHERE tickets.id = ?`).run(ticketId);
    db.prepare("UPDATE tiers SET sold = sold + ? WHERE event_id = 'big'").run(more);
    db.close();
    const exact = (BigInt(more + 1) * 9_999_999_999n).toString(); // 9050009999094999: no double holds it
    const revenue = `${exact.slice(0, -2)}.${exact.slice(-2)}`;
    const json = tix(["--json", "report", "big"]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.json().report.total).toMatchObject({ sold: more + 1, revenue });
    expect(json.json().report.tiers[0]).toMatchObject({ tier: "GA", revenue });
    const piped = tix(["report", "big"]);
    expect(piped.stdout.split("\n").find((line) => line.startsWith("TOTAL"))).toContain(`\t${revenue}\t`);
  });
});

describe("tix completion without its shell", () => {
  it("says which shells it takes, exit 2, one line (it said only \"missing required argument 'shell'\")", () => {
    const run = tix(["completion"]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(run.stderr).toBe("error: missing required argument 'shell'; give one of bash, zsh, fish\n");
    const json = tix(["--json", "completion"]);
    expect(json.code).toBe(2);
    expect(json.json().error).toEqual({ code: "INVALID_ARGUMENT", message: "missing required argument 'shell'; give one of bash, zsh, fish" });
  });
});
