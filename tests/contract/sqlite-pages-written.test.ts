import { readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * What a commit costs on SQLite is mostly its WAL frames, one whole page each (docs/performance-history.md):
 * which B-trees a reserve, a purchase and a cancel write, read from the WAL's frame headers.
 */
const T0 = Date.UTC(2025, 4, 1, 12);
let dir: { path: string; remove: () => void };
let tix: Tix;
let side: Database.Database;
const path = () => join(dir.path, "tix.db");

beforeEach(() => {
  dir = tempDir("tix-pages-");
  const clock = new ManualClock(T0);
  tix = createTix(openSqliteStore(path(), clock, { busyTimeoutMs: 1000 }), clock);
  side = new Database(path());
});
afterEach(async () => {
  side.close();
  await tix.close();
  dir.remove();
});

/** The B-trees whose pages `work` wrote to the WAL (emptied first), by name. */
async function treesWritten(work: () => Promise<unknown>): Promise<string[]> {
  expect(side.pragma("wal_checkpoint(TRUNCATE)")).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
  await work();
  const wal = readFileSync(`${path()}-wal`);
  const pageSize = side.pragma("page_size", { simple: true }) as number;
  const owners = new Map((side.prepare("SELECT pageno, name FROM dbstat").all() as Array<{ pageno: number; name: string }>).map((row) => [row.pageno, row.name]));
  const trees = new Set<string>();
  for (let frame = 32; frame + 24 <= wal.length; frame += 24 + pageSize) {
    const page = wal.readUInt32BE(frame);
    // Page 1 (the file's header, when the file grows) and free-list pages (a split reusing one) are no B-tree's.
    const tree = owners.get(page);
    if (page !== 1 && tree !== undefined) trees.add(tree);
  }
  return [...trees].sort();
}

it("a reserve writes its ticket and five indexes, the key, the log entry and its index, and its tier's row — not the event's", async () => {
  const { event } = await tix.events.create({ id: "evt_pages", name: "Pages", tiers: ["Floor:100:10.00", "Balcony:100:5.00"] });
  for (let i = 0; i < 20; i++) await tix.tickets.reserve({ eventId: event.id, userId: `warm${i}`, key: "k", tier: "Floor" });

  const written = await treesWritten(() => tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k", tier: "Floor" }));
  expect(written).toEqual([
    "audit_log", "audit_log_by_event_ticket", "idempotency_keys", "sqlite_autoindex_tickets_1",
    "tickets", "tickets_by_event", "tickets_by_order", "tickets_by_user_event", "tickets_by_user_id", "tickets_due", "tiers",
  ]);
  const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k", tier: "Floor" });
  expect(await treesWritten(() => tix.tickets.purchase({ ticketId: ticket.id, userId: "bob" }))).toEqual([
    "audit_log", "audit_log_by_event_ticket", "tickets", "tickets_by_order", "tickets_by_user_event", "tickets_due", "tiers",
  ]);
  // (tickets_by_order too: SQLite rewrites an index whose column an upsert sets, even to the same
  // value; a ticket's user is not set by it — moveTicket, when it changed — so tickets_by_user_id is not.)
  expect(await treesWritten(() => tix.tickets.cancel({ ticketId: ticket.id, userId: "bob" }))).toEqual([
    "audit_log", "audit_log_by_event_ticket", "tickets", "tickets_by_order", "tickets_by_user_event", "tiers",
  ]);
  // The totals still move, read back from the tiers.
  expect(await tix.events.get(event.id)).toMatchObject({ held: 21, sold: 0, tiers: [{ name: "Floor", held: 21 }, { name: "Balcony", held: 0 }] });
});

it("an event update that changes the event's own columns writes its row; one that changes a tier writes that tier", async () => {
  const { event } = await tix.events.create({ id: "evt_edit", name: "Before", tiers: ["Floor:100:10.00", "Balcony:100:5.00"] });
  expect(await treesWritten(() => tix.events.update({ id: event.id, name: "After" }))).toContain("events");
  expect((await tix.events.get(event.id)).name).toBe("After");
  expect(await treesWritten(() => tix.events.update({ id: event.id, tiers: ["Floor:100:10.00", "Balcony:120:5.00"] }))).toContain("tiers");
  expect(await tix.events.get(event.id)).toMatchObject({ capacity: 220, tiers: [{ name: "Floor", capacity: 100 }, { name: "Balcony", capacity: 120 }] });
});
