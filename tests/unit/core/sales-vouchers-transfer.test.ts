import { describe, expect, it } from "vitest";
import {
  decideCancel,
  decideCreateVoucher,
  decidePurchase,
  decideReserve,
  decideTransfer,
  decideUpdateEvent,
  discountFor,
  eventWindow,
  isOnSale,
  nextAnnualDate,
  parseTierSpec,
  parseVoucherInput,
  promoteWaiting,
  tierWindow,
  plainChanges,
  type Change,
  type DecidedChange,
  type VoucherRecord,
  type WaitlistEntry,
} from "../../../src/core/index.js";
import { NOW, codeOf, event, messageOf, sequentialIds, ticket, tier, waiting } from "../../helpers/core-fixtures.js";

const HOUR = 3_600_000;
const standing = { liveHolds: 0, committed: 0 };
const reserveSnapshot = (ev = event()) => ({ event: ev, keyRecord: undefined, keyTickets: [], standing, waitlistEntry: undefined });
const reserve = (ev: ReturnType<typeof event>, now = NOW, extra: { tier?: string; code?: string } = {}) =>
  decideReserve(reserveSnapshot(ev), { eventId: ev.id, userId: "alice", key: "k", quantity: 1, ...extra }, now, sequentialIds());
const voucher = (overrides: Partial<VoucherRecord> = {}): VoucherRecord => ({
  eventId: "evt_1", code: "SPRING", kind: "percent", value: 20, maxUses: null, uses: 0, validUntil: null, tier: null, createdAt: NOW, ...overrides,
});
const saved = (changes: readonly DecidedChange[], type: Change["type"]) => plainChanges(changes).filter((change) => change.type === type);

