import { processIo } from "./io.js";
import { runCli } from "./run.js";

// A reader that goes away (`tix event list | head -1`) ends tix quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? 0 : 1);
  });
}

// Ctrl-C while a command runs: exit 130, as the contract says (a prompt or the REPL's line
// editor reads Ctrl-C as a key instead, and handles it itself). The store is left consistent:
// every write is one transaction.
process.on("SIGINT", () => process.exit(130));

try {
  process.exitCode = await runCli(process.argv.slice(2), processIo());
} catch (error) {
  // Only a bug in error reporting itself gets here; still no stack trace unless asked for.
  process.stderr.write(`error: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.TIX_DEBUG === "1") process.stderr.write(`${error instanceof Error ? error.stack : ""}\n`);
  process.exitCode = 1;
}
