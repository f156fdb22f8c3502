import type { Command } from "commander";
import { ManualClock, parseIsoTime, parseUserId, systemClock, type Clock } from "../core/index.js";
import { defaultStoreUrl, defaultUser } from "./environment.js";
import { openTix, type Tix } from "../app/open-tix.js";
import { canPrompt, colorEnabled, type CliIo } from "./io.js";
import { render } from "./output/render.js";
import { createStyle, type Style } from "./output/style.js";
import type { OutputMode } from "./output/table.js";
import { InquirerPrompter } from "./prompts/inquirer-prompter.js";
import type { Prompter } from "./prompts/prompter.js";
import type { CommandResult } from "./result.js";

/** The global options of one command line, resolved against the environment. */
export interface Globals {
  storeUrl: string;
  user: string;
  json: boolean;
  mode: OutputMode;
  style: Style;
  canPrompt: boolean;
}

interface RawGlobals {
  store?: string;
  user?: string;
  json?: boolean;
  color?: boolean;
  input?: boolean;
}

/**
 * What lives across command lines (a REPL or batch keeps one): the streams, the clock and the
 * open stores. Stores open lazily, so `--help` never touches one.
 */
export class CliContext {
  private readonly stores = new Map<string, Promise<Tix>>();

  readonly clock: Clock;
  /** Only a clock chosen on purpose (TIX_NOW, tests) is imposed on the store. */
  private readonly clockOverride: Clock | undefined;
  /** Asks for what a command line left out (only when `canPrompt`); tests may swap it. */
  prompter: Prompter;
  /** The last event and ticket ids printed: a session's `$event` and `$ticket`. */
  readonly lastIds: { event?: string; ticket?: string } = {};
  /** Set while a REPL or batch runs, so that a line cannot start another one inside it. */
  inSession = false;

  constructor(
    readonly io: CliIo,
    clock?: Clock,
  ) {
    this.clockOverride = clock ?? clockFromEnv(io.env);
    this.clock = this.clockOverride ?? systemClock;
    this.prompter = new InquirerPrompter(io);
  }

  globals(command: Command): Globals {
    const raw = command.optsWithGlobals<RawGlobals>();
    const json = raw.json === true;
    return {
      storeUrl: raw.store ?? defaultStoreUrl(this.io.env),
      user: parseUserId(raw.user ?? defaultUser(this.io.env)),
      json,
      mode: json ? "json" : this.io.stdout.isTTY ? "tty" : "plain",
      style: createStyle(!json && colorEnabled(this.io, raw.color)),
      canPrompt: canPrompt(this.io, raw.input === false, json),
    };
  }

  tix(storeUrl: string, options: { groupCommit?: boolean } = {}): Promise<Tix> {
    const cacheKey = options.groupCommit ? `${storeUrl}\u0000group` : storeUrl;
    let opened = this.stores.get(cacheKey);
    if (!opened) {
      const busy = Number(this.io.env.TIX_BUSY_TIMEOUT_MS);
      opened = openTix({
        store: storeUrl, clock: this.clockOverride, busyTimeoutMs: Number.isFinite(busy) && busy >= 0 ? busy : undefined, groupCommit: options.groupCommit,
        // tix makes its own home; the folder of a path given with --store or TIX_STORE must exist.
        createFolder: storeUrl === defaultStoreUrl({ ...this.io.env, TIX_STORE: undefined }),
      });
      // A store that failed to open is not cached: the next line may succeed.
      opened.catch(() => this.stores.delete(cacheKey));
      this.stores.set(cacheKey, opened);
    }
    return opened;
  }

  /** Runs one command: open the store, do the work, print the result. */
  async perform(command: Command, work: (tix: Tix, globals: Globals) => Promise<CommandResult>): Promise<void> {
    const globals = this.globals(command);
    const result = await work(await this.tix(globals.storeUrl), globals);
    const { stdout, note } = render(result, globals.mode, globals.style, this.clock.now());
    this.io.stdout.write(stdout);
    if (note && globals.mode === "tty") this.io.stderr.write(`${note}\n`);
    this.rememberIds(result);
  }

  /** Of a list, the last row printed is the one remembered. */
  private rememberIds(result: CommandResult): void {
    const event = result.type === "event" ? result.event : result.type === "events" ? result.events.at(-1) : undefined;
    const ticket = result.type === "ticket" ? result.ticket : result.type === "tickets" ? result.tickets.at(-1) : undefined;
    if (event) this.lastIds.event = event.id;
    if (ticket) this.lastIds.ticket = ticket.id;
  }

  async close(): Promise<void> {
    const stores = [...this.stores.values()];
    this.stores.clear();
    await Promise.allSettled(stores.map(async (opened) => (await opened).close()));
  }
}

/** `TIX_NOW=2025-06-01T12:00Z` pretends it is that instant: for tests and demos of hold expiry. */
function clockFromEnv(env: CliIo["env"]): Clock | undefined {
  return env.TIX_NOW ? new ManualClock(parseIsoTime(env.TIX_NOW, "TIX_NOW")) : undefined;
}
