import { ColorSwitches } from "../color-switches.js";
import type { RawGlobals } from "../globals.js";
import type { ReserveFlags } from "../commands/reserve.js";

/** What commander's parse of a `reserve` line hands the command's action: its event, its options, the global options. */
export interface PlainReserve {
  readonly eventId: string | undefined;
  /** As `command.opts()` of `reserve`. */
  readonly flags: ReserveFlags;
  /** As `program.opts()` of the root: the global options, with commander's defaults for the negated ones. */
  readonly globals: RawGlobals;
}

type Target = "global" | "reserve";
/** Options that take the next word as their value: where it goes, under which name. */
const VALUED = new Map<string, readonly [Target, string]>([
  ["--store", ["global", "store"]], ["--user", ["global", "user"]],
  ["--key", ["reserve", "key"]], ["--tier", ["reserve", "tier"]], ["--quantity", ["reserve", "quantity"]],
  ["--code", ["reserve", "code"]], ["--seats", ["reserve", "seats"]],
]);
/** Options that take no value: where they go, under which name, and what they set it to. */
const SWITCHES = new Map<string, readonly [Target, string, boolean]>([
  ["--json", ["global", "json", true]], ["--color", ["global", "color", true]], ["--no-color", ["global", "color", false]],
  ["--no-input", ["global", "input", false]], ["--no-pager", ["global", "pager", false]], ["--bail", ["global", "bail", true]],
  ["--allow-split", ["reserve", "allowSplit", true]],
]);

/**
 * A session line's `reserve`, read without commander (a batch of reserves spent ~10 % of its
 * clients' CPU in commander's parse): the global options, `reserve`, at most one event id, and
 * reserve's own options after it, each option as its own word with its value in the next. What
 * it answers is what commander's parse gives the action (tests/unit/cli/plain-reserve.test.ts
 * compares the two on generated lines). Anything else — another command, `help`, an unknown or
 * short option, `--help`, `--version`, `--`, `--opt=value`, a value or an event id that starts
 * with `-` or is empty, a second argument, reserve's options before `reserve`, an option that
 * takes a value given twice by the line (commander refuses it) — is left to commander: undefined.
 * `ownFrom`: where the line's own words start in argv, after the session's global options, which
 * the line's override (as commander's parse lets it, see refuseRepeats); the line's own
 * `--no-color` wins over its `--color` whatever the order (LineContext.colorGiven).
 */
export function readPlainReserve(argv: readonly string[], ownFrom = 0): PlainReserve | undefined {
  // commander's defaults: `--no-input` and `--no-pager` have no positive option, so they default to true.
  const globals: Record<string, string | boolean> = { input: true, pager: true };
  const flags: Record<string, string | boolean> = {};
  let named = false;
  let eventId: string | undefined;
  const given = new Set<string>();
  const colors = new ColorSwitches(false);
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index]!;
    if (word === "") return undefined;
    if (word.startsWith("-")) {
      const valued = VALUED.get(word);
      const option = valued ?? SWITCHES.get(word);
      // Before its name, commander's root would not hand reserve's options to reserve.
      if (option === undefined || (option[0] === "reserve" && !named)) return undefined;
      const into = option[0] === "global" ? globals : flags;
      if (valued) {
        const value = argv[index + 1];
        // A value that looks like an option: commander's root may take it as one (`--key --json`).
        if (value === undefined || value === "" || value.startsWith("-")) return undefined;
        if (index >= ownFrom) {
          if (given.has(word)) return undefined;
          given.add(word);
        }
        into[option[1]] = value;
        index += 1;
      } else if (option[1] === "color" && index >= ownFrom) {
        // The line's own: its --no-color wins whatever the order, over its --color and the session's.
        into.color = colors.given(option[2]! as boolean);
      } else {
        into[option[1]] = option[2]!;
      }
    } else if (!named) {
      if (word !== "reserve") return undefined;
      named = true;
    } else if (eventId === undefined) {
      eventId = word;
    } else {
      return undefined;
    }
  }
  return named ? { eventId, flags: flags as ReserveFlags, globals: globals as RawGlobals } : undefined;
}
