// The box office's fields in the terminal and piped views: sales windows and tier rules on an
// event, the voucher on a ticket and in the short answer, the report's discounts, the voucher list.
import { describe, expect, it } from "vitest";
import { render } from "../../../src/cli/output/render.js";
import { createStyle } from "../../../src/cli/output/style.js";
import type { OutputMode } from "../../../src/cli/output/table.js";
import { displayWidth } from "../../../src/cli/output/text.js";
import { buildReport, tierTotalsOf, toEventView, toTicketView, toVoucherView } from "../../../src/core/index.js";
import type { CommandResult } from "../../../src/cli/result.js";
import { NOW, event, ticket, tier } from "../../helpers/core-fixtures.js";

const DAY = 86_400_000;
const shown = (result: CommandResult, mode: OutputMode, width = 80) => {
  const { stdout } = render(result, { mode, style: createStyle(false), now: NOW, width });
  if (typeof stdout !== "string") throw new Error("a record is one string");
  return stdout;
};
const fitsIn = (text: string, width: number) => text.split("\n").every((line) => displayWidth(line) <= width);

const tour = event({ id: "evt_tour", name: "Tour", startsAt: NOW + 30 * DAY, salesStart: NOW - DAY }, [
  tier({ name: "Presale", capacity: 2, priceMinor: 3900, accessCode: "FANS", salesEnd: NOW + 7 * DAY }),
  tier({ name: "GA", capacity: 5, priceMinor: 4900, sold: 1 }),
]);
const bought = ticket({
  id: "tkt_1", eventId: "evt_tour", tier: "GA", status: "purchased", purchasedAt: NOW, cardLast4: "4242",
  priceMinor: 3920, voucher: "SPRING", discountMinor: 980,
});

describe("an event's sales window and its tiers' rules", () => {
  it("on a terminal: when sales open and close, and a line for each tier with a code or its own window — never the code", () => {
    const text = shown({ type: "event", event: toEventView(tour), message: "" }, "tty");
    expect(text).toMatch(/^Sales open +Wed 30 Apr 2025 12:00 UTC · 1d ago$/m);
    expect(text).toMatch(/^Sales close +Sat 31 May 2025 12:00 UTC · in 1mo$/m);
    expect(text).toMatch(/^Tier Presale +access code · sales close Thu 8 May 2025 12:00 UTC · in 7d$/m);
    expect(text).not.toMatch(/Tier GA/);
    expect(text).not.toContain("FANS");
    expect(fitsIn(shown({ type: "event", event: toEventView(tour), message: "" }, "tty", 40), 40)).toBe(true);
  });

  it("piped: salesStart and salesEnd as ISO lines before the tiers; none is empty", () => {
    const text = shown({ type: "event", event: toEventView(tour), message: "" }, "plain");
    expect(text).toContain("salesStart:\t2025-04-30T12:00:00.000Z\nsalesEnd:\t2025-05-31T12:00:00.000Z\ntiers:\t");
    const always = shown({ type: "event", event: toEventView(event({ id: "evt_open" })), message: "" }, "plain");
    expect(always).toContain("salesStart:\t\nsalesEnd:\t\n");
  });
});

describe("a ticket bought with a voucher", () => {
  it("shows the voucher and what it took off, on a terminal, piped, and in the purchase's short answer", () => {
    const view = toTicketView(bought);
    expect(shown({ type: "ticket", ticket: view, message: "" }, "tty")).toMatch(/^Voucher +SPRING · 9\.80 USD off$/m);
    expect(shown({ type: "ticket", ticket: view, message: "" }, "plain")).toContain("voucher:\tSPRING\ndiscount:\t9.80\n");
    const answer = shown({ type: "ticket", ticket: view, order: { orderId: view.orderId, tickets: [view] }, action: "purchase", message: "" }, "tty");
    expect(answer).toMatch(/^Charged +39\.20 USD, card ending 4242$/m);
    expect(answer).toMatch(/^Voucher +SPRING · 9\.80 USD off$/m);
    const plainTicket = toTicketView(ticket({ status: "purchased", purchasedAt: NOW }));
    expect(shown({ type: "ticket", ticket: plainTicket, message: "" }, "tty")).not.toContain("Voucher");
  });
});

describe("the report's discounts", () => {
  it("piped: always the last column; on a terminal: a DISCOUNTS column only when a voucher took something off", () => {
    const withVoucher = buildReport(tour, tierTotalsOf([bought]));
    expect(shown({ type: "report", report: withVoucher, format: "table" } as CommandResult, "plain").split("\n")[1]).toBe("GA\t5\t1\t0\t4\t39.20\t0\t0.00\t0\t9.80");
    const table = shown({ type: "report", report: withVoucher, format: "table" } as CommandResult, "tty");
    expect(table).toMatch(/DISCOUNTS/);
    expect(table).toMatch(/^TOTAL .* 39\.20 .* 9\.80$/m);
    expect(fitsIn(table, 80)).toBe(true);
    const without = shown({ type: "report", report: buildReport(tour, tierTotalsOf([{ ...bought, voucher: null, discountMinor: 0 }])), format: "table" } as CommandResult, "tty");
    expect(without).not.toMatch(/DISCOUNTS/);
  });
});

describe("vouchers", () => {
  it("lists code, discount, uses against the maximum, validity and tier; piped, every field", () => {
    const vouchers = [
      toVoucherView({ eventId: "evt_tour", code: "SPRING", kind: "percent", value: 20, maxUses: 100, uses: 2, validUntil: null, tier: null, createdAt: NOW }, "USD"),
      toVoucherView({ eventId: "evt_tour", code: "CREW", kind: "amount", value: 500, maxUses: null, uses: 0, validUntil: NOW + DAY, tier: "GA", createdAt: NOW }, "USD"),
    ];
    const table = shown({ type: "vouchers", vouchers }, "tty").split("\n");
    expect(table[0]).toMatch(/^EVENT +CODE +DISCOUNT +USES +VALID UNTIL \(UTC\) +TIER$/);
    expect(table[1]).toMatch(/^evt_tour +SPRING +20% +2\/100 +— +any$/);
    expect(table[2]).toMatch(/^evt_tour +CREW +5\.00 +0 +.*2 May 2025 12:00.* +GA$/);
    expect(fitsIn(shown({ type: "vouchers", vouchers }, "tty", 40), 40)).toBe(true);
    expect(shown({ type: "vouchers", vouchers }, "plain").split("\n")[1]).toBe("evt_tour\tCREW\t5.00\t0\t\t2025-05-02T12:00:00.000Z\tGA\t2025-05-01T12:00:00.000Z");
  });

  it("at 80 columns with long codes, still tells two events' vouchers apart: the event is cut, not dropped, and the code is whole", () => {
    const code = "SUMMER-FESTIVAL-EARLYBIRD-2026";
    const vouchers = ["evt_symphony_under_stars", "evt_string_quartet_night"].map((eventId) =>
      toVoucherView({ eventId, code, kind: "percent", value: 15, maxUses: 1000, uses: 999, validUntil: NOW + DAY, tier: "Balcony", createdAt: NOW }, "USD"));
    const table = shown({ type: "vouchers", vouchers }, "tty", 80).split("\n");
    expect(fitsIn(table.join("\n"), 80)).toBe(true);
    expect(table[0]).toMatch(/^EVENT +CODE /);
    expect(table[1]).toMatch(new RegExp(`^evt_symphony_u\\S* +${code} `));
    expect(table[2]).toMatch(new RegExp(`^evt_string_qua\\S* +${code} `));
  });
});
