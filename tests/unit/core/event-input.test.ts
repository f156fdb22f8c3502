import { describe, expect, it } from "vitest";
import { parseEventDraft, parseEventPatch, parseLookupId, parseUserId, resolveTier, validateIdempotencyKey, type TierFields } from "../../../src/core/index.js";
import { event, tier } from "../../helpers/core-fixtures.js";

describe("event input", () => {
  it("fills defaults: 10m hold, free, USD, no venue or start, the default sales window", () => {
    expect(parseEventDraft({ name: "Gig", capacity: "100" })).toEqual({
      name: "Gig", venue: null, startsAt: null, holdSeconds: 600, currency: "USD",
      tiers: [{ name: "GA", capacity: 100, price: "0" }], tiersGiven: false, limitPerUser: null, salesStart: null, salesEnd: null, seatMap: null,
    });
  });

  it("refuses a tier object's misspelt field instead of ignoring it (a tier whose sales would open at once)", () => {
    const misspelt = { name: "GA", capacity: 10, price: "5.00", salesStrat: "2030-01-01T00:00:00Z" };
    expect(() => parseEventDraft({ name: "Gig", tiers: [misspelt] })).toThrow('salesStrat: not a field of tier "GA"; its fields are name, capacity, price, code, salesStart, salesEnd');
    expect(parseEventDraft({ name: "Gig", tiers: [{ name: "GA", capacity: 10, price: "5.00", code: undefined }] }).tiers).toHaveLength(1);
  });

  it("takes numbers and strings alike, and prices in the given currency", () => {
    expect(parseEventDraft({ name: "Gig", capacity: 5, hold: 90, price: "1500", currency: "jpy" })).toMatchObject({
      tiers: [{ name: "GA", capacity: 5, price: "1500" }], holdSeconds: 90, currency: "JPY",
    });
  });

  it("refuses the NUL character in a name or venue on every store (PostgreSQL's text cannot hold it)", () => {
    expect(() => parseEventDraft({ name: "Nul\u0000Name", capacity: 1 })).toThrow("name: must not hold the NUL character (U+0000)");
    expect(() => parseEventPatch({ venue: "Hall\u0000" })).toThrow("venue: must not hold the NUL character (U+0000)");
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
    [{ name: "Gig", capacity: 1, startsAt: "2025-02-30" }, "startsAt"],
    [{ name: "Gig", capacity: 1, price: "12.345" }, "price"],
  ])("refuses %j, naming %s", (fields, field) => {
    expect(() => parseEventDraft(fields)).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT", field }));
  });

  it("reads tiers as NAME:CAPACITY:PRICE; the capacity is their sum", () => {
    const draft = parseEventDraft({ name: "Gala", tiers: ["VIP:50:120.00", "GA:500:45"], limitPerUser: "4" });
    expect(draft).toMatchObject({ tiers: [{ name: "VIP", capacity: 50, price: "120.00" }, { name: "GA", capacity: 500, price: "45" }], tiersGiven: true, limitPerUser: 4 });
    expect(parseEventDraft({ name: "Gala", tiers: ["VIP:50:120.00"], capacity: 50 }).tiers).toHaveLength(1);
  });

  it("names a tier's bad price as the tier's, as --tier (and HTTP's Tier) spell it", () => {
    expect(() => parseEventDraft({ name: "Gala", tiers: ["VIP:5:abc"] })).toThrow('tier "VIP": its price "abc" is not an amount in USD; use a decimal with at most 2 places, e.g. 45.00');
  });

  it("words every fault of a tier one way, tier \"NAME\": its …, given as text or as fields (capacity and code quoted the text, or the bare name)", () => {
    const fault = (tier: string | TierFields) => {
      try {
        parseEventDraft({ name: "Gala", tiers: [tier] });
      } catch (error) {
        return (error as Error).message;
      }
      return "accepted";
    };
    expect([
      fault("VIP:x:1"), fault({ name: "VIP", capacity: "x", price: "1" }),
      fault("VIP:5:abc"), fault({ name: "VIP", capacity: 5, price: "abc" }),
      fault("VIP:5:1,code=a b"), fault({ name: "VIP", capacity: 5, price: "1", code: "a b" }),
    ].map((message) => message.replace(/: its (capacity|price|code) .*/, ": its $1 …"))).toEqual([
      'tier "VIP": its capacity …', 'tier "VIP": its capacity …',
      'tier "VIP": its price …', 'tier "VIP": its price …',
      'tier "VIP": its code …', 'tier "VIP": its code …',
    ]);
  });

  it.each([
    [{ tiers: ["VIP:50"] }, "tier"],
    [{ tiers: ["VIP:0:10"] }, "tier"],
    [{ tiers: ["VIP:5:1.999"] }, "tier"],
    [{ tiers: ["VIP:5:10", "VIP:6:10"] }, "tier"],
    [{ tiers: [":5:10"] }, "tier"],
    [{ tiers: ["VIP:5:10"], capacity: 6 }, "capacity"],
    [{ tiers: ["VIP:5:10"], price: "3" }, "price"],
    [{ capacity: 5, limitPerUser: "0" }, "limitPerUser"],
  ])("refuses tiers and limits %j, naming %s", (fields, field) => {
    expect(() => parseEventDraft({ name: "Gala", ...fields })).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT", field }));
  });

  it("names fields as the domain does, never a command-line flag: each face words its own hints", () => {
    const messages = [
      { name: "A" }, { name: "A", capacity: 1, startsAt: "never" }, { name: "A", capacity: 1, limitPerUser: "0" },
      { name: "A", tiers: ["VIP:1:1"], price: "3" }, { name: "A", tiers: ["VIP:x:1"] }, { name: "A", capacity: 1, hold: "forever" },
    ].map((fields) => {
      try {
        parseEventDraft(fields);
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(messages).toEqual([
      "capacity: is required, unless tiers or seats are given",
      'startsAt: "never" is not an ISO-8601 time such as 2025-06-15T20:00Z',
      'limitPerUser: must be a whole number from 1 to 1000, or "none", got "0"',
      "price: an event with tiers has a price in each tier, not one price",
      'tier "VIP": its capacity must be a whole number from 1 to 10000000, got "x"',
      'hold: "forever" is not a duration; use forms like 45s, 10m, 2h, 1h30m',
    ]);
  });

  it("refuses text that is not valid Unicode (a lone UTF-16 surrogate) wherever text comes in", () => {
    const lone = "Jazz \ud800 Night";
    expect(() => parseEventDraft({ name: lone, capacity: 1 })).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "name" }));
    expect(() => parseEventDraft({ name: "Jazz", venue: "\udc00", capacity: 1 })).toThrowError(expect.objectContaining({ field: "venue" }));
    expect(() => parseEventDraft({ name: "Jazz", tiers: ["V\ud800:1:1"] })).toThrowError(expect.objectContaining({ field: "tier" }));
    expect(() => parseUserId("al\udfffice")).toThrowError(expect.objectContaining({ field: "user" }));
    expect(() => validateIdempotencyKey("k\ud800")).toThrowError(expect.objectContaining({ field: "key" }));
    expect(() => parseLookupId("evt_\ud800", "event id")).toThrowError(expect.objectContaining({ field: "event id" }));
    expect(parseEventDraft({ name: "Jazz 🎷 Night", capacity: 1 }).name).toBe("Jazz 🎷 Night");
  });

  it("validates only the fields a patch carries", () => {
    expect(parseEventPatch({})).toEqual({});
    expect(parseEventPatch({ capacity: "7", venue: null })).toEqual({ capacity: 7, venue: null });
  });
});

