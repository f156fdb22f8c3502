import type { CommitTrigger } from "../../app/open-tix.js";

/**
 * The batch's side of its stores' group commits: it learns when a line's write has been queued
 * (so the next line may start), and says when to commit. While a line runs alone (`gathering`
 * off), whatever it queues is committed at once, as if there were no group.
 */
export class CommitGate implements CommitTrigger {
  gathering = true;
  private readonly commits: Array<() => void> = [];
  private waiting: (() => void) | undefined;

  attach(commitNow: () => void): void {
    this.commits.push(commitNow);
  }

  queued(): void {
    if (!this.gathering) this.commitNow();
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }

  /** Commits what every store has queued (a store already committing sends it when that ends). */
  commitNow(): void {
    for (const commit of this.commits) commit();
  }

  /** Resolves at the next write queued. */
  nextQueued(): Promise<void> {
    return new Promise((resolve) => (this.waiting = resolve));
  }
}
