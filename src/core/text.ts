/** Values quoted in messages are cut to this many characters: a 100 kB argument is not repeated. */
export const MAX_QUOTED_LENGTH = 60;

/** `text` cut to `max` characters, saying how long it was: `aaaa… (100000 characters)`. */
export function shorten(text: string, max = MAX_QUOTED_LENGTH): string {
  if (text.length <= max) return text;
  const characters = Array.from(text);
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join("")}… (${characters.length} characters)`;
}

/** Where `shorten` cut: its `…` (U+2026, escaped: the CLI's bundle is ASCII), before the ` (N characters)` it adds. */
const SHORTENED = /\u2026(?= \(\d+ characters\))/gu;

/**
 * `text` (a message) with the `…` of every value `shorten` cut written as `ellipsis`: for a face
 * that writes its own marks in ASCII (the command line, on a terminal whose locale is not UTF-8).
 * The values themselves are left as they are.
 */
export function markShortened(text: string, ellipsis: string): string {
  return ellipsis === "…" ? text : text.replace(SHORTENED, ellipsis);
}

/** A value as a message quotes it: in double quotes, cut when long. */
export function quote(value: unknown): string {
  return `"${shorten(String(value))}"`;
}

/**
 * A value a message says it got, as the caller wrote it: a number as a number (`got -5`, as a JSON
 * body or a library call sends it), text in quotes (`got "-5"`, as a flag or a CSV cell is).
 */
export function given(value: unknown): string {
  // Anything else a program passed (a list, an object, true, null) is described, not quoted as
  // the text String() makes of it (`"[object Object]"`, `"true"`, `""` for a list).
  return numberShown(value) ?? (typeof value === "string" ? quote(value) : described(value));
}

/**
 * A number a call passed, as a message shows it: bare (`-5`, as a JSON body or a library call wrote
 * it); undefined for anything else, which the message shows its own way (quoted, or described).
 */
export function numberShown(value: unknown): string | undefined {
  return typeof value === "number" ? shorten(String(value)) : undefined;
}

/**
 * What a JavaScript caller passed where something else belongs, as a message says it ("got …"):
 * nothing, a list, an object, the text "…", the number 5.
 */
export function described(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text ${quote(value)}`;
  return typeof value === "object" ? "an object" : `the ${typeof value} ${String(value).slice(0, 20)}`;
}

/**
 * Valid Unicode text: no lone UTF-16 surrogate, which no store, file or terminal can represent
 * (PostgreSQL refuses it, SQLite and UTF-8 output mangle it).
 */
export function isWellFormedText(text: string): boolean {
  return !/\p{Cs}/u.test(text);
}

/**
 * Whether `text` has `min` to `max` characters, all printable ASCII (the space only when
 * `spaceAllowed`): what nearly every id, user and key is, told without a Unicode regex. Text this
 * refuses may still be valid; the caller's regex decides. Those regexes (`\p{C}`…) are written
 * where they are used, so each is made on first use, not when its module loads: making one costs
 * ~0.1 ms (ICU's tables for the property), which every start paid for each, used or not.
 */
export function isPlainAscii(text: string, min: number, max: number, spaceAllowed: boolean): boolean {
  if (text.length < min || text.length > max) return false;
  const lowest = spaceAllowed ? 0x20 : 0x21;
  for (let at = 0; at < text.length; at++) {
    const code = text.charCodeAt(at);
    if (code < lowest || code > 0x7e) return false;
  }
  return true;
}

/** Edit distance (Damerau–Levenshtein, adjacent transpositions), for "did you mean". */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/** `evt_jazz` → `jazz`: ids share their kind's prefix, which says nothing about which one was meant. */
const withoutKind = (id: string): string => id.replace(/^[a-z]{2,4}_/, "");

/**
 * The candidates closest to what was typed, best first (at most `limit`): those it begins, those
 * that contain it, then those within a few edits (a third of its length past the id's kind).
 */
export function closestMatches(typed: string, candidates: Iterable<string>, limit = 3): string[] {
  const wanted = typed.toLowerCase();
  if (wanted === "") return [];
  const scored: Array<[candidate: string, score: number]> = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (lower === wanted) continue;
    // Long ids are never compared letter by letter: only a prefix or a substring can match them.
    const [a, b] = [withoutKind(wanted), withoutKind(lower)];
    const distance = Math.abs(a.length - b.length) > 3 ? Infinity : editDistance(a, b);
    const score = lower.startsWith(wanted) ? 0 : lower.includes(wanted) ? 1 : distance <= Math.floor(a.length / 3) ? 1 + distance : Infinity;
    if (score !== Infinity) scored.push([candidate, score]);
  }
  return scored.sort((x, y) => x[1] - y[1] || x[0].length - y[0].length || x[0].localeCompare(y[0])).slice(0, limit).map(([candidate]) => candidate);
}
