import { describe, expect, it } from "vitest";
import { parseEventDraft, parseEventPatch } from "../../../src/core/index.js";

describe("event input", () => {
  it("fills defaults: 10m hold, free, USD, no venue or start", () => {
    expect(parseEventDraft({ name: "Gig", capacity: "100" })).toEqual({
      name: "Gig", capacity: 100, venue: null, startsAt: null, holdSeconds: 600, priceMinor: 0, currency: "USD",
    });
  });

  it("takes numbers and strings alike, and prices in the given currency", () => {
    expect(parseEventDraft({ name: "Gig", capacity: 5, hold: 90, price: "1500", currency: "jpy" })).toMatchObject({
      capacity: 5, holdSeconds: 90, priceMinor: 1500, currency: "JPY",
    });
  });

  it("stores names exactly as given, control characters included", () => {
    expect(parseEventDraft({ name: " \u001b[1mBold\u001b[0m ", capacity: 1 }).name).toBe(" \u001b[1mBold\u001b[0m ");
  });

  it.each([
    [{ capacity: 1 }, "name"],
    [{ name: "Gig" }, "capacity"],
    [{ name: "", capacity: 1 }, "name"],
    [{ name: "x".repeat(201), capacity: 1 }, "name"],
    [{ name: "Gig", capacity: 0 }, "capacity"],
    [{ name: "Gig", capacity: 1.5 }, "capacity"],
    [{ name: "Gig", capacity: "1e3" }, "capacity"],
    [{ name: "Gig", capacity: 10_000_001 }, "capacity"],
    [{ name: "Gig", capacity: 1, venue: " " }, "venue"],
    [{ name: "Gig", capacity: 1, hold: 0 }, "hold"],
    [{ name: "Gig", capacity: 1, startsAt: "2025-02-30" }, "starts-at"],
    [{ name: "Gig", capacity: 1, price: "12.345" }, "price"],
  ])("refuses %j, naming %s", (fields, field) => {
    expect(() => parseEventDraft(fields)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT", field }));
  });

  it("validates only the fields a patch carries", () => {
    expect(parseEventPatch({})).toEqual({});
    expect(parseEventPatch({ capacity: "7", venue: null })).toEqual({ capacity: 7, venue: null });
  });
});
