import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * An import is one transaction, and it takes a lock for each event it creates: past the server's
 * lock table (about max_locks_per_transaction × max_connections: 60,000 events on a server with
 * 200 connections) it fails as a whole. It said only "is out of resources: out of shared memory",
 * which a script retries for ever; it now says what to change.
 */
const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`PostgreSQL: an import larger than the server's lock table${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres({ settings: ["-c max_locks_per_transaction=10", "-c max_connections=20"] });

  it("fails in one line naming max_locks_per_transaction, exit 8, and imports nothing", async () => {
    const url = await server.createDatabase();
    const home = tempDir();
    try {
      const file = join(home.path, "events.csv");
      const rows = Array.from({ length: 3_000 }, (_, index) => `imp${index},Event ${index},10,2027-12-01T20:00:00Z,10.00`);
      writeFileSync(file, ["id,name,capacity,startsAt,price", ...rows, ""].join("\n"));
      const run = await runTix(["--store", url, "import", file], { env: { TIX_HOME: home.path } });
      expect(run.code, run.stdout + run.stderr).toBe(8);
      expect(run.stderr).toMatch(/^error: the store .* is out of resources: its lock table is full \(.*import fewer events at a time, or raise the server's max_locks_per_transaction\): out of shared memory \(53200\)\n$/);
      const listed = await runTix(["--store", url, "--json", "event", "list"], { env: { TIX_HOME: home.path } });
      expect(listed.json).toMatchObject({ status: "success", events: [] });
    } finally {
      home.remove();
    }
  }, 120_000);
});
