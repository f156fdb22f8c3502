import { invalidArgument } from "../../core/index.js";

/** Session variables a line may use: `$event`, `$ticket`, `$order` (undefined until an id was printed). */
export type LineVariables = Readonly<Record<string, string | undefined>>;

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** What only the character-by-character walk handles: quotes, escapes, variables, comments. */
const SPECIAL = /['"\\$#]/;
/** What separates words (the walk's blanks). */
const BLANKS = /[ \t\n\r]+/;
/**
 * What a shell reads as a pipe, a redirection or a list of commands when it stands as a word of its
 * own, unquoted: a line is not a shell, so it is refused rather than passed on as an argument
 * ("too many arguments"). Inside a word (`--seats A:1-4|5-8`) or quoted (`"|"`) it is text.
 */
const SHELL_OPERATORS = new Set(["|", "||", "|&", "&", "&&", ";", ";;", ">", ">>", ">|", "<", "<<", "<<<", "<>", "&>", "&>>", "2>", "2>>", "2>&1", ">&2"]);

/**
 * The same operators glued to a word, at its unquoted end (`list;`, `seed&&`, `list|`) or start
 * (`>out`, `|head`, `;seed`): a psql or shell habit, never a tix value. In the middle of a word
 * (`A:1-4|5-8`) they stay text.
 */
const GLUED_AT_END = /(?:;|\|\|?|&&?)$/;
const GLUED_AT_START = /^(?:>>?|<|\||;|&)/;

function notAShell(operator: string, word = operator): Error {
  const what = word === operator ? JSON.stringify(operator) : `${JSON.stringify(word)} (its ${operator})`;
  return invalidArgument("line", `${what}: a tix line is not a shell (no pipes, redirections, ; or &&); quote it to pass it as text, or run tix from your shell`);
}

/** Refuses a word that is, or is glued to, a shell operator; `bareStart` / `bareEnd`: its first / last character was typed unquoted. */
function refuseOperator(word: string, bareStart: boolean, bareEnd: boolean): void {
  if (bareStart && bareEnd && SHELL_OPERATORS.has(word)) throw notAShell(word);
  const atEnd = bareEnd ? GLUED_AT_END.exec(word) : null;
  if (atEnd !== null) throw notAShell(atEnd[0], word);
  const atStart = bareStart ? GLUED_AT_START.exec(word) : null;
  if (atStart !== null) throw notAShell(atStart[0], word);
}

/** Inside double quotes a backslash escapes only these, as in a POSIX shell. */
const DOUBLE_QUOTE_ESCAPES = new Set(['"', "\\", "$", "`"]);

/**
 * Splits a REPL or batch line into argv the way a POSIX shell would for simple words: blanks
 * separate words, '…' is literal, "…" allows \" \\ \$, a backslash escapes outside quotes, and a
 * word starting with # begins a comment. `$name` / `${name}` of a known variable is replaced
 * (not inside '…'); an unknown `$word` stays as typed, so keys and cards never surprise anyone.
 */
export function tokenizeLine(line: string, variables: LineVariables = {}, whyUnset?: (name: string) => string): string[] {
  // A line of plain words (most of a batch's) splits at its blanks: the walk below gives the same.
  if (!SPECIAL.test(line)) {
    const words = line.split(BLANKS).filter((word) => word !== "");
    for (const word of words) refuseOperator(word, true, true);
    return words;
  }
  const words: string[] = [];
  let word = "";
  let inWord = false;
  /** The word's first character, and its last so far, were typed as is: not quoted, escaped or substituted (only such can be an operator). */
  let bareStart = true;
  let bareEnd = true;
  const push = (): void => {
    refuseOperator(word, bareStart, bareEnd);
    words.push(word);
  };
  /** Notes that what was just added to the word was quoted, escaped or substituted. */
  const notBare = (): void => {
    if (!inWord) bareStart = false;
    bareEnd = false;
  };
  let i = 0;

  const substitute = (): void => {
    const braced = line[i + 1] === "{";
    let end = i + (braced ? 2 : 1);
    if (!NAME_START.test(line[end] ?? "")) {
      word += "$";
      i += 1;
      return;
    }
    while (NAME_CHAR.test(line[end] ?? "")) end += 1;
    const name = line.slice(i + (braced ? 2 : 1), end);
    if (!Object.hasOwn(variables, name)) {
      word += "$";
      i += 1;
      return;
    }
    if (braced && line[end] !== "}") throw invalidArgument("line", `unterminated \${${name}`);
    const value = variables[name];
    if (value === undefined) throw invalidArgument(`$${name}`, whyUnset?.(name) ?? `no ${name} id has been printed in this session yet`);
    word += value;
    i = braced ? end + 1 : end;
  };

  while (i < line.length) {
    const char = line[i]!;
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      if (inWord) push();
      word = "";
      inWord = false;
      bareStart = true;
      bareEnd = true;
      i += 1;
    } else if (char === "#" && !inWord) {
      break;
    } else if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw invalidArgument("line", "unterminated ' quote");
      word += line.slice(i + 1, end);
      notBare();
      inWord = true;
      i = end + 1;
    } else if (char === '"') {
      notBare();
      inWord = true;
      i += 1;
      while (line[i] !== '"') {
        if (i >= line.length) throw invalidArgument("line", 'unterminated " quote');
        if (line[i] === "\\" && DOUBLE_QUOTE_ESCAPES.has(line[i + 1] ?? "")) {
          word += line[i + 1];
          i += 2;
        } else if (line[i] === "$") {
          substitute();
        } else {
          word += line[i];
          i += 1;
        }
      }
      i += 1;
    } else if (char === "\\") {
      if (i + 1 >= line.length) throw invalidArgument("line", "a line cannot end with a backslash");
      word += line[i + 1];
      notBare();
      inWord = true;
      i += 2;
    } else if (char === "$") {
      notBare();
      inWord = true;
      substitute();
    } else {
      word += char;
      inWord = true;
      bareEnd = true;
      i += 1;
    }
  }
  if (inWord) push();
  return words;
}
