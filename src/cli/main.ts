import { argumentNotUtf8 } from "../platform/argv-bytes.js";
import { interrupts } from "./interrupts.js";
import { processIo } from "./io.js";
import { runCli } from "./run.js";

// The CLI's entry point, bundled by scripts/build.mjs into dist/cli.cjs: a CommonJS file, because
// Node starts one measurably faster than an ES module (no module loader to set up). So no
// top-level await here.

// Ctrl-C while a command runs: exit 130, as the contract says (a prompt or the REPL's line
// editor reads Ctrl-C as a key instead, and handles it itself), unless the command listens for it
// (an import stops before it writes; the REPL survives). The store is left consistent: every
// write is one transaction.
process.on("SIGINT", () => {
  if (!interrupts.interrupt()) process.exit(130);
});

// processIo() also makes a reader that goes away (`tix event list | head -1`) end tix quietly.
const argv = process.argv.slice(2);
runCli(argv, processIo(), argumentNotUtf8(argv)).then(
  (code) => end(code),
  (error: unknown) => {
    // Only a bug in error reporting itself gets here; still no stack trace unless asked for.
    process.stderr.write(`error: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    if (process.env.TIX_DEBUG === "1") process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
    end(1);
  },
);

/**
 * Ends with `code`. When nothing is left for the event loop (no write, timer, socket or child
 * still pending), the process would end on its own next; exiting now skips what Node would do
 * first — a garbage collection V8 has queued and the heap's teardown — ~10 ms of CPU at every start
 * of a one-shot command. Otherwise Node ends the process when that work is done, as usual.
 */
function end(code: number): void {
  process.exitCode = code;
  // On the next turn of the loop, not now: a write to a file or device that failed (a full disk)
  // reports its error two ticks later (Node's stream), and exiting first hid it — exit 0, no word.
  setImmediate(() => {
    if (onlyStdioLeft()) process.exit();
  });
}

/**
 * Nothing is left for the event loop but Node's stdout or stderr stream with nothing in it to
 * write. Node makes process.stderr (a pipe's or socket's handle, kept open) whenever any socket is
 * destroyed — net compares each with it — so after a batch (stdin read to its end) or a
 * PostgreSQL connection it is always there; Node would then end the process itself, after the
 * heap's teardown: ~30–80 ms of CPU after a batch of a few hundred lines (docs/performance-history.md).
 */
function onlyStdioLeft(): boolean {
  const left = process.getActiveResourcesInfo().length;
  if (left === 0) return true;
  // Undocumented but long-standing: the objects behind the open handles (requests and timers are not among them).
  const handles = (process as { _getActiveHandles?: () => Array<{ fd?: unknown; writableLength?: unknown }> })._getActiveHandles?.() ?? [];
  return handles.length === left && handles.every((handle) => (handle.fd === 1 || handle.fd === 2) && handle.writableLength === 0);
}
