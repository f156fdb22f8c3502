import { createInterface } from "node:readline";
import { EXIT_INTERRUPTED } from "../exit-codes.js";
import { runLine } from "./line.js";
import type { Session } from "./session-state.js";

/**
 * One command a line from a stdin that is not a terminal. Every line runs even after a failure
 * (each reports its own error, starting `line N:`) unless the session bails; the batch answers
 * the first failed line's exit code, 0 if none.
 */
export async function runBatch(session: Session): Promise<number> {
  const lines = createInterface({ input: session.io.stdin, crlfDelay: Infinity, terminal: false });
  let firstFailure = 0;
  let number = 0;
  try {
    for await (const line of lines) {
      number += 1;
      session.state.beginLine(`line ${number}`, number);
      const outcome = await runLine(line, session);
      if (outcome.kind === "leave") break;
      if (outcome.kind === "ran" && outcome.exitCode !== 0) {
        if (firstFailure === 0) firstFailure = outcome.exitCode;
        // Ctrl-C stopped the line (an import): it stops the batch too.
        if (session.bail || outcome.exitCode === EXIT_INTERRUPTED) return outcome.exitCode === EXIT_INTERRUPTED ? EXIT_INTERRUPTED : firstFailure;
      }
    }
  } finally {
    lines.close();
  }
  return firstFailure;
}
