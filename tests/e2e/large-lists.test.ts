import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix } from "../../src/index.js";
import { TIX_BIN, runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { Terminal } from "../helpers/pty-terminal.js";

// Lists longer than a screen: on a terminal without a pager, a list shows a screenful and says
// how many more there are; piped and --json, every row.

const NOW = "2025-06-01T12:00:00Z";
/** One more than a terminal shows by default (TERMINAL_LIST_ROWS). */
const VOUCHERS = 31;

let home: ReturnType<typeof tempDir>;

beforeAll(async () => {
  home = tempDir();
  const tix = await openTix({ store: `sqlite:${join(home.path, "tix.db")}` });
  await tix.events.create({ id: "evt_sale", name: "Sale", capacity: 100, price: "10.00" });
  for (let index = 0; index < VOUCHERS; index++) await tix.vouchers.create({ eventId: "evt_sale", code: `CODE${index}`, percent: 10 });
  await tix.close();
});
afterAll(() => home.remove());

async function inTerminal(args: string[]): Promise<{ code: number; lines: string[] }> {
  const env = testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC", NO_COLOR: undefined });
  const terminal = new Terminal(process.execPath, [TIX_BIN, "--no-pager", ...args], env, { cols: 80, rows: 24 });
  const code = await terminal.exited;
  return { code, lines: terminal.text().split("\n").filter((line) => line !== "") };
}

describe("voucher list with more vouchers than a screen", () => {
  it("on a terminal without a pager shows the first 30 and says how many more there are", async () => {
    const { code, lines } = await inTerminal(["voucher", "list"]);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1 + 30 + 1); // header, rows, the note
    expect(lines.at(-1)).toBe(`30 of ${VOUCHERS} vouchers; --limit N or --all`);
  });

  it("--all and --limit N on a terminal", async () => {
    const all = await inTerminal(["voucher", "list", "--all"]);
    expect(all.code).toBe(0);
    expect(all.lines).toHaveLength(1 + VOUCHERS);
    const two = await inTerminal(["voucher", "list", "--event", "evt_sale", "--limit", "2"]);
    expect(two.lines.slice(1, 3).map((line) => line.split(/\s+/)[1])).toEqual(["CODE0", "CODE1"]);
    expect(two.lines.at(-1)).toBe(`2 of ${VOUCHERS} vouchers; --limit N or --all`);
  });

  it("piped and --json: every voucher unless --limit is given", () => {
    expect(runTix(["voucher", "list"], home.path).stdout.trimEnd().split("\n")).toHaveLength(VOUCHERS);
    expect(runTix(["voucher", "list", "--limit", "3"], home.path).stdout.trimEnd().split("\n")).toHaveLength(3);
    expect(runTix(["--json", "voucher", "list"], home.path).json().vouchers).toHaveLength(VOUCHERS);
    const both = runTix(["voucher", "list", "--limit", "3", "--all"], home.path);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give --limit N or --all, not both/);
  });
});

describe("a script's long ticket list, log and export: more than a page, through bin/tix", () => {
  let big: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    big = tempDir();
    const tix = await openTix({ store: `sqlite:${join(big.path, "tix.db")}` });
    // 1,250 of alice's tickets (two pages of the CLI's 1,000), half of them bought.
    await tix.events.create({ id: "evt_big", name: "Big", capacity: 1300, price: "10.00", limitPerUser: 1000 });
    await tix.events.create({ id: "evt_more", name: "More", capacity: 300, price: "10.00", limitPerUser: 1000 });
    for (const [eventId, orders] of [["evt_big", 20], ["evt_more", 5]] as const) {
      for (let order = 0; order < orders; order++) {
        const { orderId } = await tix.tickets.reserve({ eventId, userId: "alice", quantity: 50 });
        if (order % 2 === 0) await tix.tickets.purchase({ ticketId: orderId, userId: "alice" });
      }
    }
    await tix.close();
  });
  afterAll(() => big.remove());

  const env = () => ({ TIX_NOW: NOW, TIX_STORE: `sqlite:${join(big.path, "tix.db")}` });

  it("prints every row, each once, in order; `| head -1` ends quietly with the first", async () => {
    const lines = runTix(["ticket", "list"], big.path, { env: env() }).stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(1250);
    expect(new Set(lines.map((line) => line.split("\t")[0])).size).toBe(1250);
    const reservedAt = lines.map((line) => line.split("\t")[4]!);
    expect(reservedAt).toEqual([...reservedAt].sort());
    expect(runTix(["--json", "ticket", "list", "--limit", "1100"], big.path, { env: env() }).json().tickets).toHaveLength(1100);
    expect(runTix(["export", "tickets", "--event", "evt_big"], big.path, { env: env() }).stdout.trimEnd().split("\n")).toHaveLength(1 + 1000);
    expect(runTix(["--json", "log"], big.path, { env: env() }).json().entries.length).toBeGreaterThan(1000);

    const { spawnSync } = await import("node:child_process");
    for (const command of ["ticket list", "log", "export tickets --event evt_big", "--json ticket list"]) {
      const result = spawnSync("sh", ["-c", `"${process.execPath}" "${TIX_BIN}" ${command} | head -1`], {
        env: testEnv(big.path, env()),
        encoding: "utf8",
      });
      expect(result.stderr, command).toBe("");
      expect(result.stdout.split("\n"), command).toHaveLength(2); // the first line, and the end
    }
  });

  it("shell completion offers the event ids that start with the word typed, from the ids alone", () => {
    expect(runTix(["__complete", "event", "evt_b"], big.path, { env: env() }).stdout).toBe("evt_big\n");
    expect(runTix(["__complete", "event"], big.path, { env: env() }).stdout).toBe("evt_big\nevt_more\n");
    expect(runTix(["__complete", "event", "nothing"], big.path, { env: env() }).stdout).toBe("");
  });
});
