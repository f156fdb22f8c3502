import type { Command } from "commander";
import type { Tix } from "../app/open-tix.js";
import { ColorSwitches } from "./color-switches.js";
import type { Factory } from "./factory.js";
import { invalidArgument } from "../core/index.js";
import { resolveRawGlobals, type Globals, type RawGlobals } from "./globals.js";
import type { LineTarget, LineState } from "./repl/session-state.js";
import type { CommandResult } from "./result.js";

/** What a command hands back to the runner (run.ts): a result to render, a script, or a session to start. */
export type Reply =
  | { type: "result"; result: CommandResult; globals: Globals }
  /**
   * Text for another program (a completion script, ids for one): printed as it is, or under --json
   * as `{"status":"success",[jsonKey]: text}` when the command names a key (the ids a completion
   * script reads are always lines).
   */
  | { type: "script"; text: string; jsonKey?: string | undefined }
  | { type: "session"; globals: Globals; defaults: string[]; bail: boolean };

const NONE: ReadonlySet<string> = new Set();

/**
 * What one command line's command works with: the factory's lazy I/O, the session the line
 * belongs to (if any), and the slot for the command's reply. Commands never print: the runner
 * hands their result to the renderer.
 */
export class LineContext {
  reply: Reply | undefined;
  /** The command that is running (`ticket show`), once the line has parsed that far. */
  commandPath: string | undefined;
  /** The line asks for --json: what commander itself prints (help, version) is JSON too. */
  json = false;
  /** Under --json, the help (or version) commander printed, to be answered as one JSON document. */
  helpText: string | undefined;
  /**
   * The help commander printed, laid out, kept until it has all been written (in parts) when it
   * may go through `pager`: on the process's own terminal, outside a session (run.ts).
   */
  heldHelp: { text: string; pager: string[] } | undefined;
  /**
   * The options a session's own global options give every line of it, in front of the line's
   * words (sessionGlobalsIn): the value options (`store`, `user`), which the line may give once
   * more, to override them (refuseRepeats), and `color`, which the line's own switch overrides.
   */
  sessionOptions: ReadonlySet<string> = NONE;
  private overridden: Set<string> | undefined;
  private colorSwitches: ColorSwitches | undefined;

  constructor(
    readonly f: Factory,
    /** Set when this command line is a line of a REPL or batch. */
    readonly session: LineState | undefined,
  ) {}

  /** Whether a value option given again on this line overrides the session's (once each), rather than repeating the line's own. */
  overridesSession(name: string): boolean {
    if (!this.sessionOptions.has(name) || this.overridden?.has(name) === true) return false;
    (this.overridden ??= new Set()).add(name);
    return true;
  }

  /**
   * What colour is left at once `--color` (true) or `--no-color` (false) has been parsed: the
   * line's own `--no-color` wins whatever the order, as the guide says (commander keeps the last
   * given); a line's switch overrides the session's own (the first parsed, when it gave one).
   */
  colorGiven(value: boolean): boolean {
    return (this.colorSwitches ??= new ColorSwitches(this.sessionOptions.has("color"))).given(value);
  }

  globals(command: Command): Globals {
    return this.globalsOf(command.optsWithGlobals<RawGlobals>());
  }

  /** The global options as parsed (`optsWithGlobals()`, or a plain line's reading of them), resolved. */
  globalsOf(raw: RawGlobals): Globals {
    // --bail is the whole batch's (`tix --bail < script`): on one of its lines it would do nothing.
    if (this.session !== undefined && raw.bail === true) {
      throw invalidArgument("--bail", "is for the whole batch: give it when starting tix (tix --bail < script), not on a line");
    }
    return resolveRawGlobals(raw, this.f.io);
  }

  /** The shape of every command over the store: its global options, the store, then its work. */
  perform(command: Command, work: (tix: Tix, globals: Globals) => Promise<CommandResult>): Promise<void> {
    return this.performWith(command.optsWithGlobals<RawGlobals>(), work);
  }

  /** perform, given the options as parsed. */
  async performWith(raw: RawGlobals, work: (tix: Tix, globals: Globals) => Promise<CommandResult>): Promise<void> {
    const globals = this.globalsOf(raw);
    this.show(await work(await this.f.tix(globals.storeUrl), globals), globals);
  }

  show(result: CommandResult, globals: Globals): void {
    this.reply = { type: "result", result, globals };
  }

  showScript(text: string, jsonKey?: string): void {
    this.reply = { type: "script", text, jsonKey };
  }

  startSession(globals: Globals, defaults: string[], bail: boolean): void {
    this.reply = { type: "session", globals, defaults, bail };
  }
}

/**
 * What a command tree is built with. A session parses many lines with one tree, and a batch line
 * may still be waiting for its commit while the tree parses the next: so nothing of a line lives
 * here. Each line gets its own LineContext (`startLine`), which its command's action takes when it
 * starts — commander runs an action synchronously up to its first await, before any other line
 * can start — and uses alone from then on.
 */
export class CommandContext {
  /** The line being parsed now; the tree's own until a line starts (help text built without one). */
  private current: LineContext;

  constructor(
    private readonly f: Factory,
    private readonly session: LineState | undefined,
  ) {
    this.current = new LineContext(f, session);
  }

  /** A line starts: it gets a context of its own. A batch line that runs alongside others (`target`) prints and records there. */
  startLine(target?: LineTarget): LineContext {
    this.current = target ? new LineContext(this.f.writingTo(target.io), target.state) : new LineContext(this.f, this.session);
    return this.current;
  }

  /** The line being parsed: only for what runs while it parses (hooks, help), never after an await. */
  get parsing(): LineContext {
    return this.current;
  }

  /** A command's action, handed the context of the line it runs for (taken before the action's first await). */
  action<Args extends unknown[]>(handler: (line: LineContext, ...args: Args) => void | Promise<void>): (...args: Args) => void | Promise<void> {
    return (...args) => handler(this.current, ...args);
  }
}
