import { Command, Option } from "commander";
import type { CommandContext } from "../command-context.js";
import { refuseFormatWithJson } from "../format-option.js";

export function reportCommand(ctx: CommandContext): Command {
  return new Command("report")
    .description("an event's sales: sold, held and available per tier, revenue, refunds, check-ins")
    .argument("<eventId>", "the event")
    .addOption(new Option("--format <format>", "table (piped: tab-separated), csv or json (not table or csv with --json)").choices(["table", "csv", "json"]).default("table"))
    .addHelpText("after", `
Examples:
  $ tix report evt_rock_night_2025     # on a terminal: the table, bars, sales
  $ tix report evt_rock_night_2025 --format csv > rock-night.csv`)
    .action(ctx.action((line, eventId: string, flags: { format: "table" | "csv" | "json" }, command: Command) => {
      refuseFormatWithJson(command, flags.format);
      return line.perform(command, async (tix, globals) => {
        const report = await tix.events.report(eventId);
        if (flags.format === "table" && globals.mode === "tty") {
          // The sales chart: tickets bought per period, counted by the store from the audit log (never read whole).
          const { salesBucketing } = await import("../output/charts.js");
          const sales = await tix.log.countByTime({ eventId: report.eventId, action: "ticket.purchased", bucketing: (span) => salesBucketing(span, globals.width) });
          return { type: "report", report, format: "table", sales: sales ?? null };
        }
        if (flags.format !== "csv" || globals.json) return { type: "report", report, format: flags.format === "json" ? "json" : "table" };
        const { reportCsv } = await import("../output/csv.js");
        return { type: "text", text: reportCsv(report), data: { report } };
      });
    }));
}
