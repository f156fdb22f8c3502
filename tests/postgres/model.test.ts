import { describe, it } from "vitest";
import { postgresUnavailableReason } from "../helpers/postgres-server.js";
import { postgresStoreFactory } from "../helpers/store-factories.js";
import { modelContract } from "../model/model-contract.js";

// The model-based suite, unchanged, on PostgreSQL: one server and database for this file, each
// sequence on an empty store. A PostgreSQL operation costs round trips, so `npm test` runs 25
// sequences here unless TIX_STRESS / TIX_STRESS_RUNS ask for a size.
const skipReason = postgresUnavailableReason();

if (skipReason) {
  describe("model-based: postgres", () => {
    it.skip(`skipped: ${skipReason}`, () => undefined);
  });
} else {
  modelContract("postgres", postgresStoreFactory(), { runs: 25 });
}
