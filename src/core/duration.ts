import { invalidArgument } from "./errors.js";
import { quote } from "./text.js";

// Any number of digits: a duration too long for its use is out of its range, not "not a duration".
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const UNIT_SECONDS = [86_400, 3_600, 60, 1] as const;

export const MAX_HOLD_SECONDS = 7 * 86_400;
export const DEFAULT_HOLD_SECONDS = 600;

/** Parses `45s`, `10m`, `2h`, `1h30m`, `1d` into whole seconds (Infinity past what a number holds: callers bound it). */
export function parseDuration(text: string, field = "hold"): number {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match || text.trim() === "") {
    throw invalidArgument(field, `${quote(text)} is not a duration; use forms like 45s, 10m, 2h, 1h30m`);
  }
  return match
    .slice(1)
    .reduce((total, part, index) => total + (part ? Number(part) * UNIT_SECONDS[index]! : 0), 0);
}

/** Parses a hold time and checks it is between 1 second and 7 days. */
export function parseHoldDuration(text: string): number {
  const seconds = parseDuration(text, "hold");
  if (seconds < 1 || seconds > MAX_HOLD_SECONDS) {
    throw invalidArgument("hold", `must be between 1s and 7d, got ${quote(text)}`);
  }
  return seconds;
}

/** `5412` → `1h30m12s`; the inverse of parseDuration for whole seconds. */
export function formatDuration(totalSeconds: number): string {
  if (totalSeconds <= 0) return "0s";
  let rest = Math.floor(totalSeconds);
  let text = "";
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) text += `${count}${unit}`;
  }
  return text;
}
