// A command line that names a command builds that command alone (start-up), a group only the subcommand named; every other line gets the whole tree.
import { describe, expect, it } from "vitest";
import { CommandContext } from "../../../src/cli/command-context.js";
import { createProgram } from "../../../src/cli/program.js";
import { runCommandLine } from "../../../src/cli/run.js";
import { fakeCli } from "../../helpers/fake-tix.js";

const commandsFor = (argv?: string[]) => {
  const { f } = fakeCli();
  return createProgram(new CommandContext(f, undefined), argv).commands.map((command) => command.name());
};

describe("the command tree a line gets", () => {
  const whole = commandsFor();

  it("is the whole tree without a command line", () => {
    expect(whole).toEqual(expect.arrayContaining(["event", "reserve", "serve", "repl", "completion", "__complete"]));
  });

  it("is the one command a line names, after the root's global options (with or without a value)", () => {
    expect(commandsFor(["event", "show", "evt_x"])).toEqual(["event"]);
    expect(commandsFor(["--store", "memory", "--json", "reserve", "evt_x"])).toEqual(["reserve"]);
    expect(commandsFor(["--store=memory", "ticket", "list"])).toEqual(["ticket"]);
  });

  it("is the whole tree for help, a misspelt name, an unknown option, the REPL and completion", () => {
    for (const argv of [[], ["--help"], ["help", "event"], ["evnt"], ["--frobnicate", "event"], ["repl"], ["completion", "bash"], ["--store", "memory"]]) {
      expect(commandsFor(argv)).toEqual(whole);
    }
  });

  it("holds, for the event group, the one subcommand a line names; all of them when it names none or a misspelt one", () => {
    const subcommandsFor = (argv: string[]) => {
      const { f } = fakeCli();
      return createProgram(new CommandContext(f, undefined), argv).commands[0]!.commands.map((command) => command.name());
    };
    expect(subcommandsFor(["event", "show", "evt_x"])).toEqual(["show"]);
    expect(subcommandsFor(["--json", "event", "list", "--all"])).toEqual(["list"]);
    for (const argv of [["event"], ["event", "shwo"], ["event", "--help"], ["event", "help", "show"]]) {
      expect(subcommandsFor(argv)).toEqual(["create", "update", "list", "show"]);
    }
  });

  it("still suggests the subcommand meant, and names them all for a group given none", async () => {
    const misspelt = fakeCli();
    expect(await runCommandLine(["event", "shwo"], misspelt.f)).toBe(2);
    expect(misspelt.output.stderr).toContain("Did you mean show?");
    const none = fakeCli();
    expect(await runCommandLine(["event"], none.f)).toBe(2);
    expect(none.output.stderr).toContain("one of create, update, list, show");
  });

  it("still suggests the command meant, and helps on the one named", async () => {
    const misspelt = fakeCli();
    expect(await runCommandLine(["evnt"], misspelt.f)).toBe(2);
    expect(misspelt.output.stderr).toContain("Did you mean event?");
    const help = fakeCli();
    expect(await runCommandLine(["event", "--help"], help.f)).toBe(0);
    expect(help.output.stdout).toContain("Usage: tix event");
  });
});
