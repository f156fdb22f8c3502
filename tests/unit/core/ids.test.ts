import { describe, expect, it } from "vitest";
import { ID_PATTERN, isOrderId, newEventId, newIdempotencyKey, newOrderId, newTicketId } from "../../../src/core/ids.js";

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
    expect(isOrderId(newOrderId())).toBe(true);
    expect(isOrderId(newTicketId())).toBe(false);
  });

  it("do not repeat and use every character of the alphabet (across a pool refill)", () => {
    const ids = Array.from({ length: 10_000 }, newTicketId);
    expect(new Set(ids).size).toBe(ids.length);
    const seen = new Set(ids.join("").replaceAll("tkt_", ""));
    expect(seen.size).toBe(35);
  });
});
