import pg from "pg";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { cancelOperation, reserveOperation } from "../../src/store/operations.js";
import { BatchSnapshots } from "../../src/store/postgres/batch-snapshots.js";
import { batchLockStatement, lockStatement } from "../../src/store/postgres/decision-reads.js";
import type { Statement } from "../../src/store/postgres/connection.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";

/**
 * The lock statements find the events they lock by their key, however many events the store
 * holds: a batch's (group commit) and a purchase's or cancel's (a ticket's event) read the events
 * table through its index, never whole. They scanned it (0.24 ms a flight at 2,000 events,
 * growing with every event ever made), under the locks of the rush they were taking.
 */
const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`PostgreSQL: lock statements on a large store${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("locks a batch's events and a ticket's event through the events' index, in a generic plan and a custom one", async () => {
    const url = await server.createDatabase();
    const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
    const tix = createTix(await openStore(url, { clock }), clock);
    let eventId: string;
    let ticketId: string;
    try {
      eventId = (await tix.events.create({ name: "Rush", capacity: 100 })).event.id;
      ticketId = (await tix.tickets.reserve({ eventId, userId: "ann", key: "k1" })).ticket.id;
    } finally {
      await tix.close();
    }
    const database = new URL(url).pathname.slice(1);
    const query = (sql: string) => server.query(sql, [], database);
    // 5,000 events besides the one locked, made from it with other ids.
    await query(`INSERT INTO tix.events OVERRIDING SYSTEM VALUE
      SELECT (jsonb_populate_record(NULL::tix.events, to_jsonb(e) || jsonb_build_object('id', 'evt_bulk_' || g, 'seq', e.seq + g))).*
      FROM tix.events e, generate_series(1, 5000) g`);
    await query("ANALYZE tix.events");

    const reserve = (userId: string) => reserveOperation({ eventId, userId, key: `k-${userId}`, quantity: 1 });
    const statements: Array<[string, Statement]> = [
      ["a batch's locks", batchLockStatement([reserve("ben"), reserve("cat"), cancelOperation({ targetId: ticketId, userId: "ann" })])],
      ["a cancel's locks", lockStatement(cancelOperation({ targetId: ticketId, userId: "ann" }))],
    ];
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const [name, [text, params = []]] of statements) {
        for (const mode of ["force_generic_plan", "force_custom_plan"]) {
          const literals = params.map((value) => `'${(typeof value === "string" ? value : JSON.stringify(value)).replaceAll("'", "''")}'`);
          await client.query(`SET plan_cache_mode = ${mode}`);
          await client.query(`PREPARE locks AS ${text}`);
          const plan = ((await client.query(`EXPLAIN (FORMAT JSON) EXECUTE locks(${literals.join(", ")})`)).rows as Array<{ "QUERY PLAN": unknown }>)[0]?.["QUERY PLAN"];
          await client.query("DEALLOCATE locks");
          const eventReads = nodes(plan).filter((node) => node["Relation Name"] === "events").map((node) => node["Node Type"]);
          expect(eventReads.length, `${name}, ${mode}`).toBeGreaterThan(0);
          expect(eventReads, `${name}, ${mode}`).not.toContain("Seq Scan");
        }
      }
    } finally {
      await client.end();
    }
  });

  it("plans a batch's first flight without a sequential scan while the store is small: the generic plan is kept as it grows", async () => {
    // A connection's first batch plans its statements once (force_generic_plan) — on a new store,
    // tables of a few rows, where a sequential scan is cheapest — and keeps the plans as the rush
    // grows them: the locks read every ticket twice a batch to find no target, and the locks and
    // the snapshots read the whole events table (every dead version of the rushed event's row).
    const url = await server.createDatabase();
    const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
    const tix = createTix(await openStore(url, { clock }), clock);
    let eventId: string;
    try {
      eventId = (await tix.events.create({ name: "Rush", capacity: 100 })).event.id;
      await tix.tickets.reserve({ eventId, userId: "ann", key: "k1" });
    } finally {
      await tix.close();
    }
    const reserves = ["ben", "cat", "dan"].map((userId) => reserveOperation({ eventId, userId, key: `k-${userId}`, quantity: 1 }));
    const [, settings, locks, snapshots] = BatchSnapshots.statements(reserves, () => clock.now(), []);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(settings![0]);
      for (const [name, [text, params = []]] of [["locks", locks!], ["snapshots", snapshots!]] as const) {
        const literals = params.map((value) => (value === null ? "NULL" : `'${(typeof value === "string" ? value : JSON.stringify(value)).replaceAll("'", "''")}'`));
        await client.query(`PREPARE flight AS ${text}`);
        const plan = ((await client.query(`EXPLAIN (FORMAT JSON) EXECUTE flight(${literals.join(", ")})`)).rows as Array<{ "QUERY PLAN": unknown }>)[0]?.["QUERY PLAN"];
        await client.query("DEALLOCATE flight");
        const reads = nodes(plan).filter((node) => node["Relation Name"] === "events" || node["Relation Name"] === "tickets");
        expect(reads.length, name).toBeGreaterThan(0);
        expect(reads.filter((node) => node["Node Type"] === "Seq Scan").map((node) => node["Relation Name"]), name).toEqual([]);
      }
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });
});

/** Every node of an EXPLAIN (FORMAT JSON) plan, its sub-plans included. */
function nodes(plan: unknown): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== "object" || value === null) return;
    const node = value as Record<string, unknown>;
    if (typeof node["Node Type"] === "string") found.push(node);
    Object.values(node).forEach(walk);
  };
  walk(plan);
  return found;
}
