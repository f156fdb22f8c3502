import { openSync, readSync, closeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { CHECKPOINT_AFTER_FRAMES } from "../../src/store/sqlite/deferred-checkpoint.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A long-lived SQLite connection checkpoints its WAL once the event loop turns after a commit that
 * left it past CHECKPOINT_AFTER_FRAMES — not inside a later commit — and the WAL then starts over,
 * with nothing committed lost.
 */
const T0 = Date.UTC(2030, 0, 1, 12);
let dir: { path: string; remove: () => void };
let tix: Tix;
const path = () => join(dir.path, "tix.db");

beforeEach(() => {
  dir = tempDir("tix-checkpoint-");
  const clock = new ManualClock(T0);
  tix = createTix(openSqliteStore(path(), clock, { busyTimeoutMs: 1000 }), clock);
});
afterEach(async () => {
  await tix.close();
  dir.remove();
});

/** The wal-index header's mxFrame and the checkpoint's nBackfill (sqlite.org/walformat.html). */
function walState(): { frames: number; backfilled: number } {
  const fd = openSync(`${path()}-shm`, "r");
  try {
    const header = Buffer.alloc(136);
    readSync(fd, header, 0, header.length, 0);
    return { frames: header.readUInt32LE(16), backfilled: header.readUInt32LE(96) };
  } finally {
    closeSync(fd);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

it("past the threshold, the WAL is checkpointed on the next turn of the event loop, below SQLite's own 1000 frames", async () => {
  const { event } = await tix.events.create({ id: "evt_ckpt", name: "Checkpoint", capacity: 100_000 });
  let reserved = 0;
  // Reserves one after another, never yielding to the event loop: the WAL grows past the threshold.
  while (walState().frames < CHECKPOINT_AFTER_FRAMES) await tix.tickets.reserve({ eventId: event.id, userId: `u${reserved++}`, key: "k" });
  const grown = walState();
  expect(grown.frames).toBeLessThan(1000);
  expect(grown.backfilled).toBe(0);
  await turn();
  await turn();
  expect(walState()).toEqual({ frames: grown.frames, backfilled: grown.frames });
  // The next commit starts the WAL over; every ticket is still there, read by another connection.
  await tix.tickets.reserve({ eventId: event.id, userId: "after", key: "k" });
  expect(walState().frames).toBeLessThan(grown.frames);
  const other = new Database(path(), { readonly: true });
  try {
    expect(other.prepare("SELECT count(*) FROM tickets WHERE event_id = ?").pluck().get(event.id)).toBe(reserved + 1);
  } finally {
    other.close();
  }
  expect((await tix.events.get(event.id)).held).toBe(reserved + 1);
});
