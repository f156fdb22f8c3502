import { homedir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { defaultStoreUrl, tixHome } from "../../../src/cli/environment.js";

it("takes TIX_HOME, else an absolute XDG_DATA_HOME, else ~/.local/share", () => {
  expect(tixHome({ TIX_HOME: "/data/tix", XDG_DATA_HOME: "/xdg" })).toBe("/data/tix");
  expect(tixHome({ XDG_DATA_HOME: "/xdg" })).toBe("/xdg/tix");
  expect(tixHome({})).toBe(join(homedir(), ".local", "share", "tix"));
  expect(tixHome({ XDG_DATA_HOME: "" })).toBe(join(homedir(), ".local", "share", "tix"));
});

it("ignores a relative XDG_DATA_HOME, as the XDG spec says (it made a store in each folder tix ran from)", () => {
  const fallback = join(homedir(), ".local", "share", "tix");
  for (const relative of ["data", "./data", "../data", "~/data"]) {
    expect(tixHome({ XDG_DATA_HOME: relative }), relative).toBe(fallback);
    expect(defaultStoreUrl({ XDG_DATA_HOME: relative }), relative).toBe(`sqlite:${join(fallback, "tix.db")}`);
  }
});
