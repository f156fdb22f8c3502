import { validateHeaderIdempotencyKey, validateIdempotencyKey } from "../core/index.js";
import { HttpError } from "./errors.js";

/**
 * The HTTP layer's share of the IETF Idempotency-Key draft. The engine binds keys durably — for
 * reservations and purchases alike: replay, or IDEMPOTENCY_KEY_REUSED — in the store, so that
 * holds across restarts and across servers. This adds what only a server sees: a second request
 * with a (user, key) whose first request has not been answered yet gets 409
 * IDEMPOTENCY_KEY_IN_USE instead of racing it. The engine serialises operations anyway; this
 * closes the window while a request is being read or waits on the store. It is per process.
 */
/**
 * The key a request sent: the draft's header is a Structured Field string (RFC 8941,
 * `Idempotency-Key: "8e03978e…"`), which is unquoted (`\"` and `\\` unescaped); a bare token,
 * as the seed's clients send, is taken as it is. Either way one key is one key: `"r1"` and `r1`
 * replay each other. The key is printable ASCII (validateHeaderIdempotencyKey): 400 otherwise.
 */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const quoted = /^"((?:[^"\\]|\\["\\])*)"$/.exec(header);
  // Checked as a header carries a key (printable ASCII), whatever the route does with it next.
  return validateHeaderIdempotencyKey(quoted ? quoted[1]!.replace(/\\(["\\])/g, "$1") : header);
}

export class IdempotencyGuard {
  private readonly inFlight = new Set<string>();

  /** Runs `work` holding (user, key); a concurrent request with the same pair gets 409. */
  async exclusive<T>(userId: string, key: string, work: () => Promise<T>): Promise<T> {
    // A user id never holds a NUL (parseUserId), so the pair is one string without ambiguity.
    const slot = `${userId}\u0000${validateIdempotencyKey(key)}`;
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
}