describe("sales windows", () => {
  it("an update that empties the window names the time it gave, not the sales start it left alone", () => {
    const ev = event({ startsAt: NOW + 10 * HOUR, salesStart: NOW + 2 * HOUR, salesEnd: NOW + 8 * HOUR });
    const update = (patch: Parameters<typeof decideUpdateEvent>[1]["patch"]) => () => decideUpdateEvent(ev, { id: ev.id, actor: "a", patch }, [], NOW, sequentialIds());
    const iso = (ms: number) => new Date(ms).toISOString();
    // Before: each was "salesStart: … is not before the end of sales …", naming the field not given.
    expect(messageOf(update({ salesEnd: NOW + HOUR }))).toBe(`salesEnd: ${iso(NOW + HOUR)} is not after the start of sales (${iso(NOW + 2 * HOUR)}); the event would never be on sale`);
    expect(messageOf(update({ startsAt: NOW + HOUR }))).toBe(`startsAt: ${iso(NOW + HOUR)} is not after the start of sales (${iso(NOW + 2 * HOUR)}), and sales end when the event starts; the event would never be on sale`);
    expect(messageOf(update({ salesStart: NOW + 9 * HOUR }))).toBe(`salesStart: ${iso(NOW + 9 * HOUR)} is not before the end of sales (${iso(NOW + 8 * HOUR)}); the event would never be on sale`);
    // Both given, the start the earlier bound: the start is named.
    expect(messageOf(update({ startsAt: NOW + HOUR, salesEnd: NOW + 90 * 60_000 }))).toMatch(/^startsAt: /);
    expect(codeOf(update({ salesEnd: NOW + HOUR }))).toBe("INVALID_ARGUMENT");
  });

  it("default to the event's start as the end, which also caps a later end; a tier narrows the event's window", () => {
    expect(eventWindow(event({ startsAt: NOW + HOUR }))).toEqual({ start: null, end: NOW + HOUR });
    expect(eventWindow(event({ startsAt: NOW + HOUR, salesEnd: NOW + 2 * HOUR }))).toEqual({ start: null, end: NOW + HOUR });
    expect(eventWindow(event({ salesEnd: NOW + 2 * HOUR }))).toEqual({ start: null, end: NOW + 2 * HOUR });
    expect(eventWindow(event())).toEqual({ start: null, end: null });
    const ev = event({ salesStart: NOW, startsAt: NOW + 10 * HOUR });
    expect(tierWindow(ev, tier({ salesStart: NOW - HOUR, salesEnd: NOW + HOUR }))).toEqual({ start: NOW, end: NOW + HOUR });
  });

  it("open at the start (inclusive) and close at the end (exclusive)", () => {
    const ev = event({ salesStart: NOW, salesEnd: NOW + HOUR });
    expect([NOW - 1, NOW, NOW + HOUR - 1, NOW + HOUR].map((now) => isOnSale(ev, ev.tiers[0]!, now))).toEqual([false, true, true, false]);
  });

  it("refuse a reservation outside them with SALES_CLOSED, saying when sales open or closed", () => {
    const ev = event({ salesStart: NOW + HOUR, startsAt: NOW + 3 * HOUR });
    expect(codeOf(() => reserve(ev))).toBe("SALES_CLOSED");
    expect(() => reserve(ev)).toThrow(/open at 2025-05-01T13:00:00.000Z/);
    expect(reserve(ev, NOW + HOUR).result.tickets).toHaveLength(1);
    expect(() => reserve(ev, NOW + 3 * HOUR)).toThrow(/closed at 2025-05-01T15:00:00.000Z, when the event started/);
    const early = event({}, [tier({ name: "Early", salesEnd: NOW }), tier({ name: "GA" })]);
    expect(() => reserve(early, NOW, { tier: "Early" })).toThrow(/tier Early of event evt_1 closed/);
  });

  it("let a held ticket be paid for after sales closed, but not once the event has started", () => {
    const ev = event({ startsAt: NOW + HOUR, salesEnd: NOW }, [tier({ held: 1 })]);
    const hold = ticket({ expiresAt: NOW + 2 * HOUR });
    const pay = (now: number) => decidePurchase({ tickets: [hold], event: ev }, { targetId: hold.id, userId: "alice", card: "4242424242424242" }, now);
    expect(pay(NOW + HOUR - 1).result.tickets[0]!.status).toBe("purchased");
    expect(codeOf(() => pay(NOW + HOUR))).toBe("SALES_CLOSED");
  });

  it("close the waiting list: no place is given to a waiting user while sales are closed", () => {
    const closed = event({ salesEnd: NOW });
    expect(promoteWaiting(closed, [waiting("bob")], NOW, sequentialIds()).promoted).toEqual([]);
    expect(promoteWaiting(event(), [waiting("bob")], NOW, sequentialIds()).promoted).toHaveLength(1);
  });

  it("put the samples on the next date with their month, day and time still ahead", () => {
    const rock = Date.parse("2025-06-15T20:00:00Z");
    expect(new Date(nextAnnualDate(rock, Date.parse("2026-11-29T12:00:00Z"))).toISOString()).toBe("2027-06-15T20:00:00.000Z");
    expect(new Date(nextAnnualDate(rock, Date.parse("2026-06-15T19:59:59Z"))).toISOString()).toBe("2026-06-15T20:00:00.000Z");
    expect(new Date(nextAnnualDate(rock, Date.parse("2026-06-15T20:00:00Z"))).toISOString()).toBe("2027-06-15T20:00:00.000Z");
    expect(new Date(nextAnnualDate(Date.parse("2024-02-29T18:00:00Z"), Date.parse("2025-01-01T00:00:00Z"))).toISOString()).toBe("2028-02-29T18:00:00.000Z");
  });
});

