import fc from "fast-check";
import { describe, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import type { StoreFactory } from "../helpers/store-factories.js";
import { fastCheckSeed, knob } from "../helpers/cli.js";
import { MODEL_START, ReferenceModel } from "./reference-model.js";
import { REGRESSIONS } from "./regressions.js";
import { StepCommand, commandArbitraries, type Real } from "./steps.js";

export type { StoreFactory };

/** Runs commands against a fresh store from `factory`, then closes and disposes of it. */
async function runOnFreshStore(factory: StoreFactory, commands: Iterable<fc.AsyncCommand<ReferenceModel, Real>>): Promise<void> {
  const clock = new ManualClock(MODEL_START);
  const opened = await factory(clock);
  const tix = createTix(opened.store, clock);
  try {
    await fc.asyncModelRun(() => ({ model: new ReferenceModel(), real: { tix, clock } }), commands);
  } finally {
    await tix.close();
    await opened.dispose?.();
  }
}

/**
 * Model-based test of the engine over one store adapter: random sequences of create, update,
 * reserve (key reuse, other users' keys), purchase (approved, declined, bad cards), cancel and
 * clock moves, each compared with the reference model, with the invariants read back from the
 * store after every step. Every adapter's test file calls this with the same factory it gives
 * `storeContract`; kept counterexamples (regressions.ts) run first, on every adapter.
 *
 * Size: TIX_STRESS_RUNS sequences of up to TIX_STRESS_COMMANDS steps, for at most
 * TIX_STRESS_SECONDS when set; TIX_STRESS_SEED replays a run.
 */
export function modelContract(adapter: string, factory: StoreFactory, size: { runs?: number } = {}): void {
  const runs = knob("TIX_STRESS_RUNS", size.runs ?? 100, 2_000);
  const maxCommands = knob("TIX_STRESS_COMMANDS", 40, 100);
  const seconds = knob("TIX_STRESS_SECONDS", 0, 120);

  describe(`model-based: ${adapter}`, () => {
    describe("kept counterexamples", () => {
      for (const regression of REGRESSIONS) {
        it(regression.name, async () => {
          await runOnFreshStore(factory, regression.steps.map((step) => new StepCommand(step)));
        });
      }
    });

    it(`agrees with the reference model over ${runs} random sequences of up to ${maxCommands} steps`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.commands(commandArbitraries, { maxCommands, size: "medium" }), (commands) => runOnFreshStore(factory, commands)),
        {
          numRuns: runs,
          ...fastCheckSeed(),
          ...(seconds > 0 ? { interruptAfterTimeLimit: seconds * 1000, markInterruptAsFailure: false } : {}),
        },
      );
    }, (seconds > 0 ? seconds * 1000 : 0) + 300_000);
  });
}
