import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { openDatabase, WAL_AUTOCHECKPOINT_PAGES } from "../../src/store/sqlite/open-database.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A store's connection checkpoints its WAL every 4,000 pages, not SQLite's 1,000: a checkpoint (a
 * sync of the WAL, the pages copied, a sync of the file) comes four times as rarely a reserve
 * (docs/performance-history.md, "SQLite reserve"). Every commit is still synced in the WAL.
 */
let dir: { path: string; remove: () => void };
const path = () => join(dir.path, "tix.db");

beforeEach(() => {
  dir = tempDir("tix-checkpoints-");
});
afterEach(() => dir.remove());

it("opens with WAL, synchronous=FULL and a checkpoint every 4,000 pages", () => {
  const db = openDatabase(path(), { busyTimeoutMs: 1000 });
  try {
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2); // FULL
    expect(db.pragma("wal_autocheckpoint", { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    expect(WAL_AUTOCHECKPOINT_PAGES).toBe(4000);
  } finally {
    db.close();
  }
});

it("reserves fill the WAL past SQLite's 1,000 pages before a checkpoint, and every one is kept", async () => {
  const clock = new ManualClock(Date.UTC(2025, 4, 1, 12));
  const tix = createTix(openSqliteStore(path(), clock, { busyTimeoutMs: 1000 }), clock);
  const { event } = await tix.events.create({ id: "evt_wal", name: "WAL", capacity: 1000, price: "10.00" });
  // At 1,000 pages a checkpoint lets the next commit write the WAL from its start again: its file
  // never held more than 1,000 frames and the last commit's. (A frame: a 24-byte header and a page.)
  const frames = () => (statSync(`${path()}-wal`).size - 32) / (24 + 4096);
  let reserves = 0;
  while (frames() <= 1100 && reserves < 400) await tix.tickets.reserve({ eventId: event.id, userId: `user${reserves++}`, key: "k" });
  expect(frames()).toBeGreaterThan(1100);
  expect(frames()).toBeLessThan(WAL_AUTOCHECKPOINT_PAGES);
  await tix.close();

  const reopened = createTix(openSqliteStore(path(), clock, { busyTimeoutMs: 1000 }), clock);
  expect((await reopened.events.get(event.id)).held).toBe(reserves);
  await reopened.close();
});