describe("access codes", () => {
  const presale = event({}, [tier({ name: "Presale", accessCode: "FANS" }), tier({ name: "GA" })]);

  it("are required by their tier only, and a wrong one is refused exactly as a missing one would be", () => {
    expect(codeOf(() => reserve(presale, NOW, { tier: "Presale" }))).toBe("ACCESS_CODE_INVALID");
    expect(codeOf(() => reserve(presale, NOW, { tier: "Presale", code: "CREW" }))).toBe("ACCESS_CODE_INVALID");
    expect(() => reserve(presale, NOW, { tier: "Presale", code: "CREW" })).not.toThrow(/FANS/);
    expect(reserve(presale, NOW, { tier: "Presale", code: "FANS" }).result.tickets[0]!.tier).toBe("Presale");
    expect(reserve(presale, NOW, { tier: "GA" }).result.tickets[0]!.tier).toBe("GA");
  });

  it("are written in a tier's spec with its own sales window; 'none' removes them", () => {
    expect(parseTierSpec("Presale:200:39.00,code=fans,sales-end=2027-03-08T10:00Z", Number)).toEqual({
      name: "Presale", capacity: 200, price: "39.00", code: "FANS", salesEnd: Date.parse("2027-03-08T10:00Z"),
    });
    expect(parseTierSpec("GA:5:10,code=none,sales-start=none", Number)).toEqual({ name: "GA", capacity: 5, price: "10", code: null, salesStart: null });
    expect(codeOf(() => parseTierSpec("GA:5:10,colour=red", Number))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => parseTierSpec("GA:5:10,code=has space", Number))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => parseTierSpec("GA:5:10,sales-start=2027-03-08,sales-end=2027-03-01", Number))).toBe("INVALID_ARGUMENT");
  });
});

