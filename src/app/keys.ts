import { parseUserId, toIso, toTicketView, validateIdempotencyKey, type TicketView } from "../core/index.js";
import type { TixStore } from "../core/index.js";
import { requestObject } from "./request.js";

export interface KeyBinding {
  userId: string;
  key: string;
  /** The order's first ticket. */
  ticket: TicketView;
  tickets: TicketView[];
  orderId: string;
  boundAt: string;
}

/** Read access to idempotency keys; binding happens only through a successful reservation. */
export class KeyUseCases {
  /** Held in a private field: a program sees only the methods (`tix.idempotency.store` is not there to write through). */
  readonly #store: TixStore;

  constructor(store: TixStore) {
    this.#store = store;
  }

  /** The order a user's key reserved, while the key is retained; another user's key is never visible. */
  async lookup(request: { userId: string; key: string }): Promise<KeyBinding | undefined> {
    requestObject(request, "idempotency.lookup", "{ userId, key }", ["userId", "key"]);
    const found = await this.#store.findKey(parseUserId(request.userId, "userId"), validateIdempotencyKey(request.key));
    if (!found) return undefined;
    const tickets = found.tickets.map(toTicketView);
    return {
      userId: found.record.userId,
      key: found.record.key,
      ticket: tickets[0]!,
      tickets,
      orderId: found.record.orderId,
      boundAt: toIso(found.record.createdAt),
    };
  }
}
