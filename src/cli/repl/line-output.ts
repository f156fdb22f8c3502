import type { CliIo } from "../io.js";
import type { CommandResult } from "../result.js";
import type { LineState, LineTarget, SessionState } from "./session-state.js";

/**
 * A batch line that runs while earlier lines still wait for their commit: what it prints and what
 * it tells the session are kept, then handed over in line order (`deliver`), so the output and
 * `$event`/`$ticket` are those of running the lines one after another.
 */
export class LineOutput implements LineTarget, LineState {
  readonly io: CliIo;
  private readonly written: Array<{ to: "stdout" | "stderr"; text: string }> = [];
  private readonly told: Array<(state: SessionState) => void> = [];

  constructor(
    readonly batchLine: number,
    real: CliIo,
  ) {
    const keep = (to: "stdout" | "stderr") => (text: string): boolean => {
      this.written.push({ to, text });
      return true;
    };
    this.io = {
      stdout: { write: keep("stdout"), isTTY: real.stdout.isTTY, columns: real.stdout.columns, rows: real.stdout.rows },
      stderr: { write: keep("stderr"), isTTY: real.stderr.isTTY },
      stdin: real.stdin,
      env: real.env,
    };
  }

  /** What the line tells the session is kept here too. */
  get state(): LineState {
    return this;
  }

  remember(result: CommandResult): void {
    this.told.push((state) => state.remember(result));
  }

  forget(command: string | undefined): void {
    this.told.push((state) => state.forget(command));
  }

  /** Prints what the line printed and tells the session what it would have been told. */
  deliver(io: CliIo, state: SessionState): void {
    state.beginLine(`line ${this.batchLine}`, this.batchLine);
    for (const tell of this.told) tell(state);
    for (const { to, text } of this.written) io[to].write(text);
  }
}
