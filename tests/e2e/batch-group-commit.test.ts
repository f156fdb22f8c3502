import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TIX_BIN, runTix, runTixAsync, testEnv } from "../helpers/cli.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A batch over a pipe commits the writes of the lines it has read together in one transaction
 * (src/cli/repl/pipeline.ts). What it prints, its exit code and what it leaves in the store must
 * be exactly those of running the lines one after another: the memory store's batch, which never
 * groups, is the reference.
 */

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const jsonLines = (stdout: string) => stdout.trim().split("\n").filter(Boolean).map((line) => JSON.parse(line));

/** Ids, keys and times vary from run to run; everything else must not. */
/**
 * What two runs of one script print, alike: ids, keys and times replaced. A list's tickets reserved
 * in the same millisecond come in the order of their (random) ids, so a list is put in its users' order.
 */
function normalised(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const parsed = line.startsWith("{") ? (JSON.parse(line) as { tickets?: Array<{ userId: string }> }) : undefined;
      if (!Array.isArray(parsed?.tickets)) return line;
      parsed.tickets.sort((a, b) => a.userId.localeCompare(b.userId));
      return JSON.stringify(parsed);
    })
    .join("\n")
    .replace(/\b(tkt|ord)_[0-9a-z]+/g, "$1_ID")
    .replace(/\bkey_[0-9a-z]+/g, "key_ID")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, "TIME")
    .replace(/in \d+ minutes?|in \d+ seconds?/g, "in SOON");
}

const setup = (capacity: number) => `event create --id evt_hot --name Hot --capacity ${capacity} --json\n`;

/** A script whose failures land in the middle of runs of grouped lines (after the set-up line 1). */
const MIXED = [
  "reserve evt_hot --user u1 --key k1 --json",
  "reserve evt_hot --user u2 --json",
  "reserve evt_missing --user u3 --json", // EVENT_NOT_FOUND
  "reserve evt_hot --user u4 --json",
  "reserve evt_hot --user u1 --key k1 --json", // a replay of line 2
  "reserve evt_hot --user u5 --json", // SOLD_OUT (capacity 3)
  "purchase $ticket --json", // $ticket: line 7 failed
  "reserve evt_hot --user u6 --nope --json", // a usage error
  "cancel tkt_nosuchticket00000 --user u1 --json", // TICKET_NOT_FOUND
  "",
  "# a comment",
  "event show evt_hot --json", // reads after every write before it
  "reserve evt_hot --user u7 --json", // still sold out
  "ticket list --all-users --json",
].join("\n");

const STORES: Array<[string, () => string]> = [["SQLite", () => `sqlite:${join(home.path, "tix.db")}`]];

