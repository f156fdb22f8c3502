import { Command } from "commander";
import { invalidArgument } from "../../core/index.js";
import type { CliContext } from "../context.js";
import { globalArgs } from "../repl/bare-invocation.js";
import { SessionExit } from "../repl/session-exit.js";

export function replCommand(ctx: CliContext): Command {
  return new Command("repl")
    .description("interactive session over one store; with stdin not a terminal, one command a line (batch)")
    .addHelpText("after", `
Lines are tix commands without "tix"; $event and $ticket stand for the last ids printed;
help, exit and quit work. \`tix\` alone does the same.

Examples:
  $ tix --store memory repl
  $ printf 'seed\\nreserve $event\\npurchase $ticket\\n' | tix --store memory --json`)
    .action(async (_flags: object, command: Command) => {
      if (ctx.inSession) throw invalidArgument("repl", "this is already a session; type exit to leave it");
      // Loaded only now: most runs of tix never open a session.
      const { runSession } = await import("../repl/session.js");
      const exitCode = await runSession(ctx, command.parent!, ctx.globals(command), globalArgs(command.optsWithGlobals()));
      if (exitCode !== 0) throw new SessionExit(exitCode);
    });
}
