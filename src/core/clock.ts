import { invalidArgument } from "./errors.js";
import { given } from "./text.js";

/** Time is injected so that tests move it instead of sleeping. Epoch milliseconds throughout. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to: for tests and simulations. A start or time that is no
 * time (`new ManualClock("garbage")`, NaN, a fraction of a millisecond, beyond a Date) is
 * INVALID_ARGUMENT at once, where it made every later `now()` NaN.
 */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: number | string | Date = Date.UTC(2025, 0, 1)) {
    this.current = clockTime(start, "start");
  }

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    if (typeof milliseconds !== "number" || !Number.isSafeInteger(milliseconds)) {
      throw invalidArgument("milliseconds", `advance() takes whole milliseconds, got ${given(milliseconds)}`);
    }
    this.current = clockTime(this.current + milliseconds, "milliseconds");
  }

  set(time: number | string | Date): void {
    this.current = clockTime(time, "time");
  }
}

/** Whole milliseconds since 1970 within a Date's range, from a number, a Date or a time's text (as Date reads it). */
function clockTime(value: unknown, field: string): number {
  const time = typeof value === "string" ? new Date(value).getTime() : value instanceof Date ? value.getTime() : value;
  if (typeof time !== "number" || !Number.isSafeInteger(time) || Math.abs(time) > MAX_TIME) {
    throw invalidArgument(field, `must be a time: whole milliseconds since 1970, a Date or a time such as "2025-06-15T20:00Z", got ${value instanceof Date ? "an invalid Date" : given(value)}`);
  }
  return time;
}

/**
 * A clock a caller passes (openTix's `clock`, createTix's): anything without a now() method is
 * INVALID_ARGUMENT naming `clock` at once, not a TypeError at the first call that reads the time.
 */
export function checkClockShape(clock: unknown): asserts clock is Clock {
  if (typeof (clock as { now?: unknown } | null | undefined)?.now !== "function") {
    throw invalidArgument("clock", "must have a now() answering milliseconds since 1970, as systemClock and ManualClock do");
  }
}

/** The latest time a Date holds (±8.64e15 ms): beyond it, or not a whole number, no time can be written. */
const MAX_TIME = 8.64e15;

/**
 * A caller's clock (openTix({ clock })), each answer checked: a now() answering NaN, text or a
 * time no Date can hold would be written into the store (a log entry's time) and fail every later
 * read of it with a RangeError. INVALID_ARGUMENT instead, before the operation writes anything.
 */
export function checkedClock(clock: Clock): Clock {
  return {
    now: () => {
      const time: unknown = clock.now();
      if (typeof time !== "number" || !Number.isSafeInteger(time) || Math.abs(time) > MAX_TIME) {
        throw invalidArgument("clock", `now() must answer whole milliseconds since 1970, got ${given(time)}`);
      }
      return time;
    },
  };
}
