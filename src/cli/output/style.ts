import { Chalk, type ChalkInstance } from "chalk";
import type { TicketStatus } from "../../core/index.js";

/** Colour comes from one switch (see io.ts); chalk's own detection is not consulted. */
export interface Style {
  readonly enabled: boolean;
  /**
   * Pictures (bars, the sales chart) may be drawn with block and line characters: colour is on
   * and the locale's characters are UTF-8. Else they are drawn in ASCII (`#`, `=`, `.`, `|`).
   */
  readonly blocks: boolean;
  /** The symbols tix itself prints between and around values: UTF-8's, or ASCII's (see `Marks`). */
  readonly marks: Marks;
  readonly chalk: ChalkInstance;
  statusColor(status: TicketStatus): (text: string) => string;
}

/**
 * tix's own symbols in human output. On a terminal whose locale is not UTF-8 (`LANG=C`, POSIX,
 * ISO-8859-1) each is shown in ASCII: a UTF-8 symbol's bytes would show there as two or three
 * strange characters, and widen the line past the terminal. Data (an event's name) is shown as stored.
 */
export interface Marks {
  /** Ends a cut text: `…` or `...`. */
  readonly ellipsis: string;
  /** Between the parts of one value: `Sun 15 Jun 2025 20:00 UTC · in 3d` (`-` in ASCII). */
  readonly dot: string;
  /** A value that is not there, and between a pick list's choice and what is said of it: `—` (`-`). */
  readonly dash: string;
  /** Before a success message: `✓` (`OK`). */
  readonly check: string;
  /** Before a replay's message (the key had done it already): `↺` (`OK`). */
  readonly replayed: string;
  /** From a value to the next in a change line: `→` (`->`). */
  readonly arrow: string;
  /** Times, in a count of tickets: `×` (`x`). */
  readonly times: string;
  /** A hidden digit of a card's number: `•` (`*`). */
  readonly hidden: string;
  /** From the first day to the last of a span: `1 Jun – 3 Jun` (`-`). */
  readonly range: string;
  /** Before a question once answered (the prompts', the seat picker's): `✔` (`OK`). */
  readonly answered: string;
  /** Before the choice under a list's cursor: `❯` (`>`). */
  readonly pointer: string;
  /** Between the keys' hints under a list: `↑↓ navigate • ⏎ select` (`-`). */
  readonly bullet: string;
  /** The keys named in those hints: `↑↓` (`up/down`), `⏎` (`enter`), the seat picker's `←↑↓→` (`arrows`). */
  readonly upDown: string;
  readonly enter: string;
  readonly arrows: string;
}

export const UNICODE_MARKS: Marks = {
  ellipsis: "…", dot: "·", dash: "—", check: "✓", replayed: "↺", arrow: "→", times: "×", hidden: "•", range: "–",
  answered: "✔", pointer: "❯", bullet: "•", upDown: "↑↓", enter: "⏎", arrows: "←↑↓→",
};
export const ASCII_MARKS: Marks = {
  ellipsis: "...", dot: "-", dash: "-", check: "OK", replayed: "OK", arrow: "->", times: "x", hidden: "*", range: "-",
  answered: "OK", pointer: ">", bullet: "-", upDown: "up/down", enter: "enter", arrows: "arrows",
};

/**
 * A mark written by something that knows only UTF-8's (inquirer's key hints: `↑↓`, `⏎`), in these
 * marks; any other text as it is.
 */
export function markIn(marks: Marks, text: string): string {
  if (marks === UNICODE_MARKS) return text;
  for (const name of Object.keys(UNICODE_MARKS) as Array<keyof Marks>) if (UNICODE_MARKS[name] === text) return marks[name];
  return text;
}

/** The styles, each made once: a batch resolves its options on every line. */
const styles = new Map<string, Style>();

/**
 * `unicode`: the terminal's locale is UTF-8 (see io.ts), so pictures may use block characters.
 * `asciiMarks`: human output on a terminal whose locale is not UTF-8, so tix's symbols are ASCII.
 */
export function createStyle(enabled: boolean, unicode = true, asciiMarks = false): Style {
  const key = `${enabled}/${unicode}/${asciiMarks}`;
  let style = styles.get(key);
  if (style === undefined) styles.set(key, (style = newStyle(enabled, enabled && unicode, asciiMarks ? ASCII_MARKS : UNICODE_MARKS)));
  return style;
}

function newStyle(enabled: boolean, blocks: boolean, marks: Marks): Style {
  const chalk = enabled ? new Chalk({ level: 1 }) : plain;
  const statusColors: Record<TicketStatus, ChalkInstance> = {
    reserved: chalk.yellow,
    purchased: chalk.green,
    cancelled: chalk.dim,
    expired: chalk.red,
  };
  return { enabled, blocks, marks, chalk, statusColor: (status) => statusColors[status] };
}

/**
 * Chalk without colour (level 0), without loading chalk: every style, however chained, answers
 * its text as it is. Output without colour — every script's, every pipe's — never initialises
 * chalk (scripts/build.mjs, trick 8a).
 */
const plain: ChalkInstance = new Proxy(
  (...texts: unknown[]) => (texts.length === 1 ? String(texts[0]) : texts.join(" ")),
  { get: (_target, key) => (key === "level" ? 0 : plain) },
) as unknown as ChalkInstance;
