import type { Command } from "commander";
import { invalidArgument } from "../core/index.js";
import type { RawGlobals } from "./globals.js";

/**
 * `--json` with a `--format` typed on the line that is not json (`report --format csv --json`):
 * two answers to one question, refused (--json won in silence) rather than one picked. A file
 * (`export --output FILE`) is written in --format while --json shapes the answer: no conflict.
 */
export function refuseFormatWithJson(command: Command, format: string): void {
  if (format === "json" || command.getOptionValueSource("format") !== "cli") return;
  if (command.optsWithGlobals<RawGlobals>().json !== true) return;
  throw invalidArgument("format", `give --format ${format} or --json, not both`);
}
