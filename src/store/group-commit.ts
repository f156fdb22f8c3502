import type { Operation } from "./operations.js";
import type { Outcome } from "./runner.js";

export interface GroupCommitOptions {
  /** Most operations committed together. */
  maxBatch: number;
  /** Longest an operation waits for others to join its batch, in milliseconds. */
  maxWaitMs: number;
  /**
   * A caller that knows what comes next (a batch reading its lines): no timer, it is told each
   * operation queued and says when to commit. Reads then commit what is queued first, so that
   * nothing reads a state older than the operations queued before it.
   */
  trigger?: CommitTrigger | undefined;
}

/** What a group commit driven by its caller tells it, and what the caller may ask of it. */
export interface CommitTrigger {
  /** An operation joined the queue (its caller now waits for the commit). */
  queued(): void;
  /** The group's "commit what is queued now", handed over when the group is made. */
  attach(commitNow: () => void): void;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxBatch: 64, maxWaitMs: 2 };

interface Waiting {
  operation: Operation<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers operations that arrive together and commits them as one transaction (one sync to disk
 * for many): an operation waits at most `maxWaitMs` for company, a batch holds at most `maxBatch`,
 * and while one batch commits the next gathers. Each caller is answered only after its batch
 * committed, with its own result or error.
 */
export class GroupCommit {
  private readonly queue: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private committing: Promise<void> | undefined;

  constructor(
    private readonly commit: (operations: Array<Operation<unknown>>) => Promise<Array<Outcome<unknown>>>,
    private readonly options: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {
    // While a batch commits, what is queued goes as soon as it ends (see flush).
    options.trigger?.attach(() => {
      if (!this.committing) this.flush();
    });
  }

  /** Something is queued or committing: a read now must wait for it (see `trigger`). */
  get busy(): boolean {
    return this.queue.length > 0 || this.committing !== undefined;
  }

  add<T>(operation: Operation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
      this.options.trigger?.queued();
    });
  }

  /** Resolves once every operation added so far has been answered. */
  async drain(): Promise<void> {
    while (this.queue.length > 0 || this.committing) {
      if (!this.committing) this.flush();
      await this.committing;
    }
  }

  private schedule(): void {
    if (this.committing) return; // the batch after the current one starts when it ends
    if (this.queue.length >= this.options.maxBatch) this.flush();
    else if (!this.options.trigger) this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue.splice(0, this.options.maxBatch);
    if (batch.length === 0) return;
    this.committing = this.commitBatch(batch).finally(() => {
      this.committing = undefined;
      // Whoever arrived meanwhile has waited long enough.
      if (this.queue.length > 0) this.flush();
    });
  }

  private async commitBatch(batch: Waiting[]): Promise<void> {
    try {
      const outcomes = await this.commit(batch.map((waiting) => waiting.operation));
      batch.forEach((waiting, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) waiting.resolve(outcome.value);
        else waiting.reject(outcome.error);
      });
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    }
  }
}
