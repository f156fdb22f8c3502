import type { Command } from "commander";
import type { Tix } from "../app/open-tix.js";
import type { Factory } from "./factory.js";
import { resolveGlobals, type Globals } from "./globals.js";
import type { LineTarget, LineState } from "./repl/session-state.js";
import type { CommandResult } from "./result.js";

/** What a command hands back to the runner (run.ts): a result to render, a script, or a session to start. */
export type Reply =
  | { type: "result"; result: CommandResult; globals: Globals }
  /** Text for another program (a completion script, ids for one): printed as it is, even under --json. */
  | { type: "script"; text: string }
  | { type: "session"; globals: Globals; defaults: string[]; bail: boolean };

/**
 * What the commands of one command line are built with: the factory's lazy I/O, the session the
 * line belongs to (if any), and the slot for the command's reply. Commands never print: the runner
 * hands their result to the renderer.
 */
export class CommandContext {
  reply: Reply | undefined;
  /** The command that is running (`ticket show`), once the line has parsed that far. */
  commandPath: string | undefined;

  /** The session's own factory and state, for lines that write straight to them. */
  private readonly own: { f: Factory; session: LineState | undefined };

  constructor(
    public f: Factory,
    /** Set when this command line is a line of a REPL or batch. */
    public session: LineState | undefined,
  ) {
    this.own = { f, session };
  }

  /**
   * A session runs its next line with this context (and its command tree) again: nothing of the
   * last line stays. A batch line that runs alongside others (`target`) prints and records there.
   */
  startLine(target?: LineTarget): void {
    this.reply = undefined;
    this.commandPath = undefined;
    this.f = target ? this.own.f.writingTo(target.io) : this.own.f;
    this.session = target ? target.state : this.own.session;
  }

  globals(command: Command): Globals {
    return resolveGlobals(command, this.f.io);
  }

  /** The shape of every command over the store: its global options, the store, then its work. */
  async perform(command: Command, work: (tix: Tix, globals: Globals) => Promise<CommandResult>): Promise<void> {
    const globals = this.globals(command);
    this.show(await work(await this.f.tix(globals.storeUrl), globals), globals);
  }

  show(result: CommandResult, globals: Globals): void {
    this.reply = { type: "result", result, globals };
  }

  showScript(text: string): void {
    this.reply = { type: "script", text };
  }

  startSession(globals: Globals, defaults: string[], bail: boolean): void {
    this.reply = { type: "session", globals, defaults, bail };
  }
}
