import { beforeEach, describe, expect, it } from "vitest";
import type { ManualClock, TicketView, TixStore } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { expectCode } from "../helpers/expect-code.js";

/**
 * A snapshot (Tix.snapshot, what a streamed list reads from), the same on every store: its pages
 * show the state as of its first read, whatever another connection commits between them; it
 * takes no write; once closed, it reads no more and holds nothing. `another`: the same state
 * opened again, as another process would (none for memory: nothing outside the process writes it).
 */
export function snapshotContract(adapter: string, current: () => { tix: Tix; clock: ManualClock; another: (() => Promise<TixStore>) | undefined }): void {
  describe("snapshot: a streamed list's pages read one state", () => {
    let tix: Tix;
    let clock: ManualClock;
    let another: (() => Promise<TixStore>) | undefined;
    beforeEach(() => ({ tix, clock, another } = current()));

    /** 20 tickets of one event, one per user, a second apart, the even ones bought. */
    async function twentyTickets(): Promise<{ eventId: string; tickets: TicketView[] }> {
      const { event } = await tix.events.create({ id: "evt_snap", name: "Snap", capacity: 40, price: "10.00" });
      const tickets: TicketView[] = [];
      for (let n = 0; n < 20; n++) {
        const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: `user${n}` });
        if (n % 2 === 0) await tix.tickets.purchase({ ticketId: ticket.id, userId: `user${n}` });
        tickets.push((await tix.tickets.get(ticket.id))!);
        clock.advance(1000);
      }
      return { eventId: event.id, tickets };
    }

    /** Every page of a list after the first, `size` at a time. */
    async function restOf(view: Tix, query: { eventId: string; status?: "reserved" }, after: string | null, size: number): Promise<TicketView[]> {
      const items: TicketView[] = [];
      while (after !== null) {
        const page = await view.tickets.page({ ...query, limit: size, after });
        items.push(...page.tickets);
        after = page.next;
      }
      return items;
    }

    it(adapter === "memory"
      ? "pages read after the first show the state as of it (memory: no write can run meanwhile, see below)"
      : "a cancellation and a reservation committed by another connection between two pages are seen by neither", async () => {
      const { eventId, tickets } = await twentyTickets();
      const view = await tix.snapshot();
      try {
        const first = await view.tickets.page({ eventId, limit: 5 });
        const reservedFirst = await view.tickets.page({ eventId, status: "reserved", limit: 2 });
        expect(first.tickets.map((ticket) => ticket.id)).toEqual(tickets.slice(0, 5).map((ticket) => ticket.id));
        const later = tickets[15]!; // on a later page; reserved (odd)
        expect(later.status).toBe("reserved");
        if (another) {
          const writer = createTix(await another(), clock);
          try {
            await writer.tickets.cancel({ ticketId: later.id, userId: "user15" });
            await writer.tickets.reserve({ eventId, userId: "late" });
            expect((await writer.tickets.get(later.id))!.status).toBe("cancelled");
          } finally {
            await writer.close();
          }
          // Outside the snapshot, the store shows the writes.
          if (adapter === "postgres") expect((await tix.tickets.get(later.id))!.status).toBe("cancelled");
        }
        const all = [...first.tickets, ...(await restOf(view, { eventId }, first.next, 4))];
        expect(all).toEqual(tickets);
        const reserved = [...reservedFirst.tickets, ...(await restOf(view, { eventId, status: "reserved" }, reservedFirst.next, 3))];
        expect(reserved.map((ticket) => ticket.id)).toEqual(tickets.filter((ticket) => ticket.status === "reserved").map((ticket) => ticket.id));
        const event = await view.events.get(eventId);
        expect({ held: event.held, sold: event.sold }).toEqual({ held: 10, sold: 10 });
        const log = await view.log.page({ eventId, limit: 1000 });
        expect(log.entries.filter((entry) => entry.action === "ticket.cancelled")).toEqual([]);
      } finally {
        await view.close();
      }
      // Closed: the snapshot reads no more, saying so (not that the store, still open, was closed); the store reads now.
      await expectCode(view.tickets.page({ eventId, limit: 5 }), "STORE_CLOSED");
      await expect(view.events.get(eventId)).rejects.toThrow(/^this snapshot of .* was closed \(the store itself is open\): read through the store, or take another snapshot$/);
      const now = await tix.tickets.page({ eventId, limit: 100 });
      expect(now.tickets).toHaveLength(another ? 21 : 20);
      if (another) expect(now.tickets.find((ticket) => ticket.id === tickets[15]!.id)!.status).toBe("cancelled");
    });

    it("takes no write; on a store of one connection (SQLite) or in the process (memory), the store takes none while it is open", async () => {
      const { eventId } = await twentyTickets();
      const view = await tix.snapshot();
      try {
        await expectCode(view.tickets.reserve({ eventId, userId: "someone" }), "INVALID_ARGUMENT");
        // Opened by its first read (opening releases due holds, a write: nothing before it).
        await tix.tickets.reserve({ eventId, userId: "before-its-first-read" });
        await view.events.get(eventId);
        if (adapter === "postgres") {
          // Its own connection: the store writes on others meanwhile.
          await tix.tickets.reserve({ eventId, userId: "someone" });
        } else {
          await expectCode(tix.tickets.reserve({ eventId, userId: "someone" }), "INVALID_ARGUMENT");
        }
        await expectCode(view.snapshot(), "INVALID_ARGUMENT");
      } finally {
        await view.close();
        await view.close(); // twice is harmless
      }
      // Closed: the store writes again.
      await tix.tickets.reserve({ eventId, userId: "after" });
      // A snapshot never read holds nothing: closing it is all.
      await (await tix.snapshot()).close();
      await tix.tickets.reserve({ eventId, userId: "after-an-unread-one" });
    });

    it("releases the holds due when it opens; one falling due while it is open stays as it was", async () => {
      const { event } = await tix.events.create({ id: "evt_due", name: "Due", capacity: 5, price: "10.00", hold: "1m" });
      const first = await tix.tickets.reserve({ eventId: event.id, userId: "ann" });
      clock.advance(30_000);
      const second = await tix.tickets.reserve({ eventId: event.id, userId: "ben" });
      clock.advance(31_000); // ann's hold is due, ben's not
      const view = await tix.snapshot();
      try {
        expect((await view.tickets.get(first.ticket.id))!.status).toBe("expired");
        clock.advance(60_000); // ben's is due now, but not at the snapshot's moment
        expect((await view.tickets.get(second.ticket.id))!.status).toBe("reserved");
        expect((await view.events.get(event.id)).held).toBe(1);
      } finally {
        await view.close();
      }
      expect((await tix.tickets.get(second.ticket.id))!.status).toBe("expired");
    });
  });
}
