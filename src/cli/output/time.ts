import { relativeTime } from "./text.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** How long ago a start still reads "started" rather than "ended": tix does not know when an event ends. */
const STILL_RUNNING_MS = 24 * 3_600_000;

/**
 * Times for people: the absolute date and time in the user's time zone (TZ, else the system's)
 * with the relative part, "Sun 15 Jun 2025 20:00 UTC · 1y 5mo ago"; shorter forms for narrow
 * columns. One Intl formatter, made once; each instant formatted once (tables ask for it
 * in several forms while they fit the terminal).
 */
export class TimeFormat {
  /** The IANA zone, for a column header: "UTC", "Europe/Berlin". */
  readonly zone: string;
  private readonly formatter: Intl.DateTimeFormat;
  private readonly cache = new Map<number, string[]>();

  constructor(
    readonly now: number,
    timeZone?: string,
  ) {
    this.formatter = new Intl.DateTimeFormat("en-GB", {
      weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23", timeZoneName: "short", timeZone,
    });
    this.zone = this.formatter.resolvedOptions().timeZone;
  }

  /** "Sun 15 Jun 2025 20:00 UTC · 1y 5mo ago" */
  full(iso: string): string {
    return `${this.parts(iso).join(" ")} · ${this.relative(iso)}`;
  }

  /** "Sun 15 Jun 2025 20:00 · 1y 5mo ago": the zone said once, in the column's header. */
  withoutZone(iso: string): string {
    return `${this.parts(iso).slice(0, 5).join(" ")} · ${this.relative(iso)}`;
  }

  /** "15 Jun 2025 20:00 · 1y 5mo ago" */
  dated(iso: string): string {
    return `${this.parts(iso).slice(1, 5).join(" ")} · ${this.relative(iso)}`;
  }

  /** "15 Jun 2025 20:00" */
  date(iso: string): string {
    return this.parts(iso).slice(1, 5).join(" ");
  }

  /** "15 Jun 2025", of an instant in milliseconds. */
  day(at: number): string {
    return this.parts(new Date(at).toISOString()).slice(1, 4).join(" ");
  }

  /** How far the user's zone is ahead of UTC at that instant, in milliseconds. */
  offsetAt(at: number): number {
    const [, day, month, year, time] = this.parts(new Date(at).toISOString());
    const [hour, minute] = time!.split(":").map(Number);
    const local = Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), hour, minute);
    return local - Math.floor(at / 60_000) * 60_000;
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

  /** [weekday, day, month, year, hh:mm, zone] */
  private parts(iso: string): string[] {
    const at = Date.parse(iso);
    let parts = this.cache.get(at);
    if (!parts) {
      // "Sun, 15 Jun 2025, 20:00 UTC" (en-GB, fixed): one format call is several times cheaper than formatToParts.
      // en-GB writes September "Sept": every month gets three letters.
      parts = this.formatter.format(at).replaceAll(",", "").replace("Sept", "Sep").split(" ");
      if (parts.length > 6) parts = [...parts.slice(0, 5), parts.slice(5).join(" ")];
      this.cache.set(at, parts);
    }
    return parts;
  }
}
