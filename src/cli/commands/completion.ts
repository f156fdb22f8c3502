import { Argument, Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { listIds } from "../completion/ids.js";

export const SHELLS = ["bash", "zsh", "fish"] as const;

export function completionCommand(ctx: CommandContext): Command {
  return new Command("completion")
    .description("print a shell completion script for bash, zsh or fish")
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText("after", `
Examples:
  $ source <(tix completion bash)                          # this bash session
  $ tix completion bash > ~/.local/share/bash-completion/completions/tix
  $ tix completion zsh > "\${fpath[1]}/_tix"                # then start a new zsh
  $ tix completion fish > ~/.config/fish/completions/tix.fish`)
    .action(ctx.action(async (line, shell: (typeof SHELLS)[number], _flags: object, command: Command) => {
      const { completionScript } = await import("../completion/scripts.js");
      line.showScript(completionScript(shell, command.parent!), "script");
    }));
}

/**
 * Hidden: the ids the completion scripts offer, one a line (`tix __complete event evt_ro`): the
 * ids that start with the word typed so far, at most COMPLETION_IDS of them; with `--for
 * purchase` (the command path the id is typed for), only the tickets that command can act on.
 * Scripts made before `--for` existed leave it out, and are offered all the user's tickets.
 */
export function completeIdsCommand(ctx: CommandContext): Command {
  return new Command("__complete")
    .description("print event or ticket ids for shell completion")
    .addArgument(new Argument("<kind>").choices(["event", "ticket"]))
    .addArgument(new Argument("[prefix]", "only ids that start with this (the word being completed)"))
    .option("--for <command>", "the command the id is typed for (`purchase`, `ticket show`): only tickets it can act on")
    .action(ctx.action(async (line, kind: "event" | "ticket", prefix: string | undefined, flags: { for?: string }, command: Command) => {
      const globals = line.globals(command);
      const ids = await listIds(await line.f.tix(globals.storeUrl), kind, globals.user, prefix ?? "", flags.for ?? "");
      line.showScript(ids.map((id) => `${id}\n`).join(""));
    }));
}
