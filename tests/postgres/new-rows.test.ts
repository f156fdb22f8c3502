import { describe, expect, it } from "vitest";
import { KEY_RETENTION_MS, ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { purchaseOperation, reserveOperation } from "../../src/store/operations.js";
import { Database, type Statement } from "../../src/store/postgres/connection.js";
import { TransactionRunner } from "../../src/store/postgres/transaction-runner.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";

/**
 * A reserve's new ticket, and the key binding its snapshot found free, are inserted without a
 * conflict clause (an upsert costs the server more); a row that may be stored is still upserted:
 * a key past its retention is bound again, and a purchase writes the ticket it read.
 */
const skipReason = postgresUnavailableReason();
const T0 = Date.UTC(2030, 0, 1, 12);

describe.skipIf(skipReason !== undefined)(`PostgreSQL: rows known new are inserted${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("inserts a reserve's ticket and free key, upserts a key bound before and a ticket read", async () => {
    const url = await server.createDatabase();
    const clock = new ManualClock(T0);
    const tix = createTix(await openStore(url, { clock }), clock);
    const eventId = (await tix.events.create({ name: "New rows", capacity: 5, price: "10.00", hold: "48h" })).event.id;
    await tix.close();

    const database = new Database(url, { busyTimeoutMs: 5_000 });
    const runner = new TransactionRunner(database, clock);
    let lastFlight: readonly Statement[] = [];
    const pipeline = database.pipeline.bind(database);
    database.pipeline = (connection, statements) => {
      lastFlight = statements;
      return pipeline(connection, statements);
    };
    const writes = () => lastFlight.map(([text]) => text).join("\n");
    try {
      const first = await runner.run(reserveOperation({ eventId, userId: "ann", key: "k", quantity: 1 }));
      expect(writes()).toMatch(/INSERT INTO tix\.tickets [^)]*\) VALUES \([^)]*\)\)/);
      expect(writes()).not.toMatch(/ON CONFLICT \((id|user_id, key)\)/);

      // A purchase writes a ticket it read: stored, so never a plain insert.
      await runner.run(purchaseOperation({ targetId: first.tickets[0]!.id, userId: "ann", card: "4242 4242 4242 4242" }));
      expect(writes()).not.toMatch(/INSERT INTO tix\.tickets [^)]*\) VALUES \([^)]*\)\)/);
      expect(writes()).toMatch(/ON CONFLICT \(id\)/);

      // The same key past its retention: its binding is stored, so it is replaced (upserted).
      clock.advance(KEY_RETENTION_MS + 1);
      const second = await runner.run(reserveOperation({ eventId, userId: "ann", key: "k", quantity: 1 }));
      expect(second.replayed).toBe(false);
      expect(writes()).toMatch(/ON CONFLICT \(user_id, key\)/);
      expect(writes()).not.toMatch(/ON CONFLICT \(id\)/);

      const tickets = await server.query("SELECT id, status FROM tix.tickets ORDER BY seq", [], new URL(url).pathname.slice(1));
      expect(tickets).toEqual([
        { id: first.tickets[0]!.id, status: "purchased" },
        { id: second.tickets[0]!.id, status: "reserved" },
      ]);
      const keys = await server.query("SELECT ticket_id FROM tix.idempotency_keys", [], new URL(url).pathname.slice(1));
      expect(keys).toEqual([{ ticket_id: second.tickets[0]!.id }]);
    } finally {
      await runner.close();
    }
  });
});
