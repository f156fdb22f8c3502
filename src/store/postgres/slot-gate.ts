/**
 * How many transactions of this process hold a connection at once, capped for a while once the
 * server refused a new connection for want of a slot (53300: its max_connections, or a role's or
 * database's CONNECTION LIMIT, below the pool's size). Under the cap a transaction waits in line,
 * first come first served, for one of the connections this process has to be given back — where
 * each asking the server again after a pause let the newest win over those waiting longest, and
 * under load some waited out their whole busy timeout (503) while the store worked.
 *
 * The cap lifts `CAP_MS` after the last refusal, so the pool grows again once slots free up
 * elsewhere (one refused connection attempt then, at most, per lift).
 */
export class SlotGate {
  private held = 0;
  private cap: number | undefined;
  private capUntil = 0;
  private readonly line: Array<() => void> = [];

  constructor(private readonly capMs = CAP_MS) {}

  /** Takes a place; false when `deadline` passed first. Give it back with `leave()`. */
  enter(deadline: number): Promise<boolean> {
    if (this.line.length === 0 && this.hasRoom()) {
      this.held++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const admit = (): void => {
        clearTimeout(timer);
        this.held++;
        resolve(true);
      };
      const timer = setTimeout(() => {
        const at = this.line.indexOf(admit);
        if (at >= 0) this.line.splice(at, 1);
        resolve(false);
      }, Math.max(0, deadline - Date.now()));
      this.line.push(admit);
    });
  }

  /** Gives a place back, to the first in line when there is room. */
  leave(): void {
    this.held = Math.max(0, this.held - 1);
    this.admitWaiting();
  }

  /**
   * The server refused the caller, which holds a place, a new connection: no more places than
   * the connections the others hold (at least one). The caller's place goes back; it answers how
   * many the others hold — none means other processes have the slots, and waiting in line alone
   * would not free one.
   */
  refused(): number {
    const others = Math.max(0, this.held - 1);
    this.cap = Math.max(1, others);
    this.capUntil = Date.now() + this.capMs;
    this.held = others;
    return others;
  }

  private hasRoom(): boolean {
    if (this.cap !== undefined && Date.now() >= this.capUntil) this.cap = undefined;
    return this.cap === undefined || this.held < this.cap;
  }

  private admitWaiting(): void {
    while (this.line.length > 0 && this.hasRoom()) this.line.shift()!();
  }
}

/** How long a cap stands after the last refusal. */
const CAP_MS = 2_000;
