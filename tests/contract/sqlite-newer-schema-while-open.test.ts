import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { SCHEMA_VERSION } from "../../src/store/sqlite/schema.js";
import { runTix } from "../helpers/cli.js";
import { expectCode } from "../helpers/expect-code.js";
import { serveProcess } from "../helpers/serve-process.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A process that opened a SQLite store (a `tix serve`, a library user) while a newer tix upgraded
 * the same file to a later schema: it went on reading and writing with its own understanding of
 * the file, told nothing. Now each transaction reads the file's schema version first and refuses
 * a newer one: STORE_UNAVAILABLE, one line, nothing written. A newer tix's upgrade is stood in for
 * by what it commits last, `PRAGMA user_version` raised, from another connection.
 */
const T0 = Date.UTC(2030, 0, 1, 12);
const NEWER = SCHEMA_VERSION + 1;
let dir: { path: string; remove: () => void };
const path = () => join(dir.path, "tix.db");

beforeEach(() => {
  dir = tempDir("tix-newer-schema-");
});
afterEach(() => dir.remove());

/** What is in the file, read by another connection: every ticket, key and log entry. */
function contents(): unknown {
  const side = new Database(path(), { readonly: true });
  try {
    return ["tickets", "idempotency_keys", "audit_log", "tiers"].map((table) => side.prepare(`SELECT * FROM ${table} ORDER BY 1, 2`).all());
  } finally {
    side.close();
  }
}

/** A newer tix's upgrade, as the file sees it once committed. */
function upgradeBehindItsBack(): void {
  const side = new Database(path());
  try {
    side.pragma(`user_version = ${NEWER}`);
  } finally {
    side.close();
  }
}

const REFUSAL = new RegExp(`^\\S+ was upgraded to schema version ${NEWER} by a newer tix while this one \\(schema ${SCHEMA_VERSION}\\) had it open; nothing was written: stop this process and run the newer tix$`);

describe("sqlite: a store upgraded by a newer tix while this process has it open", () => {
  it("every later operation — write, read, snapshot — is refused, STORE_UNAVAILABLE in one line, and nothing is written", async () => {
    const clock = new ManualClock(T0);
    const tix = createTix(openSqliteStore(path(), clock, { busyTimeoutMs: 1000 }), clock);
    try {
      const { event } = await tix.events.create({ id: "evt_a", name: "A", capacity: 10 });
      const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
      upgradeBehindItsBack();
      const before = contents();

      for (const attempt of [
        () => tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k2" }),
        () => tix.tickets.purchase({ ticketId: ticket.id, userId: "alice" }),
        () => tix.tickets.cancel({ ticketId: ticket.id, userId: "alice" }),
        () => tix.events.create({ id: "evt_b", name: "B", capacity: 1 }),
        // A hold due: a read would release it first (a write) — refused before that too.
        () => (clock.advance(11 * 60_000), tix.events.get(event.id)),
        () => tix.tickets.list({ userId: "alice" }),
        async () => {
          const view = await tix.snapshot();
          try {
            return await view.events.page({ limit: 10 });
          } finally {
            await view.close();
          }
        },
      ]) {
        const error = await expectCode(attempt(), "STORE_UNAVAILABLE");
        expect(error.message).toMatch(REFUSAL);
        expect(error.message).toContain(path());
      }
      expect(contents()).toEqual(before);
    } finally {
      await tix.close();
    }
  });

  it("tix serve answers 503 with the reason, writes nothing, and a new start is refused as a newer schema", async () => {
    const home = dir.path;
    const store = `sqlite:${path()}`;
    expect(runTix(["--store", store, "event", "create", "--id", "evt_s", "--name", "S", "--capacity", "5"], home).code).toBe(0);
    const serve = serveProcess(home, ["--store", store], { serveArgs: ["--anonymous-user", "web"] });
    try {
      const base = await serve.listening;
      const reserve = (key: string) => fetch(`${base}/tickets/evt_s/reserve`, { method: "POST", headers: { "Idempotency-Key": key } });
      expect((await reserve("s-1")).status).toBe(200);
      upgradeBehindItsBack();
      const before = contents();

      const refused = await reserve("s-2");
      expect(refused.status).toBe(503);
      const body = (await refused.json()) as { Message: string };
      expect(body.Message).toMatch(REFUSAL);
      expect((await fetch(`${base}/events`)).status).toBe(503);
      expect(contents()).toEqual(before);
    } finally {
      await serve.stop();
    }
    // A tix started now on the file is refused as it always was: the schema is newer than it understands.
    const started = runTix(["--store", store, "event", "list"], home);
    expect(started.code).not.toBe(0);
    expect(started.stderr).toMatch(new RegExp(`has schema version ${NEWER}, newer than this tix understands \\(${SCHEMA_VERSION}\\); upgrade tix`));
  }, 30_000);
});
