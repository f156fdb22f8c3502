import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIX_BIN } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";

const skipReason = postgresUnavailableReason();
const LIBRARY = pathToFileURL(join(TIX_BIN, "..", "..", "dist", "index.js")).href;

/** Runs a program that reserves one ticket and ends without close(): how long it took to exit, and what it printed. */
function runWithoutClose(folder: string, store: string): Promise<{ seconds: number; code: number | null; stdout: string; stderr: string }> {
  const file = join(folder, `no-close-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `import { openTix } from ${JSON.stringify(LIBRARY)};
const tix = await openTix({ store: process.argv[2] });
const { event } = await tix.events.create({ name: "No close", capacity: 5 });
const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice" });
console.log(ticket.id);
`);
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, store], { cwd: folder });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(killer);
      resolve({ seconds: (performance.now() - started) / 1000, code, stdout, stderr });
    });
  });
}

/** The guide's claim (Library, "A program that ends without close()"): nothing answered is lost, and the program ends. */
describe.skipIf(skipReason !== undefined)(`a library program that ends without close()${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let folder: ReturnType<typeof tempDir>;
  beforeAll(() => (folder = tempDir("tix no close ")));
  afterAll(() => folder.remove());

  it("SQLite: exits at once, its ticket stored; PostgreSQL: exits once its idle connections close (about 10 s), its ticket stored", { timeout: 120_000 }, async () => {
    const { openTix } = (await import(LIBRARY)) as typeof import("../../src/index.js");
    const sqlite = `sqlite:${join(folder.path, "tix.db")}`;
    const postgres = await server.createDatabase();
    const [onSqlite, onPostgres] = await Promise.all([runWithoutClose(folder.path, sqlite), runWithoutClose(folder.path, postgres)]);
    expect([onSqlite.code, onSqlite.stderr]).toEqual([0, ""]);
    expect(onSqlite.seconds).toBeLessThan(5);
    expect([onPostgres.code, onPostgres.stderr]).toEqual([0, ""]);
    expect(onPostgres.seconds).toBeGreaterThan(8);
    expect(onPostgres.seconds).toBeLessThan(30);
    for (const [store, run] of [[sqlite, onSqlite], [postgres, onPostgres]] as const) {
      const tix = await openTix(store);
      try {
        expect((await tix.tickets.get(run.stdout.trim())).status).toBe("reserved");
      } finally {
        await tix.close();
      }
    }
  });
});
