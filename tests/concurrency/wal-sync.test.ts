import { fstatSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { DEFAULT_GROUP_COMMIT } from "../../src/store/group-commit.js";
import { openStore } from "../../src/store/open-store.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Group commit on SQLite syncs the -wal file on libuv's thread pool (src/store/sqlite/wal-sync.ts):
 * the batch commits with synchronous=NORMAL, and nothing is answered before an fdatasync of the
 * -wal file that began after the batch was written has returned. The real fdatasync runs each
 * time; these tests only hold it back, to see who waits for it.
 */
describe("group commit on SQLite: the sync off the event loop", () => {
  let dir: { path: string; remove: () => void };
  let path: string;
  let tix: Tix;
  let syncs: Array<{ fd: number; frames: number }>;
  let gate: { open: () => void; held: Promise<void> };
  let failWith: NodeJS.ErrnoException | undefined;
  const clock = new ManualClock("2030-01-01T12:00:00Z");

  const hold = () => {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    gate = { open, held };
  };
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => (done = true), () => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    return done;
  };
  const walFrames = () => Math.max(0, (statSync(`${path}-wal`).size - 32) / (4096 + 24));

  beforeEach(async () => {
    dir = tempDir("tix-wal-sync-");
    path = join(dir.path, "tix.db");
    syncs = [];
    failWith = undefined;
    gate = { open: () => undefined, held: Promise.resolve() };
    await (await openStore(`sqlite:${path}`, { clock })).close(); // the file, made as the CLI makes it
    const store = openSqliteStore(path, clock, {
      busyTimeoutMs: 5_000,
      groupCommit: DEFAULT_GROUP_COMMIT,
      walSync: (fd, done) => {
        syncs.push({ fd, frames: walFrames() });
        void gate.held.then(() => {
          if (failWith) return done(failWith);
          // The real sync, once let go.
          import("node:fs").then(({ fdatasync }) => fdatasync(fd, done), done);
        });
      },
    });
    tix = createTix(store, clock);
  });
  afterEach(async () => {
    gate.open();
    await tix.close().catch(() => undefined);
    dir.remove();
  });

  it("answers a reserve only once the -wal file, already holding its batch, has been synced", async () => {
    const { event } = await tix.events.create({ name: "Synced", capacity: 10 });
    hold();
    const answer = tix.tickets.reserve({ eventId: event.id, userId: "ann", key: "k1" });
    expect(await settled(answer)).toBe(false);
    // Committed (another connection sees it) and written to the -wal file, whose fd is the one synced.
    const other = new Database(path, { readonly: true });
    try {
      expect(other.prepare("SELECT count(*) FROM tickets").pluck().get()).toBe(1);
    } finally {
      other.close();
    }
    const last = syncs.at(-1)!;
    expect(fstatSync(last.fd).ino).toBe(statSync(`${path}-wal`).ino);
    expect(last.frames).toBeGreaterThan(0);
    gate.open();
    expect((await answer).ticket.userId).toBe("ann");
  });

  it("a read made while a batch's sync runs waits for that sync; a read that saw nothing new waits for none", async () => {
    const { event } = await tix.events.create({ name: "Synced", capacity: 10 });
    hold();
    const reserve = tix.tickets.reserve({ eventId: event.id, userId: "ann", key: "k1" });
    await settled(reserve);
    const read = tix.events.get(event.id);
    expect(await settled(read)).toBe(false);
    gate.open();
    expect((await read).held).toBe(1);
    await reserve;
    const before = syncs.length;
    expect((await tix.events.get(event.id)).held).toBe(1);
    expect(syncs.length).toBe(before);
  });

  it("syncs another process's commit before answering a read that saw it", async () => {
    const { event } = await tix.events.create({ name: "Synced", capacity: 10 });
    const elsewhere = await openStore(`sqlite:${path}`, { clock });
    try {
      await createTix(elsewhere, clock).tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" });
    } finally {
      await elsewhere.close();
    }
    const before = syncs.length;
    expect((await tix.events.get(event.id)).held).toBe(1);
    expect(syncs.length).toBe(before + 1);
  });

  it("a failed sync answers STORE_UNAVAILABLE, in doubt, and nothing later is answered as durable", async () => {
    const { event } = await tix.events.create({ name: "Synced", capacity: 10 });
    hold();
    failWith = Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" });
    const answer = tix.tickets.reserve({ eventId: event.id, userId: "ann", key: "k1" });
    gate.open();
    await expect(answer).rejects.toMatchObject({ code: "STORE_UNAVAILABLE", message: expect.stringMatching(/EIO.*may or may not be kept.*same keys/) });
    failWith = undefined;
    await expect(tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k2" })).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    await expect(tix.events.get(event.id)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    // Refused before it ran: only ann's reservation, in doubt, was made.
    const other = new Database(path, { readonly: true });
    try {
      expect(other.prepare("SELECT user_id FROM tickets").pluck().all()).toEqual(["ann"]);
    } finally {
      other.close();
    }
  });
});
