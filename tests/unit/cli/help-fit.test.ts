// Every command's --help at the widths people use: no line wider than the terminal, and nothing lost.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { CommandContext } from "../../../src/cli/command-context.js";
import { createProgram } from "../../../src/cli/program.js";
import { runCommandLine } from "../../../src/cli/run.js";
import { fitHelpText } from "../../../src/cli/output/help-text.js";
import { displayWidth } from "../../../src/cli/output/text.js";
import { fakeCli } from "../../helpers/fake-tix.js";

/** Every command path of the program (`event create`, `seats`…), found from the tree itself. */
function commandPaths(): string[][] {
  const { f } = fakeCli();
  const paths: string[][] = [[]];
  const walk = (command: Command, path: string[]) => {
    for (const child of command.commands) {
      if (child.name() === "help" || child.name().startsWith("__")) continue;
      paths.push([...path, child.name()]);
      walk(child, [...path, child.name()]);
    }
  };
  walk(createProgram(new CommandContext(f, undefined)), []);
  return paths;
}

const words = (text: string) => text.replace(/\\\n/g, " ").split(/\s+/).filter((word) => word !== "" && word !== "\\");

describe("--help fits the terminal", () => {
  for (const path of commandPaths()) {
    it(`tix ${path.join(" ")} --help at 80 and 64 columns`, async () => {
      const wide = fakeCli({ COLUMNS: "400" });
      expect(await runCommandLine([...path, "--help"], wide.f)).toBe(0);
      for (const columns of [80, 64]) {
        const { f, output } = fakeCli({ COLUMNS: String(columns) });
        expect(await runCommandLine([...path, "--help"], f)).toBe(0);
        // A single word longer than the line (a jq program in quotes) cannot be broken.
        const unbreakable = (line: string) => !line.trim().includes(" ") || /^\s*'[^']*'$/.test(line);
        for (const line of output.stdout.split("\n")) {
          if (!unbreakable(line)) expect(displayWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
        }
        // The same words as at 400 columns, in the same order (commander may re-wrap its own part).
        expect(words(output.stdout).sort()).toEqual(words(wide.output.stdout).sort());
      }
    });
  }
});

describe("fitHelpText", () => {
  it("re-wraps a paragraph too wide as a whole and keeps one that fits", () => {
    const text = "A first line that is fairly long for a narrow terminal,\nand its second line.\n\nShort.";
    expect(fitHelpText(text, 30).split("\n")).toEqual([
      "A first line that is fairly", "long for a narrow terminal,", "and its second line.", "", "Short.",
    ]);
    expect(fitHelpText(text, 80)).toBe(text);
  });

  it("puts an example's comment above it and breaks the command between arguments, options with their values", () => {
    const text = "Examples:\n  $ tix event create --name \"Rock Night\" --venue \"Seattle Dome\" --capacity 5000   # a concert";
    expect(fitHelpText(text, 44).split("\n")).toEqual([
      "Examples:",
      "  # a concert",
      "  $ tix event create --name \"Rock Night\" \\",
      "      --venue \"Seattle Dome\" \\",
      "      --capacity 5000",
    ]);
  });

  it("fits an example written on several lines as one command", () => {
    const text = "  $ tix reserve evt_a --quantity 3 \\\n      --tier Stalls --allow-split   # seated";
    expect(fitHelpText(text, 40).split("\n")).toEqual([
      "  # seated",
      "  $ tix reserve evt_a --quantity 3 \\",
      "      --tier Stalls --allow-split",
    ]);
    expect(fitHelpText(text, 80)).toBe(text);
  });
});