describe("vouchers", () => {
  const ev = event({}, [tier({ held: 2, priceMinor: 4500 })]);
  const holds = [ticket({ id: "tkt_1" }), ticket({ id: "tkt_2" })];
  const pay = (vouchers: VoucherRecord[], code = "SPRING", now = NOW) =>
    decidePurchase({ tickets: holds, event: ev, vouchers }, { targetId: "ord_1", userId: "alice", card: "4242424242424242", voucher: code }, now);

  it("discount each ticket (a percent rounded to the cent, an amount never below zero) and count one use each", () => {
    expect(discountFor(voucher({ value: 15 }), 999)).toBe(150);
    expect(discountFor(voucher({ kind: "amount", value: 500 }), 300)).toBe(300);
    const { changes, result } = pay([voucher({ maxUses: 2 })]);
    expect(result.tickets.map((paid) => [paid.priceMinor, paid.discountMinor, paid.voucher])).toEqual([[3600, 900, "SPRING"], [3600, 900, "SPRING"]]);
    expect(saved(changes, "saveVoucher")).toEqual([{ type: "saveVoucher", voucher: voucher({ maxUses: 2, uses: 2 }) }]);
  });

  it("refuse unknown, expired, other-tier and used-up vouchers", () => {
    expect(codeOf(() => pay([], "NOPE"))).toBe("VOUCHER_INVALID");
    expect(codeOf(() => pay([voucher({ validUntil: NOW })]))).toBe("VOUCHER_INVALID");
    expect(codeOf(() => pay([voucher({ tier: "VIP" })]))).toBe("VOUCHER_INVALID");
    expect(codeOf(() => pay([voucher({ maxUses: 3, uses: 2 })]))).toBe("VOUCHER_USED_UP");
    // Counted in words that fit the count (it said "used 1 of 1 times", "1 uses are left").
    expect(() => pay([voucher({ maxUses: 1, uses: 1 })])).toThrow(/^voucher SPRING has been used 1 of 1 time$/);
    expect(() => pay([voucher({ maxUses: 3, uses: 2 })])).toThrow(/^voucher SPRING has been used 2 of 3 times; 1 use is left for 2 tickets$/);
  });

  it("give a use back when a ticket bought with them is refunded", () => {
    const sold = event({}, [tier({ sold: 1 })]);
    const bought = ticket({ status: "purchased", purchasedAt: NOW, voucher: "SPRING", priceMinor: 3600, discountMinor: 900 });
    const { changes } = decideCancel({ tickets: [bought], event: sold, waiting: [], vouchers: [voucher({ uses: 1 })] }, { targetId: bought.id, userId: "alice" }, NOW, sequentialIds());
    expect(saved(changes, "saveVoucher")).toEqual([{ type: "saveVoucher", voucher: voucher({ uses: 0 }) }]);
  });

  it("are created once per code and event, with a tier the event has", () => {
    const request = parseVoucherInput({ eventId: "evt_1", code: "spring", amount: "5.00", maxUses: "10" }, "ops");
    expect(request).toMatchObject({ code: "SPRING", discount: { kind: "amount", amount: "5.00" }, maxUses: 10, tier: null });
    expect(decideCreateVoucher({ event: ev, existing: undefined }, request, NOW).result).toMatchObject({ kind: "amount", value: 500, uses: 0 });
    expect(codeOf(() => decideCreateVoucher({ event: ev, existing: voucher() }, request, NOW))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decideCreateVoucher({ event: ev, existing: undefined }, { ...request, tier: "VIP" }, NOW))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => decideCreateVoucher({ event: undefined, existing: undefined }, request, NOW))).toBe("EVENT_NOT_FOUND");
    // One that could never be used is refused; one valid a moment longer is made.
    expect(() => decideCreateVoucher({ event: ev, existing: undefined }, { ...request, validUntil: NOW }, NOW)).toThrow(/validUntil: .* has already passed/);
    expect(decideCreateVoucher({ event: ev, existing: undefined }, { ...request, validUntil: NOW + 1 }, NOW).result.validUntil).toBe(NOW + 1);
    for (const bad of [{ percent: 0 }, { percent: 101 }, {}, { percent: 5, amount: "1" }, { percent: 5, maxUses: 0 }]) {
      expect(codeOf(() => parseVoucherInput({ eventId: "evt_1", code: "X", ...bad }, "ops"))).toBe("INVALID_ARGUMENT");
    }
  });

  it("read a bare --valid-until date as the whole of that day (it meant its first instant: a voucher 'valid until 1 April' was refused all of 1 April)", () => {
    const until = (validUntil: string | number) => parseVoucherInput({ eventId: "evt_1", code: "X", percent: 5, validUntil }, "ops").validUntil;
    expect(until("2027-04-01")).toBe(Date.parse("2027-04-02T00:00:00Z"));
    expect(until(" 2027-04-01 ")).toBe(Date.parse("2027-04-02T00:00:00Z"));
    expect(until("2027-04-01+02:00")).toBe(Date.parse("2027-04-01T22:00:00Z"));
    // A time of day, or a number, is the instant given.
    expect(until("2027-04-01T00:00Z")).toBe(Date.parse("2027-04-01T00:00:00Z"));
    expect(until("2027-04-01T18:30")).toBe(Date.parse("2027-04-01T18:30:00Z"));
    expect(until(Date.parse("2027-04-01T00:00Z"))).toBe(Date.parse("2027-04-01T00:00:00Z"));
    expect(until("9999-12-31")).toBe(Date.parse("9999-12-31T23:59:59.999Z"));
    // Usable through the last millisecond of that day, refused from the next day's first; a voucher made on its last day is made.
    const lastDay = parseVoucherInput({ eventId: "evt_1", code: "X", percent: 5, validUntil: "2027-04-01" }, "ops");
    const evening = Date.parse("2027-04-01T23:59:59.999Z");
    const made = decideCreateVoucher({ event: ev, existing: undefined }, lastDay, Date.parse("2027-04-01T12:00Z")).result;
    const payAt = (now: number) => decidePurchase(
      { tickets: [ticket({ reservedAt: now - 1000, expiresAt: now + 600_000 })], event: ev, vouchers: [made] },
      { targetId: "tkt_1", userId: "alice", card: "4242424242424242", voucher: "X" }, now,
    );
    expect(payAt(evening).result.tickets.map((paid) => paid.voucher)).toEqual(["X"]);
    expect(() => payAt(evening + 1)).toThrow("voucher X expired at 2027-04-02T00:00:00.000Z");
  });

  it("say a missing code is missing and a code that is no text is no text, instead of quoting \"undefined\" or \"12\" as if typed", () => {
    expect(() => parseVoucherInput({ eventId: "evt_1", percent: 5 } as never, "ops")).toThrow('code: missing; give a string such as "SPRING"');
    expect(() => parseVoucherInput({ eventId: "evt_1", code: 12, percent: 5 } as never, "ops")).toThrow('code: must be a string such as "SPRING", got the number 12');
    expect(() => parseVoucherInput({ eventId: "evt_1", code: "x y", percent: 5 }, "ops")).toThrow(`code: "x y" must be 1 to 64 letters A to Z (no accents), digits, '-' or '_'`);
    // A letter with an accent is a letter: the refusal said letters were allowed (ÉTÉ, a French summer sale).
    expect(() => parseVoucherInput({ eventId: "evt_1", code: "ÉTÉ", percent: 5 }, "ops")).toThrow(`code: "ÉTÉ" must be 1 to 64 letters A to Z (no accents), digits, '-' or '_'`);
  });

  it("name the request's own fields when the discount is missing or given twice (it said \"discount:\", which no request has)", () => {
    expect(() => parseVoucherInput({ eventId: "evt_1", code: "X" }, "ops")).toThrow("percent: is required, or amount: the discount off each ticket, a percent (1 to 100) or an amount");
    expect(() => parseVoucherInput({ eventId: "evt_1", code: "X", percent: 5, amount: "1" }, "ops")).toThrow("amount: given with percent; give one of them");
  });
});

