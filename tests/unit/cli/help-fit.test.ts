// Every command's --help at the widths people use: no line wider than the terminal, and nothing lost.
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { CommandContext } from "../../../src/cli/command-context.js";
import { createProgram } from "../../../src/cli/program.js";
import { runCommandLine } from "../../../src/cli/run.js";
import { execFileSync } from "node:child_process";
import { fitHelpText, splitWord } from "../../../src/cli/output/help-text.js";
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

// Words of a help text, without the marks a narrow layout adds: ` \` ending a broken command, `#`
// starting a comment's next line, a word split by `\` (`'…'\` then `'…'`) joined again.
const words = (text: string) =>
  text.replace(/'\\\n'/g, "").replace(/(\S)\\\n/g, "$1").replace(/\\\n/g, " ").split(/\s+/).filter((word) => word !== "" && word !== "\\" && word !== "#");

/** The terms of the lists commander writes (`--store <url>`, `reserve [options] [eventId]`), as the wide help shows them. */
function listTerms(help: string): string[] {
  return help.split("\n").filter((line) => /^ {2}\S/.test(line) && !/^ {2}[$#]/.test(line)).map((line) => line.trim().split(/ {2,}/)[0]!);
}

/** The lines of each `Examples:` block. */
function exampleLines(help: string): string[] {
  return help.split("\n\n").filter((block) => block.startsWith("Examples:")).flatMap((block) => block.split("\n").slice(1).filter((line) => line !== ""));
}

describe("--help fits the terminal", () => {
  for (const path of commandPaths()) {
    it(`tix ${path.join(" ")} --help at 80, 64 and 40 columns`, async () => {
      const wide = fakeCli({ COLUMNS: "400" });
      expect(await runCommandLine([...path, "--help"], wide.f)).toBe(0);
      for (const columns of [80, 64, 40]) {
        const { f, output } = fakeCli({ COLUMNS: String(columns) });
        expect(await runCommandLine([...path, "--help"], f)).toBe(0);
        // Every line, a single shell word wider than the line too (a jq program, a path: split within it).
        const lines = output.stdout.split("\n");
        for (const line of lines) expect(displayWidth(line), `${columns}: ${line}`).toBeLessThanOrEqual(columns);
        // The same words as at 400 columns, in the same order (commander may re-wrap its own part).
        expect(words(output.stdout).sort()).toEqual(words(wide.output.stdout).sort());
        // Each option and command keeps its term on one line (`--store <url>`, not `--store` then `<url>`).
        for (const term of listTerms(wide.output.stdout)) {
          expect(lines.some((line) => line.trim() === term || line.trim().startsWith(`${term}  `)), `${columns}: ${term}`).toBe(true);
        }
        // An example block copied into a shell runs its commands only: each line is a command
        // (`$ `), a comment (`# `, every line of a wrapped one) or the rest of a command ending in ` \`.
        const examples = exampleLines(output.stdout);
        examples.forEach((line, index) => {
          const continues = index > 0 && examples[index - 1]!.endsWith(" \\") && /^ {6}\S/.test(line);
          // A word split within it goes on in the first column (spaces there would start another word).
          const splitWord = index > 0 && /\S\\$/.test(examples[index - 1]!) && /^\S/.test(line);
          expect(continues || splitWord || /^ {2}[$#] /.test(line), `${columns}: ${line}`).toBe(true);
        });
      }
    });
  }
});

describe("--help shows how to use it", () => {
  for (const path of commandPaths()) {
    it(`tix ${path.join(" ")} --help has an Examples: block that runs tix ${path.join(" ")}`, async () => {
      const { f, output } = fakeCli({ COLUMNS: "400" });
      expect(await runCommandLine([...path, "--help"], f)).toBe(0);
      const commands = exampleLines(output.stdout).filter((line) => line.startsWith("  $ "));
      // `$ tix [global options] PATH…`: the command's words in order, global options allowed between.
      const runs = (line: string) => new RegExp(`^ {2}\\$ tix( --?\\S+( [^-\\s]\\S*)?)*${path.map((word) => ` ${word}`).join("")}( |$)`).test(line);
      expect(commands.some(runs), output.stdout).toBe(true);
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

  it.each([
    ["puts an example's comment above it and breaks the command between arguments, options with their values", 44,
      "Examples:\n  $ tix event create --name \"Rock Night\" --venue \"Seattle Dome\" --capacity 5000   # a concert", [
        "Examples:",
        "  # a concert",
        "  $ tix event create --name \"Rock Night\" \\",
        "      --venue \"Seattle Dome\" \\",
        "      --capacity 5000",
      ]],
    ["wraps a comment too wide as comment lines, each starting with #", 40,
      "Examples:\n  $ tix purchase tkt_8n2k4m6p9q1r3s5t --key pay-1001  # safe to retry: a replay charges nothing\n  # a comment line of its own, wider than the terminal", [
        "Examples:",
        "  # safe to retry: a replay charges",
        "  # nothing",
        "  $ tix purchase tkt_8n2k4m6p9q1r3s5t \\",
        "      --key pay-1001",
        "  # a comment line of its own, wider",
        "  # than the terminal",
      ]],
    ["puts an option whose value is too wide to share its line on a line of its own, the value on the next", 40,
      "  $ tix event create --name Tour --tier GA:800:49.00 --tier Presale:200:39.00,code=FANS,sales-end=2027-03-08", [
        "  $ tix event create --name Tour \\",
        "      --tier GA:800:49.00 \\",
        "      --tier \\",
        // Wider than a line alone: split within it, after a comma, the rest in the first column.
        "      Presale:200:39.00,code=FANS,\\",
        "sales-end=2027-03-08",
      ]],
    ["keeps an option and its value together in prose", 40,
      "Whose token it is: the global --user <id> (or TIX_USER, else your login name).", [
        "Whose token it is: the global",
        "--user <id> (or TIX_USER, else your",
        "login name).",
      ]],
  ] as const)("%s", (_name, columns, text, lines) => {
    expect(fitHelpText(text, columns).split("\n")).toEqual(lines);
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

  // A shell word wider than a line (the jq program of `seats --help`, a path, a URL) was left
  // whole, wider than a 40-column terminal. It is split with backslash-newline, which the shell
  // removes: a real shell reads the lines back as the one word.
  it.each([
    ["a jq program in single quotes", `'[.seats.sections[].rows[].seats[] | select(.state == "free")] | length'`],
    ["single quotes holding backslashes", String.raw`'seed\nreserve evt_jazz_evening\npurchase $ticket\n'`],
    ["a path", "~/.local/share/bash-completion/completions/tix"],
    ["double quotes with an expansion", `"Authorization: Bearer $TOKEN and a good deal more text than fits"`],
    ["escaped characters outside quotes", String.raw`a\ b\ c\ d\ e\ f\ g\ h\ i\ j\ k\ l\ m\ n\ o\ p\ q\ r\ s`],
  ])("splits %s so that sh reads it back whole", (_name, word) => {
    for (const [first, rest] of [[34, 40], [20, 24], [10, 12]] as const) {
      const lines = splitWord(word, first, rest);
      expect(lines.length, `${first}/${rest}`).toBeGreaterThan(1);
      lines.forEach((line, index) => expect(displayWidth(line), line).toBeLessThanOrEqual(index === 0 ? first : rest));
      const read = (text: string): string => execFileSync("/bin/sh", ["-c", `printf '%s' ${text}`], { encoding: "utf8", env: { TOKEN: "t0k" } });
      expect(read(lines.join("\n")), lines.join("\n")).toBe(read(word));
    }
  });
});
