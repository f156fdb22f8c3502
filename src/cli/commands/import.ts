import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { Command, Option } from "commander";
import { invalidArgument } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { progressBar } from "../output/progress.js";

/** Files with more rows than this get a progress bar (on a terminal). */
const PROGRESS_THRESHOLD = 500;

export function importCommand(ctx: CommandContext): Command {
  return new Command("import")
    .description("create or update events from a CSV or JSON file, all or nothing")
    .argument("<file>", "a .csv file with a header row, or a .json array of events")
    .addOption(new Option("--format <format>", "csv or json (default: from the file's extension)").choices(["csv", "json"]))
    .option("--skip-invalid", "import the valid rows and report the others, instead of importing nothing")
    .addHelpText("after", `
Columns (CSV header, or JSON keys): id, name, capacity, venue, startsAt, hold, price, currency,
tiers ("VIP:50:120.00;GA:500:45.00"), limitPerUser. A row with the id of an existing event updates it.

Examples:
  $ tix import events.csv
  $ tix import events.json --skip-invalid --json`)
    .action((file: string, flags: { format?: "csv" | "json"; skipInvalid?: boolean }, command: Command) =>
      ctx.perform(command, async (tix, globals) => {
        const format = flags.format ?? formatOf(file);
        const [{ importEvents }, { parseEventRows }] = await Promise.all([import("../../app/import-events.js"), import("../import-rows.js")]); // csv-parse only here
        const rows = parseEventRows(readText(file), format);
        const bar = globals.mode === "tty" && ctx.f.io.stderr.isTTY && rows.length > PROGRESS_THRESHOLD ? progressBar(ctx.f.io.stderr, "Validating") : undefined;
        const outcome = await importEvents(tix.events, rows, { skipInvalid: flags.skipInvalid === true, actor: globals.user, onProgress: bar?.update });
        bar?.finish();
        const message = `✓ Imported ${outcome.events.length} event${outcome.events.length === 1 ? "" : "s"} from ${file}`;
        return { type: "import", events: outcome.events.map((result) => result.event), skipped: outcome.skipped, message };
      }));
}

function formatOf(file: string): "csv" | "json" {
  const extension = extname(file).toLowerCase();
  if (extension === ".csv") return "csv";
  if (extension === ".json") return "json";
  throw invalidArgument("format", `cannot tell the format of "${file}" from its name; give --format csv or --format json`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw invalidArgument("file", `cannot read "${file}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
