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