describe("transfer", () => {
  const bought = (overrides = {}) => ticket({ status: "purchased", purchasedAt: NOW, cardLast4: "4242", ...overrides });
  const transfer = (tickets = [bought()], to = "bob", ev = event(), recipient = standing, recipientEntry?: WaitlistEntry) =>
    decideTransfer({ tickets, event: ev, recipient, recipientEntry }, { targetId: tickets[0]!.id, userId: "alice", to }, NOW, sequentialIds());

  it("moves purchased tickets not checked in to a new order of the recipient's, and logs each move", () => {
    const { changes, result } = transfer([bought(), bought({ id: "tkt_2", checkedInAt: NOW })]);
    expect(result).toEqual({ tickets: [bought({ userId: "bob", orderId: "ord_new1" })], orderId: "ord_new1", from: "alice", leftWaitlist: undefined });
    expect(saved(changes, "appendLog")).toEqual([expect.objectContaining({ entry: expect.objectContaining({ action: "ticket.transferred", actor: "alice", details: { tier: "GA", from: "alice", to: "bob", fromOrderId: "ord_1" } }) })]);
  });

  it("refuses what cannot move, another owner's tickets, oneself, and a recipient at the per-user limit", () => {
    expect(codeOf(() => transfer([ticket()]))).toBe("TICKET_NOT_PURCHASED");
    expect(codeOf(() => transfer([bought({ checkedInAt: NOW })]))).toBe("ALREADY_CHECKED_IN");
    expect(codeOf(() => transfer([bought({ status: "cancelled", cancelledAt: NOW })]))).toBe("ALREADY_CANCELLED");
    expect(codeOf(() => transfer([bought({ userId: "mallory" })]))).toBe("NOT_TICKET_OWNER");
    expect(codeOf(() => transfer([bought()], "alice"))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => transfer([bought()], "bob", event({ limitPerUser: 2 }), { liveHolds: 1, committed: 2 }))).toBe("LIMIT_EXCEEDED");
    expect(transfer([bought()], "bob", event({ limitPerUser: 2 }), { liveHolds: 1, committed: 1 }).result.tickets).toHaveLength(1);
  });

  it("takes a waiting recipient off the line when the tickets bring them to the per-user limit, and says so", () => {
    const entry = waiting("bob");
    const filled = transfer([bought()], "bob", event({ limitPerUser: 2 }), { liveHolds: 0, committed: 1 }, entry);
    expect(filled.result.leftWaitlist).toEqual(entry);
    expect(saved(filled.changes, "removeWaitlistEntry")).toEqual([{ type: "removeWaitlistEntry", eventId: "evt_1", userId: "bob" }]);
    expect(saved(filled.changes, "appendLog").map((change) => change.type === "appendLog" && change.entry)).toContainEqual(expect.objectContaining({
      action: "waitlist.left", actor: "system", details: { userId: "bob", tier: "GA", reason: "per-user limit reached by a transfer" },
    }));
    // Below the limit, or without one (purchased tickets are not holds), the recipient keeps waiting.
    for (const kept of [
      transfer([bought()], "bob", event({ limitPerUser: 3 }), { liveHolds: 0, committed: 1 }, entry),
      transfer([bought()], "bob", event({ limitPerUser: null }), { liveHolds: 0, committed: 0 }, entry),
    ]) {
      expect(kept.result.leftWaitlist).toBeUndefined();
      expect(saved(kept.changes, "removeWaitlistEntry")).toEqual([]);
    }
  });
});
