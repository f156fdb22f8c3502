import { afterEach, describe, expect, it, vi } from "vitest";
import { ID_PATTERN, RANDOM_IDS, isOrderId, newEventId, newIdempotencyKey, newOrderId, newTicketId } from "../../../src/core/ids.js";

describe("generated ids", () => {
  it("are the prefix, an underscore and 16 characters of the unambiguous alphabet", () => {
    const makers = { evt: newEventId, tkt: newTicketId, ord: newOrderId, key: newIdempotencyKey };
    for (const [prefix, make] of Object.entries(makers)) {
      for (let i = 0; i < 200; i++) {
        const id = make();
        expect(id).toMatch(new RegExp(`^${prefix}_[0-9a-km-z]{16}$`));
        expect(id).toMatch(ID_PATTERN);
      }
    }
    for (let i = 0; i < 200; i++) {
      expect(RANDOM_IDS.ticket()).toMatch(/^tkt_[0-9a-km-z]{16}$/);
      expect(RANDOM_IDS.order()).toMatch(/^ord_[0-9a-km-z]{16}$/);
    }
    expect(isOrderId(newOrderId())).toBe(true);
    expect(isOrderId(newTicketId())).toBe(false);
  });

  it("do not repeat and use every character of the alphabet (across a pool refill)", () => {
    const ids = Array.from({ length: 10_000 }, newTicketId);
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids.join("").replaceAll("tkt_", ""));
    expect(seen.size).toBe(35);
  });

  describe("ticket and order ids", () => {
    afterEach(() => vi.useRealTimers());

    it("start with the second they were made, so ids made together sit together in an index", () => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date("2026-11-30T06:00:00.100Z"));
      const first = [newTicketId(), newOrderId(), newTicketId()];
      vi.setSystemTime(new Date("2026-11-30T06:00:00.900Z"));
      const sameSecond = newTicketId();
      vi.setSystemTime(new Date("2026-11-30T06:00:01.000Z"));
      const nextSecond = [newTicketId(), newOrderId()];
      vi.setSystemTime(new Date("2026-11-30T07:00:00.000Z"));
      const anHourLater = newTicketId();

      const timePart = (id: string) => id.slice(4, 9);
      expect(new Set([...first, sameSecond].map(timePart)).size).toBe(1);
      expect(new Set(nextSecond.map(timePart)).size).toBe(1);
      expect(timePart(nextSecond[0]!) > timePart(sameSecond)).toBe(true);
      expect(timePart(anHourLater) > timePart(nextSecond[0]!)).toBe(true);
      // The rest stays random: many ids of one second do not repeat.
      const many = Array.from({ length: 10_000 }, newTicketId);
      expect(new Set(many).size).toBe(many.length);
      expect(new Set(many.map(timePart)).size).toBe(1);
    });
  });
});

