import type { SeatMapView, SeatView, SeatViewState } from "../../core/index.js";
import { SEAT_GLYPHS, fit, paint, placesOf } from "../output/seat-map.js";
import type { Style } from "../output/style.js";
import { displayWidth, escapeControl } from "../output/text.js";

/** What the picker is for, and the room it has. */
export interface SeatPickOptions {
  /** The event's name. */
  title: string;
  /** Only seats of this tier can be picked (`reserve --tier`). */
  tier?: string | undefined;
  /** The most seats one order may hold (the per-user limit, else the largest order). */
  limit: number;
  width: number;
  height: number;
}

export type PickerKey = "left" | "right" | "up" | "down" | "space" | "enter";

interface Place {
  seat: SeatView;
  /** Its column in its section's grid (rows centred on the widest, aisles counted). */
  column: number;
}

interface GridRow {
  section: number;
  label: string;
  places: Place[];
}

/** A picked seat's glyph: distinct without colour too. */
const PICKED_GLYPH = "+";
/** The seat under the cursor, without colour: its glyph in capitals (`O`, `H`, `X`), or these. */
const CURSOR_GLYPHS: Readonly<Record<SeatViewState | "picked", string>> = { free: "O", held: "H", sold: "X", yours: "&", picked: "*" };

/**
 * Picking seats on the map with the keyboard, as a state that keys change and a drawing of it:
 * the arrows move a cursor seat by seat (up and down to the nearest seat of the row in front or
 * behind, across sections), Space picks or unpicks a free seat, Enter answers the picked seats
 * (or, when none is, the free seat under the cursor). The drawing shows the cursor's section,
 * as many rows and columns around the cursor as fit, then the cursor's seat and the picks in words.
 */
export class SeatPicker {
  private readonly rows: GridRow[] = [];
  private readonly sectionWidths: number[] = [];
  private row = 0;
  private index = 0;
  private readonly picked: string[] = [];
  private message: string | undefined;

  constructor(private readonly view: SeatMapView, private readonly options: SeatPickOptions) {
    view.sections.forEach((section, sectionIndex) => {
      const rows = section.rows.map(placesOf);
      const width = Math.max(...rows.map((places) => places.length));
      this.sectionWidths.push(width);
      section.rows.forEach((row, depth) => {
        const offset = Math.floor((width - rows[depth]!.length) / 2);
        const places = rows[depth]!.flatMap((seat, place) => (seat ? [{ seat, column: offset + place }] : []));
        this.rows.push({ section: sectionIndex, label: row.row, places });
      });
    });
    this.startAtBestFree();
  }

  /** The seat under the cursor. */
  get cursor(): SeatView {
    return this.rows[this.row]!.places[this.index]!.seat;
  }

  get selection(): readonly string[] {
    return this.picked;
  }

  /** Applies a key; answers the seats to reserve once Enter settles it, else undefined. */
  press(key: PickerKey): string[] | undefined {
    this.message = undefined;
    switch (key) {
      case "left":
      case "right":
        this.index = Math.min(Math.max(this.index + (key === "left" ? -1 : 1), 0), this.rows[this.row]!.places.length - 1);
        return undefined;
      case "up":
      case "down":
        this.moveRow(key === "up" ? -1 : 1);
        return undefined;
      case "space":
        this.toggle();
        return undefined;
      case "enter":
        return this.answer();
    }
  }

  private moveRow(step: number): void {
    const next = this.row + step;
    if (next < 0 || next >= this.rows.length) return;
    const from = this.rows[this.row]!;
    const to = this.rows[next]!;
    let column = from.places[this.index]!.column;
    if (to.section !== from.section) {
      // Another section: the same share of its width.
      const [fromWidth, toWidth] = [this.sectionWidths[from.section]!, this.sectionWidths[to.section]!];
      column = fromWidth <= 1 ? 0 : Math.round((column * (toWidth - 1)) / (fromWidth - 1));
    }
    let best = 0;
    to.places.forEach((place, index) => {
      if (Math.abs(place.column - column) < Math.abs(to.places[best]!.column - column)) best = index;
    });
    this.row = next;
    this.index = best;
  }

