import { Command } from "commander";
import { invalidArgument } from "../../core/index.js";
import { tixHome } from "../environment.js";
import type { CliContext } from "../context.js";

export function serveCommand(ctx: CliContext): Command {
  return new Command("serve")
    .description("serve the Web API (JSON over HTTP) over the store until Ctrl-C or SIGTERM")
    .option("--port <port>", "TCP port to listen on; 0 picks a free one", "5000")
    .option("--host <host>", "address to listen on; 0.0.0.0 for every interface", "127.0.0.1")
    .option("--no-group-commit", "commit each request on its own (by default requests that arrive together share one commit)")
    .addHelpText("after", `
Requests acting as a user need a bearer token: tix token create --user <id>.
One access-log line per request goes to stderr.

Examples:
  $ tix serve
  $ tix --store sqlite:./tix.db serve --port 8080 --host 0.0.0.0
  $ curl -s localhost:5000/events`)
    .action(async (flags: { port: string; host: string; groupCommit: boolean }, command: Command) => {
      const globals = ctx.globals(command);
      const port = parsePort(flags.port);
      // Loaded only here: the server adds nothing to the start-up of other commands.
      const { runServer } = await import("../../http/run-server.js");
      await runServer({
        tix: await ctx.tix(globals.storeUrl, { groupCommit: flags.groupCommit }),
        clock: ctx.clock,
        home: tixHome(ctx.io.env),
        port,
        host: flags.host,
        stderr: ctx.io.stderr,
        debug: ctx.io.env.TIX_DEBUG === "1",
      });
    });
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65_535)) throw invalidArgument("port", `"${text}" must be a whole number from 0 to 65535`);
  return port;
}
