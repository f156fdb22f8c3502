import { invalidArgument } from "./errors.js";
import { given } from "./text.js";

/** Time is injected so that tests move it instead of sleeping. Epoch milliseconds throughout. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: for tests and simulations. */
export class ManualClock implements Clock {
  private current: number;

  constructor(start: number | string | Date = Date.UTC(2025, 0, 1)) {
    this.current = typeof start === "number" ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  advance(milliseconds: number): void {
    this.current += milliseconds;
  }

  set(time: number | string | Date): void {
    this.current = typeof time === "number" ? time : new Date(time).getTime();
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
