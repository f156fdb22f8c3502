// tix as its users get it: from a checkout (npm ci builds dist/), and as an installed package
// (npm pack's tarball, npm link, a global install). Installing takes minutes and the registry, so
// these check what an install rests on, offline: the files the package ships, the scripts that
// build it, and what bin/tix says when what it runs is not there.
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect, it } from "vitest";
import { TIX_BIN } from "../helpers/cli.js";

const ROOT = join(dirname(TIX_BIN), "..");

it("the build scripts name files by path, not by a file URL's pathname (which spells a space %20: npm ci failed in a folder with a space)", () => {
  const scripts = ["scripts", "bench"].flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith(".mjs"))
      .map((name) => join(folder, name)),
  );
  expect(scripts).toContain("scripts/build.mjs");
  const offending = scripts.filter((script) => /import\.meta\.url\)?\.pathname|\broot\.pathname|new URL\([^)]*\)\.pathname/.test(readFileSync(join(ROOT, script), "utf8")));
  expect(offending).toEqual([]);
});
