import { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { globalArgs, type RawGlobals } from "../globals.js";

export function replCommand(ctx: CommandContext): Command {
  return new Command("repl")
    .description("interactive session over one store; with stdin not a terminal, one command a line (batch)")
    .addHelpText("after", `
Lines are tix commands (a leading "tix" is allowed); $event and $ticket stand for the last ids
printed, $order for $ticket's order, all unset by a failed line that would have printed one;
help, exit and quit work.
In a batch, errors start with "line N:" and --bail stops at the first failed line.
Over SQLite or PostgreSQL, reserve, purchase and cancel lines already read commit
together (decided in line order, each printed after its commit); with --bail each
line runs alone.
\`tix\` alone does the same.

Examples:
  $ tix --store memory repl
  $ printf 'seed\\nreserve evt_jazz_evening\\npurchase $ticket\\n' | tix --store memory --json
  $ tix --bail < script.tix                  # stop at the first failed line, with its exit code`)
    .action(ctx.action((line, _flags: object, command: Command) => {
      const raw = command.optsWithGlobals<RawGlobals>();
      line.startSession(line.globals(command), globalArgs(raw), raw.bail === true);
    }));
}
