/**
 * The ids that start with `prefix` as a range of an index: from `low` (the prefix) up to, not
 * with, `high` (the prefix with its last character the next one; none for an empty prefix, or
 * one whose last character has no next). An index in code-point order (SQLite's BINARY,
 * PostgreSQL's "C") reads only that range; callers still check each id starts with the prefix.
 */
export function prefixRange(prefix: string): { low: string; high: string | undefined } {
  if (prefix === "") return { low: "", high: undefined };
  const last = prefix.codePointAt(prefix.length - 1)!;
  // A lone surrogate or the last code point: no simple successor; the range is then open above.
  if (last >= 0xd800 && last <= 0xdfff) return { low: prefix, high: undefined };
  return { low: prefix, high: prefix.slice(0, -1) + String.fromCodePoint(last + 1) };
}

/**
 * The ids that start with `prefix` and come after `after` (when given) as one range of an index:
 * from `from` (with it, or after it when `exclusive`) up to, not with, `to` (none: open above).
 */
export function idRange(prefix: string, after: string | undefined): { from: string; to: string | undefined; exclusive: boolean } {
  const { low, high } = prefixRange(prefix);
  return after !== undefined && after >= low ? { from: after, to: high, exclusive: true } : { from: low, to: high, exclusive: false };
}
