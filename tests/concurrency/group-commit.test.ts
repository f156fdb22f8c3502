import { join } from "node:path";
import Database from "better-sqlite3";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { ManualClock, type TixError, type TixStore } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { GroupCommit } from "../../src/store/group-commit.js";
import { openStore } from "../../src/store/open-store.js";
import type { Operation } from "../../src/store/operations.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";

describe("GroupCommit: how operations are gathered", () => {
  const noop = (name: number) => ({ request: { events: [] }, decide: () => ({ changes: [], result: name }) }) as Operation<number>;

  it("commits what arrives together as one batch, at most maxBatch, and the next batch while one commits", async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const firstCommit = new Promise<void>((resolve) => (release = resolve));
    const group = new GroupCommit(async (operations) => {
      batches.push(operations.map((operation) => operation.decide({} as never, 0, {} as never).result as number));
      if (batches.length === 1) await firstCommit;
      return operations.map((operation) => ({ ok: true, value: operation.decide({} as never, 0, {} as never).result }));
    }, { maxBatch: 4, maxWaitMs: 2 });
    const answers = [1, 2, 3, 4, 5, 6].map((n) => group.add(noop(n)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The first four filled a batch at once; 5 and 6 wait while it commits, then go together.
    expect(batches).toEqual([[1, 2, 3, 4]]);
    const late = group.add(noop(7));
    release();
    expect(await Promise.all([...answers, late])).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches).toEqual([[1, 2, 3, 4], [5, 6, 7]]);
  });

  it("waits at most maxWaitMs for company", async () => {
    const group = new GroupCommit(async (operations) => operations.map(() => ({ ok: true, value: Date.now() })), { maxBatch: 64, maxWaitMs: 2 });
    const started = Date.now();
    const committedAt = await group.add(noop(1));
    expect(committedAt - started).toBeLessThan(50); // a timer of 2 ms, however loaded the machine
  });

  it("answers each operation with its own outcome, and every one with the error of a failed commit", async () => {
    const failing = new GroupCommit(async (operations) => operations.map((_, index) => (index === 1 ? { ok: false, error: new Error("mine") } : { ok: true, value: index })), { maxBatch: 8, maxWaitMs: 1 });
    const outcomes = await Promise.allSettled([failing.add(noop(0)), failing.add(noop(1)), failing.add(noop(2))]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const broken = new GroupCommit(async () => Promise.reject(new Error("disk gone")), { maxBatch: 8, maxWaitMs: 1 });
    const all = await Promise.allSettled([broken.add(noop(0)), broken.add(noop(1))]);
    expect(all.map((outcome) => (outcome as PromiseRejectedResult).reason.message)).toEqual(["disk gone", "disk gone"]);
  });
});

/**
 * Over real stores: a rush sent at once is decided one after another inside shared transactions;
 * one refused request never fails the others, and each success is answered only once it is
 * committed (another connection already sees it).
 */
function groupCommitOnStore(name: string, open: () => Promise<{ store: TixStore; committedTickets: () => Promise<string[]> }>) {
  it(`${name}: exactly capacity succeed, refusals fail alone, every answer is already committed`, async () => {
    const { store, committedTickets } = await open();
    const clock = new ManualClock("2030-01-01T12:00:00Z");
    const tix = createTix(store, clock);
    try {
      const { event } = await tix.events.create({ name: "Grouped", tiers: ["GA:7:10.00", "VIP:1:50.00"] });
      const seenCommitted: boolean[] = [];
      const attempts = Array.from({ length: 30 }, (_, index) =>
        // Every fifth asks for a tier that does not exist: refused by the core, alone.
        tix.tickets.reserve({ eventId: event.id, userId: `fan${index}`, key: "k", tier: index % 5 === 4 ? "NOPE" : "GA" })
          .then(async (answer) => {
            seenCommitted.push((await committedTickets()).includes(answer.ticket.id));
            return answer;
          }));
      const outcomes = await Promise.allSettled(attempts);
      const codes = outcomes.map((outcome) => (outcome.status === "fulfilled" ? "ok" : (outcome.reason as TixError).code));
      expect(codes.filter((code) => code === "ok")).toHaveLength(7);
      expect(codes.filter((code) => code === "INVALID_ARGUMENT")).toHaveLength(6);
      expect(codes.filter((code) => code === "SOLD_OUT")).toHaveLength(17);
      expect(seenCommitted).toEqual(Array(7).fill(true));
      expect(await tix.events.get(event.id)).toMatchObject({ held: 7, tiers: [{ name: "GA", held: 7 }, { name: "VIP", held: 0 }] });
    } finally {
      await tix.close();
    }
    await expect(store.listEvents()).rejects.toMatchObject({ code: "STORE_CLOSED" });
  });
}

describe("group commit over real stores", () => {
  groupCommitOnStore("SQLite", async () => {
    const dir = tempDir("tix-group-");
    const path = join(dir.path, "tix.db");
    const store = await openStore(`sqlite:${path}`, { clock: new ManualClock("2030-01-01T12:00:00Z"), groupCommit: true });
    const reader = new Database(path, { readonly: true });
    return {
      store: Object.assign(Object.create(store) as TixStore, { close: async () => { await store.close(); reader.close(); dir.remove(); } }),
      committedTickets: async () => (reader.prepare("SELECT id FROM tickets").pluck().all() as string[]),
    };
  });

  const skipReason = postgresUnavailableReason();
  describe.skipIf(skipReason !== undefined)(`PostgreSQL${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
    const server = usePostgres();
    groupCommitOnStore("PostgreSQL", async () => {
      const url = await server.createDatabase();
      const store = await openStore(url, { clock: new ManualClock("2030-01-01T12:00:00Z"), groupCommit: true });
      const reader = postgres(url, { max: 1, onnotice: () => undefined });
      return {
        store: Object.assign(Object.create(store) as TixStore, { close: async () => { await store.close(); await reader.end(); } }),
        committedTickets: async () => (await reader<Array<{ id: string }>>`SELECT id FROM tix.tickets`).map((row) => row.id),
      };
    });
  });
});
