import { Argument, Command } from "commander";
import type { CliContext } from "../context.js";
import { listIds } from "../repl/completion/ids.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;

export function completionCommand(ctx: CliContext): Command {
  return new Command("completion")
    .description("print a shell completion script for bash, zsh or fish")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText("after", `
Examples:
  $ source <(tix completion bash)                          # this bash session
  $ tix completion bash > ~/.local/share/bash-completion/completions/tix
  $ tix completion zsh > "\${fpath[1]}/_tix"                # then start a new zsh
  $ tix completion fish > ~/.config/fish/completions/tix.fish`)
    .action(async (shell: (typeof SHELLS)[number], _flags: object, command: Command) => {
      const { completionScript } = await import("../repl/completion/scripts.js");
      ctx.io.stdout.write(completionScript(shell, command.parent!));
    });
}

/** Hidden: the ids the completion scripts offer, one a line (`tix __complete event`). */
export function completeIdsCommand(ctx: CliContext): Command {
  return new Command("__complete")
    .description("print event or ticket ids for shell completion")
    .addArgument(new Argument("<kind>").choices(["event", "ticket"]))
    .action((kind: "event" | "ticket", _flags: object, command: Command) => {
      const globals = ctx.globals(command);
      return ctx.tix(globals.storeUrl).then(async (tix) => {
        for (const id of await listIds(tix, kind, globals.user)) ctx.io.stdout.write(`${id}\n`);
      });
    });
}
