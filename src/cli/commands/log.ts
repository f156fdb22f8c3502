import { Command } from "commander";
import { parseLookupId, type LogEntryView } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { addListOptions, listLimit, listPages, type ListFlags } from "../output/list-window.js";

export function logCommand(ctx: CommandContext): Command {
  return addListOptions(new Command("log")
    .description("the audit log: every change with its time, actor and what changed, oldest first"))
    .option("--event <id>", "only this event's entries")
    .option("--ticket <id>", "only this ticket's entries")
    .addHelpText("after", `
--limit N keeps the latest N entries
(On a terminal: the latest 30 unless --all.)

Examples:
  $ tix log --event evt_rock_night_2025
  $ tix log --ticket tkt_8n2k4m6p9q1r3s5t --json`)
    .action(ctx.action((line, flags: ListFlags & { event?: string; ticket?: string }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        // Named as the flags (the library names its fields, eventId and ticketId).
        const filter = {
          eventId: flags.event === undefined ? undefined : parseLookupId(flags.event, "event"),
          ticketId: flags.ticket === undefined ? undefined : parseLookupId(flags.ticket, "ticket"),
        };
        const filtered = flags.event !== undefined || flags.ticket !== undefined;
        const limit = listLimit(flags, globals.mode);
        if (limit === undefined && globals.mode !== "tty") {
          // A script's log is read and printed a page at a time: `| head -1` reads one page, not every entry.
          // Every page from one snapshot: an entry committed meanwhile is in all of them or in none.
          const view = await tix.snapshot();
          const { first, rest } = await listPages<LogEntryView, number>(async (request) => {
            const { entries, next } = await view.log.page({ ...filter, ...request });
            return { items: entries, next };
          }, undefined, view);
          return { type: "log", entries: first, pages: rest, filtered };
        }
        if (limit === undefined) {
          const entries = await tix.log.list(filter);
          return { type: "log", entries, total: entries.length, filtered };
        }
        // The latest N of a long log are read alone, not the whole log to show its end.
        return { type: "log", ...(await tix.log.latest({ ...filter, limit })), filtered };
      })));
}
