/**
 * The columns of an events file, as `tix import` reads them and `tix export events` writes them:
 * one list and one cell syntax for both, so that what export writes import reads back.
 */

/** The columns (CSV header, JSON keys), in the order export writes them, as the fields they fill. */
export const EVENT_COLUMNS = ["id", "name", "capacity", "venue", "startsAt", "hold", "price", "currency", "tiers", "limitPerUser", "salesStart", "salesEnd", "seats"] as const;
export type EventColumn = (typeof EVENT_COLUMNS)[number];

/** The columns holding several items in one CSV cell (`VIP:50:120.00; GA:500:45.00`). */
export const LIST_COLUMNS: ReadonlySet<EventColumn> = new Set(["tiers", "seats"]);

/**
 * A list cell's items: separated by `;`; `\;` is a `;` within an item (a tier or section named
 * `Pit; Front`) and `\\` a backslash (any other `\` is itself). Items are trimmed; empty ones dropped.
 */
export function splitListCell(cell: string): string[] {
  const items: string[] = [];
  let item = "";
  for (let at = 0; at < cell.length; at++) {
    const char = cell[at]!;
    const next = cell[at + 1];
    if (char === "\\" && (next === ";" || next === "\\")) {
      item += next;
      at++;
    } else if (char === ";") {
      items.push(item);
      item = "";
    } else {
      item += char;
    }
  }
  items.push(item);
  return items.map((text) => text.trim()).filter((text) => text !== "");
}

/** The inverse of splitListCell: items joined with `; `, each `;` and `\` in them escaped. */
export function joinListCell(items: readonly string[]): string {
  return items.map((item) => item.replace(/[\\;]/g, (char) => `\\${char}`)).join("; ");
}

/** A cell a spreadsheet would read as a formula (=, +, -, @, a tab or carriage return), after any `'`s. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Text a spreadsheet shows as it is, never runs (as OWASP's "CSV Injection" page advises): a cell
 * that starts with a formula's first character gets a leading `'`. So does one that already starts
 * with `'`s before such a character, so that readCsvCell gives every cell back exactly.
 */
export function spreadsheetSafe(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of spreadsheetSafe: the `'` it added taken off again (a `'` before anything else stays). */
export function readCsvCell(value: string): string {
  return FORMULA_START.test(value) && value.startsWith("'") ? value.slice(1) : value;
}
