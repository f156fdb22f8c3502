import { afterAll, beforeAll, expect, it } from "vitest";
import { testEnv } from "../helpers/cli.js";
import { shellInTerminal } from "../helpers/pty-terminal.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: ReturnType<typeof tempDir>;
beforeAll(() => {
  home = tempDir();
});
afterAll(() => home.remove());

it("an empty log on a terminal says the store has no changes yet, in one line (it said 'no entries for this' of no filter)", async () => {
  const { code, text } = await shellInTerminal('"$@"', ["log"], testEnv(home.path), { cols: 80, rows: 24 });
  expect([code, text.trim()]).toEqual([0, "The log is empty: nothing has changed in this store yet."]);
}, 30_000);
