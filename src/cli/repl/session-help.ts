import { displayWidth, wrapWords } from "../output/text.js";

const INTRO = `In this session, type commands without "tix" (a leading "tix" is allowed); global options work on each line:`;
const EXAMPLES = ["event show evt_jazz_evening", "reserve $event --key order-1001", "--user bob ticket list"];
const ENTRIES: ReadonlyArray<[term: string, meaning: string]> = [
  ["$event, $ticket", "the id of the last event / ticket printed in this session (unset when the line that would have printed one failed)"],
  ["$order", "the order of $ticket: purchase $order pays for every ticket a reserve --quantity held"],
  ["help [command...]", "this text, or a command's help: help event update"],
  ["exit, quit", "leave (so do Ctrl-D, and Ctrl-C twice on an empty line); Ctrl-C abandons the line"],
  ["clear", "clears the screen (as Ctrl-L does)"],
  ["Tab", "completes commands, options, and event and ticket ids"],
];

/** The narrowest a meaning is wrapped to beside its term; narrower, it goes under the term. */
const MIN_MEANING = 20;

/**
 * What `help` adds in a session, after the program's help: laid out between words to `width` (as
 * commander lays out its own part), each meaning wrapped under itself beside its term.
 */
export function sessionHelp(width: number): string {
  const termWidth = Math.max(...ENTRIES.map(([term]) => displayWidth(term)));
  const column = 2 + termWidth + 2;
  const beside = width - column >= MIN_MEANING;
  const entries = ENTRIES.flatMap(([term, meaning]) => {
    if (!beside) return [`  ${term}`, ...wrapWords(meaning, Math.max(1, width - 4)).map((line) => `    ${line}`)];
    const [first, ...rest] = wrapWords(meaning, width - column);
    return [`  ${term}${" ".repeat(column - 2 - displayWidth(term))}${first}`, ...rest.map((line) => `${" ".repeat(column)}${line}`)];
  });
  return ["", ...wrapWords(INTRO, width), ...EXAMPLES.map((example) => `  ${example}`), "", ...entries, ""].join("\n");
}
