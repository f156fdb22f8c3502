// The move the export is for: events from a SQLite file to PostgreSQL and back, through bin/tix.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { tempDir } from "../helpers/temp-dir.js";

const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`tix export events: SQLite → PostgreSQL → SQLite${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  const folder = tempDir();
  afterAll(() => folder.remove());
  const sqlite = (name: string) => `sqlite:${join(folder.path, name)}`;
  const ok = async (args: string[]) => {
    const run = await runTix(args, { env: { TIX_HOME: folder.path, TIX_USER: "alice" } });
    expect(run.code, run.stderr).toBe(0);
    return run;
  };

  it("the same events, ids, tiers, windows, codes and seats kept; imported again, unchanged", async () => {
    const postgres = await server.createDatabase();
    for (const command of [
      ["event", "create", "--id", "evt_tour", "--name", 'Tour, "live" — Zürich ☃', "--starts-at", "2027-09-01T20:00Z", "--sales-start", "2027-03-01T10:00Z",
        "--tier", "Presale:200:39.00,code=FANS,sales-end=2027-03-08", "--tier", "GA:800:49.00", "--limit-per-user", "4"],
      ["event", "create", "--id", "evt_hall", "--name", "Hall", "--seats", "Stalls:A-C:1-5|6-12", "--seats", "Circle@VIP:A-B:1-10", "--tier", "Stalls:40", "--tier", "VIP:90,code=gold"],
      ["event", "create", "--id", "evt_plain", "--name", "Plain", "--capacity", "10", "--price", "5"],
    ]) await ok(["--store", sqlite("a.db"), ...command]);
    const file = join(folder.path, "e.csv");
    await ok(["--store", sqlite("a.db"), "export", "events", "--output", file]);
    expect((await ok(["--store", postgres, "--json", "import", file])).json).toMatchObject({ created: 3 });
    const fromPostgres = (await ok(["--store", postgres, "export", "events"])).stdout;
    expect(fromPostgres).toBe(readFileSync(file, "utf8"));
    const list = async (store: string) => (await ok(["--store", store, "--json", "event", "list"])).json.events;
    expect(await list(postgres)).toEqual(await list(sqlite("a.db")));
    expect((await ok(["--store", postgres, "--json", "import", file])).json).toMatchObject({ created: 0, updated: 0, unchanged: 3 });

    // And back, as JSON.
    const json = join(folder.path, "e.json");
    await ok(["--store", postgres, "export", "events", "--format", "json", "--output", json]);
    expect((await ok(["--store", sqlite("b.db"), "--json", "import", json])).json).toMatchObject({ created: 3 });
    expect((await ok(["--store", sqlite("b.db"), "export", "events"])).stdout).toBe(fromPostgres);
  }, 120_000);
});
