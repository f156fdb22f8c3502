import { spawn } from "node:child_process";
import type { CliIo } from "../io.js";

/**
 * Shows text through a pager (`less -FRX` by default) that takes over the terminal on stdout, and
 * waits until the user leaves it. Answers false, having shown nothing, when the pager cannot be
 * started (not installed): the caller prints the text itself.
 */
export function showInPager(text: string, argv: readonly string[], env: CliIo["env"]): Promise<boolean> {
  const [file, ...args] = argv;
  return new Promise((resolve) => {
    // As gh and git do: less gets its usual flags when the user has not chosen others.
    const child = spawn(file!, args, { stdio: ["pipe", "inherit", "inherit"], env: { ...env, LESS: env.LESS ?? "FRX", LV: env.LV ?? "-c" } });
    // Ctrl-C belongs to the pager while it runs (less uses it to stop a search), not to tix.
    const sigint = process.listeners("SIGINT");
    const ignore = () => {};
    const restore = () => {
      process.removeListener("SIGINT", ignore);
      for (const listener of sigint) process.on("SIGINT", listener);
    };
    child.once("error", () => resolve(false));
    child.once("spawn", () => {
      for (const listener of sigint) process.removeListener("SIGINT", listener);
      process.on("SIGINT", ignore);
      // The user may quit before reading it all: the rest is not wanted.
      child.stdin.on("error", () => {});
      child.stdin.end(text);
      child.once("close", () => {
        restore();
        resolve(true);
      });
    });
  });
}
