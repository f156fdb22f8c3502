import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import type { CliIo } from "../io.js";

/**
 * What became of a pager: `shown` (it ran and ended well, or the user stopped it with a signal);
 * `not started` (not installed: it showed and read nothing); or why it failed (`exit 1`: `false`,
 * `less --bogus`), having shown nothing that can be counted on.
 */
export type PagerOutcome = "shown" | "not started" | { failed: string };

/**
 * Shows text through a pager (`less -FRX` by default) that takes over the terminal on stdout, and
 * waits until the user leaves it. Text that comes in pieces (a streamed list) is handed over as it
 * comes, as fast as the pager reads it, and no more is read once the user quits (the pieces are
 * not closed: a caller may go on reading them). When the pager cannot be started, or exits with a
 * status other than 0, the caller prints the text itself (printPaged).
 */
export function showInPager(text: string | AsyncIterable<string>, argv: readonly string[], env: CliIo["env"]): Promise<PagerOutcome> {
  const [file, ...args] = argv;
  return new Promise((resolve, reject) => {
    // As gh and git do: less gets its usual flags when the user has not chosen others.
    const child = spawn(file!, args, { stdio: ["pipe", "inherit", "inherit"], env: { ...env, LESS: env.LESS ?? "FRX", LV: env.LV ?? "-c" } });
    // Ctrl-C belongs to the pager while it runs (less uses it to stop a search), not to tix.
    const sigint = process.listeners("SIGINT");
    const ignore = () => {};
    const restore = () => {
      process.removeListener("SIGINT", ignore);
      for (const listener of sigint) process.on("SIGINT", listener);
    };
    child.once("error", () => resolve("not started"));
    child.once("spawn", () => {
      for (const listener of sigint) process.removeListener("SIGINT", listener);
      process.on("SIGINT", ignore);
      // The user may quit before reading it all: the rest is not wanted.
      child.stdin.on("error", () => {});
      // A status other than 0 is a pager that failed (`false`, a bad option); a signal is the user's
      // own stop (the output was theirs to leave).
      const closed = new Promise<PagerOutcome>((done) => child.once("close", (code: number | null) => done(code === null || code === 0 ? "shown" : { failed: `exit ${code}` })));
      // A piece that fails (the store went away mid-list) ends the pager's input; once the user
      // has left the pager, the failure is the caller's to report.
      const failed = typeof text === "string" ? Promise.resolve(void child.stdin.end(text)) : feed(child.stdin, text).then(
        () => undefined,
        (error: unknown) => {
          child.stdin.end();
          return { error };
        },
      );
      void Promise.all([closed, failed]).then(([outcome, failure]) => {
        restore();
        if (failure) reject(failure.error);
        else resolve(outcome);
      });
    });
  });
}

/** Writes the pieces to the pager's input while it reads them; stops early when the pager has gone. */
async function feed(input: Writable, pieces: AsyncIterable<string>): Promise<void> {
  for await (const piece of pieces) {
    if (input.destroyed || (!input.write(piece) && !(await drained(input)))) break;
  }
  input.end();
}

/** Waits until the pager has read what it was given (true) or has gone (false). */
function drained(input: Writable): Promise<boolean> {
  return new Promise((done) => {
    const answer = (read: boolean) => () => {
      input.off("drain", onDrain);
      input.off("close", onClose);
      done(read);
    };
    const onDrain = answer(true);
    const onClose = answer(false);
    input.once("drain", onDrain);
    input.once("close", onClose);
  });
}
