import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";
import { runTix } from "./cli.js";
import { tempDir } from "./temp-dir.js";

/**
 * For a test file driving the built bin/tix over a real SQLite file: each test gets a fresh home
 * and store (`fileName` in it), removed after it.
 */
export function sqliteTixPerTest(fileName: string) {
  let home: ReturnType<typeof tempDir> | undefined;
  let store = "";
  beforeEach(() => {
    home = tempDir();
    store = `sqlite:${join(home.path, fileName)}`;
  });
  afterEach(() => home?.remove());
  return {
    /** The home folder of the running test. */
    home: (): string => home!.path,
    /** The store URL of the running test (`sqlite:…`). */
    store: (): string => store,
    /** `tix --store STORE ARGS` in the running test's home. */
    tix: (args: string[], env: Record<string, string | undefined> = {}, input = "") =>
      runTix(["--store", store, ...args], home!.path, { env, input, timeoutMs: 20_000 }),
    /** Writes `text` to `name` in the home folder; answers its path. */
    file: (name: string, text: string): string => {
      const path = join(home!.path, name);
      writeFileSync(path, text);
      return path;
    },
  };
}
