import { createInterface } from "node:readline";
import type { CliContext } from "../context.js";
import { runLine } from "./line.js";

/**
 * One command a line from a stdin that is not a terminal. Every line runs even after a failure
 * (each reports its own error); the batch answers the first failed line's exit code, 0 if none.
 */
export async function runBatch(ctx: CliContext, defaults: readonly string[]): Promise<number> {
  const lines = createInterface({ input: ctx.io.stdin, crlfDelay: Infinity, terminal: false });
  let firstFailure = 0;
  try {
    for await (const line of lines) {
      const outcome = await runLine(line, ctx, defaults);
      if (outcome.kind === "leave") break;
      if (outcome.kind === "ran" && outcome.exitCode !== 0 && firstFailure === 0) firstFailure = outcome.exitCode;
    }
  } finally {
    lines.close();
  }
  return firstFailure;
}
