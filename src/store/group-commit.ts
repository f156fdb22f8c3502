import type { Operation } from "./operations.js";
import type { Outcome } from "./runner.js";

export interface GroupCommitOptions {
  /** Most operations committed together. */
  maxBatch: number;
  /** Longest an operation waits for others to join its batch, in milliseconds. */
  maxWaitMs: number;
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
  ) {}

  add<T>(operation: Operation<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
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
    else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
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
