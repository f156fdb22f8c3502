import { parse as parseCsv } from "csv-parse/sync";
import { invalidArgument } from "../core/index.js";
import type { EventInput } from "../app/events.js";

/** Reads events from CSV (with a header row) or JSON (an array, or `{ "events": [...] }`). */
export function parseEventRows(text: string, format: "csv" | "json"): EventInput[] {
  if (format === "json") {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw invalidArgument("file", `is not valid JSON: ${(error as Error).message}`);
    }
    const rows = Array.isArray(data) ? data : (data as { events?: unknown })?.events;
    if (!Array.isArray(rows)) throw invalidArgument("file", "must hold a JSON array of events, or { \"events\": [...] }");
    return rows.map((row: Record<string, unknown>) => normaliseRow(row));
  }
  let records: Record<string, string>[];
  try {
    records = parseCsv(text, { columns: (header: string[]) => header.map(camelCase), skip_empty_lines: true, trim: true, bom: true });
  } catch (error) {
    throw invalidArgument("file", `is not valid CSV: ${(error as Error).message.split("\n")[0]}`);
  }
  return records.map((record) => normaliseRow(record));
}

function camelCase(header: string): string {
  return header.trim().replace(/[-_ ]+(\w)/g, (_, letter: string) => letter.toUpperCase()).replace(/^\w/, (letter) => letter.toLowerCase());
}

/**
 * CSV columns (and JSON keys) an import understands. Tiers in CSV: `VIP:50:120.00;GA:500:45.00`
 * (each as `--tier` takes it, options included: `Presale:200:39.00,code=FANS`).
 */
function normaliseRow(row: Record<string, unknown>): EventInput {
  const text = (value: unknown) => (value === undefined || value === null || value === "" ? undefined : String(value));
  const tiers = row.tiers;
  return {
    id: text(row.id),
    name: text(row.name) ?? "",
    capacity: text(row.capacity),
    venue: text(row.venue),
    startsAt: text(row.startsAt),
    hold: text(row.hold),
    price: text(row.price),
    currency: text(row.currency),
    tiers: Array.isArray(tiers) ? tiers.map(String) : text(tiers)?.split(";").map((tier) => tier.trim()).filter(Boolean),
    limitPerUser: text(row.limitPerUser),
    salesStart: text(row.salesStart),
    salesEnd: text(row.salesEnd),
  };
}
