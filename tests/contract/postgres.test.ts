import { describe, it } from "vitest";
import { postgresUnavailableReason } from "../helpers/postgres-server.js";
import { postgresStoreFactory } from "../helpers/store-factories.js";
import { storeContract } from "./store-contract.js";

// One server and one database for this file; each case starts from an empty database.
const skipReason = postgresUnavailableReason();

if (skipReason) {
  describe("store contract: postgres", () => {
    it.skip(`skipped: ${skipReason}`, () => undefined);
  });
} else {
  storeContract("postgres", postgresStoreFactory());
}
