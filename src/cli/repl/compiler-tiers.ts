import { setFlagsFromString } from "node:v8";

/**
 * Lines a batch process runs before V8's optimizing compiler is turned back on. A batch runs the
 * same code line after line: TurboFan's compiles (on background threads) cost a short batch more
 * CPU than its faster code saves — about a quarter of a 2,000-line batch's CPU, and eight batches
 * on two cores pay it eight times — while a long one wins it back (a line costs ~25 % more
 * without it; the two are even at ~20,000 lines). So the first lines run in V8's baseline tiers
 * (Ignition, Sparkplug), and a batch that goes on past this many pays the compiles then and runs
 * the rest optimized: never much more than an optimized batch (docs/performance-history.md, "Contention").
 */
export const BASELINE_LINES = 10_000;

/**
 * Turns V8's optimizing compiler off for the process's batch; answers what to call with the count
 * of lines taken, which turns it back on at BASELINE_LINES. Node warns that flags changed after
 * start may behave unpredictably: this one only decides whether hot functions get optimized.
 */
export function baselineTiersFirst(): (taken: number) => void {
  setFlagsFromString("--no-opt");
  return (taken) => {
    if (taken === BASELINE_LINES) setFlagsFromString("--opt");
  };
}
