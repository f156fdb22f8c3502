import type { CommitTrigger } from "../../app/open-tix.js";
import { EXIT_INTERRUPTED, EXIT_OUTPUT_CLOSED } from "../exit-codes.js";
import { interrupts } from "../interrupts.js";
import { closedOutputLeavesWorkUndone, isProcessIo } from "../io.js";
import { CommitGate } from "./commit-gate.js";
import { baselineTiersFirst } from "./compiler-tiers.js";
import { runLine } from "./line.js";
import { LineSource } from "./line-source.js";
import { runPipelined } from "./pipeline.js";
import type { Session } from "./session-state.js";

/**
 * One command a line from a stdin that is not a terminal. Every line runs even after a failure
 * (each reports its own error, starting `line N:`) unless the session bails; the batch answers
 * the first failed line's exit code, 0 if none. When `groupCommits` turns grouping on (a store on
 * disk or a server, not memory) the writes of lines read together share a commit (pipeline.ts); `--bail` runs strictly one line
 * after another, so nothing after the failed line is ever started. Ctrl-C ends the batch after the
 * lines already started (their writes may be committed) are answered, with exit 130; a second
 * Ctrl-C ends it at once.
 */
export async function runBatch(session: Session, groupCommits?: (trigger: CommitTrigger) => boolean): Promise<number> {
  // Only the process's own batch (see compiler-tiers.ts): a test running a batch in its own
  // process keeps its compiler.
  const source = new LineSource(session.io.stdin, isProcessIo(session.io) ? baselineTiersFirst() : undefined);
  closedOutputLeavesWorkUndone();
  let interrupted = false;
  try {
    const gate = new CommitGate();
    const exitCode = await interrupts.onceDuring(() => {
      interrupted = true;
      source.stop();
    }, () => (groupCommits && !session.bail && groupCommits(gate) ? runPipelined(source, session, gate) : runInTurn(source, session)));
    return interrupted ? EXIT_INTERRUPTED : exitCode;
  } finally {
    source.close();
  }
}

/** Each line once the one before it has been answered. */
async function runInTurn(source: LineSource, session: Session): Promise<number> {
  let firstFailure = 0;
  for (let number = 1; ; number += 1) {
    const line = await source.next();
    if (line === undefined) return firstFailure;
    // Nobody would see what the line did: it is not carried out.
    if (session.io.stdout.readerGone?.() === true) return EXIT_OUTPUT_CLOSED;
    session.state.beginLine(`line ${number}`, number);
    const outcome = await runLine(line, session, source.lastNotUtf8);
    if (outcome.kind === "leave") return firstFailure;
    if (outcome.kind === "ran" && outcome.exitCode !== 0) {
      if (firstFailure === 0) firstFailure = outcome.exitCode;
      // Ctrl-C stopped the line (an import): it stops the batch too.
      if (outcome.exitCode === EXIT_INTERRUPTED) return EXIT_INTERRUPTED;
      if (session.bail) return firstFailure;
    }
  }
}
