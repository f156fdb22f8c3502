import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

// The twenty-ninth pass's acceptance sweep (acc29): the built bin/tix, over a real SQLite file,
// against the contract's command-line parts, line by line.

let home: ReturnType<typeof tempDir>;
let store: string;
const tix = (args: string[], env: Record<string, string | undefined> = {}, input = "") =>
  runTix(["--store", store, ...args], home.path, { env, input, timeoutMs: 20_000 });
const file = (name: string, text: string): string => {
  const path = join(home.path, name);
  writeFileSync(path, text);
  return path;
};

beforeEach(() => {
  home = tempDir();
  store = `sqlite:${join(home.path, "sweep.db")}`;
});
afterEach(() => home.remove());

describe("tiers whose names differ only by case", () => {
  it("are refused by event create, with exit 2, one line, and nothing made (reserve --tier vip could not pick one)", () => {
    const run = tix(["event", "create", "--id", "gig", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "vip:5:20"]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain('tiers "VIP" and "vip" differ only by case');
    const json = tix(["--json", "event", "create", "--id", "gig", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "vip:5:20"]);
    expect(json.code).toBe(2);
    expect(json.json().error.code).toBe("INVALID_ARGUMENT");
    expect(json.json().error.message).toContain("differ only by case");
    expect(tix(["event", "show", "gig"]).code).toBe(3);
    // An exact repeat keeps its own words.
    expect(tix(["--json", "event", "create", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "VIP:5:20"]).json().error.message).toBe('tier "VIP" is given twice');
  });

  it("are refused by event update and by create-or-update, and the event is unchanged", () => {
    expect(tix(["event", "create", "--id", "gig", "--name", "Gig", "--tier", "VIP:5:10", "--tier", "GA:5:20"]).code).toBe(0);
    for (const args of [["event", "update", "gig"], ["event", "create", "--id", "gig", "--name", "Gig"]]) {
      const run = tix(["--json", ...args, "--tier", "VIP:6:10", "--tier", "vip:7:10"]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.json().error.message).toContain("differ only by case");
    }
    const event = tix(["--json", "event", "show", "gig"]).json().event;
    expect(event.tiers.map((tier: { name: string; capacity: number }) => [tier.name, tier.capacity])).toEqual([["VIP", 5], ["GA", 5]]);
    // A tier named in another case on its own is still that tier.
    expect(tix(["event", "update", "gig", "--tier", "vip:6:"]).code).toBe(0);
    expect(tix(["--json", "event", "show", "gig"]).json().event.tiers.map((tier: { name: string }) => tier.name)).toEqual(["VIP", "GA"]);
  });

  it("are refused in an import row, as on the command line", () => {
    const run = tix(["--json", "import", file("tiers.json", JSON.stringify([{ id: "gig", name: "Gig", tiers: [{ name: "VIP", capacity: 5, price: "10" }, { name: "vip", capacity: 5, price: "20" }] }]))]);
    expect(run.code, run.stdout).toBe(2);
    expect(run.stdout).toContain("differ only by case");
    expect(tix(["event", "show", "gig"]).code).toBe(3);
  });
});
