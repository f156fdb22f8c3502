import { createInterface } from "node:readline";
import { runLine } from "./line.js";
import type { Session } from "./session-state.js";

/**
 * One command a line from a stdin that is not a terminal. Every line runs even after a failure
 * (each reports its own error); the batch answers the first failed line's exit code, 0 if none.
 */
export async function runBatch(session: Session): Promise<number> {
  const lines = createInterface({ input: session.io.stdin, crlfDelay: Infinity, terminal: false });
  let firstFailure = 0;
  try {
    for await (const line of lines) {
      const outcome = await runLine(line, session);
      if (outcome.kind === "leave") break;
      if (outcome.kind === "ran" && outcome.exitCode !== 0 && firstFailure === 0) firstFailure = outcome.exitCode;
    }
  } finally {
    lines.close();
  }
  return firstFailure;
}
