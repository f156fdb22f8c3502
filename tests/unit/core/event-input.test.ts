import { describe, expect, it } from "vitest";
import { parseEventDraft, parseEventPatch } from "../../../src/core/index.js";

describe("event input", () => {
  it("fills defaults: 10m hold, free, USD, no venue or start, the default sales window", () => {
    expect(parseEventDraft({ name: "Gig", capacity: "100" })).toEqual({
      name: "Gig", venue: null, startsAt: null, holdSeconds: 600, currency: "USD",
      tiers: [{ name: "GA", capacity: 100, price: "0" }], tiersGiven: false, limitPerUser: null, salesStart: null, salesEnd: null,
    });
  });

  it("takes numbers and strings alike, and prices in the given currency", () => {
    expect(parseEventDraft({ name: "Gig", capacity: 5, hold: 90, price: "1500", currency: "jpy" })).toMatchObject({
      tiers: [{ name: "GA", capacity: 5, price: "1500" }], holdSeconds: 90, currency: "JPY",
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

  it("reads tiers as NAME:CAPACITY:PRICE; the capacity is their sum", () => {
    const draft = parseEventDraft({ name: "Gala", tiers: ["VIP:50:120.00", "GA:500:45"], limitPerUser: "4" });
    expect(draft).toMatchObject({ tiers: [{ name: "VIP", capacity: 50, price: "120.00" }, { name: "GA", capacity: 500, price: "45" }], tiersGiven: true, limitPerUser: 4 });
    expect(parseEventDraft({ name: "Gala", tiers: ["VIP:50:120.00"], capacity: 50 }).tiers).toHaveLength(1);
  });

  it.each([
    [{ tiers: ["VIP:50"] }, "tier"],
    [{ tiers: ["VIP:0:10"] }, "capacity"],
    [{ tiers: ["VIP:5:1.999"] }, "tier price"],
    [{ tiers: ["VIP:5:10", "VIP:6:10"] }, "tier"],
    [{ tiers: [":5:10"] }, "tier"],
    [{ tiers: ["VIP:5:10"], capacity: 6 }, "capacity"],
    [{ tiers: ["VIP:5:10"], price: "3" }, "price"],
    [{ capacity: 5, limitPerUser: "0" }, "limit-per-user"],
  ])("refuses tiers and limits %j, naming %s", (fields, field) => {
    expect(() => parseEventDraft({ name: "Gala", ...fields })).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT", field }));
  });

  it("validates only the fields a patch carries", () => {
    expect(parseEventPatch({})).toEqual({});
    expect(parseEventPatch({ capacity: "7", venue: null })).toEqual({ capacity: 7, venue: null });
  });
});
