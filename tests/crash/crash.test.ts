import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { knob, runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Processes working one SQLite store are killed with SIGKILL at random moments — while opening
 * (and migrating) a brand-new file, and in the middle of reserving, purchasing and cancelling.
 * Afterwards the file must pass `PRAGMA integrity_check`, every success a process printed must be
 * in it, and the counts must equal the tickets. Sizes: TIX_STRESS_PROCESSES workers at once for
 * TIX_STRESS_SECONDS.
 */
const DRIVER = fileURLToPath(new URL("./reserve-loop.mjs", import.meta.url));
const WORKERS = knob("TIX_STRESS_PROCESSES", 3, 8);
const SECONDS = knob("TIX_STRESS_SECONDS", 5, 60);
const NOW = "2030-01-01T12:00:00Z";
const CAPACITY = 25;

interface Ack {
  op: "opening" | "ready" | "reserve" | "purchase" | "cancel";
  id?: string;
  userId?: string;
  key?: string;
}

let home: { path: string; remove: () => void };
let dbPath: string;
const running = new Set<ChildProcess>();

beforeEach(() => {
  home = tempDir("tix-crash-");
  dbPath = join(home.path, "tix.db");
});
afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
  home.remove();
});

const randomBetween = (low: number, high: number) => low + Math.floor(Math.random() * (high - low));

/**
 * Starts a driver and kills it with SIGKILL `lifeMs` after it starts opening the store (node's
 * own start-up is not counted); answers every line it printed. With `capacity` the driver
 * creates the event itself, so it can start on a file that does not exist yet.
 */
function runUntilKilled(worker: string, lifeMs: number, capacity?: number): Promise<{ acks: Ack[]; stderr: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const args = [DRIVER, dbPath, "evt_crash", worker, NOW, ...(capacity === undefined ? [] : [String(capacity)])];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let stdout = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      timer ??= setTimeout(() => child.kill("SIGKILL"), lifeMs);
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      // A line cut short by the kill was never a complete acknowledgement.
      const complete = stdout.slice(0, stdout.lastIndexOf("\n") + 1);
      const acks = complete.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Ack)
        .filter((ack) => ack.op !== "opening" && ack.op !== "ready");
      resolve({ acks, stderr, killed: signal === "SIGKILL" });
    });
  });
}

function integrityCheck(): string {
  // Opened read-write, as the next tix would: this is what replays the WAL after a crash.
  const db = new Database(dbPath);
  try {
    return (db.pragma("integrity_check") as Array<{ integrity_check: string }>).map((row) => row.integrity_check).join("; ");
  } finally {
    db.close();
  }
}

/** Every printed success is in the file and nothing later undid it; the counts equal the tickets. */
function expectAcknowledgedAndConsistent(acks: Ack[]): void {
  const db = new Database(dbPath, { readonly: true });
  try {
    const hasSchema = db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'events'").pluck().get() === 1;
    if (!hasSchema) {
      expect(acks, "successes were printed, but the file has no tables").toEqual([]);
      return;
    }
    const event = db.prepare("SELECT sum(capacity) AS capacity, sum(held) AS held, sum(sold) AS sold FROM tiers WHERE event_id = 'evt_crash' HAVING count(*) > 0").get() as { capacity: number; held: number; sold: number } | undefined;
    const tickets = new Map((db.prepare("SELECT id, user_id AS userId, status, purchased_at AS purchasedAt FROM tickets").all() as Array<{ id: string; userId: string; status: string; purchasedAt: number | null }>)
      .map((ticket) => [ticket.id, ticket]));
    const keys = db.prepare("SELECT user_id AS userId, key, ticket_id AS ticketId FROM idempotency_keys").all() as Array<{ userId: string; key: string; ticketId: string }>;

    const rank: Record<string, number> = { reserved: 0, purchased: 1, cancelled: 2 };
    const rankOfAck: Record<string, number> = { reserve: 0, purchase: 1, cancel: 2 };
    for (const ack of acks) {
      const stored = tickets.get(ack.id!);
      expect(stored, `acknowledged ${ack.op} of ticket ${ack.id} is not in the file`).toBeDefined();
      expect(rank[stored!.status]!, `ticket ${ack.id} was acknowledged as ${ack.op} but is ${stored!.status}`).toBeGreaterThanOrEqual(rankOfAck[ack.op]!);
      if (ack.op === "reserve") {
        expect(stored!.userId).toBe(ack.userId);
        expect(keys).toContainEqual({ userId: ack.userId, key: ack.key, ticketId: ack.id });
      }
      if (ack.op === "purchase") expect(stored!.purchasedAt).not.toBeNull();
    }

    // The invariants: never oversold, counts equal the tickets, each key names its own user's ticket.
    if (!event) {
      expect(tickets.size).toBe(0);
      return;
    }
    const count = (status: string) => [...tickets.values()].filter((ticket) => ticket.status === status).length;
    expect(event.held + event.sold, "oversold").toBeLessThanOrEqual(event.capacity);
    expect({ held: event.held, sold: event.sold }, "counts vs tickets").toEqual({ held: count("reserved"), sold: count("purchased") });
    expect(keys).toHaveLength(tickets.size);
    for (const key of keys) expect(tickets.get(key.ticketId)?.userId).toBe(key.userId);
  } finally {
    db.close();
  }
}