function runsLikeOneAfterAnother(name: string, storeUrl: () => string) {
  describe(`batch over ${name}, grouped`, () => {
    it("prints the same lines, errors and exit code as running the lines one after another, and leaves the same state", async () => {
      const grouped = await runTixAsync(["--store", storeUrl()], home.path, { input: setup(3) + MIXED + "\n" });
      const reference = runTix(["--store", "memory"], home.path, { input: setup(3) + MIXED + "\n" });
      // `purchase $ticket` never split, so its error is not JSON: on stderr, as in the reference.
      expect(grouped.stderr).toBe("line 8: error: $ticket: line 7 failed, so no ticket was printed\n");
      expect(grouped.stderr).toBe(reference.stderr);
      expect(grouped.code).toBe(reference.code);
      expect(grouped.code).toBe(3);
      expect(normalised(grouped.stdout)).toBe(normalised(reference.stdout));
      const lines = jsonLines(grouped.stdout);
      expect(lines.map((line) => (line.status === "error" ? `${line.error.line}:${line.error.code}` : line.status))).toEqual([
        "success", "success", "success", "4:EVENT_NOT_FOUND", "success", "success", "7:SOLD_OUT",
        "9:INVALID_ARGUMENT", "10:TICKET_NOT_FOUND", "success", "14:SOLD_OUT", "success",
      ]);
      expect(lines[5]).toMatchObject({ replayed: true, ticket: { id: lines[1].ticket.id } });
      expect(lines[9].event).toMatchObject({ held: 3, available: 0 });
      // Every ticket printed is in the store, and nothing else is.
      const printed = [lines[1], lines[2], lines[4]].map((line) => line.ticket.id).sort();
      expect(lines[11].tickets.map((ticket: { id: string }) => ticket.id).sort()).toEqual(printed);
    });

    it("answers many reserves in line order, each with its own ticket, all of them in the store", async () => {
      const count = 300;
      const script = Array.from({ length: count }, (_, i) => `reserve evt_hot --user g${i} --json`).join("\n");
      const out = await runTixAsync(["--store", storeUrl()], home.path, { input: `${setup(count)}${script}\n` });
      expect(out.stderr).toBe("");
      expect(out.code).toBe(0);
      const lines = jsonLines(out.stdout).slice(1);
      expect(lines.map((line) => line.ticket.userId)).toEqual(Array.from({ length: count }, (_, i) => `g${i}`));
      // Decided in line order: the clock, read after each lock, never goes back.
      const times = lines.map((line) => Date.parse(line.ticket.reservedAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const shown = runTix(["--store", storeUrl(), "ticket", "list", "--all-users", "--event", "evt_hot", "--json"], home.path).json();
      expect(shown.tickets.map((ticket: { id: string }) => ticket.id).sort()).toEqual(lines.map((line) => line.ticket.id).sort());
    });

    it("lines in flight together, parsed by one command tree, each keep their own options, and a failing one disturbs none", async () => {
      // Read in one piece, these lines are in flight together; a session builds one `reserve` tree for them all.
      const script = [
        setup(20).trim(),
        "reserve evt_hot --user a --quantity 2 --key ka --json",
        "reserve evt_hot --user b", // plain text
        "reserve evt_missing --user c --json", // EVENT_NOT_FOUND
        "reserve evt_hot --user d --quantity 3 --json",
        "reserve evt_hot --user e --quantity 0 --json", // INVALID_ARGUMENT
        "--json reserve evt_hot --user f --key kf",
        "reserve evt_hot --user a --quantity 2 --key ka --json", // a replay of line 2
        "reserve evt_hot --user g", // plain text
        "purchase tkt_nosuchticket00000 --user h --json", // TICKET_NOT_FOUND
        "reserve evt_hot --user i --quantity 4 --json",
        "reserve evt_missing --user z", // plain error, on stderr
      ].join("\n") + "\n";
      const out = await runTixAsync(["--store", storeUrl()], home.path, { input: script });
      const reference = runTix(["--store", "memory"], home.path, { input: script });
      expect(out.code).toBe(3);
      expect(out.stderr).toBe("line 12: error: no event with id evt_missing (tix event list)\n");
      expect(normalised(out.stdout)).toBe(normalised(reference.stdout));
      const answers = out.stdout.trim().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line)).slice(1);
      expect(answers.map((line) => line.status === "error"
        ? `${line.error.line}:${line.error.code}`
        : `${line.ticket.userId}×${line.tickets.length} ${line.key}${line.replayed ? " replayed" : ""}`)).toEqual([
        "a×2 ka", "4:EVENT_NOT_FOUND", `d×3 ${answers[2].key}`, "6:INVALID_ARGUMENT", "f×1 kf", "a×2 ka replayed", "10:TICKET_NOT_FOUND", `i×4 ${answers[7].key}`,
      ]);
      expect(answers[5].ticket.id).toBe(answers[0].ticket.id);
      // The two plain lines print as text, each with its own user.
      expect([...out.stdout.matchAll(/^userId:\t(\w+)$/gm)].map((match) => match[1])).toEqual(["b", "g"]);
      const held = runTix(["--store", storeUrl(), "event", "show", "evt_hot", "--json"], home.path).json().event.held;
      expect(held).toBe(2 + 1 + 3 + 1 + 1 + 4);
    });

    it("$event and $ticket follow the lines in order around grouped lines", async () => {
      const script = [
        setup(5).trim(),
        "reserve $event --user a --json", // uses $event: runs alone
        "reserve evt_hot --user b --json",
        "reserve evt_hot --user c --json",
        "cancel $ticket --user c --json", // the ticket of line 4, not of line 3
        "ticket show $ticket --user c --json",
      ].join("\n");
      const out = await runTixAsync(["--store", storeUrl()], home.path, { input: `${script}\n` });
      expect(out.code).toBe(0);
      const lines = jsonLines(out.stdout);
      expect(lines[4].ticket).toMatchObject({ id: lines[3].ticket.id, userId: "c", status: "cancelled" });
      expect(lines[5].ticket).toMatchObject({ id: lines[3].ticket.id, status: "cancelled" });
    });

    it("--bail runs one line after another and stops at the first failure: nothing after it is applied", async () => {
      const script = [setup(10).trim(), "reserve evt_hot --user a --json", "reserve evt_missing --json", "reserve evt_hot --user b --json"].join("\n");
      const out = await runTixAsync(["--store", storeUrl(), "--bail"], home.path, { input: `${script}\n` });
      expect(out.code).toBe(3);
      expect(jsonLines(out.stdout)).toHaveLength(3);
      const shown = runTix(["--store", storeUrl(), "event", "show", "evt_hot", "--json"], home.path).json();
      expect(shown.event.held).toBe(1);
    });
  });
}

