import { ManualClock, TixError, invalidArgument, parseIsoTime, systemClock, type Clock } from "../core/index.js";
import { openTix, type GroupCommitOptions, type OpenTixOptions, type Tix } from "../app/open-tix.js";

import { busyTimeoutFromEnv, defaultStoreUrl } from "./environment.js";
import type { CliIo } from "./io.js";
import { UNICODE_MARKS, type Style } from "./output/style.js";
import { InquirerPrompter } from "./prompts/inquirer-prompter.js";
import type { Prompter } from "./prompts/prompter.js";

/** What tests (or another front end) may put in place of the real thing. */
export interface FactoryOptions {
  clock?: Clock | undefined;
  prompter?: Prompter | undefined;
  /** Opens the use cases over a store URL; tests pass fakes to check what a command asks of them. */
  openTix?: ((options: OpenTixOptions) => Promise<Tix>) | undefined;
}

/**
 * The I/O a command may use, each made only when first asked for (as gh's cmdutil.Factory): the
 * streams, the clock, the stores and the prompter. `--help` never opens a store; a script never
 * loads the prompter. One factory lives as long as the process, or a REPL over it.
 */
export class Factory {
  readonly clock: Clock;
  /** Only a clock chosen on purpose (TIX_NOW, tests) is imposed on the store. */
  private readonly clockOverride: Clock | undefined;
  private readonly open: (options: OpenTixOptions) => Promise<Tix>;
  private readonly stores = new Map<string, Promise<Tix>>();
  /** A prompter given by the caller (tests, a program): asked whatever the colour. */
  private readonly givenAsker: Prompter | undefined;
  private asker: Prompter | undefined;
  /**
   * The prompters for other styles, by colour and marks: without colour (--no-color: inquirer's own
   * colour reads only NO_COLOR and FORCE_COLOR), and with ASCII marks (a locale that is not UTF-8).
   */
  private readonly styledAskers = new Map<string, Prompter>();
  /** A batch over a pipe commits its lines' writes together: every store it opens groups them so. */
  private grouping: GroupCommitOptions | undefined;

  constructor(
    readonly io: CliIo,
    options: FactoryOptions = {},
  ) {
    this.clockOverride = options.clock ?? clockFromEnv(io.env);
    this.clock = this.clockOverride ?? systemClock;
    this.givenAsker = options.prompter;
    this.asker = options.prompter;
    this.open = options.openTix ?? openTix;
  }

  /** Asks for what a command line left out (commands ask only when `globals.canPrompt`). */
  get prompter(): Prompter {
    return (this.asker ??= new InquirerPrompter(this.io));
  }

  /**
   * The prompter for a line, in its style: without colour when the line's colour is off
   * (`globals.style.enabled`), with its marks (ASCII on a terminal whose locale is not UTF-8).
   */
  prompterFor(style: Style): Prompter {
    if (this.givenAsker !== undefined) return this.givenAsker;
    const ascii = style.marks !== UNICODE_MARKS;
    if (style.enabled && !ascii) return this.prompter;
    const key = `${style.enabled}/${ascii}`;
    let asker = this.styledAskers.get(key);
    if (asker === undefined) this.styledAskers.set(key, (asker = new InquirerPrompter(this.io, style.enabled, style.marks)));
    return asker;
  }

  /** From now on, stores open with this group commit (a batch's lines: see repl/pipeline.ts). */
  groupCommitsFor(options: GroupCommitOptions): void {
    this.grouping = options;
  }

  /** The same stores, clock and prompter, writing to other streams (a batch line whose output waits its turn). */
  writingTo(io: CliIo): Factory {
    const view = Object.create(this) as Factory;
    Object.defineProperty(view, "io", { value: io });
    return view;
  }

  /** The use cases over the store at `storeUrl`, opened on first use and kept open until `close`. */
  tix(storeUrl: string, options: { groupCommit?: boolean } = {}): Promise<Tix> {
    const groupCommit = options.groupCommit ?? this.grouping;
    const cacheKey = groupCommit ? `${storeUrl}\u0000group` : storeUrl;
    let opened = this.stores.get(cacheKey);
    if (!opened) {
      opened = (async () => this.open({
        store: storeUrl, clock: this.clockOverride, busyTimeoutMs: busyTimeoutFromEnv(this.io.env), groupCommit,
        // tix makes its own home; the folder of a path given with --store or TIX_STORE must exist.
        createFolder: isOwnHomeStore(storeUrl, this.io.env),
      }))().catch((error: unknown) => {
        throw namingTixStore(error, storeUrl, this.io.env);
      });
      // A store that failed to open is not cached: the next line may succeed.
      opened.catch(() => this.stores.delete(cacheKey));
      this.stores.set(cacheKey, opened);
    }
    return opened;
  }

  /**
   * Whether a memory store this process opened was written to (its log has an entry: every write
   * logs one, and a memory store starts empty): what it holds ends with the process.
   */
  async memoryStoreWritten(): Promise<boolean> {
    for (const [url, opened] of this.stores) {
      // Only a store opened as memory (`memory`, `memory:`) is asked: a file or server store is not read once more.
      if (!url.startsWith("memory")) continue;
      const tix = await opened.catch(() => undefined);
      if (tix?.store?.description !== "memory") continue;
      if ((await tix.log.page({ limit: 1 })).entries.length > 0) return true;
    }
    return false;
  }

  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    await Promise.allSettled(stores.map(async (opened) => (await opened).close()));
  }
}

/**
 * A store URL refused as written that is TIX_STORE's says so (`TIX_STORE: "bogus" is not a store
 * URL…`), as TIX_NOW's and TIX_BUSY_TIMEOUT_MS's do: a script that set it long ago read `store:`
 * and looked for a --store it never gave.
 */
function namingTixStore(error: unknown, storeUrl: string, env: CliIo["env"]): unknown {
  if (!(error instanceof TixError) || error.code !== "INVALID_ARGUMENT" || error.field !== "store" || storeUrl !== env.TIX_STORE) return error;
  return invalidArgument("TIX_STORE", error.detail);
}

/** Whether `storeUrl` is the default store in tix's own home (a TIX_HOME tix refuses has none: --store names another). */
function isOwnHomeStore(storeUrl: string, env: CliIo["env"]): boolean {
  try {
    return storeUrl === defaultStoreUrl({ ...env, TIX_STORE: undefined });
  } catch {
    return false;
  }
}

/** `TIX_NOW=2025-06-01T12:00Z` pretends it is that instant: for tests and demos of hold expiry. */
function clockFromEnv(env: CliIo["env"]): Clock | undefined {
  return env.TIX_NOW ? new ManualClock(parseIsoTime(env.TIX_NOW, "TIX_NOW")) : undefined;
}
