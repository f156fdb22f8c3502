import { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { counted } from "../../core/index.js";

export function seedCommand(ctx: CommandContext): Command {
  return new Command("seed")
    .description("load the sample events; running it again adds nothing")
    .addHelpText("after", `
Examples:
  $ tix seed && tix event list`)
    .action(ctx.action((line, _flags: object, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const results = await tix.events.seed({ actor: globals.user });
        const created = results.filter((result) => result.created).length;
        return {
          type: "events",
          events: results.map((result) => result.event),
          created,
          message: `✓ Seeded ${counted(created, "new event")} (${results.length - created} already present)`,
        };
      })));
}
