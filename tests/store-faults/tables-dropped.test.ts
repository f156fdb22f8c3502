import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix as runTixSync } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * The tables a running `tix serve` opened dropped under it (`DROP SCHEMA tix CASCADE`, a
 * `pg_restore --clean` under way, a table dropped in the SQLite shell): 503 STORE_UNAVAILABLE
 * saying so, as for any store that is not the tix store it was — it was 500 INTERNAL, "this is a
 * bug in tix". On PostgreSQL, once another tix has made the schema again, the server serves on.
 */
const skipReason = postgresUnavailableReason();

interface ErrorBody {
  Message: string;
  Error: { Code: string };
}

let home: { path: string; remove: () => void };
beforeEach(() => (home = tempDir("tix-tables-dropped-")));
afterEach(() => home.remove());

async function expectTablesGone(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  const body = (await response.json()) as ErrorBody;
  expect(body.Error.Code).toBe("STORE_UNAVAILABLE");
  expect(body.Message).toMatch(/no longer holds the tables tix opened/);
}

describe.skipIf(skipReason !== undefined)(`PostgreSQL: tix's schema dropped under tix serve${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("answers 503 saying so, and serves again once another tix has made the schema anew", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    expect((await runTix(["--store", url, "event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"])).code).toBe(0);
    const serve = serveProcess(home.path, ["--store", url], { serveArgs: ["--anonymous-user", "web"] });
    const base = await serve.listening;
    expect((await fetch(`${base}/events/evt_a`)).status).toBe(200);

    await server.query("DROP SCHEMA tix CASCADE", [], database);
    await expectTablesGone(await fetch(`${base}/events`));
    await expectTablesGone(await fetch(`${base}/tickets/evt_a/reserve`, { method: "POST", headers: { "Idempotency-Key": "k1" } }));

    expect((await runTix(["--store", url, "event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"])).code).toBe(0);
    expect((await fetch(`${base}/tickets/evt_a/reserve`, { method: "POST", headers: { "Idempotency-Key": "k1" } })).status).toBe(200);
    expect(await serve.stop()).toBe(0);
  }, 30_000);
});

describe("SQLite: a table dropped under tix serve", () => {
  it("answers 503 saying so", async () => {
    const path = join(home.path, "tix.db");
    expect(runTixSync(["--store", `sqlite:${path}`, "event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5"], home.path).code).toBe(0);
    const serve = serveProcess(home.path, ["--store", `sqlite:${path}`], { serveArgs: ["--anonymous-user", "web"] });
    const base = await serve.listening;
    expect((await fetch(`${base}/events/evt_a`)).status).toBe(200);

    const other = new Database(path);
    other.exec("PRAGMA foreign_keys = OFF; DROP TABLE audit_log; DROP TABLE tickets");
    other.close();
    await expectTablesGone(await fetch(`${base}/tickets/evt_a/reserve`, { method: "POST", headers: { "Idempotency-Key": "k1" } }));
    expect(await serve.stop()).toBe(0);
  }, 30_000);
});
