import Table from "cli-table3";
import type { Style } from "./style.js";
import { escapeControl } from "./text.js";

export type OutputMode = "json" | "tty" | "plain";
export type HumanMode = Exclude<OutputMode, "json">;

/** A column or a field: how it is named, and (on a terminal only) how it is coloured. */
export interface Cell {
  value: string;
  color?: ((text: string) => string) | undefined;
}

const NO_BORDERS = Object.fromEntries(
  ["top", "top-mid", "top-left", "top-right", "bottom", "bottom-mid", "bottom-left", "bottom-right",
    "left", "left-mid", "mid", "mid-mid", "right", "right-mid"].map((name) => [name, ""]),
);

/**
 * A list: on a terminal, an aligned table under an upper-case header; piped, tab-separated lines
 * with no header (as gh does). Every value is escaped, so it can never break a line or a column.
 */
export function renderList(mode: HumanMode, headers: string[], rows: Cell[][], style: Style): string {
  if (mode === "plain") {
    return rows.map((row) => row.map((cell) => escapeControl(cell.value)).join("\t") + "\n").join("");
  }
  const table = new Table({
    head: headers.map((header) => style.chalk.bold(header.toUpperCase())),
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
    chars: { ...NO_BORDERS, middle: "  " },
  });
  for (const row of rows) table.push(row.map((cell) => paint(cell)));
  return `${table.toString().split("\n").map((line) => line.trimEnd()).join("\n")}\n`;
}

/** One record: `Label  value` lines on a terminal; `field:\tvalue` lines when piped. */
export function renderFields(mode: HumanMode, fields: Array<[field: string, label: string, cell: Cell]>, style: Style): string {
  if (mode === "plain") return fields.map(([field, , cell]) => `${field}:\t${escapeControl(cell.value)}\n`).join("");
  const width = Math.max(...fields.map(([, label]) => label.length));
  return fields.map(([, label, cell]) => `${style.chalk.bold(label.padEnd(width))}  ${paint(cell)}\n`).join("");
}

function paint(cell: Cell): string {
  const safe = escapeControl(cell.value);
  return cell.color ? cell.color(safe) : safe;
}