  private toggle(): void {
    const seat = this.cursor;
    const at = this.picked.indexOf(seat.seat);
    if (at !== -1) {
      this.picked.splice(at, 1);
      return;
    }
    const refusal = this.refusal(seat);
    if (refusal) {
      this.message = refusal;
      return;
    }
    if (this.picked.length >= this.options.limit) {
      this.message = `at most ${this.options.limit} seats in one order`;
      return;
    }
    this.picked.push(seat.seat);
  }

  private answer(): string[] | undefined {
    if (this.picked.length > 0) return [...this.picked];
    const refusal = this.refusal(this.cursor);
    if (refusal) {
      this.message = `${refusal}; pick free seats with Space`;
      return undefined;
    }
    return [this.cursor.seat];
  }

  /** Why a seat cannot be picked, or undefined. */
  private refusal(seat: SeatView): string | undefined {
    if (seat.state !== "free") return `${seat.seat} is ${seat.state === "yours" ? "already yours" : seat.state}`;
    const tier = this.view.sections[this.rows[this.row]!.section]!.tier;
    if (this.options.tier !== undefined && tier !== this.options.tier) return `${seat.seat} is in tier ${tier}, not ${this.options.tier}`;
    return undefined;
  }

  /** The cursor starts on the free seat nearest the middle of the front-most row that has one (of the tier asked for). */
  private startAtBestFree(): void {
    for (let row = 0; row < this.rows.length; row++) {
      const { section, places } = this.rows[row]!;
      if (this.options.tier !== undefined && this.view.sections[section]!.tier !== this.options.tier) continue;
      const middle = (this.sectionWidths[section]! - 1) / 2;
      let best = -1;
      places.forEach((place, index) => {
        if (place.seat.state !== "free") return;
        if (best === -1 || Math.abs(place.column - middle) < Math.abs(places[best]!.column - middle)) best = index;
      });
      if (best !== -1) {
        this.row = row;
        this.index = best;
        return;
      }
    }
  }

  /**
   * The picker as drawn now: never wider than `width`, never taller than `height` (the terminal's
   * size now, when given: it may have been resized since the picker opened).
   */
  render(style: Style, size: { width: number; height: number } = this.options): string {
    const { width, height } = size;
    const here = this.rows[this.row]!;
    const section = this.view.sections[here.section]!;
    const sectionRows = this.rows.filter((row) => row.section === here.section);
    const depth = sectionRows.indexOf(here);
    const labelWidth = Math.max(...sectionRows.map((row) => row.label.length));
    const columns = Math.max(1, width - labelWidth - 2);
    const sectionWidth = this.sectionWidths[here.section]!;
    const cursorColumn = here.places[this.index]!.column;
    const first = sectionWidth <= columns ? 0 : Math.min(Math.max(cursorColumn - Math.floor(columns / 2), 0), sectionWidth - columns);
    const shown = Math.min(columns, sectionWidth);
    const room = Math.max(1, height - 7);
    const top = Math.min(Math.max(depth - Math.floor(room / 2), 0), Math.max(0, sectionRows.length - room));
    const window = sectionRows.slice(top, top + room);

    const { chalk, marks } = style;
    const cut = (text: string): string => fit(text, width, marks.ellipsis);
    const name = section.tier === section.name ? section.name : `${section.name} (${section.tier})`;
    const free = section.rows.reduce((sum, row) => sum + row.seats.filter((seat) => seat.state === "free").length, 0);
    const rowsShown = window.length < sectionRows.length ? ` ${marks.dot} rows ${window[0]!.label}-${window.at(-1)!.label} of ${sectionRows.length}` : "";
    const lines = [
      chalk.bold(cut(`Pick seats: ${escapeControl(this.options.title)}`)),
      cut(`${" ".repeat(Math.max(0, Math.floor((labelWidth + 2 + shown - 5) / 2)))}STAGE`),
      chalk.bold(keepTail(escapeControl(name), ` ${marks.dot} ${free} of ${section.rows.reduce((sum, row) => sum + row.seats.length, 0)} free${rowsShown}`, width, marks.ellipsis)),
      ...window.map((row) => {
        const cells = Array.from({ length: shown }, () => " ");
        for (const place of row.places) {
          const at = place.column - first;
          if (at >= 0 && at < shown) cells[at] = this.glyph(place.seat, row === here && place === here.places[this.index], style);
        }
        return `${row.label.padStart(labelWidth)}  ${cells.join("")}`.trimEnd();
      }),
      legend(width, style),
      cut(this.status(marks.dot, width)),
      chalk.dim(cut(`${marks.arrows} move ${marks.dot} space pick ${marks.dot} enter reserve ${marks.dot} esc cancel`)),
    ];
    return lines.join("\n");
  }

