// A session's plain `reserve` line is read without commander (repl/plain-reserve.ts): whenever that
// reading answers, it must be what commander's parse hands reserve's action — checked here against
// commander itself, on generated lines, with the tree a session parses its reserve lines with.
import fc from "fast-check";
import type { Command } from "commander";
import { describe, expect, it } from "vitest";
import { CommandContext } from "../../../src/cli/command-context.js";
import { sessionGlobalsIn } from "../../../src/cli/globals.js";
import { createProgram } from "../../../src/cli/program.js";
import { readPlainReserve } from "../../../src/cli/repl/plain-reserve.js";
import { fastCheckSeed } from "../../helpers/cli.js";
import { fakeCli } from "../../helpers/fake-tix.js";

/** The tree a session parses `reserve` lines with, its action replaced by one that records what it was given. */
function reserveTree(): { program: Command; parse: (argv: readonly string[], sessionOptions?: readonly string[]) => Promise<unknown> } {
  const { f } = fakeCli();
  const ctx = new CommandContext(f, undefined);
  const program = createProgram(ctx, ["reserve"]);
  const reserve = program.commands.find((command) => command.name() === "reserve")!;
  let given: unknown;
  reserve.action((eventId: string | undefined, flags: object, command: Command) => {
    given = { eventId, flags: { ...flags }, globals: { ...command.parent!.opts() }, withGlobals: { ...command.optsWithGlobals() } };
  });
  return {
    program,
    /** `sessionOptions`: the value options a session's own global options gave, in front of the line (refuseRepeats). */
    parse: async (argv, sessionOptions: readonly string[] = []) => {
      ctx.startLine().sessionOptions = new Set(sessionOptions);
      given = undefined;
      await program.parseAsync([...argv], { from: "user" });
      return given;
    },
  };
}

const { program, parse } = reserveTree();
const reserve = program.commands.find((command) => command.name() === "reserve")!;
/** Every option's names in the tree (so a new option is generated too), and what commander treats apart. */
const flagWords = [...program.options, ...reserve.options].flatMap((option) => [option.long, option.short]).filter((flag): flag is string => flag !== undefined);
const oddWords = ["--help", "-h", "--", "-", "-5", "--bogus", "--key=k1", "--store=memory", "--no-json", "--allow", "--us", "-u", "help", "tix", "event", "show", ""];
const plainWords = ["reserve", "evt_1", "evt 2", "u1", "memory", "3", "A1,A2", "VIP", "k=1", "évé"];
const word = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...flagWords) },
  { weight: 4, arbitrary: fc.constantFrom(...plainWords) },
  { weight: 1, arbitrary: fc.constantFrom(...oddWords) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);
/** Lines near the hot shape (`reserve EVENT --user U --json`): a few words in front, some after. */
const line = fc.tuple(fc.array(word, { maxLength: 3 }), fc.boolean(), fc.array(word, { maxLength: 7 }))
  .map(([before, named, after]) => [...before, ...(named ? ["reserve"] : []), ...after]);

