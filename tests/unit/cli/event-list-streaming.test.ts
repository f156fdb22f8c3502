import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { openTix, type Tix } from "../../../src/app/open-tix.js";
import { Factory } from "../../../src/cli/factory.js";
import { runCommandLine } from "../../../src/cli/run.js";

// Issue 11 item 2: `event list --json` over a huge store must not build the list, or its JSON, in
// memory at once. A script's list is read a page at a time and written as it is read.

async function storeWith(count: number): Promise<{ tix: Tix; calls: { page: number; list: number } }> {
  const tix = await openTix({ store: "memory" });
  await tix.events.createMany({ events: Array.from({ length: count }, (_, i) => ({ id: `evt_${String(i).padStart(5, "0")}`, name: `Event ${i}`, capacity: 5 })) });
  const calls = { page: 0, list: 0 };
  const counting = (counted: Tix): Tix => {
    const events = counted.events;
    const page = events.page.bind(events);
    const list = events.list.bind(events);
    events.page = (request) => ((calls.page += 1), page(request));
    events.list = () => ((calls.list += 1), list());
    return counted;
  };
  // A streamed list reads its pages from a snapshot: counted alike.
  const snapshot = tix.snapshot.bind(tix);
  tix.snapshot = async () => counting(await snapshot());
  return { tix: counting(tix), calls };
}

async function run(tix: Tix, argv: string[], tty = false): Promise<{ code: number; stdout: string; pieces: number }> {
  let stdout = "";
  let pieces = 0;
  const io = {
    stdout: { write: (text: string) => ((stdout += text), (pieces += 1), true), isTTY: tty },
    stderr: { write: () => true, isTTY: tty },
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    env: { TIX_USER: "alice", NO_COLOR: "1" },
  };
  const f = new Factory(io, { openTix: async () => tix });
  const code = await runCommandLine(argv, f);
  return { code, stdout, pieces };
}

describe("event list for scripts, page by page", () => {
  it("--json: every event, in order, read a page at a time (1,000, then each twice the one before) and written as it comes; the same JSON as ever", async () => {
    const { tix, calls } = await storeWith(2500);
    const out = await run(tix, ["--json", "event", "list"]);
    expect(out.code).toBe(0);
    expect(calls).toEqual({ page: 2, list: 0 });
    expect(out.pieces).toBeGreaterThanOrEqual(4);
    const all = await tix.events.list();
    expect(out.stdout).toBe(`${JSON.stringify({ status: "success", events: all })}\n`);
  });

  it("piped: tab-separated lines page by page; --limit asks only for what it shows", async () => {
    const { tix, calls } = await storeWith(2500);
    const piped = await run(tix, ["event", "list"]);
    expect(piped.stdout.trimEnd().split("\n")).toHaveLength(2500);
    expect(piped.stdout.split("\n")[2499]).toMatch(/^evt_02499\tEvent 2499\t/);
    calls.page = 0;
    const limited = await run(tix, ["--json", "event", "list", "--limit", "1500"]);
    expect(JSON.parse(limited.stdout).events.map((event: { id: string }) => event.id).at(-1)).toBe("evt_01499");
    expect(calls.page).toBe(2);
  });

  it("an empty store answers an empty list", async () => {
    const { tix } = await storeWith(0);
    expect((await run(tix, ["--json", "event", "list"])).stdout).toBe('{"status":"success","events":[]}\n');
    expect((await run(tix, ["event", "list"])).stdout).toBe("");
  });
});
