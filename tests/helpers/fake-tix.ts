import { PassThrough } from "node:stream";
import type { EventReport, EventView, TicketView, VoucherView } from "../../src/core/index.js";
import type { OpenTixOptions, Tix } from "../../src/app/open-tix.js";
import { Factory } from "../../src/cli/factory.js";

export const FAKE_EVENT: EventView = {
  id: "evt_fake", name: "Fake", venue: null, startsAt: null, capacity: 10, held: 0, sold: 0, available: 10, holdSeconds: 600,
  price: "1.00", priceMinor: 100, currency: "USD", tiers: [{ name: "GA", capacity: 10, held: 0, sold: 0, available: 10, price: "1.00", priceMinor: 100, salesStart: null, salesEnd: null, requiresCode: false }],
  limitPerUser: null, salesStart: null, salesEnd: null, seated: false,
};

export const FAKE_TICKET: TicketView = {
  id: "tkt_fake", eventId: "evt_fake", tier: "GA", orderId: "ord_fake", userId: "alice", status: "reserved",
  reservedAt: "2025-06-01T12:00:00.000Z", expiresAt: "2025-06-01T12:10:00.000Z", purchasedAt: null, cancelledAt: null, checkedInAt: null,
  price: "1.00", priceMinor: 100, currency: "USD", cardLast4: null, voucher: null, discount: "0.00", discountMinor: 0, seat: null,
};

const line = { tier: "GA", capacity: 10, sold: 0, held: 0, available: 10, revenue: "0.00", revenueMinor: 0, discounts: "0.00", discountsMinor: 0, refunds: 0, refunded: "0.00", refundedMinor: 0, checkedIn: 0 };
const FAKE_REPORT: EventReport = { eventId: "evt_fake", name: "Fake", currency: "USD", tiers: [line], total: { ...line, tier: "total" } };

const order = { ticket: FAKE_TICKET, tickets: [FAKE_TICKET], orderId: "ord_fake" };

const FAKE_VOUCHER: VoucherView = {
  eventId: "evt_fake", code: "FAKE", discount: "10%", percent: 10, amount: null, amountMinor: null, maxUses: null, uses: 0, validUntil: null,
  tier: null, createdAt: "2025-06-01T12:00:00.000Z",
};

/** What each use case answers by default: just enough for a command to finish and print. */
const ANSWERS: Record<string, () => unknown> = {
  "events.create": () => ({ event: FAKE_EVENT, created: true, changes: [], leftWaitlist: [] }),
  "events.createMany": () => [{ event: FAKE_EVENT, created: true, changes: [], leftWaitlist: [] }],
  "events.update": () => ({ event: FAKE_EVENT, changes: [], leftWaitlist: [] }),
  "events.get": () => FAKE_EVENT,
  "events.list": () => [FAKE_EVENT],
  "events.ids": () => [FAKE_EVENT.id],
  "events.page": () => ({ events: [FAKE_EVENT], next: null }),
  "events.exportPage": () => ({ events: [], next: null }),
  "events.upcomingFirst": () => ({ events: [FAKE_EVENT], total: 1 }),
  "events.report": () => FAKE_REPORT,
  "events.seed": () => [{ event: FAKE_EVENT, created: true, changes: [], leftWaitlist: [] }],
  "tickets.reserve": () => ({ ...order, replayed: false, key: "key_fake" }),
  "tickets.purchase": () => order,
  "tickets.cancel": () => order,
  "tickets.checkIn": () => FAKE_TICKET,
  "tickets.get": () => FAKE_TICKET,
  "tickets.list": () => [FAKE_TICKET],
  "tickets.page": () => ({ tickets: [FAKE_TICKET], next: null }),
  "tickets.byIdPrefix": () => [FAKE_TICKET],
  "tickets.first": () => ({ tickets: [FAKE_TICKET], total: 1 }),
  "tickets.anySeated": () => false,
  "tickets.transfer": () => ({ ...order, from: "alice" }),
  "vouchers.create": () => FAKE_VOUCHER,
  "vouchers.list": () => [FAKE_VOUCHER],
  "vouchers.page": () => ({ vouchers: [FAKE_VOUCHER], next: null }),
  "waitlist.join": () => ({ entry: { eventId: "evt_fake", userId: "alice", tier: "GA", joinedAt: "2025-06-01T12:00:00.000Z", position: 1 }, joined: true, ticket: null }),
  "waitlist.leave": () => undefined,
  "waitlist.show": () => [],
  "log.list": () => [],
  "log.page": () => ({ entries: [], next: null }),
  "log.countByTime": () => undefined,
  "idempotency.lookup": () => undefined,
};

/** One call a command made of the use cases: `["tickets.reserve", { eventId: … }]`. */
export type Call = [method: string, ...args: unknown[]];

/**
 * Use cases that record every call and answer canned views: what a command asks of them, without
 * a store. `opened` lists the options each store was opened with.
 */
export function fakeTix(): { tix: Tix; calls: Call[]; opened: OpenTixOptions[] } {
  const calls: Call[] = [];
  const opened: OpenTixOptions[] = [];
  const noun = (name: string) => new Proxy({}, {
    get: (_target, method: string) => async (...args: unknown[]) => {
      calls.push([`${name}.${method}`, ...args]);
      const answer = ANSWERS[`${name}.${method}`];
      if (!answer) throw new Error(`the fake has no answer for ${name}.${method}`);
      return answer();
    },
  });
  const tix = {
    events: noun("events"), tickets: noun("tickets"), waitlist: noun("waitlist"), log: noun("log"), idempotency: noun("idempotency"),
    vouchers: noun("vouchers"),
    close: async () => {},
    // A streamed list reads from a snapshot: the same use cases, its calls recorded alike.
    snapshot: async () => tix,
  } as unknown as Tix;
  return { tix, calls, opened };
}

/** A CLI factory over fake use cases, pipes for stdout and stderr (no terminal), and this environment. */
export function fakeCli(env: Record<string, string> = {}) {
  const { tix, calls, opened } = fakeTix();
  const output = { stdout: "", stderr: "" };
  const io = {
    stdout: { write: (text: string) => (output.stdout += text), isTTY: false },
    stderr: { write: (text: string) => (output.stderr += text), isTTY: false },
    stdin: Object.assign(new PassThrough(), { isTTY: false }),
    env: { TIX_USER: "alice", TIX_HOME: "/nonexistent/tix-test", NO_COLOR: "1", ...env },
  };
  const f = new Factory(io, {
    openTix: async (options) => {
      opened.push(options);
      return tix;
    },
  });
  return { f, calls, opened, output };
}
