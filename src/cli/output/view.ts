import type { Style } from "./style.js";
import type { Cell, Column, HumanMode } from "./table.js";
import type { TimeFormat } from "./time.js";

/** What a human view is drawn for: pipe or terminal, colour, the terminal's width, and times. */
export interface View {
  mode: HumanMode;
  style: Style;
  /** Columns a line may take (on a terminal; piped output is never cut). */
  width: number;
  time: TimeFormat;
}

export const text = (value: string | number | null | undefined): Cell => ({ value: value === null || value === undefined ? "" : String(value) });
/** The value, or the style's dash (`—`, or `-` in ASCII) when there is none. */
export const orDash = (value: string | number | null | undefined, view: Pick<View, "style">): Cell =>
  text(value === null || value === undefined || value === "" ? view.style.marks.dash : value);

/** A column of one form. */
export function column<T>(header: string, value: (item: T) => Cell, options: Omit<Column<T>, "forms"> = {}): Column<T> {
  return { forms: [{ header, cell: value }], ...options };
}

/** A number column, right-aligned. */
export function numberColumn<T>(header: string, value: (item: T) => number): Column<T> {
  return column(header, (item) => text(value(item)), { align: "right" });
}

/**
 * A time column, in three forms from widest to narrowest: "Sun 15 Jun 2025 20:00 · 1y 5mo ago",
 * "15 Jun 2025 20:00 · 1y 5mo ago", "1y 5mo ago" — every one relative, as a terminal's lists are
 * (the contract). The zone is said once, in the header: "STARTS (UTC)"; "(local time)" when the
 * rows' offsets differ (summer and winter).
 */
export function timeColumn<T>(header: string, at: (item: T) => string | null, view: View): Column<T> {
  let named: string | undefined;
  const zoned = (items: readonly T[]): string => (named ??= zonedHeader(items));
  const zonedHeader = (items: readonly T[]): string => {
    const zones = new Set<string>();
    for (const item of items) {
      const iso = at(item);
      if (iso !== null) zones.add(view.time.zone(iso));
    }
    return zones.size === 1 ? `${header} (${[...zones][0]})` : zones.size === 0 ? header : `${header} (local time)`;
  };
  const form = (title: string | ((items: readonly T[]) => string), show: (iso: string) => string) => ({
    header: title,
    cell: (item: T) => {
      const iso = at(item);
      return orDash(iso === null ? null : show(iso), view);
    },
  });
  return {
    forms: [
      form(zoned, (iso) => view.time.withoutZone(iso)),
      form(zoned, (iso) => view.time.dated(iso)),
      form(header, (iso) => view.time.relative(iso)),
    ],
  };
}
