import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix } from "../../src/index.js";
import { TIX_BIN, runTix, runTixAsync, testEnv } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";

// A list streamed a page at a time reads one snapshot (docs/guide.md, "Reports and export"): an
// export stalled by a slow reader while another tix process cancels tickets prints them all as
// they were when it began; a stream cut short (`| head -1`) leaves no transaction open.

/** 5,000 of alice's tickets, all bought: pages of 1,000, 2,000 and 2,000. */
const TICKETS = 5000;
/** Tickets cancelled while the export is stalled: on its second and third pages. */
const CANCELLED = [1500, 1501, 1502, 3000, 3500, 4000, 4500, 4998, 4999];

async function fill(store: string): Promise<string[]> {
  const tix = await openTix({ store });
  await tix.events.create({ id: "evt_snap", name: "Snap", capacity: TICKETS + 100, price: "10.00", limitPerUser: "none", hold: "24h" });
  for (let order = 0; order < TICKETS / 50; order++) {
    const { orderId } = await tix.tickets.reserve({ eventId: "evt_snap", userId: "alice", quantity: 50 });
    await tix.tickets.purchase({ ticketId: orderId, userId: "alice" });
  }
  // In the list's order (reservation time, then id).
  const ids = (await tix.tickets.list({ eventId: "evt_snap" })).map((ticket) => ticket.id);
  await tix.close();
  return ids;
}

/** The export's rows as `[id, status]`, in order. */
function rows(csv: string): Array<[string, string]> {
  const [header, ...lines] = csv.trimEnd().split("\n");
  const columns = header!.split(",");
  const id = columns.indexOf("id");
  const status = columns.indexOf("status");
  return lines.map((line) => {
    const cells = line.split(",");
    return [cells[id]!, cells[status]!];
  });
}

function snapshotCases(name: string, storeOf: () => string, home: () => string, noTransactionLeft: () => Promise<void>): void {
  describe(`a streamed export reads one snapshot: ${name}`, () => {
    let ids: string[];
    const env = () => ({ TIX_STORE: storeOf() });
    beforeAll(async () => {
      ids = await fill(storeOf());
    }, 120_000);

    it("stalled by a slow reader while another process cancels tickets, it prints every ticket as it was when it began", async () => {
      const exporter = spawn(process.execPath, [TIX_BIN, "export", "tickets", "--event", "evt_snap"], { env: testEnv(home(), env()) });
      const chunks: Buffer[] = [];
      let stderr = "";
      exporter.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => exporter.on("close", resolve));
      // The reader takes the first piece, then stops reading: the pipe fills, the export waits.
      await new Promise<void>((resolve) => {
        exporter.stdout.on("data", (chunk: Buffer) => {
          chunks.push(chunk);
          if (chunks.length === 1) {
            exporter.stdout.pause();
            resolve();
          }
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Another tix process cancels tickets of the later pages, and is not kept waiting.
      const script = CANCELLED.map((index) => `cancel ${ids[index]} --yes`).join("\n") + "\n";
      const started = Date.now();
      const canceller = await runTixAsync([], home(), { env: env(), input: script, timeoutMs: 60_000 });
      expect(canceller.stderr).toBe("");
      expect(canceller.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(30_000);
      exporter.stdout.resume();
      expect(await exited).toBe(0);
      expect(stderr).toBe("");
      const exported = rows(Buffer.concat(chunks).toString());
      expect(exported.map(([id]) => id)).toEqual(ids);
      // One moment: the one before the cancellations (none is seen, on any page).
      expect(exported.filter(([, status]) => status !== "purchased")).toEqual([]);
      // They were made: an export begun now sees them all.
      const after = spawnSync(process.execPath, [TIX_BIN, "export", "tickets", "--event", "evt_snap"], { env: testEnv(home(), env()), encoding: "utf8" });
      expect(rows(after.stdout).filter(([, status]) => status === "cancelled").map(([id]) => id)).toEqual(CANCELLED.map((index) => ids[index]));
    }, 120_000);

    it("cut short (`| head -1`), or ended within a batch, it leaves no transaction open", async () => {
      const cut = spawnSync("sh", ["-c", `"${process.execPath}" "${TIX_BIN}" export tickets --event evt_snap | head -1`], { env: testEnv(home(), env()), encoding: "utf8" });
      expect(cut.stderr).toBe("");
      expect(cut.stdout.split("\n")).toHaveLength(2);
      await noTransactionLeft();
      // In a batch the process goes on: the export's snapshot ends with its last page, and the next line writes.
      const batch = await runTixAsync([], home(), { env: env(), input: `export tickets --event evt_snap\ncancel ${ids[10]} --yes\n`, timeoutMs: 60_000 });
      expect(batch.stderr).toBe("");
      expect(batch.code).toBe(0);
      expect(rows(batch.stdout.split("\n").slice(0, TICKETS + 1).join("\n"))).toHaveLength(TICKETS);
      expect(batch.stdout).toMatch(/Cancelled/i);
      await noTransactionLeft();
    }, 120_000);
  });
}

describe("SQLite", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());
  const file = () => join(dir.path, "tix.db");
  snapshotCases("SQLite", () => `sqlite:${file()}`, () => dir.path, async () => {
    // No reader left behind: the WAL checkpoints whole and is emptied.
    const db = new Database(file());
    try {
      db.pragma("busy_timeout = 0");
      expect(db.pragma("wal_checkpoint(TRUNCATE)")).toEqual([{ busy: 0, log: 0, checkpointed: 0 }]);
    } finally {
      db.close();
    }
  });
});

const skipReason = postgresUnavailableReason();
describe.skipIf(skipReason !== undefined)("PostgreSQL", () => {
  const server = usePostgres();
  let dir: ReturnType<typeof tempDir>;
  let url: string;
  beforeAll(async () => {
    dir = tempDir();
    url = await server.createDatabase();
  }, 120_000);
  afterAll(() => dir.remove());
  snapshotCases("PostgreSQL", () => url, () => dir.path, async () => {
    const database = new URL(url).pathname.slice(1);
    const open = await server.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND state LIKE 'idle in transaction%'", [database], database);
    expect(open).toEqual([{ n: 0 }]);
  });
});

// Opening a snapshot releases due holds (a write); found by the CLI fuzz: a piped `ticket list`
// refused for its --event marked a lapsed hold expired (and logged it) before refusing.
describe("a streamed list refused for bad input", () => {
  it("writes nothing: the snapshot is opened by its first read, after the input is checked", () => {
    const home = tempDir();
    try {
      expect(runTix(["seed"], home.path).code).toBe(0);
      expect(runTix(["reserve", "evt_jazz_evening"], home.path).code).toBe(0);
      const file = join(home.path, "tix.db");
      const state = () => {
        const db = new Database(file, { readonly: true });
        try {
          return JSON.stringify([db.prepare("SELECT id, status FROM tickets").all(), db.prepare("SELECT count(*) AS n FROM audit_log").get()]);
        } finally {
          db.close();
        }
      };
      const before = state();
      expect(before).toContain('"reserved"');
      const later = { env: { TIX_NOW: "2030-01-01T12:00:00Z" } };
      for (const args of [["ticket", "list", "--event", "\u202eevil"], ["ticket", "list", "--status", "lost"], ["log", "--event", "\u202eevil"]]) {
        expect(runTix(args, home.path, later).code, args.join(" ")).toBe(2);
        expect(state(), args.join(" ")).toBe(before);
      }
      // A good one releases the lapsed hold as any read does.
      expect(runTix(["ticket", "list"], home.path, later).stdout).toContain("expired");
    } finally {
      home.remove();
    }
  });
});
