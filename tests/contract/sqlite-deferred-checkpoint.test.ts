import { openSync, readSync, closeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { CHECKPOINT_AFTER_FRAMES } from "../../src/store/sqlite/deferred-checkpoint.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A SQLite group commit checkpoints its WAL once the event loop turns after a batch that left it
 * past CHECKPOINT_AFTER_FRAMES — before the next batch, not inside the commit that would cross
 * SQLite's own 1000 frames — and the WAL then starts over, with nothing committed lost.
 */
let dir: { path: string; remove: () => void };
let tix: Tix;
const clock = new ManualClock("2030-01-01T12:00:00Z");
const path = () => join(dir.path, "tix.db");

beforeEach(async () => {
  dir = tempDir("tix-checkpoint-");
  tix = createTix(await openStore(`sqlite:${path()}`, { clock, groupCommit: true }), clock);
});
afterEach(async () => {
  await tix.close();
  dir.remove();
});

/** The wal-index header's mxFrame: the WAL's last valid frame (sqlite.org/walformat.html). */
function walFrames(): number {
  const fd = openSync(`${path()}-shm`, "r");
  try {
    const header = Buffer.alloc(4);
    readSync(fd, header, 0, 4, 16);
    return header.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}

it("batch after batch, the WAL starts over soon after the threshold, never reaching SQLite's 1000 frames", async () => {
  const { event } = await tix.events.create({ id: "evt_ckpt", name: "Checkpoint", capacity: 100_000 });
  const reserves = 150; // ~13 frames each: past 1000 frames more than once
  let largest = 0;
  let restarts = 0;
  let before = walFrames();
  for (let i = 0; i < reserves; i++) {
    await tix.tickets.reserve({ eventId: event.id, userId: `u${i}`, key: "k" });
    const frames = walFrames();
    if (frames < before) restarts++;
    largest = Math.max(largest, frames);
    before = frames;
  }
  expect(restarts).toBeGreaterThanOrEqual(2);
  expect(largest).toBeGreaterThanOrEqual(CHECKPOINT_AFTER_FRAMES);
  expect(largest).toBeLessThan(CHECKPOINT_AFTER_FRAMES + 100);
  const other = new Database(path(), { readonly: true });
  try {
    expect(other.prepare("SELECT count(*) FROM tickets WHERE event_id = ?").pluck().get(event.id)).toBe(reserves);
  } finally {
    other.close();
  }
  expect((await tix.events.get(event.id)).held).toBe(reserves);
});
