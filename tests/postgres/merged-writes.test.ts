import { describe, expect, it } from "vitest";
import { mergedWrites } from "../../src/store/postgres/merged-writes.js";
import type { Statement } from "../../src/store/postgres/connection.js";

/**
 * How writes are merged before they are sent (the statements are only built here; that they run
 * as the writes one by one is tests/postgres/batch.test.ts's, against a server).
 */
const TICKET = "INSERT INTO tix.tickets (id, status, seat) VALUES ($1, $2, decode($3, 'base64')) ON CONFLICT (id) DO UPDATE SET status = excluded.status";
const LOG = "INSERT INTO tix.audit_log (at, action) VALUES ($1, $2::jsonb)";
const EVENT = "UPDATE tix.events SET held = $2 WHERE id = $1";
const LEAVE = "DELETE FROM tix.waitlist WHERE event_id = $1 AND user_id = $2";
const JOIN = "INSERT INTO tix.waitlist (event_id, user_id) VALUES ($1, $2)";

describe("mergedWrites", () => {
  it("joins the writes of different tables, and one insert's rows, into one statement, its parameters in order", () => {
    const [only, ...rest] = mergedWrites([
      [EVENT, ["e", 2]], [TICKET, ["t1", "reserved", null]], [LOG, [1, "{}"]], [TICKET, ["t2", "reserved", "AA=="]], [LOG, [2, "{}"]],
    ]);
    expect(rest).toEqual([]);
    expect(only![0]).toBe(`WITH w0 AS (UPDATE tix.events SET held = $2 WHERE id = $1),
w1 AS (INSERT INTO tix.tickets (id, status, seat) VALUES ($3, $4, decode($5, 'base64')), ($6, $7, decode($8, 'base64')) ON CONFLICT (id) DO UPDATE SET status = excluded.status),
w2 AS (INSERT INTO tix.audit_log (at, action) VALUES ($9, $10::jsonb), ($11, $12::jsonb))
SELECT 1`);
    expect(only![1]).toEqual(["e", 2, "t1", "reserved", null, "t2", "reserved", "AA==", 1, "{}", 2, "{}"]);
  });

  it("starts a new statement at a second write of one row of a conflict key, or another write of a table already written", () => {
    const twice: Statement[] = [[TICKET, ["t1", "reserved", null]], [LOG, [1, "{}"]], [TICKET, ["t1", "purchased", null]]];
    expect(mergedWrites(twice).map(([, params]) => params)).toEqual([["t1", "reserved", null, 1, "{}"], ["t1", "purchased", null]]);
    const leaveThenJoin: Statement[] = [[LEAVE, ["e", "ann"]], [JOIN, ["e", "ann"]], [JOIN, ["e", "ben"]]];
    expect(mergedWrites(leaveThenJoin)).toEqual([[LEAVE, ["e", "ann"]], [JOIN.replace("($1, $2)", "($1, $2), ($3, $4)"), ["e", "ann", "e", "ben"]]]);
  });

  it("sends a statement that writes no table as it is, between the merged writes around it", () => {
    expect(mergedWrites([["BEGIN"], [EVENT, ["e", 1]], ["SELECT 1"], [EVENT, ["e", 2]]])).toEqual([["BEGIN"], [EVENT, ["e", 1]], ["SELECT 1"], [EVENT, ["e", 2]]]);
  });
});
