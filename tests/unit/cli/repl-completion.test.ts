import { afterAll, describe, expect, it } from "vitest";
import { createProgram } from "../../../src/cli/program.js";
import { MAX_LISTED, completeLine } from "../../../src/cli/completion/repl-completer.js";
import { COMPLETION_IDS } from "../../../src/cli/completion/ids.js";
import { describeCommands, positionAfter, type IdKind } from "../../../src/cli/completion/tree.js";
import { fakeSession } from "../../helpers/fake-terminal.js";

const session = fakeSession({ tty: true });
afterAll(() => session.close());
const root = describeCommands(createProgram(session.ctx));
const asked: IdKind[] = [];
const ids = async (kind: IdKind) => {
  asked.push(kind);
  return kind === "event" ? ["evt_jazz_evening", "evt_rock_night_2025"] : ["tkt_aaa", "tkt_abc"];
};
const complete = (line: string) => completeLine(line, root, ids);

describe("the command tree completion reads from commander", () => {
  it("knows the commands, their options and which arguments are ids", () => {
    expect(root.subcommands.map((command) => command.name)).toEqual(expect.arrayContaining(["event", "reserve", "purchase", "ticket", "repl", "completion"]));
    expect(root.subcommands.map((command) => command.name)).not.toContain("__complete");
    const reserve = root.subcommands.find((command) => command.name === "reserve")!;
    expect(reserve.argumentIds).toBe("event");
    expect(reserve.options.find((option) => option.names.includes("--key"))).toMatchObject({ takesValue: true, ids: undefined });
    const list = positionAfter(root, ["--store", "memory", "ticket", "list"]).command;
    expect(list.path).toEqual(["ticket", "list"]);
    expect(list.options.find((option) => option.names.includes("--event"))?.ids).toBe("event");
    expect(positionAfter(root, ["event", "show"]).command.argumentIds).toBe("event");
    expect(positionAfter(root, ["cancel"]).command.argumentIds).toBe("ticket");
  });
});

describe("Tab in the REPL offers a command the tickets it can act on", () => {
  it("asks for the ids of the command the line is at (purchase: holds; see listIds), a line's --user's", async () => {
    const asked: unknown[] = [];
    const source = async (kind: IdKind, prefix: string, line?: object, command?: string) => {
      asked.push([kind, prefix, line, command]);
      return [];
    };
    await completeLine("purchase tkt_", root, source);
    await completeLine("--user carol ticket show tkt_a", root, source);
    expect(asked).toEqual([["ticket", "tkt_", {}, "purchase"], ["ticket", "tkt_a", { user: "carol" }, "ticket show"]]);
  });
});

describe("Tab in the REPL over thousands of ids", () => {
  const many = Array.from({ length: 5000 }, (_, i) => `evt_${i < 4850 ? "show" : "gala"}_${String(i).padStart(4, "0")}`);
  // As the store answers: the ids starting with what was typed, the first COMPLETION_IDS of them.
  const completeMany = (line: string) => completeLine(line, root, async (_kind, prefix) => many.filter((id) => id.startsWith(prefix)).slice(0, COMPLETION_IDS));

  it("completes what they all share, without listing them", async () => {
    expect(await completeMany("event show evt_g")).toEqual([["evt_gala_4"], "evt_g"]);
  });

  it("lists the first ones and how many more, never all of them, and never completes past what they share", async () => {
    const [listed, current] = await completeMany("event show evt_");
    expect(current).toBe("evt_");
    expect(listed).toHaveLength(MAX_LISTED + 1);
    expect(listed.at(-1)).toBe(`(more than ${COMPLETION_IDS - MAX_LISTED}: type more of it)`);
    expect(await completeMany("event show evt_show_00")).toEqual([many.slice(0, 100).filter((id) => id.startsWith("evt_show_00")).slice(0, MAX_LISTED).concat("(40 more: type more of it)"), "evt_show_00"]);
  });
});

describe("Tab in the REPL over a store that answers a bounded number of ids", () => {
  it("asks the store for the ids starting with what was typed, and never completes past ids it may have left out", async () => {
    const prefixes: string[] = [];
    // The store's answer is its first COMPLETION_IDS (200) in id order: here all share "evt_a", others may not.
    const bounded = async (_kind: IdKind, prefix: string) => {
      prefixes.push(prefix);
      return Array.from({ length: COMPLETION_IDS }, (_, i) => `evt_a${String(i).padStart(3, "0")}`);
    };
    const [listed, current] = await completeLine("event show evt_", root, bounded);
    expect(prefixes).toEqual(["evt_"]);
    expect(current).toBe("evt_");
    expect(listed).toHaveLength(MAX_LISTED + 1);
    expect(listed.at(-1)).toBe(`(more than ${COMPLETION_IDS - MAX_LISTED}: type more of it)`);
  });
});

describe("Tab in the REPL", () => {
  it("completes command names, with a space after a single match", async () => {
    expect(await complete("ti")).toEqual([["ticket "], "ti"]);
    expect(await complete("e")).toEqual([["event", "exit", "export"], "e"]);
    expect(await complete("event ")).toEqual([["create", "list", "show", "update"], ""]);
    expect(await complete("q")).toEqual([["quit "], "q"]);
  });

  it("completes options of the command and the global ones", async () => {
    expect(await complete("reserve --k")).toEqual([["--key "], "--k"]);
    expect((await complete("ticket list --"))[0]).toEqual(expect.arrayContaining(["--event", "--status", "--all-users", "--store", "--json"]));
  });

  it("completes event and ticket ids from the store where an id goes", async () => {
    expect(await complete("reserve evt_j")).toEqual([["evt_jazz_evening "], "evt_j"]);
    expect(await complete("purchase tkt_a")).toEqual([["tkt_aaa", "tkt_abc"], "tkt_a"]);
    expect(await complete("ticket list --event ")).toEqual([["evt_jazz_evening", "evt_rock_night_2025"], ""]);
    expect(await complete("--user bob cancel tkt_ab")).toEqual([["tkt_abc "], "tkt_ab"]);
    expect(await complete("purchase $t")).toEqual([["$ticket "], "$t"]);
    // As an option's value too (before: the store was asked for ids starting with "$", and nothing was offered).
    expect(await complete("ticket list --event $e")).toEqual([["$event "], "$e"]);
    expect(await complete("log --ticket $")).toEqual([["$event", "$order", "$ticket"], "$"]);
    expect(await complete("reserve --key $")).toEqual([[], "$"]);
    // A quoted value with a blank is one word (before: `Night"` counted as the argument, and no id was offered).
    expect(await complete(`event update --name "Rock Night" evt_j`)).toEqual([["evt_jazz_evening "], "evt_j"]);
    expect(await complete("reserve --key 'order 1' evt_r")).toEqual([["evt_rock_night_2025 "], "evt_r"]);
  });

  it("offers nothing after an argument, nor for a free value, and asks the store only when ids are wanted", async () => {
    asked.length = 0;
    expect(await complete("reserve evt_jazz_evening ")).toEqual([[], ""]);
    expect(await complete("reserve --key ")).toEqual([[], ""]);
    expect(await complete("event create --name ")).toEqual([[], ""]);
    expect(asked).toEqual([]);
  });
});