describe("SIGKILL at random moments", () => {
  it("brand-new stores killed while being created, migrated and first written are still good stores", async () => {
    let acknowledged = 0;
    for (let round = 0; round < 4; round++) {
      dbPath = join(home.path, `fresh-${round}.db`);
      const outcomes = await Promise.all(Array.from({ length: WORKERS }, (_, index) =>
        runUntilKilled(`m${index}`, randomBetween(0, 60), CAPACITY)));
      for (const outcome of outcomes) expect(outcome.stderr, "a driver failed on its own").toBe("");
      const acks = outcomes.flatMap((outcome) => outcome.acks);
      acknowledged += acks.length;
      expect(integrityCheck()).toBe("ok");
      expectAcknowledgedAndConsistent(acks);
      // The next tix opens it (finishing or redoing the migration) and works.
      const created = runTix(["--store", `sqlite:${dbPath}`, "event", "create", "--id", "evt_after", "--name", "After", "--capacity", "1"], home.path);
      expect(created.code, created.stderr).toBe(0);
    }
    console.log(`crash: ${acknowledged} successes acknowledged by processes killed while creating their store`);
  }, 60_000);

  it(`${WORKERS} processes killed again and again for ${SECONDS}s: integrity ok, every printed success stored, counts equal the tickets`, async () => {
    const created = runTix(["event", "create", "--id", "evt_crash", "--name", "Crash", "--capacity", String(CAPACITY), "--hold", "7d"], home.path, { env: { TIX_NOW: NOW } });
    expect(created.code, created.stderr).toBe(0);

    const acks: Ack[] = [];
    let kills = 0;
    // Until the time is up and enough work was acknowledged (a slow machine gets more time, up to 4×).
    const started = Date.now();
    const enough = () => Date.now() - started >= SECONDS * 1000 && acks.filter((ack) => ack.op === "reserve").length >= 20;
    await Promise.all(Array.from({ length: WORKERS }, async (_, index) => {
      for (let life = 0; !enough() && Date.now() - started < 4 * SECONDS * 1000; life++) {
        const outcome = await runUntilKilled(`w${index}.${life}`, randomBetween(5, 600));
        expect(outcome.stderr, "a driver failed on its own").toBe("");
        if (outcome.killed) kills++;
        acks.push(...outcome.acks);
      }
    }));

    const reserved = acks.filter((ack) => ack.op === "reserve").length;
    console.log(`crash: ${kills} kills, ${acks.length} successes acknowledged (${reserved} reservations)`);
    expect(kills).toBeGreaterThan(WORKERS);
    expect(reserved, "the drivers got work done between kills").toBeGreaterThan(10);
    expect(integrityCheck()).toBe("ok");
    expectAcknowledgedAndConsistent(acks);

    // And tix itself opens the file and reads the same.
    const shown = runTix(["--json", "event", "show", "evt_crash"], home.path, { env: { TIX_NOW: NOW } });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.json().event.held + shown.json().event.sold).toBeLessThanOrEqual(CAPACITY);
  }, 120_000 + SECONDS * 5_000);
});