  private glyph(seat: SeatView, isCursor: boolean, style: Style): string {
    const picked = this.picked.includes(seat.seat);
    if (isCursor) {
      const glyph = CURSOR_GLYPHS[picked ? "picked" : seat.state];
      return style.chalk.inverse(glyph);
    }
    return picked ? style.chalk.magenta.bold(PICKED_GLYPH) : paint(seat.state, style);
  }

  /**
   * The cursor's seat (or a refusal) and the picks, in words. Where that is wider than `width`, the
   * picks come first, each seat by its row and number alone (`A12`, its section left out), then the
   * cursor's seat likewise: cut to the width, what was picked and how many stay in sight.
   */
  private status(dot: string, width: number): string {
    const seat = this.cursor;
    const tier = this.view.sections[this.rows[this.row]!.section]!.tier;
    const picks = this.picked.length === 0 ? "none picked" : `picked ${this.picked.length}: ${this.picked.join(", ")}`;
    const full = this.message === undefined ? `Seat ${seat.seat} (${seat.state}, ${tier}) ${dot} ${picks}` : `${this.message} ${dot} ${picks}`;
    if (displayWidth(full) <= width) return full;
    const short = this.picked.length === 0 ? "none picked" : `picked ${this.picked.length}: ${this.picked.map(inSection).join(", ")}`;
    return this.message === undefined ? `${short} ${dot} ${inSection(seat.seat)} ${seat.state}` : `${short} ${dot} ${this.message}`;
  }
}

/** A seat's name without its section (`Stalls:A12` → `A12`): a section's name never holds `:`. */
const inSection = (seat: string): string => seat.slice(seat.indexOf(":") + 1);

/**
 * `head` then `tail` in `width` columns: where both do not fit, `head` is cut (with `ellipsis`) to
 * keep `tail` whole — a section's counts after its long name — unless that leaves `head` fewer
 * than 4 columns: then the line is cut at its end, as any other.
 */
function keepTail(head: string, tail: string, width: number, ellipsis: string): string {
  const room = width - displayWidth(tail);
  if (displayWidth(head) <= room || room < 4) return fit(`${head}${tail}`, width, ellipsis);
  return `${fit(head, room, ellipsis)}${tail}`;
}

function legend(width: number, style: Style): string {
  const items = (["free", "held", "sold", "yours"] as const).map((state) => `${paint(state, style)} ${state}`);
  items.push(`${style.chalk.magenta.bold(PICKED_GLYPH)} picked`);
  const plain = `${SEAT_GLYPHS.free} free ${SEAT_GLYPHS.held} held ${SEAT_GLYPHS.sold} sold ${SEAT_GLYPHS.yours} yours ${PICKED_GLYPH} picked`;
  return plain.length <= width ? items.join(" ") : fit(plain, width, style.marks.ellipsis);
}

