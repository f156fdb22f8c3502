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
 * past CHECKPOINT_AFTER_FRAMES — after the batch is answered, not inside its commit — and the WAL
 * then starts over, with nothing committed lost.
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

/** The wal-index header's mxFrame (the WAL's last valid frame) and the checkpoint's nBackfill (sqlite.org/walformat.html). */
function walState(): { frames: number; backfilled: number } {
  const fd = openSync(`${path()}-shm`, "r");
  try {
    const header = Buffer.alloc(100);
    readSync(fd, header, 0, header.length, 0);
    return { frames: header.readUInt32LE(16), backfilled: header.readUInt32LE(96) };
  } finally {
    closeSync(fd);
  }
}

it("the batch that takes the WAL past the threshold is answered before the checkpoint; the WAL starts over before the next batch", async () => {
  const { event } = await tix.events.create({ id: "evt_ckpt", name: "Checkpoint", capacity: 100_000 });
  let reserves = 0;
  let crossings = 0;
  let largest = 0;
  while (crossings < 2) {
    await tix.tickets.reserve({ eventId: event.id, userId: `u${reserves++}`, key: "k" });
    // Answered: the checkpoint has not run inside the commit.
    const answered = walState();
    largest = Math.max(largest, answered.frames);
    if (answered.frames < CHECKPOINT_AFTER_FRAMES) continue;
    expect(answered.backfilled).toBe(0);
    crossings++;
    await new Promise((resolve) => setImmediate(resolve));
    expect(walState()).toEqual({ frames: answered.frames, backfilled: answered.frames });
    // The next batch starts the WAL over.
    await tix.tickets.reserve({ eventId: event.id, userId: `u${reserves++}`, key: "k" });
    expect(walState().frames).toBeLessThan(answered.frames);
  }
  expect(largest).toBeLessThan(CHECKPOINT_AFTER_FRAMES + 100);
  const other = new Database(path(), { readonly: true });
  try {
    expect(other.prepare("SELECT count(*) FROM tickets WHERE event_id = ?").pluck().get(event.id)).toBe(reserves);
  } finally {
    other.close();
  }
  expect((await tix.events.get(event.id)).held).toBe(reserves);
});
