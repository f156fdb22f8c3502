import { describe, expect, it } from "vitest";
import { updatedMessage } from "../../../src/cli/output/changes.js";
import type { LeftWaitlist } from "../../../src/core/index.js";

const waiting = (count: number): LeftWaitlist[] =>
  Array.from({ length: count }, (_, index) => ({ userId: `user${index + 1}`, tier: "GA", reason: "sales not open yet" }));

describe("an update's success message", () => {
  it("names the fields it changed, then each waiting user it took off the list and why", () => {
    expect(updatedMessage("evt_late", [{ field: "limitPerUser", from: 2, to: 1 }], [{ userId: "alice", tier: "VIP", reason: "per-user limit changed" }]))
      .toBe("✓ Updated event evt_late:\n  limit per user 2 → 1\n  alice left the waiting list for VIP (per-user limit changed)");
  });

  it("names the first ten who left and counts the rest: an update may take hundreds off the line", () => {
    const lines = updatedMessage("evt_late", [], waiting(12)).split("\n");
    expect(lines).toHaveLength(12);
    expect(lines[10]).toBe("  user10 left the waiting list for GA (sales not open yet)");
    expect(lines[11]).toBe("  … and 2 more left the waiting list");
  });

  it("says the event is unchanged only when no field changed and nobody left the line", () => {
    expect(updatedMessage("evt_late", [], [])).toBe("✓ Event evt_late unchanged: every field given already had that value");
    expect(updatedMessage("evt_late", [], waiting(1))).toBe("✓ Updated event evt_late:\n  user1 left the waiting list for GA (sales not open yet)");
  });
});
