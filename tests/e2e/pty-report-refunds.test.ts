import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { shellInTerminal } from "../helpers/pty-terminal.js";

// `tix report` on a terminal, in a real pseudo-terminal over a real SQLite file: the sales chart
// counts every purchase, refunded ones too, so its summary said "4 sold" under a table whose SOLD
// said 2. It says how many were refunded since.

const NOW = "2027-03-01T10:00:00Z";
let home: ReturnType<typeof tempDir>;

beforeAll(() => {
  home = tempDir();
  const lines = [
    "event create --id evt_gig --name Gig --starts-at 2027-06-01T20:00Z --price 10.00 --capacity 10 --limit-per-user 4",
    "--user alice reserve evt_gig --quantity 4",
    "--user alice purchase $order",
    "--user alice cancel $ticket --yes",
  ];
  const setup = runTix(["repl"], home.path, { env: { TIX_NOW: NOW }, input: `${lines.join("\n")}\n` });
  expect(setup.stderr).toBe("");
  expect(setup.code).toBe(0);
  // A second refund, by ticket id.
  const tickets = runTix(["--json", "ticket", "list", "--user", "alice", "--status", "purchased"], home.path, { env: { TIX_NOW: NOW } }).json().tickets;
  expect(runTix(["cancel", tickets[0].id, "--user", "alice", "--yes"], home.path, { env: { TIX_NOW: NOW } }).code).toBe(0);
}, 60_000);
afterAll(() => home.remove());

describe("report on a terminal", () => {
  it("the sales summary says how many of the purchases it counts were refunded since", async () => {
    const env = testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC", NO_COLOR: "1", TIX_PAGER: "cat" });
    const { code, text } = await shellInTerminal('"$@"', ["report", "evt_gig"], env, { cols: 80, rows: 50 });
    expect(code).toBe(0);
    expect(text).toMatch(/^TOTAL +10 +2 /m);
    expect(text).toContain("4 sold (2 since refunded); busiest hour: ");
  }, 30_000);
});
