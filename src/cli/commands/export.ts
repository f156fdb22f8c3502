import { Command, Option } from "commander";
import type { TicketView } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { listPages } from "../output/list-window.js";

export function exportCommand(ctx: CommandContext): Command {
  const exporter = new Command("export").description("export data for spreadsheets and other programs");
  exporter
    .command("tickets")
    .description("every ticket of an event, all users, oldest first")
    .requiredOption("--event <id>", "the event")
    .addOption(new Option("--format <format>", "csv or json").choices(["csv", "json"]).default("csv"))
    .addHelpText("after", `
Examples:
  $ tix export tickets --event evt_rock_night_2025 > tickets.csv
  $ tix export tickets --event evt_rock_night_2025 --format json | jq '.tickets | length'`)
    .action(ctx.action((line, flags: { event: string; format: "csv" | "json" }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        await tix.events.get(flags.event);
        // Read and printed a page at a time: an event of any size is never held whole.
        const { first, rest } = await listPages<TicketView, string>(async (request) => {
          const { tickets, next } = await tix.tickets.page({ eventId: flags.event, ...request });
          return { items: tickets, next };
        }, undefined);
        return { type: "export", tickets: first, pages: rest, csv: !(flags.format === "json" || globals.json) };
      })));
  return exporter;
}
