/**
 * Makes untrusted text safe for a terminal: control characters (ESC, CR, tabs, bidi overrides…)
 * are shown as escapes instead of being obeyed. JSON output is escaped by JSON itself.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, (char) => {
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
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
