import { processIo } from "./io.js";
import { runCli } from "./run.js";

// A reader that goes away (`tix event list | head -1`) ends tix quietly, not with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    process.exit(error.code === "EPIPE" ? 0 : 1);
  });
}

process.exitCode = await runCli(process.argv.slice(2), processIo());
