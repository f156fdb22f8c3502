import { afterAll, beforeAll, describe, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { postgresUnavailableReason, startPostgres, type PostgresServer } from "../helpers/postgres-server.js";
import { storeContract } from "./store-contract.js";

// One server and one database for this file. Each case starts from an empty database: the tix
// schema is dropped, then created again on first use by the same openStore() the CLI calls.
const skipReason = postgresUnavailableReason();

if (skipReason) {
  describe("store contract: postgres", () => {
    it.skip(`skipped: ${skipReason}`, () => undefined);
  });
} else {
  let server: PostgresServer;
  let url: string;
  beforeAll(async () => {
    server = await startPostgres();
    url = await server.createDatabase();
  });
  afterAll(async () => {
    await server?.stop();
  });

  storeContract("postgres", async (clock) => {
    await server.query("DROP SCHEMA IF EXISTS tix CASCADE", [], new URL(url).pathname.slice(1));
    return { store: await openStore(url, { clock }) };
  });
}
