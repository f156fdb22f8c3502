import pg from "pg";
import { afterAll, beforeAll, describe, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { postgresUnavailableReason, startPostgres, type PostgresServer } from "../helpers/postgres-server.js";
import { modelContract } from "../model/model-contract.js";

// The model-based suite, unchanged, on PostgreSQL: one server and database for this file, and each
// sequence starts on empty tables (truncated; the schema itself was made on first use).
// A PostgreSQL operation costs a few round trips, so `npm test` runs fewer sequences here than on
// the in-process stores unless TIX_STRESS / TIX_STRESS_RUNS ask for a size.
if (process.env.TIX_STRESS !== "1" && !process.env.TIX_STRESS_RUNS) process.env.TIX_STRESS_RUNS = "25";

const skipReason = postgresUnavailableReason();

if (skipReason) {
  describe("model-based: postgres", () => {
    it.skip(`skipped: ${skipReason}`, () => undefined);
  });
} else {
  let server: PostgresServer;
  let url: string;
  let admin: pg.Client;
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  });

  modelContract("postgres", async (clock) => {
    const { rows } = await admin.query<{ exists: boolean }>("SELECT to_regclass('tix.events') IS NOT NULL AS exists");
    if (rows[0]?.exists) await admin.query("TRUNCATE tix.audit_log, tix.waitlist, tix.idempotency_keys, tix.tickets, tix.tiers, tix.events RESTART IDENTITY");
    return { store: await openStore(url, { clock }) };
  });
}
