import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/cli/output/text.js";
import { runTix, testEnv } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { shellInTerminal } from "../helpers/pty-terminal.js";

// The terminal at its edges: 40 columns, 10 lines, a pager that fails. Each test here failed
// before the fix it names (twentieth pass, tty27).

const NOW = "2026-12-02T17:00:00Z";

let home: ReturnType<typeof tempDir>;
const env = (extra: Record<string, string | undefined> = {}) =>
  testEnv(home.path, { TIX_NOW: NOW, TZ: "UTC", NO_COLOR: undefined, TIX_PAGER: "cat", ...extra });

/** Runs bin/tix in a pseudo-terminal `cols` by `rows`; answers its exit code and what appeared, colours removed. */
const inTerminal = (args: string[], cols: number, extra: Record<string, string | undefined> = {}, rows = 50) =>
  shellInTerminal('"$@"', args, env(extra), { cols, rows });

function expectFits(text: string, cols: number, label: string): void {
  for (const line of text.replace(/\n$/, "").split("\n")) expect(displayWidth(line), `${label}: a line wider than ${cols} columns:\n${line}`).toBeLessThanOrEqual(cols);
}

beforeAll(() => {
  home = tempDir();
  // Fourteen-column tier names and five-digit counts: the bars' counts go below the bars at 40
  // columns, and were 41 and 43 columns wide there.
  const tiers = Array.from({ length: 6 }, (_, index) => `--tier "Balcony 東京 ${index}:${index === 0 ? 20000 : 10}:${index}.50"`).join(" ");
  const lines = [
    `event create --id evt_tiers --name "Many tiers" --starts-at 2027-01-10T20:00Z ${tiers} --limit-per-user none`,
    ...Array.from({ length: 40 }, (_, index) => [
      `--user u${index} reserve evt_tiers --tier "Balcony 東京 0" --quantity 50 --key k${index}`,
      ...(index < 20 ? [`--user u${index} purchase $order`] : []),
    ]).flat(),
  ];
  const setup = runTix(["repl"], home.path, { env: { TIX_NOW: NOW }, input: `${lines.join("\n")}\n` });
  expect(setup.stderr).toBe("");
  expect(setup.code).toBe(0);
}, 60_000);
afterAll(() => home.remove());

describe("40 columns", () => {
  it("event show and report: each tier's counts, below its bar, fit (they started under the bar, past the edge)", async () => {
    for (const args of [["event", "show", "evt_tiers"], ["report", "evt_tiers"]]) {
      for (const extra of [{}, { NO_COLOR: "1" }]) {
        const { code, text } = await inTerminal(args, 40, extra);
        expect(code, args.join(" ")).toBe(0);
        expectFits(text, 40, `${args.join(" ")} ${JSON.stringify(extra)}`);
        // Whole, not cut: the counts moved left instead.
        expect(text).toContain("1000 sold · 1000 held · 18000 free");
        expect(text).toMatch(/^ *0 sold · 0 held · 10 free$/m);
      }
    }
  }, 60_000);

  it("a list's footer is wrapped between words (the log's was 48 columns)", async () => {
    const { code, text } = await inTerminal(["log"], 40);
    expect(code).toBe(0);
    expectFits(text, 40, "log");
    const footer = text.trimEnd().split("\n").slice(-2).join(" ");
    expect(footer).toMatch(/^the latest 30 of [\d,]+ entries; --limit N or --all$/);
  }, 30_000);
});

describe("a pager that fails", () => {
  // TIX_PAGER=false printed nothing and exited 0: the user saw nothing and was told nothing. git
  // shows nothing then either; tix says the pager failed and prints the output itself, as it does
  // when the pager is not installed.
  it("TIX_PAGER=false: a warning, then the output printed whole, exit 0 (a list, a streamed list, --help)", async () => {
    for (const args of [["log"], ["ticket", "list", "--all-users", "--all"], ["--help"]]) {
      const plain = await inTerminal(["--no-pager", ...args], 80, {}, 10);
      const failed = await inTerminal(args, 80, { TIX_PAGER: "false" }, 10);
      expect(failed.code, args.join(" ")).toBe(0);
      expect(failed.text, args.join(" ")).toMatch(/^warning: the pager \(false\) failed \(exit 1\); printed without it/);
      expect(failed.text.slice(failed.text.indexOf("\n", failed.text.indexOf("--no-pager none")) + 1), args.join(" ")).toBe(plain.text);
    }
  }, 60_000);

  it("a pager that read part of a streamed list and failed: the whole list follows, once", async () => {
    const pager = join(home.path, "fails-after-reading");
    writeFileSync(pager, "#!/bin/sh\nhead -c 300 >/dev/null\nexit 3\n");
    chmodSync(pager, 0o755);
    const args = ["ticket", "list", "--all-users", "--all"];
    const plain = await inTerminal(["--no-pager", ...args], 80, {}, 10);
    const failed = await inTerminal(args, 80, { TIX_PAGER: pager }, 10);
    expect(failed.code).toBe(0);
    expect(failed.text).toContain("failed (exit 3)");
    expect(failed.text.endsWith(plain.text)).toBe(true);
    expect(plain.text.split("\n").length).toBeGreaterThan(1000);
  }, 60_000);

  it("a pager that is not installed: the output printed, nothing said", async () => {
    const plain = await inTerminal(["--no-pager", "log"], 80, {}, 10);
    const missing = await inTerminal(["log"], 80, { TIX_PAGER: "/nonexistent/pager" }, 10);
    expect([missing.code, missing.text]).toEqual([0, plain.text]);
  }, 30_000);
});

describe("colour switches on a terminal", () => {
  // `tix --no-color --color event list` was in colour: commander kept the last switch given.
  it("--no-color wins over --color, in either order", async () => {
    // eslint-disable-next-line no-control-regex -- a colour or bold code is what is looked for
    const sgr = /\u001b\[[0-9;]*m/;
    const coloured = await inTerminal(["--color", "event", "list"], 80);
    expect(coloured.code).toBe(0);
    expect(coloured.raw).toMatch(sgr);
    for (const args of [["--no-color", "--color", "event", "list"], ["--color", "event", "list", "--no-color"]]) {
      const { code, raw, text } = await inTerminal(args, 80);
      expect(code, args.join(" ")).toBe(0);
      expect(text).toContain("Many tiers");
      expect(raw, args.join(" ")).not.toMatch(sgr);
    }
  }, 60_000);
});
