import { Command } from "commander";
import { onlySection } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { terminalColumns } from "../output/seat-map.js";

export function seatsCommand(ctx: CommandContext): Command {
  return new Command("seats")
    .description("a seated event's map: free, held, sold and your seats, the stage on top, drawn to fit the terminal")
    .argument("<eventId>", "the seated event")
    .option("--section <name>", "only this section")
    .addHelpText("after", `
Seats are drawn one character each: o free, h held, x sold, @ yours (coloured on a terminal).
A section wider than the terminal is drawn in parts. --json gives the map as data.

Examples:
  $ tix seats evt_string_quartet_night
  $ tix seats evt_string_quartet_night --section Circle
  $ tix seats evt_string_quartet_night --json | jq '[.seats.sections[].rows[].seats[] | select(.state == "free")] | length'`)
    .action(ctx.action((line, eventId: string, flags: { section?: string }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const { event, seats } = await tix.events.seats({ eventId, userId: globals.user });
        return { type: "seats", event, seats: flags.section === undefined ? seats : onlySection(seats, flags.section), width: terminalColumns(line.f.io) };
      })));
}
