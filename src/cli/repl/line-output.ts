import type { CliIo } from "../io.js";
import type { CommandResult } from "../result.js";
import type { LineEnding, LineState, LineTarget, SessionState } from "./session-state.js";

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
      stderr: { write: keep("stderr"), isTTY: real.stderr.isTTY, columns: real.stderr.columns },
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

  forget(command: string | undefined, ending?: LineEnding): void {
    this.told.push((state) => state.forget(command, ending));
  }

  /** Prints what the line printed (to `out`) and tells the session what it would have been told. */
  deliver(out: JoinedWrites, state: SessionState): void {
    state.beginLine(`line ${this.batchLine}`, this.batchLine);
    for (const tell of this.told) tell(state);
    for (const { to, text } of this.written) out.write(to, text);
  }
}

/**
 * What lines answered together print, joined: each run of text to one stream goes out in one
 * write when `flush` is called (or the other stream is written) — the same bytes in the same
 * order, a system call per group of lines instead of one a line.
 */
export class JoinedWrites {
  private to: "stdout" | "stderr" = "stdout";
  private text = "";

  constructor(private readonly io: CliIo) {}

  write(to: "stdout" | "stderr", text: string): void {
    if (to !== this.to) this.flush();
    this.to = to;
    this.text += text;
  }

  flush(): void {
    if (this.text !== "") this.io[this.to].write(this.text);
    this.text = "";
  }
}
