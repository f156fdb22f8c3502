import { extname } from "node:path";
import { Command, Option } from "commander";
import { counted, invalidArgument } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { interrupts } from "../interrupts.js";
import { progressBar } from "../output/progress.js";
import { Interrupted } from "../prompts/interrupted.js";

/** Files with more rows than this get a progress bar (when stderr is a terminal). */
const PROGRESS_THRESHOLD = 500;

/** The file name that means standard input (`tix import - --format csv < events.csv`). */
const STANDARD_INPUT = "-";

interface ImportFlags {
  format?: "csv" | "json";
  skipInvalid?: boolean;
  delimiter?: string;
  rows?: boolean;
}

export function importCommand(ctx: CommandContext): Command {
  return new Command("import")
    .description("create or update events from a CSV or JSON file, all or nothing")
    .argument("<file>", "a .csv file with a header row, or a .json array of events; - reads standard input (give --format)")
    .addOption(new Option("--format <format>", "csv or json (default: from the file's extension)").choices(["csv", "json"]))
    .option("--skip-invalid", "import the valid rows and report the others, instead of importing nothing")
    .option("--delimiter <char>", "CSV: the character between columns, e.g. ';' or tab (default ',')")
    .option("--rows", "also print each imported event's id and what the row changed (streamed), after the summary")
    .addHelpText("after", `
Columns (CSV header, or JSON keys), those tix export events writes: id, name, capacity, venue,
startsAt, hold, price, currency, tiers, limitPerUser, salesStart, salesEnd, seats. tiers: each tier
as --tier takes it, ';'-separated, "VIP:50:120.00;GA:500:45.00", with a code and sales window if
wanted, "Pre:20:9.00,code=FANS;GA:80:49.00" (,sales-start=ISO ,sales-end=ISO); seats: a seat map
as --seats takes it, "Stalls:A-C:1-12;Circle@VIP:A:1-9" (in both, \\; is a ';' within a name).
An unknown column, or two for one field, is refused. A row with the id
of an existing event updates it; a row without an id gets one derived from its name, venue and
start, so importing the same file again updates its events instead of adding them twice.
Prints a summary (created, updated, unchanged, which fields changed on how many events, skipped,
time); --rows adds each event's line: id, created/updated/unchanged, what changed. Ctrl-C before the rows are written writes nothing.

Examples:
  $ tix import events.csv
  $ tix export events > events.csv && tix --store sqlite:copy.db import events.csv
  $ tix import events-de.csv --delimiter ';'
  $ tix import events.json --skip-invalid --json
  $ curl -s https://example.com/events.csv | tix import - --format csv`)
    .action(ctx.action((line, file: string, flags: ImportFlags, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const started = performance.now();
        const { importEvents } = await import("../../app/import-events.js");
        const rowsOf = await import("../import-rows.js"); // csv-parse only here
        const fromInput = file === STANDARD_INPUT;
        if (fromInput && line.session !== undefined) throw invalidArgument("file", "in a session, standard input is the session's own; give a file");
        // A file is read first: a name mistyped without its extension (events for events.csv) is "no such file", not a format to give.
        const fileText = fromInput ? undefined : rowsOf.readImportFile(file);
        const format = flags.format ?? formatOf(file);
        // Not ignored in silence: whoever gave it expected the file read as CSV.
        if (format === "json" && flags.delimiter !== undefined) throw invalidArgument("delimiter", "applies to CSV files only; this one is read as JSON");
        const text = fileText ?? await rowsOf.readImportInput(line.f.io.stdin);
        const source = fromInput ? "standard input" : file;
        const rows = format === "json"
          ? rowsOf.parseJsonRows(text)
          : rowsOf.parseCsvRows(text, flags.delimiter === undefined ? undefined : rowsOf.parseDelimiter(flags.delimiter));
        // Progress goes to stderr whenever it is a terminal, even with stdout redirected.
        const stderr = line.f.io.stderr;
        const show = stderr.isTTY === true && rows.length > PROGRESS_THRESHOLD;
        const bars = { check: show ? progressBar(stderr, "Checking") : undefined, write: show ? progressBar(stderr, "Writing ") : undefined };
        const stop = new AbortController();
        let summary;
        try {
          summary = await interrupts.during(() => stop.abort(), () => importEvents(tix.events, rows, source, {
            skipInvalid: flags.skipInvalid === true,
            skipHint: " (--skip-invalid imports the valid rows)",
            actor: globals.user,
            signal: stop.signal,
            keepIds: flags.rows === true,
            onProgress: (phase, done, total) => {
              if (phase === "write") bars.check?.finish();
              bars[phase]?.update(done, total);
            },
          }));
        } catch (error) {
          bars.check?.finish();
          if (stop.signal.aborted && (error as Error).name === "AbortError") throw new Interrupted("import interrupted", "Import stopped: nothing was written.");
          throw error;
        } finally {
          bars.write?.finish();
        }
        bars.check?.finish();
        const count = summary.created + summary.updated + summary.unchanged;
        const seconds = Math.round((performance.now() - started) / 100) / 10;
        const message = `✓ Imported ${counted(count, "event")} from ${source}`;
        return { type: "import", file, source, summary, seconds, message };
      })));
}

function formatOf(file: string): "csv" | "json" {
  if (file === STANDARD_INPUT) throw invalidArgument("format", "standard input has no name to tell its format by; give --format csv or --format json");
  const extension = extname(file).toLowerCase();
  if (extension === ".csv") return "csv";
  if (extension === ".json") return "json";
  throw invalidArgument("format", `cannot tell the format of "${file}" from its name; give --format csv or --format json`);
}
