import { Command, Option } from "commander";
import type { CommandContext } from "../command-context.js";

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
        const tickets = await tix.tickets.list({ eventId: flags.event });
        if (flags.format === "json" || globals.json) return { type: "export", tickets };
        const { ticketsCsv } = await import("../output/csv.js");
        return { type: "text", text: ticketsCsv(tickets), data: { tickets } };
      })));
  return exporter;
}
