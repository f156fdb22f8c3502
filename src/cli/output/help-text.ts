import { displayWidth, padding, wrapLines, wrapWords } from "./text.js";

/**
 * `--help` laid out to the terminal's width. Commander wraps the parts it writes itself; the text
 * each command adds after them (prose and `Examples:`) is written for a wide screen and fitted here:
 * a paragraph too wide is re-wrapped as a whole; an example too wide puts its `# comment` on the
 * line above, and a command still too wide is broken between words with ` \` as a shell reads it;
 * a single word still wider than a line is split within it (splitWord), as a shell joins it.
 */
export function fitHelpText(text: string, width: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let at = 0; at < lines.length; ) {
    const line = lines[at]!;
    if (isProse(line)) {
      const paragraph: string[] = [];
      while (at < lines.length && isProse(lines[at]!)) paragraph.push(lines[at++]!);
      out.push(...(paragraph.every((part) => displayWidth(part) <= width) ? paragraph : wrapKeepingOptions(paragraph.join(" "), width)));
      continue;
    }
    if (/^ *# /.test(line)) {
      const indent = /^ */.exec(line)![0];
      out.push(...wrapComment(line.slice(indent.length), indent, width));
      at += 1;
      continue;
    }
    if (!line.trimStart().startsWith("$ ")) {
      out.push(wrapLines(line, width));
      at += 1;
      continue;
    }
    // An example and the lines it continues (` \` at the end) are fitted as one.
    const example = [line];
    while (at + example.length < lines.length && commandPart(example.at(-1)!).endsWith(" \\")) example.push(lines[at + example.length]!);
    out.push(...(example.every((part) => displayWidth(part) <= width) ? example : fitExample(example, width)));
    at += example.length;
  }
  return out.join("\n");
}

/** A line of a paragraph: text from the first column that is not a heading such as `Examples:`. */
function isProse(line: string): boolean {
  return line.length > 0 && !line.startsWith(" ") && !/^[A-Z][\w ]*:$/.test(line);
}

