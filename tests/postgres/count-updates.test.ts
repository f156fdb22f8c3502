import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { reserveOperation, updateEventOperation } from "../../src/store/operations.js";
import { Database, type Statement } from "../../src/store/postgres/connection.js";
import { TransactionRunner } from "../../src/store/postgres/transaction-runner.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";

/**
 * An event read under its lock whose decision changed only its counts (a reserve: held, sold and
 * updated_at; its tier's held and sold) is updated in those columns alone; a decision that changes
 * any other column of the row (an update of the event) writes the whole row, as before; a batch
 * writes its events as it did (batch-snapshots.ts).
 */
const skipReason = postgresUnavailableReason();
const T0 = Date.UTC(2030, 0, 1, 12);

describe.skipIf(skipReason !== undefined)(`PostgreSQL: a reserve's event and tier updated in their counts alone${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("writes a reserve's counts alone and an event update's whole row", async () => {
    const url = await server.createDatabase();
    const clock = new ManualClock(T0);
    const tix = createTix(await openStore(url, { clock }), clock);
    const eventId = (await tix.events.create({ name: "Counts", capacity: 10, price: "10.00", hold: "48h" })).event.id;
    await tix.close();

    const database = new Database(url, { busyTimeoutMs: 5_000 });
    const runner = new TransactionRunner(database, clock);
    let lastWrites: readonly Statement[] = [];
    const commit = database.commit.bind(database);
    database.commit = (connection, statements, deadlineMs) => {
      lastWrites = statements;
      return commit(connection, statements, deadlineMs);
    };
    const writes = () => lastWrites.map(([text]) => text).join("\n");
    let snapshot = "";
    const pipeline = database.pipeline.bind(database);
    database.pipeline = (connection, statements, beforeCommit) => {
      const last = statements.at(-1)![0];
      if (last.startsWith("WITH ops")) snapshot = last;
      return pipeline(connection, statements, beforeCommit);
    };
    const database_ = new URL(url).pathname.slice(1);
    const stored = async () => ({
      event: await server.query("SELECT name, held, sold, capacity FROM tix.events", [], database_),
      tiers: await server.query("SELECT name, held, sold, capacity, price_minor FROM tix.tiers", [], database_),
    });
    try {
      await runner.run(reserveOperation({ eventId, userId: "ann", key: "k1", quantity: 2 }));
      expect(writes()).toMatch(/UPDATE tix\.events SET held = \$\d+, sold = \$\d+, updated_at = \$\d+ WHERE id = \$\d+/);
      expect(writes()).toMatch(/UPDATE tix\.tiers SET held = \$\d+, sold = \$\d+ WHERE event_id = \$\d+ AND name = \$\d+/);
      expect(writes()).not.toMatch(/SET name = /);
      // Its snapshot sets up no aggregate: tiers, holds due and the key's tickets as ARRAY subqueries, the standing as statuses.
      expect(snapshot).toMatch(/array_to_json\(ARRAY\(SELECT status FROM tix\.tickets/);
      expect(snapshot).not.toMatch(/json_agg|count\(/);
      expect(await stored()).toEqual({
        event: [{ name: "Counts", held: 2, sold: 0, capacity: 10 }],
        tiers: [{ name: "GA", held: 2, sold: 0, capacity: 10, price_minor: "1000" }],
      });

      // A change of another column writes the whole row; the counts read under the lock are kept.
      await runner.run(updateEventOperation({ id: eventId, patch: { name: "Renamed", capacity: 12 }, actor: "test" }));
      expect(writes()).toMatch(/UPDATE tix\.events SET name = /);
      expect(await stored()).toEqual({
        event: [{ name: "Renamed", held: 2, sold: 0, capacity: 12 }],
        tiers: [{ name: "GA", held: 2, sold: 0, capacity: 12, price_minor: "1000" }],
      });

      // A lone reserve after it: its counts alone again, the renamed row kept.
      await runner.run(reserveOperation({ eventId, userId: "ben", key: "k2", quantity: 1 }));
      expect(writes()).not.toMatch(/SET name = /);
      expect(await stored()).toEqual({
        event: [{ name: "Renamed", held: 3, sold: 0, capacity: 12 }],
        tiers: [{ name: "GA", held: 3, sold: 0, capacity: 12, price_minor: "1000" }],
      });

      // A batch writes each event once, as the batch left it (batch-snapshots.ts), its counts right.
      const outcomes = await runner.runBatch([
        reserveOperation({ eventId, userId: "cat", key: "k3", quantity: 1 }),
        reserveOperation({ eventId, userId: "dan", key: "k4", quantity: 3 }),
      ], "each-alone");
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true]);
      expect(await stored()).toEqual({
        event: [{ name: "Renamed", held: 7, sold: 0, capacity: 12 }],
        tiers: [{ name: "GA", held: 7, sold: 0, capacity: 12, price_minor: "1000" }],
      });
    } finally {
      await runner.close();
    }
  });
});
