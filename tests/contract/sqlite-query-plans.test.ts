import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { TICKET_STATUSES, type TicketFilter } from "../../src/core/index.js";
import { MIGRATIONS, runMigration } from "../../src/store/sqlite/schema.js";
import { prepareStatements, prepareTicketCount, prepareTicketList, ticketListWhere } from "../../src/store/sqlite/statements.js";

/**
 * Every statement the SQLite store runs, planned by SQLite over the current schema: the hot paths
 * (a reserve, purchase or cancel, a lookup) are index searches, O(log n) in stored tickets; only
 * the lists of everything read a whole table. What the schema may drop to write fewer pages a
 * reserve (docs/performance-history.md) is bounded by this.
 */
const db = new Database(":memory:");
for (const migration of MIGRATIONS) runMigration(db, migration);
afterAll(() => db.close());

/** Nulls for a statement's parameters, named or by position. */
function nulls(sql: string): unknown[] {
  const named = [...sql.matchAll(/@(\w+)/g)].map((match) => match[1]!);
  return named.length > 0 ? [Object.fromEntries(named.map((name) => [name, null]))] : Array<null>((sql.match(/\?/g) ?? []).length).fill(null);
}

/** The plan's steps, e.g. `SEARCH tickets USING INDEX tickets_due (expires_at<?)`. */
function plan(sql: string): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nulls(sql)) as Array<{ detail: string }>).map((row) => row.detail);
}

/**
 * Lists of everything: reading the whole table is what they are for. The planning order's parts
 * read the events (not the tickets) to pick the first N: events are few beside their tickets.
 */
const WHOLE_TABLE = new Set(["listEvents", "listTiers", "logAll", "allVouchers", "eventsAhead", "eventsUndated", "eventsStarted", "countEvents", "countLogAll"]);

/** The newest N entries of the whole log: a walk back from its last row that stops at N (asserted below), not a read of the table. */
const FROM_THE_END = new Set(["logAllLatest"]);

