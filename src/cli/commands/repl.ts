import { Command } from "commander";
import { invalidArgument } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { globalArgs } from "../globals.js";

export function replCommand(ctx: CommandContext): Command {
  return new Command("repl")
    .description("interactive session over one store; with stdin not a terminal, one command a line (batch)")
    .addHelpText("after", `
Lines are tix commands without "tix"; $event and $ticket stand for the last ids printed;
help, exit and quit work. \`tix\` alone does the same.

Examples:
  $ tix --store memory repl
  $ printf 'seed\\nreserve $event\\npurchase $ticket\\n' | tix --store memory --json`)
    .action((_flags: object, command: Command) => {
      if (ctx.session) throw invalidArgument("repl", "this is already a session; type exit to leave it");
      ctx.startSession(ctx.globals(command), globalArgs(command.optsWithGlobals()));
    });
}
