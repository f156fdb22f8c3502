import { describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { SCHEMA_VERSION } from "../../src/store/postgres/schema.js";
import { expectCode } from "../helpers/expect-code.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A process that opened a PostgreSQL store (`tix serve`, a library user) while a newer tix
 * migrated the same database to a later schema: it went on reading and writing with its own
 * understanding, told nothing. Now each transaction reads `tix.schema_info`'s version in the
 * flight that begins it and refuses a newer one before writing: STORE_UNAVAILABLE, one line. The
 * newer tix's migration is stood in for by what it commits last, the version raised.
 */
const skipReason = postgresUnavailableReason();
const NEWER = SCHEMA_VERSION + 1;
const REFUSAL = new RegExp(`^the store \\S+ was upgraded to schema version ${NEWER} by a newer tix while this one \\(schema ${SCHEMA_VERSION}\\) had it open; nothing was written: stop this process and run the newer tix$`);

describe.skipIf(skipReason !== undefined)(`PostgreSQL: a store migrated by a newer tix while this process has it open${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  const contents = (database: string) => Promise.all(["tickets", "idempotency_keys", "audit_log", "tiers"].map((table) =>
    server.query(`SELECT * FROM tix.${table} ORDER BY 1, 2`, [], database)));

  it("every later operation — write, read, snapshot, a group commit's batch — is refused, one line, nothing written", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    const clock = new ManualClock(Date.UTC(2030, 0, 1, 12));
    const tix = createTix(await openStore(url, { clock, groupCommit: { maxBatch: 8, maxWaitMs: 20 } }), clock);
    try {
      const { event } = await tix.events.create({ id: "evt_a", name: "A", capacity: 10 });
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
      await server.query(`UPDATE tix.schema_info SET version = ${NEWER}`, [], database);
      const before = await contents(database);

      const attempts: Array<() => Promise<unknown>> = [
        () => tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" }),
        () => tix.events.create({ id: "evt_b", name: "B", capacity: 1 }),
        () => tix.events.get(event.id),
        () => tix.tickets.list({ userId: "alice" }),
        async () => {
          const view = await tix.snapshot();
          try {
            return await view.events.page({ limit: 10 });
          } finally {
            await view.close();
          }
        },
      ];
      for (const attempt of attempts) expect((await expectCode(attempt(), "STORE_UNAVAILABLE")).message).toMatch(REFUSAL);
      // Several at once: committed together, as tix serve does (one transaction, one first flight).
      const together = await Promise.allSettled(["bob", "carol", "dave"].map((userId) => tix.tickets.reserve({ eventId: event.id, userId, key: "k" })));
      for (const outcome of together) {
        expect(outcome.status).toBe("rejected");
        expect(((outcome as PromiseRejectedResult).reason as Error).message).toMatch(REFUSAL);
      }
      expect(await contents(database)).toEqual(before);
    } finally {
      await tix.close();
    }
  }, 30_000);

  it("tix serve answers 503 with the reason and writes nothing", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    expect((await runTix(["--store", url, "event", "create", "--id", "evt_s", "--name", "S", "--capacity", "5"])).code).toBe(0);
    const home = tempDir("tix-pg-newer-schema-");
    const serve = serveProcess(home.path, ["--store", url], { serveArgs: ["--anonymous-user", "web"] });
    try {
      const base = await serve.listening;
      const reserve = (key: string) => fetch(`${base}/tickets/evt_s/reserve`, { method: "POST", headers: { "Idempotency-Key": key } });
      expect((await reserve("s-1")).status).toBe(200);
      await server.query(`UPDATE tix.schema_info SET version = ${NEWER}`, [], database);
      const before = await contents(database);
      const refused = await reserve("s-2");
      expect(refused.status).toBe(503);
      expect(((await refused.json()) as { Message: string }).Message).toMatch(REFUSAL);
      expect((await fetch(`${base}/events`)).status).toBe(503);
      expect(await contents(database)).toEqual(before);
    } finally {
      await serve.stop();
      home.remove();
    }
  }, 30_000);
});