describe("a plain reserve line read without commander", () => {
  it("gives the bench's line what commander gives it", async () => {
    const argv = ["--store", "postgres://tix@localhost/tix", "reserve", "evt_rush", "--user", "r0-1", "--json"];
    const plain = readPlainReserve(argv)!;
    expect(plain).toEqual({ eventId: "evt_rush", flags: {}, globals: { store: "postgres://tix@localhost/tix", user: "r0-1", json: true, input: true, pager: true } });
    expect(await parse(argv)).toEqual({ ...plain, withGlobals: { ...plain.flags, ...plain.globals } });
  });

  it("reads reserve's own options, global options anywhere, and a line's --user over the session's", async () => {
    // `tix --user a --no-color` started the session: its global options come before the line's words.
    const session = ["--user", "a", "--no-color"];
    const argv = [...session, "reserve", "--key", "k1", "evt_1", "--tier", "VIP", "--quantity", "3", "--code", "FANS", "--seats", "A1,A2", "--allow-split", "--user", "b", "--color", "--no-input", "--no-pager", "--bail"];
    const plain = readPlainReserve(argv, session.length)!;
    expect(plain.flags).toEqual({ key: "k1", tier: "VIP", quantity: "3", code: "FANS", seats: "A1,A2", allowSplit: true });
    expect(plain.globals).toEqual({ user: "b", color: true, input: false, pager: false, bail: true });
    expect(await parse(argv, sessionGlobalsIn(session))).toEqual({ ...plain, withGlobals: { ...plain.flags, ...plain.globals } });
  });

  it("keeps no colour when a line gives --no-color with --color, in either order; a line's switch overrides the session's", async () => {
    for (const [session, words, color] of [
      [[], ["--no-color", "reserve", "evt_1", "--color"], false], [[], ["--color", "reserve", "evt_1", "--no-color"], false],
      [[], ["reserve", "evt_1", "--no-color", "--color", "--color"], false], [[], ["reserve", "evt_1", "--color"], true],
      [["--no-color"], ["reserve", "evt_1", "--color"], true], [["--color"], ["reserve", "evt_1", "--no-color", "--color"], false],
      [["--color"], ["reserve", "evt_1"], true], [["--no-color"], ["reserve", "evt_1"], false],
    ] as const) {
      const argv = [...session, ...words];
      const plain = readPlainReserve(argv, session.length)!;
      expect(plain.globals.color, argv.join(" ")).toBe(color);
      expect(await parse(argv, sessionGlobalsIn(session)), argv.join(" ")).toEqual({ ...plain, withGlobals: { ...plain.flags, ...plain.globals } });
    }
  });

  it("leaves to commander, which refuses it, an option the line itself gives twice", async () => {
    for (const [argv, ownFrom] of [
      [["reserve", "evt_1", "--key", "a", "--key", "b"], 0], [["--user", "a", "reserve", "evt_1", "--user", "b"], 0],
      [["--user", "a", "reserve", "evt_1", "--user", "b", "--user", "c"], 2], [["--store", "memory", "reserve", "evt_1", "--quantity", "2", "--quantity", "2"], 2],
    ] as const) {
      expect(readPlainReserve(argv, ownFrom), argv.join(" ")).toBeUndefined();
      await expect(parse(argv, sessionGlobalsIn(argv.slice(0, ownFrom))), argv.join(" ")).rejects.toThrow(/given twice; it takes one value/);
    }
  });

  it("leaves to commander what it does not read exactly: help, --version, --, =, short and unknown options, odd values, a second argument", () => {
    for (const argv of [
      [], ["event", "show", "evt_1"], ["help", "reserve"], ["reserve", "--help"], ["reserve", "-h"], ["--version", "reserve"], ["-V"],
      ["reserve", "--", "evt_1"], ["reserve", "evt_1", "--key=k1"], ["--store=memory", "reserve", "evt_1"], ["reserve", "evt_1", "--bogus"],
      ["reserve", "evt_1", "--us", "u1"], ["--key", "k1", "reserve", "evt_1"], ["reserve", "evt_1", "--key"], ["reserve", "evt_1", "--key", "--json"],
      ["reserve", "evt_1", "--user", "-u"], ["reserve", "evt_1", "--key", ""], ["reserve", ""], ["reserve", "-5"], ["reserve", "-"],
      ["reserve", "evt_1", "evt_2"], ["tix", "reserve", "evt_1"], ["--user", "reserve", "evt_1"],
    ]) {
      expect(readPlainReserve(argv), argv.join(" ")).toBeUndefined();
    }
  });

  it("answers, on generated lines, only what commander's parse gives reserve's action", async () => {
    let read = 0;
    // A session's own global options (globalArgs), in front of some lines.
    // At most one colour switch: globalArgs writes the one the session was started with.
    const sessionArgs = fc.tuple(fc.subarray([["--store", "memory"], ["--user", "u0"], ["--json"]]), fc.constantFrom([], ["--color"], ["--no-color"]))
      .map(([args, color]) => [...args.flat(), ...color]);
    await fc.assert(
      fc.asyncProperty(sessionArgs, line, async (session, words) => {
        const argv = [...session, ...words];
        const plain = readPlainReserve(argv, session.length);
        if (plain === undefined) return;
        read += 1;
        expect(await parse(argv, sessionGlobalsIn(session))).toEqual({ ...plain, withGlobals: { ...plain.flags, ...plain.globals } });
      }),
      { ...fastCheckSeed(), numRuns: 3000 },
    );
    // The generator reaches the lines it is about.
    expect(read).toBeGreaterThan(100);
  });
});
