import { systemClock, type Clock } from "../core/index.js";
import { openStore } from "../store/open-store.js";
import type { TixStore } from "../store/port.js";
import { defaultStoreUrl } from "./config.js";
import { EventService } from "./event-service.js";
import { IdempotencyRegistry } from "./idempotency-registry.js";
import { TicketEngine } from "./ticket-engine.js";
import { AuditLog } from "./audit-log.js";
import { WaitlistService } from "./waitlist-service.js";

export interface OpenTixOptions {
  /** `memory`, `sqlite:<path>` or `postgres://…`; default `$TIX_STORE`, else `sqlite:$TIX_HOME/tix.db`. */
  store?: string | undefined;
  /** Defaults to the system clock (PostgreSQL: the server's); tests pass a ManualClock. */
  clock?: Clock | undefined;
  /** SQLite: wait this long for another process's lock before STORE_UNAVAILABLE (default 5000). */
  busyTimeoutMs?: number | undefined;
}

export interface Tix {
  readonly events: EventService;
  readonly tickets: TicketEngine;
  readonly idempotency: IdempotencyRegistry;
  readonly waitlist: WaitlistService;
  readonly log: AuditLog;
  readonly store: TixStore;
  readonly clock: Clock;
  close(): Promise<void>;
}

/** Opens the engine over a store: `const tix = await openTix({ store: "memory" })`. */
export async function openTix(options: OpenTixOptions | string = {}): Promise<Tix> {
  const { store: url, clock, busyTimeoutMs } = typeof options === "string" ? { store: options } : options;
  return createTix(await openStore(url ?? defaultStoreUrl(), { clock, busyTimeoutMs }), clock);
}

/** The engine over an already opened store (tests, and programs that bring their own adapter). */
export function createTix(store: TixStore, clock: Clock = systemClock): Tix {
  return {
    events: new EventService(store),
    tickets: new TicketEngine(store),
    idempotency: new IdempotencyRegistry(store),
    waitlist: new WaitlistService(store),
    log: new AuditLog(store),
    store,
    clock,
    close: () => store.close(),
  };
}
