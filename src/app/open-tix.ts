import { checkedClock, systemClock, type Clock, type TixStore } from "../core/index.js";
import { openStore } from "../store/open-store.js";
import { checkedOpenOptions, type OpenTixOptions } from "./open-options.js";

export type { OpenTixOptions };

export { groupCommitDrivenBy, type CommitTrigger, type GroupCommitOptions } from "../store/open-store.js";
import { EventUseCases } from "./events.js";
import { KeyUseCases } from "./keys.js";
import { TicketUseCases } from "./tickets.js";
import { LogUseCases } from "./log.js";
import { VoucherUseCases } from "./vouchers.js";
import { WaitlistUseCases } from "./waitlist.js";


export interface Tix {
  readonly events: EventUseCases;
  readonly tickets: TicketUseCases;
  readonly idempotency: KeyUseCases;
  readonly waitlist: WaitlistUseCases;
  readonly vouchers: VoucherUseCases;
  readonly log: LogUseCases;
  /** The store the engine runs over (`description` names it). Writing through it skips every check the use cases make. */
  readonly store: TixStore;
  /** Where "now" comes from (the system clock unless openTix was given one). */
  readonly clock: Clock;
  /**
   * The engine over a snapshot of the store (TixStore.snapshot): its reads — pages of a long list
   * above all — all see one state, the one at its first read, whatever commits meanwhile (a write
   * between snapshot() and that read is seen); it takes no write. Its
   * `close()` ends the snapshot (not the store): close it when done, after a failed read too.
   */
  snapshot(): Promise<Tix>;
  close(): Promise<void>;
}

/** Opens the engine over a store: `const tix = await openTix({ store: "memory" })`. */
export async function openTix(options: OpenTixOptions | string = {}): Promise<Tix> {
  const { store: url, clock, ...storeOptions } = checkedOpenOptions(options);
  // The engine reads a caller's clock through a check of each answer; tix.clock stays the caller's (a ManualClock to advance).
  const checked = clock === undefined ? undefined : checkedClock(clock);
  return createTix(await openStore(url ?? "memory", { ...storeOptions, clock: checked }), clock, checked);
}

/**
 * The engine over an already opened store (tests, and programs that bring their own adapter).
 * `readClock`: the clock the use cases read (openTix's check of `clock`); `clock` is what tix.clock answers.
 */
export function createTix(store: TixStore, clock: Clock = systemClock, readClock: Clock = clock): Tix {
  return {
    events: new EventUseCases(store, readClock),
    tickets: new TicketUseCases(store),
    idempotency: new KeyUseCases(store),
    waitlist: new WaitlistUseCases(store),
    vouchers: new VoucherUseCases(store),
    log: new LogUseCases(store),
    store,
    clock,
    snapshot: async () => createTix(await store.snapshot(), clock, readClock),
    close: () => store.close(),
  };
}
