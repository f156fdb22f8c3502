import { EXIT_INTERRUPTED } from "./exit-codes.js";

/**
 * Ctrl-C while a command runs. By default it ends tix (exit 130: every write is one transaction,
 * so the store stays consistent); work that can stop cleanly (an import before it writes) or must
 * survive (the REPL, with its memory store) listens instead, the latest listener first.
 */
export class Interrupts {
  private readonly listeners: Array<() => void> = [];

  /** While `work` runs, Ctrl-C calls `listener` instead of ending tix. */
  async during<T>(listener: () => void, work: () => Promise<T>): Promise<T> {
    this.listeners.push(listener);
    try {
      return await work();
    } finally {
      this.listeners.splice(this.listeners.lastIndexOf(listener), 1);
    }
  }

  /**
   * While `work` runs, the first Ctrl-C calls `listener` (which winds the work down); a second
   * one ends tix as usual, for a user who will not wait.
   */
  async onceDuring<T>(listener: () => void, work: () => Promise<T>): Promise<T> {
    const once = (): void => {
      this.listeners.splice(this.listeners.lastIndexOf(once), 1);
      this.listeners.push(endNow);
      listener();
    };
    const endNow = (): void => process.exit(EXIT_INTERRUPTED);
    this.listeners.push(once);
    try {
      return await work();
    } finally {
      for (const taken of [once, endNow]) {
        const at = this.listeners.lastIndexOf(taken);
        if (at >= 0) this.listeners.splice(at, 1);
      }
    }
  }

  /** Ctrl-C was pressed: true when a listener took it, false when tix should end. */
  interrupt(): boolean {
    const listener = this.listeners.at(-1);
    listener?.();
    return listener !== undefined;
  }
}

/** The process's one source of Ctrl-C (main.ts feeds it SIGINT). */
export const interrupts = new Interrupts();