for (const [name, url] of STORES) runsLikeOneAfterAnother(name, url);

const noPostgres = postgresUnavailableReason();
describe.skipIf(noPostgres !== undefined)("PostgreSQL", () => {
  const server = usePostgres();
  let url = "";
  beforeEach(async () => {
    url = await server.createDatabase();
  });
  runsLikeOneAfterAnother("PostgreSQL", () => url);

  /** The database's committed transactions, once no session of it is left (a backend counts its own when it ends). */
  async function commitsOf(database: string): Promise<number> {
    for (let tries = 0; tries < 100; tries += 1) {
      const [row] = await server.query<{ numbackends: number; xact_commit: string }>(
        "SELECT numbackends, xact_commit FROM pg_stat_database WHERE datname = $1", [database]);
      if (Number(row!.numbackends) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const [after] = await server.query<{ xact_commit: string }>("SELECT xact_commit FROM pg_stat_database WHERE datname = $1", [database]);
        return Number(after!.xact_commit);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`sessions of ${database} never ended`);
  }

  it("commits the reserves of lines read together in a few transactions, not one each (and one each with --bail)", async () => {
    const database = new URL(url).pathname.slice(1);
    expect(runTix(["--store", url, ...setup(1000).trim().split(" ")], home.path).code).toBe(0);
    const script = Array.from({ length: 200 }, (_, i) => `reserve evt_hot --user c${i} --json`).join("\n") + "\n";
    const before = await commitsOf(database);
    const grouped = await runTixAsync(["--store", url], home.path, { input: script });
    expect(grouped.code).toBe(0);
    const afterGrouped = await commitsOf(database);
    const alone = await runTixAsync(["--store", url, "--bail"], home.path, { input: script.replaceAll("--user c", "--user d") });
    expect(alone.code).toBe(0);
    const afterAlone = await commitsOf(database);
    // 200 lines in groups of at most 64, plus the store's own start-up reads.
    expect(afterGrouped - before).toBeLessThan(40);
    expect(afterAlone - afterGrouped).toBeGreaterThanOrEqual(200);
  });
});

describe("batch over SQLite, killed mid-stream", () => {
  /** Starts a batch on a pipe that stays open; answers its printed lines as they come. */
  function startBatch(store: string) {
    const child = spawn(process.execPath, [TIX_BIN, "--store", store], { env: testEnv(home.path), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    const waiters: Array<() => void> = [];
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
      for (const wake of waiters.splice(0)) wake();
    });
    const printed = () => jsonLines(stdout.slice(0, stdout.lastIndexOf("\n") + 1));
    const untilPrinted = async (count: number) => {
      while (printed().length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    const exited = new Promise((resolve) => child.on("close", resolve));
    return { child, printed, untilPrinted, exited };
  }

  it("every ticket it printed is in the store; with nothing unanswered, exactly those", async () => {
    const store = `sqlite:${join(home.path, "tix.db")}`;
    expect(runTix(["--store", store, ...setup(100_000).trim().split(" ")], home.path).code).toBe(0);
    const batch = startBatch(store);
    batch.child.stdin.write(Array.from({ length: 150 }, (_, i) => `reserve evt_hot --user k${i} --json\n`).join(""));
    await batch.untilPrinted(150);
    batch.child.kill("SIGKILL");
    await batch.exited;
    const ids = batch.printed().map((line) => line.ticket.id);
    const held = runTix(["--store", store, "event", "show", "evt_hot", "--json"], home.path).json().event.held;
    expect(held).toBe(150);
    const listed = runTix(["--store", store, "ticket", "list", "--all-users", "--json"], home.path).json().tickets.map((ticket: { id: string }) => ticket.id);
    expect(listed.sort()).toEqual(ids.sort());

    // Killed while lines are still streaming in: whatever was printed survived.
    const second = startBatch(store);
    const more = Array.from({ length: 3000 }, (_, i) => `reserve evt_hot --user m${i} --json\n`).join("");
    second.child.stdin.on("error", () => undefined);
    second.child.stdin.write(more);
    await second.untilPrinted(200);
    second.child.kill("SIGKILL");
    await second.exited;
    const printedIds = second.printed().map((line) => line.ticket.id);
    const after = new Set(runTix(["--store", store, "ticket", "list", "--all-users", "--json"], home.path).json().tickets.map((ticket: { id: string }) => ticket.id));
    for (const id of printedIds) expect(after.has(id)).toBe(true);
    expect(after.size).toBeGreaterThanOrEqual(150 + printedIds.length);
  });
});

describe("batch over SQLite, the store refusing the group's commit", () => {
  it("each grouped line reports its own one-line error and exit 8; nothing was written; the same batch goes through later", async () => {
    const path = join(home.path, "tix.db");
    const store = `sqlite:${path}`;
    expect(runTix(["--store", store, ...setup(10).trim().split(" ")], home.path).code).toBe(0);
    const script = ["reserve evt_hot --user a --key ka --json", "reserve evt_hot --user b --key kb --json", "reserve evt_hot --user c --key kc --json"].join("\n") + "\n";
    const holder = new Database(path);
    holder.exec("BEGIN IMMEDIATE");
    let refused;
    try {
      refused = await runTixAsync(["--store", store], home.path, { input: script, env: { TIX_BUSY_TIMEOUT_MS: "200" }, timeoutMs: 60_000 });
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
    expect(refused.code).toBe(8);
    expect(refused.stderr).toBe("");
    const errors = jsonLines(refused.stdout).map((line) => line.error);
    expect(errors.map((error) => [error.code, error.line])).toEqual([["STORE_UNAVAILABLE", 1], ["STORE_UNAVAILABLE", 2], ["STORE_UNAVAILABLE", 3]]);
    for (const error of errors) expect(error.message).toMatch(new RegExp(`^line ${error.line}: .*busy`));
    expect(runTix(["--store", store, "event", "show", "evt_hot", "--json"], home.path).json().event.held).toBe(0);
    const later = await runTixAsync(["--store", store], home.path, { input: script });
    expect(later.code).toBe(0);
    expect(jsonLines(later.stdout).map((line) => line.replayed)).toEqual([false, false, false]);
  });
});
