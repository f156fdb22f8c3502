import { Command, Option } from "commander";
import { counted, hiddenCodes, type EventRow, type TicketView } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { refuseFormatWithJson } from "../format-option.js";
import { listPages } from "../output/list-window.js";

interface EventsFlags {
  format: "csv" | "json";
  output?: string;
  codes?: boolean;
}

export function exportCommand(ctx: CommandContext): Command {
  const exporter = new Command("export").description("export data for spreadsheets and other programs")
    .addHelpText("after", `
Examples:
  $ tix export tickets --event evt_jazz_evening > tickets.csv
  $ tix export events --output events.csv`);
  exporter
    .command("tickets")
    .description("every ticket of an event, all users, oldest first")
    .requiredOption("--event <id>", "the event")
    .addOption(new Option("--format <format>", "csv or json (to standard output, csv not with --json)").choices(["csv", "json"]).default("csv"))
    .option("--output <file>", "write to FILE (whole or not at all, readable by you only) instead of standard output (-: standard output)")
    .addHelpText("after", `
Examples:
  $ tix export tickets --event evt_rock_night_2025 > tickets.csv
  $ tix export tickets --event evt_rock_night_2025 --output tickets.csv
  $ tix export tickets --event evt_rock_night_2025 --format json | jq '.tickets | length'`)
    .action(ctx.action((line, given: { event: string; format: "csv" | "json"; output?: string }, command: Command) => {
      const flags = toStandardOutput(given);
      // To a file, --format is the file's and --json the answer's.
      if (flags.output === undefined) refuseFormatWithJson(command, flags.format);
      return line.perform(command, async (tix, globals) => {
        await tix.events.get(flags.event);
        // Read and printed a page at a time: an event of any size is never held whole. Every page
        // from one snapshot: the statuses add up to the event's counts at one moment.
        const view = await tix.snapshot();
        const { first, rest } = await listPages<TicketView, string>(async (request) => {
          const { tickets, next } = await view.tickets.page({ eventId: flags.event, ...request });
          return { items: tickets, next };
        }, undefined, view);
        if (flags.output === undefined) return { type: "export", tickets: first, pages: rest, csv: !(flags.format === "json" || globals.json) };
        // As export events --output: the file in --format (--json shapes only the answer), whole or not at all.
        let exported = 0;
        const { ticketPieces } = await import("../output/render.js");
        await writeExportFile(flags.output, ticketPieces(allPages(first, rest, (page) => (exported += page.length)), flags.format !== "json"), view, globals.storeUrl);
        return {
          type: "done",
          message: `✓ Exported ${counted(exported, "ticket")} to ${flags.output}`,
          data: { file: flags.output, exported },
        };
      });
    }));
  exporter
    .command("events")
    .description("every event, with exactly the columns tix import reads: a backup, or a move to another store")
    .addOption(new Option("--format <format>", "csv or json (to standard output, csv not with --json)").choices(["csv", "json"]).default("csv"))
    .option("--output <file>", "write to FILE (whole or not at all, readable by you only) instead of standard output (-: standard output)")
    .option("--codes", "write tiers' access codes on a terminal too (a file or pipe always gets them)")
    .option("--no-codes", "write (hidden) for each access code, even to a file or pipe (an import refuses it)")
    .addHelpText("after", `
One row per event, oldest first: id, name, capacity, venue, startsAt, hold, price, currency,
tiers, limitPerUser, salesStart, salesEnd, seats. tiers is "VIP:50:120.00; GA:500:45.00", each
tier as --tier takes it (with ,code= ,sales-start= ,sales-end=); seats the seat map as --seats
takes it, "Stalls:A-C:1-5|6-12; Circle@VIP:A-B:1-10"; a plain event has capacity and price only.
tix import makes the same events from it (ids kept); imported again, they are unchanged.
Tickets, waiting lists and vouchers are not part of it.
Access codes are written to a file or a pipe; on a terminal they show as (hidden) unless --codes.

Examples:
  $ tix export events > events.csv
  $ tix --store sqlite:new.db import events.csv
  $ tix export events --format json --output backup.json
  $ tix export events --store postgres://tix@db/tix --no-codes > events-shared.csv`)
    .action(ctx.action((line, given: EventsFlags, command: Command) => {
      const flags = toStandardOutput(given);
      if (flags.output === undefined) refuseFormatWithJson(command, flags.format);
      return line.perform(command, async (tix, globals) => {
        // A code is a secret: shown on a terminal only when asked for; a file or pipe gets it (a backup must).
        const toFile = flags.output !== undefined;
        const codes = (flags.codes ?? (toFile || line.f.io.stdout.isTTY !== true)) ? "include" : "hide";
        const view = await tix.snapshot();
        const { first, rest } = await listPages<EventRow, string>(async (request) => {
          const { events, next } = await view.events.exportPage({ ...request, codes });
          return { items: events, next };
        }, undefined, view);
        const counts = { events: 0, hiddenCodes: 0 };
        const tallied = allPages(first, rest, (page) => {
          counts.events += page.length;
          for (const row of page) counts.hiddenCodes += hiddenCodes(row);
        });
        // --json is about standard output: a file is written in --format (the answer is the JSON).
        if (!toFile) return { type: "export-events", pages: tallied, csv: !(flags.format === "json" || globals.json), counts };
        const { eventPieces } = await import("../output/render.js");
        await writeExportFile(flags.output!, eventPieces(tallied, flags.format !== "json"), view, globals.storeUrl);
        const hidden = counts.hiddenCodes === 0 ? "" : `; ${counted(counts.hiddenCodes, "access code")} written as (hidden)`;
        return {
          type: "done",
          message: `✓ Exported ${counted(counts.events, "event")} to ${flags.output}${hidden}`,
          data: { file: flags.output, exported: counts.events, hiddenCodes: counts.hiddenCodes },
        };
      });
    }));
  return exporter;
}

/** `--output -` is standard output, as `import -` reads standard input (it made a file named `-`). */
function toStandardOutput<T extends { output?: string }>(flags: T): T {
  return flags.output === "-" ? { ...flags, output: undefined } : flags;
}

/** An export's first page, then the rest as they are read, each shown to `seen` as it goes by (to count what was written). */
async function* allPages<T>(first: T[], rest: AsyncIterable<T[]>, seen: (page: readonly T[]) => void): AsyncIterable<T[]> {
  seen(first);
  yield first;
  for await (const page of rest) {
    seen(page);
    yield page;
  }
}

/**
 * `--output`: an export's text written to `path`, whole or not at all. The snapshot its pages come
 * from ends here — a file that could not be made reads no page (closing it twice is harmless).
 * The SQLite store's own file is never the one written.
 */
async function writeExportFile(path: string, text: AsyncIterable<string>, view: { close(): Promise<void> }, storeUrl: string): Promise<void> {
  try {
    const keep = storeUrl.startsWith("sqlite:") ? [(await import("../../app/open-tix.js")).sqlitePathOf(storeUrl)] : [];
    await (await import("../output-file.js")).writeOutputFile(path, text, "output", keep);
  } finally {
    await view.close();
  }
}
