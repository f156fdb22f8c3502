import { checkClockShape, checkedClock, described, invalidArgument, systemClock, type Clock, type TixStore } from "../core/index.js";
import { openStore } from "../store/open-store.js";
import { checkedOpenOptions, type OpenTixOptions } from "./open-options.js";

export type { OpenTixOptions };

export { groupCommitDrivenBy, sqlitePathOf, type CommitTrigger, type GroupCommitOptions } from "../store/open-store.js";
import { EventUseCases } from "./events.js";
import { boundMethods } from "./methods.js";
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
 * `readClock`: the clock the use cases read (openTix's check of `clock`; left out, that check of
 * `clock`, as openTix makes it); `clock` is what tix.clock answers. A store or clock that is none
 * is INVALID_ARGUMENT here, not a TypeError at the first call.
 */
export function createTix(store: TixStore, clock: Clock = systemClock, readClock?: Clock): Tix {
  if (typeof (store as Partial<TixStore> | null | undefined)?.reserve !== "function") {
    throw invalidArgument("store", `createTix takes an opened TixStore (openTix opens one from a URL); got ${described(store)}`);
  }
  checkClockShape(clock);
  return tixOver(store, clock, readClock ?? (clock === systemClock ? clock : checkedClock(clock)));
}

function tixOver(store: TixStore, clock: Clock, readClock: Clock): Tix {
  return {
    events: boundMethods(new EventUseCases(store, readClock), store),
    tickets: boundMethods(new TicketUseCases(store), store),
    idempotency: boundMethods(new KeyUseCases(store), store),
    waitlist: boundMethods(new WaitlistUseCases(store), store),
    vouchers: boundMethods(new VoucherUseCases(store), store),
    log: boundMethods(new LogUseCases(store), store),
    store,
    clock,
    snapshot: async () => tixOver(await store.snapshot(), clock, readClock),
    close: () => store.close(),
  };
}
