import { join } from "node:path";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { TixError, openTix } from "../../../src/index.js";
import { tempDir } from "../../helpers/temp-dir.js";

// better-sqlite3 installed without its native addon: what its `bindings` package throws on the first
// `new Database` (its install script never ran), or dlopen's refusal of one built for another Node.js.
const failure = vi.hoisted(() => ({ error: new Error("unset") as Error }));
vi.mock("better-sqlite3", () => ({
  default: class {
    constructor() {
      throw failure.error;
    }
  },
}));

let home: ReturnType<typeof tempDir>;
beforeEach(() => (home = tempDir()));
afterEach(() => home.remove());

const notBuilt = Object.assign(new Error("Could not locate the bindings file. Tried:\n → /x/node_modules/better-sqlite3/build/better_sqlite3.node\n → /x/node_modules/better-sqlite3/build/Release/better_sqlite3.node"), { tries: [] });
const otherNode = Object.assign(
  new Error("The module '/x/node_modules/better-sqlite3/build/Release/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 108. This version of Node.js requires\nNODE_MODULE_VERSION 115."),
  { code: "ERR_DLOPEN_FAILED" },
);

it.each([
  ["not built (its install script never ran)", notBuilt],
  ["built for another Node.js", otherNode],
])("a SQLite store whose driver's native addon is %s: openTix rejects with STORE_UNAVAILABLE saying what to do, not the driver's raw error", async (_, error) => {
  failure.error = error;
  const path = join(home.path, "tix.db");
  const opening = openTix(`sqlite:${path}`);
  await expect(opening).rejects.toBeInstanceOf(TixError);
  await expect(opening).rejects.toMatchObject({
    code: "STORE_UNAVAILABLE",
    message: `the store ${path} cannot be opened: the SQLite driver (better-sqlite3) is not built for this Node.js (${process.version}): run npm rebuild better-sqlite3 where tix was installed (its install script may not have run)`,
    cause: error,
  });
  // Memory needs no driver.
  const memory = await openTix();
  expect(await memory.events.list()).toEqual([]);
  await memory.close();
});
