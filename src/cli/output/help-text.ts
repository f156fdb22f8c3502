import { displayWidth, wrapLines, wrapWords } from "./text.js";

/**
 * `--help` laid out to the terminal's width. Commander wraps the parts it writes itself; the text
 * each command adds after them (prose and `Examples:`) is written for a wide screen and fitted here:
 * a paragraph too wide is re-wrapped as a whole; an example too wide puts its `# comment` on the
 * line above, and a command still too wide is broken between words with ` \` as a shell reads it.
 */
export function fitHelpText(text: string, width: number): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let at = 0; at < lines.length; ) {
    const line = lines[at]!;
    if (isProse(line)) {
      const paragraph: string[] = [];
      while (at < lines.length && isProse(lines[at]!)) paragraph.push(lines[at++]!);
      out.push(...(paragraph.every((part) => displayWidth(part) <= width) ? paragraph : wrapWords(paragraph.join(" "), width)));
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
  const lines = comments.flatMap((comment) => wrapWords(comment, room).map((part) => indent + part));
  const parts = breakCommand(command, room - 2);
  parts.forEach((part, index) => lines.push(`${indent}${index === 0 ? "" : "    "}${part}${index === parts.length - 1 ? "" : " \\"}`));
  return lines;
}

/** Words of a command in lines of at most `width` (a quoted argument is never split). */
function breakCommand(command: string, width: number): string[] {
  const tokens = command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [command];
  // An option keeps its value beside it (`--venue "Seattle Dome"`).
  const words: string[] = [];
  for (const token of tokens) {
    const previous = words.at(-1);
    if (previous !== undefined && /^--?[\w-]+$/.test(previous) && !token.startsWith("-") && token !== "|") words[words.length - 1] = `${previous} ${token}`;
    else words.push(token);
  }
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    const room = lines.length === 0 ? width : width - 4;
    if (current !== "" && displayWidth(`${current} ${word}`) > room) {
      lines.push(current);
      current = word;
    } else {
      current = current === "" ? word : `${current} ${word}`;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}
