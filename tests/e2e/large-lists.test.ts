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
