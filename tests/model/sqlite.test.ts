import { join } from "node:path";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { modelContract } from "./model-contract.js";

modelContract("sqlite", async (clock) => {
  const dir = tempDir("tix-model-");
  return {
    store: openSqliteStore(join(dir.path, "tix.db"), clock, { busyTimeoutMs: 5_000 }),
    dispose: async () => dir.remove(),
  };
});
