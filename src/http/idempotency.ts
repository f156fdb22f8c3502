import { KEY_RETENTION_MS, TixError, validateIdempotencyKey, type Clock } from "../core/index.js";
import { HttpError } from "./errors.js";

/**
 * The HTTP layer's share of the IETF Idempotency-Key draft. The engine binds reservation keys
 * durably (replay, or IDEMPOTENCY_KEY_REUSED); this adds what only a server sees:
 *
 * - in flight: a second request with a (user, key) whose first request has not been answered yet
 *   gets 409 IDEMPOTENCY_KEY_IN_USE instead of racing it. Over SQLite and memory the engine already
 *   serialises operations, so this only closes the window while a request is being read or waits
 *   on the store; it is per server process.
 * - purchase replay: a purchase sent with an Idempotency-Key remembers its successful answer (in
 *   this process, for the engine's key retention, at most `capacity` keys), so a retry gets the
 *   same answer again rather than ALREADY_PURCHASED. The same key on another ticket is
 *   IDEMPOTENCY_KEY_REUSED. Failures are not remembered: they may be retried.
 */
export class IdempotencyGuard {
  private readonly inFlight = new Set<string>();
  private readonly answers = new Map<string, { fingerprint: string; answer: unknown; at: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly capacity = 10_000,
  ) {}

  /** Runs `work` holding (user, key); a concurrent request with the same pair gets 409. */
  async exclusive<T>(userId: string, key: string, work: () => Promise<T>): Promise<T> {
    const slot = slotOf(userId, validateIdempotencyKey(key));
    if (this.inFlight.has(slot)) {
      throw new HttpError("IDEMPOTENCY_KEY_IN_USE", `a request with Idempotency-Key "${key}" is still being processed; retry when it has been answered`);
    }
    this.inFlight.add(slot);
    try {
      return await work();
    } finally {
      this.inFlight.delete(slot);
    }
  }

  /**
   * `work` answered once per (user, key, fingerprint): a retry gets the remembered answer with
   * `replayed: true`; the key with another fingerprint is IDEMPOTENCY_KEY_REUSED.
   */
  async remembered<T>(userId: string, key: string, fingerprint: string, work: () => Promise<T>): Promise<{ answer: T; replayed: boolean }> {
    return this.exclusive(userId, key, async () => {
      const slot = slotOf(userId, key);
      const now = this.clock.now();
      const known = this.answers.get(slot);
      if (known && now - known.at < KEY_RETENTION_MS) {
        if (known.fingerprint !== fingerprint) {
          throw new TixError("IDEMPOTENCY_KEY_REUSED", `Idempotency-Key "${key}" was already used for another request`);
        }
        return { answer: known.answer as T, replayed: true };
      }
      const answer = await work();
      this.answers.delete(slot);
      this.answers.set(slot, { fingerprint, answer, at: now });
      // Oldest first: a Map iterates in insertion order.
      for (const oldest of this.answers.keys()) {
        if (this.answers.size <= this.capacity) break;
        this.answers.delete(oldest);
      }
      return { answer, replayed: false };
    });
  }
}

function slotOf(userId: string, key: string): string {
  return JSON.stringify([userId, key]);
}
