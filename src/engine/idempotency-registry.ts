import { parseUserId, toIso, toTicketView, validateIdempotencyKey, type Clock, type TicketView } from "../core/index.js";
import type { TixStore } from "../store/port.js";

export interface KeyBinding {
  userId: string;
  key: string;
  ticket: TicketView;
  boundAt: string;
}

/** Read access to idempotency keys; binding happens only through a successful reservation. */
export class IdempotencyRegistry {
  constructor(
    private readonly store: TixStore,
    private readonly clock: Clock,
  ) {}

  /** The ticket a user's key reserved, while the key is retained; another user's key is never visible. */
  async lookup(userId: string, key: string): Promise<KeyBinding | undefined> {
    const found = await this.store.findKey(parseUserId(userId), validateIdempotencyKey(key));
    if (!found) return undefined;
    return {
      userId: found.record.userId,
      key: found.record.key,
      ticket: toTicketView(found.ticket, this.clock.now()),
      boundAt: toIso(found.record.createdAt),
    };
  }
}
