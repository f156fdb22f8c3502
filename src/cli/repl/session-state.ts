import type { CliIo } from "../io.js";
import type { CommandResult } from "../result.js";

/** What a REPL or batch keeps from one line to the next (the factory keeps the open stores). */
export class SessionState {
  /** The last event and ticket ids printed: the session's `$event` and `$ticket`. */
  readonly lastIds: { event?: string; ticket?: string } = {};

  /** Of a list, the last row printed is the one remembered. */
  remember(result: CommandResult): void {
    const event = result.type === "event" ? result.event : result.type === "events" ? result.events.at(-1) : undefined;
    const ticket = result.type === "ticket" ? result.ticket : result.type === "tickets" ? result.tickets.at(-1) : undefined;
    if (event) this.lastIds.event = event.id;
    if (ticket) this.lastIds.ticket = ticket.id;
  }
}

/** What the lines of a session run with. */
export interface Session {
  readonly io: CliIo;
  readonly state: SessionState;
  /** The session's own global options (`tix --store memory repl`); a line's own options override them. */
  readonly defaults: readonly string[];
  /** Runs one command line in this session: the runner of run.ts, handed down so that no import runs back up to it. */
  run(argv: readonly string[]): Promise<number>;
}
