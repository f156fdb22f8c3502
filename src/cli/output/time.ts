import { relativeTime } from "./text.js";

/** How long ago a start still reads "started" rather than "ended": tix does not know when an event ends. */
const STILL_RUNNING_MS = 24 * 3_600_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Times for people: the absolute date and time in the user's time zone (TZ, else the system's)
 * with the relative part, "Sun 15 Jun 2025 20:00 UTC · 1y 5mo ago", and shorter forms for narrow
 * columns. Written from Date's local-time fields, not Intl: an Intl formatter costs 50 ms to make
 * (ICU's data), and these are fast for 20,000 rows. The zone is named by its offset ("UTC",
 * "UTC+2", "UTC-4", "UTC+5:30"): unambiguous, where abbreviations are not.
 */
export class TimeFormat {
  /** `dot`: between the time and its relative part (the style's mark: `·`, or `-` in ASCII). */
  constructor(readonly now: number, readonly dot = "·") {}

  /** "Sun 15 Jun 2025 20:00 UTC · 1y 5mo ago" */
  full(iso: string): string {
    const at = new Date(iso);
    return `${weekday(at)} ${dateTime(at)} ${zoneLabel(at)} ${this.dot} ${this.relative(iso)}`;
  }

  /** "Sun 15 Jun 2025 20:00 · 1y 5mo ago": the zone said once, in the column's header. */
  withoutZone(iso: string): string {
    const at = new Date(iso);
    return `${weekday(at)} ${dateTime(at)} ${this.dot} ${this.relative(iso)}`;
  }

  /** "15 Jun 2025 20:00 · 1y 5mo ago" */
  dated(iso: string): string {
    return `${dateTime(new Date(iso))} ${this.dot} ${this.relative(iso)}`;
  }

  /** "15 Jun 2025 20:00" */
  date(iso: string): string {
    return dateTime(new Date(iso));
  }

  /** "15 Jun 2025", of an instant in milliseconds. */
  day(at: number): string {
    const local = new Date(at);
    return `${local.getDate()} ${MONTHS[local.getMonth()]} ${local.getFullYear()}`;
  }

  /** "UTC", "UTC+2": the zone's offset at that instant. */
  zone(iso: string): string {
    return zoneLabel(new Date(iso));
  }

  /** How far the user's zone is ahead of UTC at that instant, in milliseconds. */
  offsetAt(at: number): number {
    return -new Date(at).getTimezoneOffset() * 60_000;
  }

  /** "in 9m 12s", "3d ago", "just now" */
  relative(iso: string): string {
    return relativeTime(iso, this.now);
  }

  /** For an event's start: undefined while it is ahead, else "started" (the last 24 hours) or "ended". */
  startedMark(iso: string | null): "started" | "ended" | undefined {
    if (iso === null) return undefined;
    const since = this.now - Date.parse(iso);
    if (since < 0) return undefined;
    return since < STILL_RUNNING_MS ? "started" : "ended";
  }
}

const twoDigits = (value: number): string => (value < 10 ? `0${value}` : String(value));

function weekday(at: Date): string {
  return WEEKDAYS[at.getDay()]!;
}

function dateTime(at: Date): string {
  return `${at.getDate()} ${MONTHS[at.getMonth()]} ${at.getFullYear()} ${twoDigits(at.getHours())}:${twoDigits(at.getMinutes())}`;
}

function zoneLabel(at: Date): string {
  const ahead = -at.getTimezoneOffset();
  if (ahead === 0) return "UTC";
  const hours = Math.floor(Math.abs(ahead) / 60);
  const minutes = Math.abs(ahead) % 60;
  return `UTC${ahead > 0 ? "+" : "-"}${hours}${minutes === 0 ? "" : `:${twoDigits(minutes)}`}`;
}
