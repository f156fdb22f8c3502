/** What the seat rushes (SQLite, PostgreSQL) share: one row of seats, who asks for which, and what was acknowledged. */

export const SEATS = 20;

/** Attempt `index` of a lane: overlapping pairs of named seats, or the best two side by side. */
export function seatRequest(lane: number, index: number): string[] {
  if ((lane + index) % 3 === 0) return ["--quantity", "2"];
  const first = ((lane * 7 + index * 3) % (SEATS - 1)) + 1;
  return ["--seats", `A${first},A${first + 1}`];
}

/** What an acknowledged success says each of its seats now is. */
export type Acknowledged = Map<string, { ticketId: string; status: "reserved" | "purchased" | "cancelled" }>;

export function acknowledge(acknowledged: Acknowledged, tickets: Array<{ id: string; seat: string | null }>, status: "reserved" | "purchased" | "cancelled") {
  for (const ticket of tickets) {
    const previous = acknowledged.get(ticket.seat!);
    // A seat released may be taken again by another order: the newest live ticket wins.
    if (status === "cancelled" && previous && previous.ticketId !== ticket.id) continue;
    acknowledged.set(ticket.seat!, { ticketId: ticket.id, status });
  }
}
