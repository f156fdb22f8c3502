import type { CliIo } from "../io.js";
import type { CommandResult } from "../result.js";

/** The session variables: `$event`, `$ticket` and `$order` (the order of `$ticket`). */
export type SessionVariable = "event" | "ticket" | "order";
export const SESSION_VARIABLES: readonly SessionVariable[] = ["event", "ticket", "order"];

/**
 * What each command prints when it succeeds, so what a failed line would have set. A line that
 * failed before its command was known (a typo, an unknown option) could have set either.
 */
const PRINTS: Readonly<Record<string, readonly SessionVariable[]>> = {
  "event create": ["event"],
  "event update": ["event"],
  "event show": ["event"],
  "event list": ["event"],
  seed: ["event"],
  reserve: ["ticket", "order"],
  purchase: ["ticket", "order"],
  cancel: ["ticket", "order"],
  checkin: ["ticket", "order"],
  "ticket show": ["ticket", "order"],
  "ticket list": ["ticket", "order"],
  "waitlist join": ["ticket", "order"],
  transfer: ["ticket", "order"],
};

/** What a command prints, or any command of a group (`event`: every `event …`). */
function printedBy(command: string): readonly SessionVariable[] {
  const own = PRINTS[command];
  if (own) return own;
  const printed = new Set<SessionVariable>();
  for (const [path, names] of Object.entries(PRINTS)) if (path.startsWith(`${command} `)) for (const name of names) printed.add(name);
  return [...printed];
}

/**
 * How a line that printed nothing ended: it failed, or the person stopped it (Ctrl-C or Esc at a
 * prompt: interrupted; a "no" to a confirmation: declined). Named in `$event`'s refusal.
 */
export type LineEnding = "failed" | "interrupted" | "declined";

const ENDED: Readonly<Record<LineEnding, string>> = { failed: "failed", interrupted: "was interrupted", declined: "was not confirmed" };

/** What a running line tells its session: the session itself, or a batch line's record of it (line-output.ts). */
export interface LineState {
  /** The number of the batch line (errors start with `line N:`); undefined in the REPL. */
  readonly batchLine: number | undefined;
  remember(result: CommandResult): void;
  forget(command: string | undefined, ending?: LineEnding): void;
}

/** What a REPL or batch keeps from one line to the next (the factory keeps the open stores). */
export class SessionState implements LineState {
  /** The last event and ticket ids printed, and that ticket's order: `$event`, `$ticket`, `$order`. */
  readonly lastIds: Record<SessionVariable, string | undefined> = { event: undefined, ticket: undefined, order: undefined };
  /** Why a variable is unset: the line that would have set it failed (or was interrupted). */
  private readonly unsetBecause: Partial<Record<SessionVariable, string>> = {};
  /** How the line running now is named in messages: `line 3` in a batch, the line itself in the REPL. */
  private current = "the last line";
  /** The number of the batch line running now (errors start with `line N:`); undefined in the REPL. */
  batchLine: number | undefined;

  /** A line starts: in a batch by its number, in the REPL by what was typed. */
  beginLine(label: string, batchLine?: number): void {
    this.current = label;
    this.batchLine = batchLine;
  }

  /** Of a list, the last row printed is the one remembered. */
  remember(result: CommandResult): void {
    const event = result.type === "event" ? result.event : result.type === "events" ? result.events.at(-1) : undefined;
    const ticket = result.type === "ticket" ? result.ticket
      : result.type === "tickets" ? result.tickets.at(-1)
      // A join that found a place free printed the hold it gave: the next line pays for that one.
      : result.type === "waitlist-join" ? result.outcome.ticket ?? undefined
      : undefined;
    if (event) this.set("event", event.id);
    if (ticket) {
      this.set("ticket", ticket.id);
      // `purchase $order` pays for every ticket `reserve --quantity 3` held, not just `$ticket`.
      this.set("order", ticket.orderId);
    }
  }

  /**
   * The line failed (or was interrupted): what it would have printed is unset, so that a later line using it fails
   * instead of acting on an older id. `command` is its command path (`ticket show`), if known; a
   * group alone (`ticket`: its subcommand missing or misspelt) stands for any of its commands; ""
   * for a line that names no command (`tix` alone), which would have printed nothing.
   */
  forget(command: string | undefined, ending: LineEnding = "failed"): void {
    for (const name of command === undefined ? SESSION_VARIABLES : printedBy(command)) {
      // Once unset by a failure, the first failed line stays the one named: it is the cause.
      if (this.lastIds[name] === undefined && this.unsetBecause[name] !== undefined) continue;
      this.lastIds[name] = undefined;
      this.unsetBecause[name] = `${this.current} ${ENDED[ending]}, so no ${name} was printed`;
    }
  }

  /** Why `$name` has no value. */
  whyUnset(name: SessionVariable): string {
    return this.unsetBecause[name] ?? `no ${name} id has been printed in this session yet`;
  }

  private set(name: SessionVariable, id: string): void {
    this.lastIds[name] = id;
    delete this.unsetBecause[name];
  }
}

/** What the lines of a session run with. */
export interface Session {
  readonly io: CliIo;
  readonly state: SessionState;
  /** The session's own global options (`tix --store memory repl`); a line's own options override them. */
  readonly defaults: readonly string[];
  /** Stop at the first failed line (`--bail`), as sqlite3's -bail and psql's ON_ERROR_STOP. */
  readonly bail?: boolean | undefined;
  /**
   * Runs one command line in this session: the runner of run.ts, handed down so that no import
   * runs back up to it. With `line`, its output and what it tells the session go there instead.
   * `argv` is `defaults`, then the line's words.
   */
  run(argv: readonly string[], line?: LineTarget): Promise<number>;
}

/** Where a batch line that runs alongside others writes and records, until its turn comes. */
export interface LineTarget {
  readonly io: CliIo;
  readonly state: LineState;
}