describe("sqlite query plans", () => {
  const statements = Object.entries(prepareStatements(db));

  it.each(statements.filter(([name]) => !WHOLE_TABLE.has(name) && !FROM_THE_END.has(name)))("%s searches an index, never scans a table", (_name, statement) => {
    const steps = plan(statement.source);
    // A list of ids given as a JSON array is read whole: it is the argument, not a table; nor is
    // a subquery's few rows (the newest N entries, put back in order).
    expect(steps.filter((step) => step.startsWith("SCAN") && !step.startsWith("SCAN json_each VIRTUAL TABLE") && !step.startsWith("SCAN (subquery"))).toEqual([]);
  });

  it("the newest entries of the whole log are read from its end, N rows and no more", () => {
    const latest = Object.fromEntries(statements).logAllLatest!;
    // The subquery, as SQLite's virtual machine runs it: from the last row (Last), backwards
    // (Prev), ending when the limit is counted down (DecrJumpZero) — no sort of the whole log.
    const opcodes = (db.prepare(`EXPLAIN ${latest.source}`).all(null) as Array<{ opcode: string }>).map((row) => row.opcode);
    const subquery = opcodes.slice(opcodes.indexOf("InitCoroutine"), opcodes.indexOf("EndCoroutine"));
    expect(subquery).toEqual(expect.arrayContaining(["Last", "Prev", "DecrJumpZero"]));
    expect(subquery).not.toContain("SorterOpen");
    expect(plan(latest.source)).toContain("SCAN audit_log");
  });

  it("a user's standing reads one range of statuses, holding reserved and purchased alone, with no temporary B-tree", () => {
    // userStanding counts the statuses from 'purchased' to 'reserved': a status added between them would be counted too.
    expect(TICKET_STATUSES.filter((status) => status >= "purchased" && status <= "reserved").sort()).toEqual(["purchased", "reserved"]);
    const standing = Object.fromEntries(statements).userStanding!;
    const opcodes = (db.prepare(`EXPLAIN ${standing.source}`).all(null, null) as Array<{ opcode: string }>).map((row) => row.opcode);
    expect(opcodes).not.toContain("OpenEphemeral");
  });

  it("no write builds a temporary B-tree: a ticket's CHECK on status is four comparisons, not an IN list (schema v7)", () => {
    const writes = statements.filter(([, statement]) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(statement.source));
    expect(writes.map(([name]) => name)).toEqual(expect.arrayContaining(["saveTicket", "saveTier", "saveEvent", "appendLog", "bindKey", "saveSeats"]));
    // Each run of an IN list of more than two constants (v1's CHECK on status) fills an ephemeral
    // table with them: OpenEphemeral, once for the insert and once for the upsert's update.
    const temporary = writes.map(([name, statement]) => [name, (db.prepare(`EXPLAIN ${statement.source}`).all(...nulls(statement.source)) as Array<{ opcode: string }>)
      .filter((row) => row.opcode === "OpenEphemeral" || row.opcode === "SorterOpen").length]);
    expect(temporary).toEqual(writes.map(([name]) => [name, 0]));
  });

  it("the steps of a reserve, purchase and cancel use the indexes meant for them", () => {
    const s = Object.fromEntries(statements);
    expect(plan(s.findTicket!.source)).toEqual(["SEARCH tickets USING INDEX sqlite_autoindex_tickets_1 (id=?)"]);
    expect(plan(s.findOrder!.source)).toEqual(["SEARCH tickets USING INDEX tickets_by_order (order_id=?)"]);
    expect(plan(s.userStanding!.source)).toEqual(["SEARCH tickets USING COVERING INDEX tickets_by_user_event (user_id=? AND event_id=? AND status>? AND status<?)"]);
    expect(plan(s.anyDue!.source)).toEqual(["SEARCH tickets USING COVERING INDEX tickets_due (expires_at<?)"]);
    expect(plan(s.findDue!.source)).toEqual(["SEARCH tickets USING INDEX tickets_due (expires_at<?)"]);
    expect(plan(s.findKey!.source)).toEqual(["SEARCH idempotency_keys USING PRIMARY KEY (user_id=? AND key=?)"]);
    // One index serves both (schema v6): an event's whole log is sorted by seq; a ticket's comes in order, through its event and reservation time.
    expect(plan(s.logByEvent!.source)).toEqual(["SEARCH audit_log USING INDEX audit_log_by_event_ticket (event_id=?)", "USE TEMP B-TREE FOR ORDER BY"]);
    expect(plan(s.logByTicket!.source)).toEqual([
      "SEARCH audit_log USING INDEX audit_log_by_event_ticket (event_id=? AND ticket_reserved_at=? AND ticket_id=?)",
      "SCALAR SUBQUERY 1",
      "SEARCH tickets USING INDEX sqlite_autoindex_tickets_1 (id=?)",
    ]);
  });

  it("event ids by prefix (completion) are one range of the primary key, both ends bounds of the search", () => {
    const s = Object.fromEntries(statements);
    expect(plan(s.eventIds!.source)).toEqual(["SEARCH events USING COVERING INDEX sqlite_autoindex_events_1 (id>?)"]);
    // Before, the upper end was `(@high IS NULL OR id < @high)`: a filter, the search ran on to the last id.
    expect(plan(s.eventIdsBelow!.source)).toEqual(["SEARCH events USING COVERING INDEX sqlite_autoindex_events_1 (id>? AND id<?)"]);
  });

  it("a user's tickets by id prefix (completion) are one range of tickets_by_user_id, both ends bounds of the search: no sort, nothing past the range read", () => {
    const s = Object.fromEntries(statements);
    expect(plan(s.ticketsByIdFrom!.source)).toEqual(["SEARCH tickets USING INDEX tickets_by_user_id (user_id=? AND id>?)"]);
    expect(plan(s.ticketsByIdFromTo!.source)).toEqual(["SEARCH tickets USING INDEX tickets_by_user_id (user_id=? AND id>? AND id<?)"]);
    expect(plan(s.ticketsByIdAfter!.source)).toEqual(["SEARCH tickets USING INDEX tickets_by_user_id (user_id=? AND id>?)"]);
    expect(plan(s.ticketsByIdAfterTo!.source)).toEqual(["SEARCH tickets USING INDEX tickets_by_user_id (user_id=? AND id>? AND id<?)"]);
    for (const name of ["ticketsByIdFrom", "ticketsByIdFromTo", "ticketsByIdAfter", "ticketsByIdAfterTo"]) {
      const opcodes = (db.prepare(`EXPLAIN ${s[name]!.source}`).all(...nulls(s[name]!.source)) as Array<{ opcode: string }>).map((row) => row.opcode);
      expect(opcodes, name).not.toContain("SorterOpen");
      expect(opcodes, name).not.toContain("OpenEphemeral");
    }
  });

  const filters: TicketFilter[] = [];
  for (const userId of [undefined, "u"]) for (const eventId of [undefined, "e"]) for (const status of [undefined, TICKET_STATUSES[0]]) filters.push({ userId, eventId, status });

  it.each(filters.filter((filter) => filter.userId !== undefined || filter.eventId !== undefined))(
    "a ticket list filtered by %o searches the user's or the event's index (a user's through the user, whatever the event)",
    (filter) => {
      const steps = plan(prepareTicketList(db, ticketListWhere(filter).where).source);
      // A user's: either index of theirs (v8's tickets_by_user_id or tickets_by_user_event), the same rows read.
      if (filter.userId !== undefined) expect(steps[0]).toMatch(/^SEARCH tickets USING INDEX tickets_by_user_(event|id) \(user_id=\?\)$/);
      else expect(steps[0]).toBe("SEARCH tickets USING INDEX tickets_by_event (event_id=?)");
    },
  );

  it.each(filters)("a ticket list's count (a terminal's footer) filtered by %o searches the list's index, and never reads the table whole", (filter) => {
    const steps = plan(prepareTicketCount(db, ticketListWhere(filter).where).source);
    expect(steps).toHaveLength(1);
    if (filter.userId !== undefined) expect(steps[0]).toMatch(/^SEARCH tickets USING COVERING INDEX tickets_by_user_(event|id) \(user_id=\?\)$/);
    else if (filter.eventId !== undefined) expect(steps[0]).toMatch(/^SEARCH tickets USING (COVERING )?INDEX tickets_by_event \(event_id=\?\)$/);
    // Everyone's: an index's entries counted, the smallest SQLite finds, not the tickets' rows.
    else expect(steps[0]).toMatch(/^SCAN tickets USING COVERING INDEX /);
  });
});
