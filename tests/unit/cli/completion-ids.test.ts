import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix, type Tix } from "../../../src/app/open-tix.js";
import { COMPLETION_IDS, listIds } from "../../../src/cli/completion/ids.js";
import { ManualClock } from "../../../src/core/index.js";

/** alice's tickets in every state, and bob's hold: what each command's Tab may offer of them. */
let tix: Tix;
const alice: Record<"expired" | "held" | "bought" | "used" | "cancelled", string> = { expired: "", held: "", bought: "", used: "", cancelled: "" };
let bobs = "";

beforeAll(async () => {
  const clock = new ManualClock("2030-01-01T00:00:00Z");
  tix = await openTix({ store: "memory", clock });
  const event = async (name: string) => (await tix.events.create({ name, capacity: 10 })).event.id;
  const reserve = async (eventId: string, userId = "alice") => (await tix.tickets.reserve({ eventId, userId })).ticket.id;
  alice.expired = await reserve(await event("Expired"));
  clock.advance(11 * 60_000); // past the default 10m hold
  alice.held = await reserve(await event("Held"));
  alice.bought = await reserve(await event("Bought"));
  await tix.tickets.purchase({ ticketId: alice.bought, userId: "alice" });
  alice.used = await reserve(await event("Used"));
  await tix.tickets.purchase({ ticketId: alice.used, userId: "alice" });
  await tix.tickets.checkIn({ ticketId: alice.used, actor: "door" });
  alice.cancelled = await reserve(await event("Cancelled"));
  await tix.tickets.cancel({ ticketId: alice.cancelled, userId: "alice" });
  bobs = await reserve(await event("Bob's"), "bob");
});
afterAll(() => tix.close());

const sorted = (...ids: string[]) => [...ids].sort();

describe("ticket ids offered for a command: the ones it can act on", () => {
  // Before, every command was offered all of alice's tickets, which then failed (ALREADY_PURCHASED…).
  it("purchase: live holds only", async () => {
    expect(await listIds(tix, "ticket", "alice", "", "purchase")).toEqual([alice.held]);
  });

  it("cancel: live holds and purchased tickets not checked in", async () => {
    expect(await listIds(tix, "ticket", "alice", "", "cancel")).toEqual(sorted(alice.held, alice.bought));
  });

  it("transfer and checkin: purchased tickets not checked in", async () => {
    expect(await listIds(tix, "ticket", "alice", "", "transfer")).toEqual([alice.bought]);
    expect(await listIds(tix, "ticket", "alice", "", "checkin")).toEqual([alice.bought]);
  });

  it("ticket show, or no command named (a script made before --for): every one of the user's, never another user's", async () => {
    const all = sorted(...Object.values(alice));
    expect(await listIds(tix, "ticket", "alice", "", "ticket show")).toEqual(all);
    expect(await listIds(tix, "ticket", "alice")).toEqual(all);
    expect(await listIds(tix, "ticket", "alice")).not.toContain(bobs);
    expect(await listIds(tix, "ticket", "alice", alice.bought.slice(0, -1), "cancel")).toEqual([alice.bought]);
  });
});
describe("ticket ids of a user with thousands of tickets", () => {
  /** `tix` whose use-case calls are recorded in `read`. */
  function counting(tix: Tix, read: unknown[]): Tix {
    return new Proxy(tix, {
      get: (target, name) => name !== "tickets" ? Reflect.get(target, name) : new Proxy(target.tickets, {
        get: (tickets, method) => {
          const real = Reflect.get(tickets, method) as (...args: unknown[]) => unknown;
          return (...args: unknown[]) => {
            read.push([method, ...args]);
            return real.apply(tickets, args);
          };
        },
      }),
    });
  }

  it("are read through the index on the user's ids: a prefix few share reads those few, one many share stops at COMPLETION_IDS", async () => {
    const many = await openTix({ store: "memory" });
    try {
      const { event } = await many.events.create({ name: "Big", capacity: 5000 });
      for (let i = 0; i < 60; i++) {
        const { ticket } = await many.tickets.reserve({ eventId: event.id, userId: "alice", quantity: 50 });
        await many.tickets.purchase({ ticketId: ticket.orderId, userId: "alice" });
      }
      const all = (await many.tickets.list({ userId: "alice" })).map((ticket) => ticket.id).sort();
      const read: unknown[] = [];
      const ids = await listIds(counting(many, read), "ticket", "alice", "tkt_", "cancel");
      expect(ids).toEqual(all.slice(0, COMPLETION_IDS));
      expect(read).toEqual([["byIdPrefix", { userId: "alice", prefix: "tkt_", limit: COMPLETION_IDS, after: undefined }]]);
      // A prefix only one ticket has: one read, of one ticket. Before, the user's whole list was
      // paged through (3,000 tickets) to find it.
      read.length = 0;
      const newest = (await many.tickets.list({ userId: "alice" })).at(-1)!.id;
      expect(await listIds(counting(many, read), "ticket", "alice", newest, "cancel")).toEqual([newest]);
      expect(read).toEqual([["byIdPrefix", { userId: "alice", prefix: newest, limit: COMPLETION_IDS, after: undefined }]]);
      // Passed over (none it can act on): read on, a page after the last, to the range's end.
      read.length = 0;
      expect(await listIds(counting(many, read), "ticket", "alice", "tkt_", "purchase")).toEqual([]);
      expect(read).toHaveLength(Math.ceil(all.length / COMPLETION_IDS) + (all.length % COMPLETION_IDS === 0 ? 1 : 0));
      expect(read[1]).toEqual(["byIdPrefix", { userId: "alice", prefix: "tkt_", limit: COMPLETION_IDS, after: all[COMPLETION_IDS - 1] }]);
    } finally {
      await many.close();
    }
  });
});
