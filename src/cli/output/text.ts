import truncatedWidth from "fast-string-truncated-width";

/** Printable ASCII: no control or format character, told without a Unicode regex. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Makes untrusted text safe for a terminal: control characters (ESC, CR, tabs, bidi overrides…)
 * are shown as escapes instead of being obeyed. JSON output is escaped by JSON itself.
 *
 * Format characters that are part of the text are kept: a joiner (ZWNJ U+200C, ZWJ U+200D) between
 * two letters or emoji — Persian and Indic words, emoji sequences such as 👩‍💻 — and a subdivision
 * flag's tags (🏴 then tag letters then the cancel tag). Any other control or format character
 * (ESC, CR, tabs, bidi overrides, a joiner alone or at an edge, a stray tag) is escaped. The
 * Unicode regexes are made here, on the first text that is not printable ASCII, not at load
 * (core/text.ts says why).
 */
export function escapeControl(text: string): string {
  if (PRINTABLE_ASCII.test(text) || !/[\p{Cc}\p{Cf}]/u.test(text)) return text;
  const controls = /((?<=[\p{L}\p{M}\p{N}\p{Extended_Pictographic}\p{Emoji_Modifier}])[\u200c\u200d](?=[\p{L}\p{M}\p{N}\p{Extended_Pictographic}])|\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F})|[\p{Cc}\p{Cf}]/gu;
  return text.replace(controls, (char, kept: string | undefined) => {
    if (kept !== undefined) return kept;
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}

export const ELLIPSIS = "…";

// Most cells are printable ASCII, Latin-1 letters and the few marks tix itself prints (· — … •):
// one column each, so their width is their length, with no need to look closer.
const NARROW = /^[\x20-\x7e\xa0-\xff\u2014\u2022\u2026]*$/;

// Hangul written as conjoining jamo (decomposed, NFD: as macOS names files, and as text copied from
// there arrives): a leading consonant then a vowel and maybe a final consonant make one syllable two
// columns wide; the vowels and finals take no column of their own on a terminal (wcwidth: 0). The
// width library counts each jamo as two (한국 공연 was 25 columns, not 9, and pushed a table's columns
// apart), so they are measured and cut here.
const JAMO = /[\u1160-\u11ff\ud7b0-\ud7ff]/;
const JAMO_ALL = /[\u1160-\u11ff\ud7b0-\ud7ff]/g;
/** Made on first use: most output never holds jamo, nor a word wider than the terminal. */
let graphemes: Intl.Segmenter | undefined;

/** Columns the text takes on a terminal (wide CJK characters and emoji count two). Text must be escaped. */
export function displayWidth(text: string): number {
  if (NARROW.test(text)) return text.length;
  return truncatedWidth(JAMO.test(text) ? text.replace(JAMO_ALL, "") : text).width;
}

/** `text` cut, between grapheme clusters (never inside a syllable), to at most `room` columns. */
function cutClusters(text: string, room: number): string {
  let kept = "";
  let width = 0;
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  for (const { segment } of graphemes.segment(text)) {
    width += displayWidth(segment);
    if (width > room) break;
    kept += segment;
  }
  return kept;
}

/**
 * The text cut to at most `width` columns, ending in `ellipsis` (… or, in ASCII, ...) when it
 * was cut (never mid-character): the cut text and its ellipsis together fit the width.
 */
export function truncate(text: string, width: number, ellipsis: string = ELLIPSIS): string {
  if (width <= 0) return "";
  // The ellipsis is one of tix's own marks: narrow, its width its length.
  const room = width - ellipsis.length;
  if (NARROW.test(text)) return text.length <= width ? text : room < 0 ? ellipsis.slice(0, width) : `${text.slice(0, room)}${ellipsis}`;
  if (JAMO.test(text)) return displayWidth(text) <= width ? text : room < 0 ? ellipsis.slice(0, width) : `${cutClusters(text, room)}${ellipsis}`;
  const cut = truncatedWidth(text, { limit: width, ellipsis });
  // With an ellipsis as wide as the limit the library answers "not cut": the width says.
  if (!cut.truncated && (ellipsis.length === 1 || displayWidth(text) <= width)) return text;
  if (room < 0) return ellipsis.slice(0, width);
  // The library's cut can be a column too far when a character outside its blocks (→, ★, ✓)
  // comes before Latin text: it is walked back, a code point at a time, until text and … fit.
  let end = Math.max(0, cut.index);
  while (end > 0 && displayWidth(text.slice(0, end)) > room) end -= end >= 2 && /[\udc00-\udfff]/.test(text[end - 1]!) ? 2 : 1;
  return `${text.slice(0, end)}${ellipsis}`;
}

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * A finished line (colours and all) no wider than `width`: the last resort on a terminal too
 * narrow for what it shows. A line that fits is left as it is; one that does not loses its colours.
 */
export function fitLine(line: string, width: number, ellipsis: string = ELLIPSIS): string {
  const plain = line.includes("\x1b") ? line.replace(SGR, "") : line;
  return displayWidth(plain) <= width ? line : truncate(plain, width, ellipsis);
}

/** Spaces that pad `text` (of `width` columns) to `to` columns. */
export function padding(width: number, to: number): string {
  return width >= to ? "" : " ".repeat(to - width);
}

/**
 * Text laid into lines of at most `width` columns, broken between words; a word wider than a whole
 * line (a long id, a path, a name written without spaces) is split across lines between its
 * characters, never cut: a record or a message shows all of its text.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  let lineWidth = 0;
  for (const word of text.split(" ")) {
    const wordWidth = displayWidth(word);
    if (line !== "" && lineWidth + 1 + wordWidth > width) {
      lines.push(line);
      line = "";
      lineWidth = 0;
    }
    if (wordWidth > width) {
      const pieces = splitToWidth(word, width);
      lines.push(...pieces.slice(0, -1));
      line = pieces.at(-1)!;
      lineWidth = displayWidth(line);
      continue;
    }
    line = line === "" ? word : `${line} ${word}`;
    lineWidth += (lineWidth === 0 ? 0 : 1) + wordWidth;
  }
  lines.push(line);
  return lines;
}

/** A word in pieces of at most `width` columns, split between user-perceived characters (an emoji sequence stays whole). */
function splitToWidth(word: string, width: number): string[] {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const pieces: string[] = [];
  let piece = "";
  let pieceWidth = 0;
  for (const { segment } of graphemes.segment(word)) {
    const segmentWidth = displayWidth(segment);
    if (piece !== "" && pieceWidth + segmentWidth > width) {
      pieces.push(piece);
      piece = "";
      pieceWidth = 0;
    }
    piece += segment;
    pieceWidth += segmentWidth;
  }
  pieces.push(piece);
  return pieces;
}

/** Lines of text (a message) laid out to `width`: each line wrapped between words, keeping its indentation. */
export function wrapLines(text: string, width: number): string {
  return text.split("\n").flatMap((line) => {
    const indent = /^ */.exec(line)![0];
    if (displayWidth(line) <= width) return [line];
    return wrapWords(line.slice(indent.length), Math.max(1, width - indent.length)).map((part) => indent + part);
  }).join("\n");
}

const UNITS: ReadonlyArray<[name: string, milliseconds: number]> = [
  ["y", 365 * 86_400_000],
  ["mo", 30 * 86_400_000],
  ["d", 86_400_000],
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
];

/** A span in its two largest units: `9m 12s`, `2h 5m`, `3d`, `4mo`. */
export function humanSpan(milliseconds: number): string {
  let rest = Math.max(0, Math.round(Math.abs(milliseconds) / 1000) * 1000);
  // Twelve months of 30 days are 360: the last days of a year (a span of 360 to 364 days after
  // its whole years) read "12mo 4d", a month count a person never sees. They are the next year.
  const [, year] = UNITS[0]!;
  const [, month] = UNITS[1]!;
  if (rest % year >= 12 * month) rest = (Math.floor(rest / year) + 1) * year;
  const parts: string[] = [];
  for (const [name, size] of UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    if (count > 0 || parts.length > 0) {
      if (count > 0) parts.push(`${count}${name}`);
      else break;
      rest -= count * size;
    }
  }
  return parts.length === 0 ? "0s" : parts.join(" ");
}

/** `in 9m 12s` / `3d ago`, relative to `now`. */
export function relativeTime(iso: string, now: number): string {
  const delta = Date.parse(iso) - now;
  if (Math.abs(delta) < 1000) return "just now";
  return delta >= 0 ? `in ${humanSpan(delta)}` : `${humanSpan(delta)} ago`;
}
