import { setFlagsFromString } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_LINES, baselineTiersFirst } from "../../../src/cli/repl/compiler-tiers.js";

// V8's own answer to "is this function optimized by TurboFan?" (bit 6 of %GetOptimizationStatus).
setFlagsFromString("--allow-natives-syntax");
const optimizationStatus = new Function("f", "return %GetOptimizationStatus(f)") as (f: unknown) => number;
const TURBOFANNED = 1 << 6;

/** A new function, called until V8 optimizes it or 20,000 calls have passed (compiles run on a background thread). */
async function getsOptimized(): Promise<boolean> {
  const hot = new Function("n", "let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s;") as (n: number) => number;
  for (let call = 0; call < 20_000; call += 1) {
    hot(50);
    if (optimizationStatus(hot) & TURBOFANNED) return true;
    if (call % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return false;
}

describe("a batch's compiler tiers", () => {
  afterAll(() => setFlagsFromString("--opt"));

  it("runs a batch's first lines unoptimized and optimizes once it has taken BASELINE_LINES", async () => {
    const took = baselineTiersFirst();
    expect(await getsOptimized()).toBe(false);
    took(BASELINE_LINES - 1);
    expect(await getsOptimized()).toBe(false);
    took(BASELINE_LINES);
    expect(await getsOptimized()).toBe(true);
  });
});
