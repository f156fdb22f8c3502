import { invalidArgument } from "../errors.js";
import type { TicketRecord } from "../model.js";
import { SEAT_FREE, SEAT_HELD, type SeatIndex } from "./free-index.js";
import { seatLabel } from "./labels.js";
import { findSeat } from "./layout.js";

/** `yours`: held or bought by the user looking; then it is neither `held` nor `sold`. */
export type SeatViewState = "free" | "held" | "sold" | "yours";

/**
 * The map with its seats' states: what `tix seats --json` prints, what `GET /events/{id}/seats`
 * answers, and what the terminal map is drawn from. Sections best first, rows front first, seats
 * left to right as seen facing the stage; the counts add up to the capacity.
 */
export interface SeatMapView {
  capacity: number;
  free: number;
  held: number;
  sold: number;
  yours: number;
  sections: SeatSectionView[];
}

export interface SeatSectionView {
  name: string;
  tier: string;
  rows: SeatRowView[];
}

export interface SeatRowView {
  row: string;
  /** Empty rows (a cross-aisle) before this one. */
  gapBefore: number;
  seats: SeatView[];
}

export interface SeatView {
  /** The seat's name, unique in the map: `Floor:A12`. */
  seat: string;
  number: number;
  state: SeatViewState;
  /** Empty places (an aisle) between this seat and the one before it in the row. */
  gapBefore: number;
}

/** `yours`: seat numbers the viewing user holds or owns. */
export function seatMapView(index: SeatIndex, yours: ReadonlySet<number> = new Set()): SeatMapView {
  const counts = { free: 0, held: 0, sold: 0, yours: 0 };
  let seat = 0;
  const sections = index.layout.map.sections.map((section): SeatSectionView => ({
    name: section.name,
    tier: section.tier,
    rows: section.rows.map((row): SeatRowView => {
      const seats: SeatView[] = [];
      let gap = 0;
      for (const number of row.places) {
        if (number === null) {
          gap++;
          continue;
        }
        const stored = index.state(seat);
        const state: SeatViewState = yours.has(seat) ? "yours" : stored === SEAT_FREE ? "free" : stored === SEAT_HELD ? "held" : "sold";
        counts[state]++;
        seats.push({ seat: seatLabel(section.name, row.label, number), number, state, gapBefore: gap });
        gap = 0;
        seat++;
      }
      return { row: row.label, gapBefore: row.gapBefore, seats };
    }),
  }));
  return { capacity: index.layout.seatCount, ...counts, sections };
}

/** The seats of the tickets a user holds or owns (tickets as stored: a hold already released is `expired`). */
export function yourSeats(index: SeatIndex, tickets: readonly TicketRecord[]): Set<number> {
  const seats = new Set<number>();
  for (const ticket of tickets) {
    if (ticket.seat === null || (ticket.status !== "reserved" && ticket.status !== "purchased")) continue;
    const found = findSeat(index.layout, ticket.seat);
    if ("seat" in found && index.state(found.seat) !== SEAT_FREE) seats.add(found.seat);
  }
  return seats;
}

/** One section of the map (its name matched without regard to case), with its own counts. */
export function onlySection(view: SeatMapView, name: string): SeatMapView {
  const section = view.sections.find((candidate) => candidate.name.toLowerCase() === name.trim().toLowerCase());
  if (!section) throw invalidArgument("section", `the map has no section "${name}"; its sections are ${view.sections.map((candidate) => candidate.name).join(", ")}`);
  const counts = { free: 0, held: 0, sold: 0, yours: 0 };
  let capacity = 0;
  for (const row of section.rows) {
    for (const seat of row.seats) {
      counts[seat.state]++;
      capacity++;
    }
  }
  return { capacity, ...counts, sections: [section] };
}