describe("tier names in any case (acc29)", () => {
  it("refuses two tiers that differ only by case, on creation and in an update's patch", () => {
    const tiers = [{ name: "VIP", capacity: 5, price: "10" }, { name: "vip", capacity: 5, price: "20" }];
    expect(() => parseEventDraft({ name: "Gig", tiers })).toThrow('tiers "VIP" and "vip" differ only by case');
    expect(() => parseEventPatch({ tiers: ["VIP:5:10", "vip:6:10"] })).toThrow('tiers "VIP" and "vip" differ only by case');
    expect(() => parseEventDraft({ name: "Gig", tiers: [tiers[0]!, { ...tiers[0]! }] })).toThrow('tier "VIP" is given twice');
  });

  it("on an older event that has two such tiers, the exact name picks one and any other spelling is an ambiguity", () => {
    const older = event({ id: "gala" }, [tier({ name: "VIP", priceMinor: 10_000 }), tier({ name: "vip", priceMinor: 5_000 })]);
    expect(resolveTier(older, "vip").priceMinor).toBe(5_000);
    expect(resolveTier(older, "VIP").priceMinor).toBe(10_000);
    expect(() => resolveTier(older, "Vip")).toThrow('"Vip" matches tiers VIP and vip of event gala, which differ only by case; give the name exactly');
  });
});
