import { systemClock, type Clock, type TixStore } from "../core/index.js";
import { openStore, type GroupCommitOptions } from "../store/open-store.js";
import { checkedOpenOptions } from "./open-options.js";

export { groupCommitDrivenBy, type CommitTrigger, type GroupCommitOptions } from "../store/open-store.js";
import { EventUseCases } from "./events.js";
import { KeyUseCases } from "./keys.js";
import { TicketUseCases } from "./tickets.js";
import { LogUseCases } from "./log.js";
import { VoucherUseCases } from "./vouchers.js";
import { WaitlistUseCases } from "./waitlist.js";

export interface OpenTixOptions {
  /** `memory` (the default), `sqlite:<path>` or `postgres://…`. The CLI's file default is the CLI's. */
  store?: string | undefined;
  /** Defaults to the system clock (PostgreSQL: the server's); tests pass a ManualClock. */
  clock?: Clock | undefined;
  /** SQLite: wait this long for another process's lock before STORE_UNAVAILABLE (default 5000). */
  busyTimeoutMs?: number | undefined;
  /** Commit operations that arrive together as one transaction (servers, batches; see docs/performance.md). */
  groupCommit?: boolean | GroupCommitOptions | undefined;
  /** SQLite: create the file's missing folder. Off: a path whose folder is missing is STORE_UNAVAILABLE. */
  createFolder?: boolean | undefined;
}

export interface Tix {
  readonly events: EventUseCases;
  readonly tickets: TicketUseCases;
  readonly idempotency: KeyUseCases;
  readonly waitlist: WaitlistUseCases;
  readonly vouchers: VoucherUseCases;
  readonly log: LogUseCases;
  readonly store: TixStore;
  readonly clock: Clock;
  close(): Promise<void>;
}

/** Opens the engine over a store: `const tix = await openTix({ store: "memory" })`. */
export async function openTix(options: OpenTixOptions | string = {}): Promise<Tix> {
  const { store: url, ...storeOptions } = checkedOpenOptions(options);
  return createTix(await openStore(url ?? "memory", storeOptions), storeOptions.clock);
}

/** The engine over an already opened store (tests, and programs that bring their own adapter). */
export function createTix(store: TixStore, clock: Clock = systemClock): Tix {
  return {
    events: new EventUseCases(store, clock),
    tickets: new TicketUseCases(store),
    idempotency: new KeyUseCases(store),
    waitlist: new WaitlistUseCases(store),
    vouchers: new VoucherUseCases(store),
    log: new LogUseCases(store),
    store,
    clock,
    close: () => store.close(),
  };
}
