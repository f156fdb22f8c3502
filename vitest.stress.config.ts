import { defineConfig } from "vitest/config";

/**
 * `npm run test:stress`: the reliability tests (model-based, concurrency, crash, bad input, store
 * faults) at a larger size, one file at a time so that process counts mean what they say.
 * Knobs (environment): TIX_STRESS_RUNS, TIX_STRESS_COMMANDS, TIX_STRESS_PROCESSES,
 * TIX_STRESS_ATTEMPTS, TIX_STRESS_ROUNDS, TIX_STRESS_SECONDS, TIX_STRESS_SEED — see README, "Reliability".
 * The PostgreSQL failover rush runs TIX_FAILOVER_RUNS times (5 by default), see docs/postgresql.md.
 */
export default defineConfig({
  test: {
    include: [
      "tests/model/**/*.test.ts",
      "tests/concurrency/**/*.test.ts",
      "tests/crash/**/*.test.ts",
      "tests/fuzz/**/*.test.ts",
      "tests/store-faults/**/*.test.ts",
      "tests/postgres/model.test.ts",
      "tests/postgres/failover.test.ts",
    ],
    globalSetup: ["tests/helpers/global-setup.ts"],
    env: { TIX_STRESS: "1" },
    fileParallelism: false,
    testTimeout: 30 * 60_000,
    hookTimeout: 5 * 60_000,
  },
});