const COMMENT = /\s{2,}(# .*)$/;

/** A line without its trailing `# comment`. */
function commandPart(line: string): string {
  const comment = COMMENT.exec(line);
  return (comment ? line.slice(0, comment.index) : line).trimEnd();
}

/** An example too wide: its comments on lines above it, then the command broken between arguments. */
function fitExample(example: string[], width: number): string[] {
  const indent = /^ */.exec(example[0]!)![0];
  const comments = example.flatMap((line) => COMMENT.exec(line)?.[1] ?? []);
  const command = example.map((line) => commandPart(line).replace(/ \\$/, "").trim()).join(" ");
  const room = Math.max(8, width - indent.length);
  const lines = comments.flatMap((comment) => wrapComment(comment, indent, width));
  const parts = breakCommand(command, room - 2);
  parts.forEach((part, index) => {
    const prefix = `${indent}${index === 0 ? "" : "    "}`;
    const suffix = index === parts.length - 1 ? "" : " \\";
    // A single shell word wider than the line (a jq program, a path) is split as the shell joins it.
    const pieces = prefix.length + displayWidth(part) + suffix.length <= width ? [part] : splitWord(part, width - prefix.length, width - suffix.length);
    pieces.forEach((piece, at) => lines.push(`${at === 0 ? prefix : ""}${piece}${at === pieces.length - 1 ? suffix : ""}`));
  });
  return lines;
}

/**
 * A shell word wider than a line, in lines joined by backslash-newline, which the shell removes
 * before it reads the word: a copied block runs the word as written. The lines after the first
 * start in the first column (spaces there would start another word); a split inside '…' closes
 * the quote before the backslash and opens it again on the next line (`'abc'\` then `'def'`),
 * and a character after a backslash (escaped, or `\\n` in quotes) is never parted from it. A line ends after a space, a `/` or a
 * `,` when one is in its second half, else where the room ends. `first`: the room on the first line;
 * `rest`: on the others.
 */
export function splitWord(word: string, first: number, rest: number): string[] {
  const lines: string[] = [];
  let line = "";
  let quote: "'" | '"' | undefined;
  let escaped = false;
  // Where the line could end more readably (after a space or a /), and the quote open there.
  let soft: { at: number; quote: typeof quote } | undefined;
  const end = (head: string, open: typeof quote): void => void lines.push(open === "'" ? `${head}'\\` : `${head}\\`);
  for (const char of word) {
    const room = lines.length === 0 ? first : rest;
    const opening = quote === "'" ? 1 : 0;
    // A backslash that ends the line goes on to the next with the character it comes before.
    const carry = line.endsWith("\\") ? "\\" : "";
    if (displayWidth(line) - carry.length > opening && displayWidth(line) + displayWidth(char) + opening + 1 > room) {
      if (soft !== undefined && soft.at * 2 >= room) {
        end(line.slice(0, soft.at), soft.quote);
        line = `${soft.quote === "'" ? "'" : ""}${line.slice(soft.at)}`;
      } else {
        end(line.slice(0, line.length - carry.length), quote);
        line = `${quote === "'" ? "'" : ""}${carry}`;
      }
      soft = undefined;
    }
    line += char;
    const wasEscaped = escaped;
    if (escaped) escaped = false;
    else if (quote === "'") quote = char === "'" ? undefined : quote;
    else if (char === "\\") escaped = true;
    else if (quote === '"') quote = char === '"' ? undefined : quote;
    else if (char === "'" || char === '"') quote = char;
    if (!wasEscaped && (char === " " || char === "/" || char === ",")) soft = { at: line.length, quote };
  }
  lines.push(line);
  return lines;
}

/**
 * A `# comment` of an example in lines of at most `width`, each continuation line a comment too:
 * a block copied into a shell must not run the second half of a sentence as a command.
 */
function wrapComment(comment: string, indent: string, width: number): string[] {
  return wrapWords(comment.replace(/^# /, ""), Math.max(8, width - indent.length - 2)).map((part) => `${indent}# ${part}`);
}

/**
 * Prose in lines of at most `width`, an option never parted from its value (`--user <id>`, as
 * the options list shows it), unless the pair alone is wider than a line.
 */
export function wrapKeepingOptions(text: string, width: number): string[] {
  const glued = text.replace(/(^|\s)(--?[\w-]+) (<[^<> ]+>|\[[^[\] ]+\])/g, (whole, before: string, option: string, value: string) =>
    displayWidth(`${option} ${value}`) <= width ? `${before}${option}${GLUE}${value}` : whole);
  return wrapWords(glued, width).map((line) => line.replaceAll(GLUE, " "));
}

/** Stands for the space inside an option and its value while a text is wrapped (wrapWords breaks at " " only). */
const GLUE = "\u00a0";

/**
 * One entry of commander's lists (an option, a command, an argument) at `width`: the description
 * wrapped beside its term when at least MIN_DESCRIPTION columns are left for it, as the session's
 * help does (session-help.ts); narrower, under its term. The term is never broken (`--store <url>`
 * stays on one line). Commander's own layout stops wrapping below 40 columns for the description
 * and left the lines to be broken anywhere. A description's … (`postgres://…`, `ord_…`) is written
 * as `ellipsis`: the style's mark, `...` on a terminal that is not UTF-8.
 */
export function formatHelpItem(term: string, termWidth: number, text: string, width: number, ellipsis = "…"): string {
  if (text === "") return `  ${term}`;
  const description = ellipsis === "…" ? text : text.replaceAll("…", ellipsis);
  const column = 2 + termWidth + 2;
  const lines = (room: number) => description.split("\n").flatMap((line) => wrapKeepingOptions(line, Math.max(1, room)));
  if (width - column >= MIN_DESCRIPTION) {
    const [first, ...rest] = lines(width - column);
    return [`  ${term}${padding(displayWidth(term), termWidth)}  ${first}`, ...rest.map((line) => " ".repeat(column) + line)].join("\n");
  }
  return [`  ${term}`, ...lines(width - 6).map((line) => `      ${line}`)].join("\n");
}

/** The narrowest a description is wrapped to beside its term; narrower, it goes under the term. */
const MIN_DESCRIPTION = 20;

/** Words of a command in lines of at most `width` (a quoted argument is never split). */
function breakCommand(command: string, width: number): string[] {
  const tokens = command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [command];
  // An option keeps its value beside it (`--venue "Seattle Dome"`); when the two are wider than a
  // line, the option starts a line of its own and its value goes on the next.
  const words: string[] = [];
  const startsLine = new Set<number>();
  for (const token of tokens) {
    const previous = words.at(-1);
    if (previous !== undefined && /^--?[\w-]+$/.test(previous) && !token.startsWith("-") && token !== "|") {
      if (displayWidth(`${previous} ${token}`) <= width - 4) {
        words[words.length - 1] = `${previous} ${token}`;
        continue;
      }
      startsLine.add(words.length - 1);
    }
    words.push(token);
  }
  const lines: string[] = [];
  let current = "";
  words.forEach((word, index) => {
    const room = lines.length === 0 ? width : width - 4;
    if (current !== "" && (startsLine.has(index) || displayWidth(`${current} ${word}`) > room)) {
      lines.push(current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  });
  if (current !== "") lines.push(current);
  return lines;
}
