import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { knob, runTix, runTixAsync } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Several `tix repl` batches on pipes, each committing its lines' reserves in groups
 * (src/cli/repl/pipeline.ts), rush one event of exact capacity: exactly capacity succeed, the
 * rest are SOLD_OUT, and the store holds exactly what was printed. `npm run test:stress` runs it bigger.
 */
const PROCESSES = knob("TIX_STRESS_PROCESSES", 4, 8);
const PER_PROCESS = knob("TIX_STRESS_ATTEMPTS", 40, 300);

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const jsonLines = (stdout: string) => stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));

function rush(name: string, storeUrl: () => string) {
  it(`${name}: ${PROCESSES} grouped batches × ${PER_PROCESS} reserves on one event: held == capacity, never more`, async () => {
    const capacity = Math.floor((PROCESSES * PER_PROCESS * 3) / 4);
    const created = runTix(["--store", storeUrl(), "event", "create", "--id", "evt_hot", "--name", "Hot", "--capacity", String(capacity), "--hold", "1h"], home.path);
    expect(created.code).toBe(0);
    const runs = await Promise.all(Array.from({ length: PROCESSES }, (_, p) => {
      const script = Array.from({ length: PER_PROCESS }, (_, i) => `reserve evt_hot --user r${p}-${i} --json`).join("\n");
      return runTixAsync(["--store", storeUrl()], home.path, { input: `${script}\n` });
    }));
    for (const run of runs) {
      expect(run.stderr).toBe("");
      expect([0, 4]).toContain(run.code);
    }
    const answers = runs.flatMap((run) => jsonLines(run.stdout));
    expect(answers).toHaveLength(PROCESSES * PER_PROCESS);
    const won = answers.filter((line) => line.status === "success");
    expect(won).toHaveLength(capacity);
    expect(answers.filter((line) => line.error?.code === "SOLD_OUT")).toHaveLength(PROCESSES * PER_PROCESS - capacity);
    const shown = runTix(["--store", storeUrl(), "event", "show", "evt_hot", "--json"], home.path).json();
    expect(shown.event).toMatchObject({ held: capacity, available: 0 });
    const stored = runTix(["--store", storeUrl(), "ticket", "list", "--all-users", "--json"], home.path).json().tickets.map((ticket: { id: string }) => ticket.id);
    expect(stored.sort()).toEqual(won.map((line) => line.ticket.id).sort());
  }, 600_000);
}

describe("grouped batches rushing one event", () => {
  rush("SQLite", () => `sqlite:${join(home.path, "tix.db")}`);
});

describe.skipIf(postgresUnavailableReason() !== undefined)("grouped batches rushing one event", () => {
  const server = usePostgres();
  let url = "";
  beforeEach(async () => {
    url = await server.createDatabase();
  });
  rush("PostgreSQL", () => url);
});
