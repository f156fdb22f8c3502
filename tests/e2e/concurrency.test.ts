import { afterEach, beforeEach, expect, it } from "vitest";
import { runTix, runTixAsync } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: { path: string; remove: () => void };
beforeEach(() => {
  home = tempDir();
});
afterEach(() => home.remove());

it("8 processes reserving one event at once never exceed its capacity", async () => {
  expect(runTix(["event", "create", "--id", "evt_rush", "--name", "Rush", "--capacity", "5"], home.path).code).toBe(0);
  const runs = await Promise.all(
    Array.from({ length: 8 }, (_, index) =>
      runTixAsync(["--json", "reserve", "evt_rush", "--key", "k"], home.path, { env: { TIX_USER: `fan${index}` } })),
  );
  const won = runs.filter((run) => run.code === 0);
  const lost = runs.filter((run) => run.code !== 0);
  expect(won).toHaveLength(5);
  for (const run of lost) {
    expect(run.code, run.stderr).toBe(4);
    expect(run.json().error.code).toBe("SOLD_OUT");
  }
  expect(new Set(won.map((run) => run.json().ticket.id)).size).toBe(5);
  const event = runTix(["--json", "event", "show", "evt_rush"], home.path).json().event;
  expect(event).toMatchObject({ capacity: 5, held: 5, sold: 0, available: 0 });
  expect(runTix(["--json", "ticket", "list", "--all-users"], home.path).json().tickets).toHaveLength(5);
});

it("8 processes opening a brand-new store at once all succeed: one migrates, the others wait", async () => {
  const runs = await Promise.all(
    Array.from({ length: 8 }, (_, index) =>
      runTixAsync(["--json", "event", "create", "--name", `Show ${index}`, "--capacity", "3"], home.path)),
  );
  for (const run of runs) expect(run.code, run.stderr).toBe(0);
  expect(runTix(["--json", "event", "list"], home.path).json().events).toHaveLength(8);
});
