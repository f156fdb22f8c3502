import { TixError } from "../errors.js";
import type { Change, TicketRecord } from "../model.js";
import { bestAdjacentSeats } from "./best-available.js";
import { SEAT_FREE, SEAT_HELD, SEAT_SOLD, type SeatIndex, type SeatState } from "./free-index.js";
import { findSeat, labelOfSeat, tierOfSeat } from "./layout.js";

/**
 * One event's seats as a decision changes them. The index a decision is given is the store's and
 * is never written: the first change works on a copy, which the `saveSeats` change hands back.
 */
export class SeatDraft {
  private current: SeatIndex;
  private copied = false;

  constructor(readonly eventId: string, base: SeatIndex) {
    this.current = base;
  }

  /** A draft of seats the decision made itself (a new map): saved even if nothing else changes. */
  static fresh(eventId: string, index: SeatIndex): SeatDraft {
    const draft = new SeatDraft(eventId, index);
    draft.copied = true;
    return draft;
  }

  /** The seats as they stand in this decision (read only: change them with `set`). */
  get index(): SeatIndex {
    return this.current;
  }

  /** The copy this decision may change (best available's split marks seats while it chooses). */
  writable(): SeatIndex {
    if (!this.copied) {
      this.current = this.current.clone();
      this.copied = true;
    }
    return this.current;
  }

  set(seats: readonly number[], state: SeatState): void {
    if (seats.length > 0) this.writable().set(seats, state);
  }

  /** The seat a ticket holds, by its stored name. */
  seatOf(ticket: TicketRecord): number {
    const found = ticket.seat === null ? undefined : findSeat(this.current.layout, ticket.seat);
    if (!found || "reason" in found) throw new TixError("INTERNAL", `ticket ${ticket.id} names no seat of event ${ticket.eventId}'s map (${ticket.seat})`);
    return found.seat;
  }

  /** Moves tickets' seats to `state` (a hold, a purchase, a release). */
  setTickets(tickets: readonly TicketRecord[], state: SeatState): void {
    this.set(tickets.filter((ticket) => ticket.seat !== null).map((ticket) => this.seatOf(ticket)), state);
  }

  /** The best free seat of a tier, taken as held (a waiting user's promotion): its name, or undefined. */
  takeBestSeat(tier: string): string | undefined {
    const [seat] = bestAdjacentSeats(this.current, tier, 1) ?? [];
    if (seat === undefined) return undefined;
    this.set([seat], SEAT_HELD);
    return labelOfSeat(this.current.layout, seat);
  }

  tierOf(seat: number): string {
    return tierOfSeat(this.current.layout, seat);
  }

  /** The change to store, when any seat changed. */
  changes(): Change[] {
    return this.copied ? [{ type: "saveSeats", eventId: this.eventId, seats: this.current }] : [];
  }
}

/** The state a ticket's seat is in while the ticket lives: held for a hold, sold once bought. */
export function seatStateOf(ticket: Pick<TicketRecord, "status">): SeatState {
  return ticket.status === "reserved" ? SEAT_HELD : ticket.status === "purchased" ? SEAT_SOLD : SEAT_FREE;
}

/** Drafts for the seated events among `indexes`, made as they are first asked for. */
export class SeatDrafts {
  private readonly drafts = new Map<string, SeatDraft>();

  constructor(private readonly indexes: ReadonlyMap<string, SeatIndex>) {}

  /** The draft of a seated event; INTERNAL when the store did not load its seats. */
  of(eventId: string): SeatDraft {
    let draft = this.drafts.get(eventId);
    if (!draft) {
      const index = this.indexes.get(eventId);
      if (!index) throw new TixError("INTERNAL", `the seats of event ${eventId} were not loaded`);
      draft = new SeatDraft(eventId, index);
      this.drafts.set(eventId, draft);
    }
    return draft;
  }

  changes(): Change[] {
    return [...this.drafts.values()].flatMap((draft) => draft.changes());
  }
}
