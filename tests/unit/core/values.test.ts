import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatAmount,
  formatDuration,
  parseAmount,
  parseCurrency,
  parseDuration,
  parseHoldDuration,
  parseIsoTime,
  parseLookupId,
  parseTicketStatus,
  parseUserId,
  toIso,
  validateIdempotencyKey,
} from "../../../src/core/index.js";

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe("durations", () => {
  it.each([["45s", 45], ["10m", 600], ["2h", 7200], ["1h30m", 5400], ["1d", 86_400], ["1h0m5s", 3605], [" 10m ", 600]])(
    "parses %s as %i seconds", (text, seconds) => expect(parseDuration(text)).toBe(seconds));

  it.each(["", "10", "m", "10x", "1m1h", "-5m", "1.5h", "10 m", "ten"])("refuses %j", (text) =>
    expect(codeOf(() => parseDuration(text))).toBe("INVALID_ARGUMENT"));

  it("bounds hold times to 1s..7d", () => {
    expect(parseHoldDuration("7d")).toBe(604_800);
    expect(codeOf(() => parseHoldDuration("0s"))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => parseHoldDuration("8d"))).toBe("INVALID_ARGUMENT");
  });

  it("answers a duration too long for a hold with the range, whatever its digits (it said \"not a duration\" past 6 digits)", () => {
    for (const text of ["9999999h", "1000000000000s", "1234567d", `${"9".repeat(400)}m`]) {
      expect(() => parseHoldDuration(text), text).toThrow(/^hold: must be between 1s and 7d, got "/);
    }
    expect(parseHoldDuration("0000010m")).toBe(600);
  });

  it("formats back to the same text", () => {
    for (const text of ["45s", "10m", "1h30m", "2d3h", "1h0m5s".replace("0m", "")]) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
    expect(formatDuration(0)).toBe("0s");
  });
});

describe("money", () => {
  it("converts decimal text to minor units digit by digit, never through a float", () => {
    expect(parseAmount("45", "USD")).toBe(4500);
    expect(parseAmount("45.5", "USD")).toBe(4550);
    expect(parseAmount("0.29", "USD")).toBe(29); // 0.29 * 100 = 28.999999999999996 in floating point
    expect(parseAmount("1.005", "KWD")).toBe(1005);
    expect(parseAmount("4500", "JPY")).toBe(4500);
  });

  it.each([["1.999", "USD"], ["-3", "USD"], ["1e3", "USD"], ["", "USD"], ["12.", "USD"], ["1.5", "JPY"], ["9999999999.00", "USD"]])(
    "refuses %j in %s", (text, currency) => expect(codeOf(() => parseAmount(text, currency))).toBe("INVALID_ARGUMENT"));

  it("says which amount is the largest, however many digits the one refused has", () => {
    expect(() => parseAmount("100000000.01", "USD")).toThrow("price: 100000000.01 USD is above the largest price allowed, 100000000.00 USD");
    // Thirteen whole digits were refused as "not an amount … use a decimal with at most 2 places".
    expect(() => parseAmount("9999999999999", "USD")).toThrow("price: 9999999999999 USD is above the largest price allowed, 100000000.00 USD");
    expect(() => parseAmount("1" + "0".repeat(40), "JPY")).toThrow("is above the largest price allowed, 10000000000 JPY");
    expect(parseAmount("100000000", "USD")).toBe(10_000_000_000);
    // Leading zeros are not whole digits of the amount.
    expect(parseAmount("0000000000045.50", "USD")).toBe(4550);
  });

  it("formats minor units in the currency's decimals", () => {
    expect(formatAmount(4550, "USD")).toBe("45.50");
    expect(formatAmount(5, "USD")).toBe("0.05");
    expect(formatAmount(0, "EUR")).toBe("0.00");
    expect(formatAmount(4500, "JPY")).toBe("4500");
    expect(formatAmount(1005, "KWD")).toBe("1.005");
  });

  it("accepts three-letter currency codes only", () => {
    expect(parseCurrency("eur")).toBe("EUR");
    expect(codeOf(() => parseCurrency("EURO"))).toBe("INVALID_ARGUMENT");
  });
});

describe("ISO times", () => {
  it.each([
    ["2025-06-15T20:00Z", "2025-06-15T20:00:00.000Z"],
    ["2025-06-15 20:00Z", "2025-06-15T20:00:00.000Z"],
    ["2025-06-15T20:00:30.5Z", "2025-06-15T20:00:30.500Z"],
    ["2025-06-15T22:00+02:00", "2025-06-15T20:00:00.000Z"],
    ["2025-06-15T15:00-0500", "2025-06-15T20:00:00.000Z"],
    ["2025-06-15T20:00", "2025-06-15T20:00:00.000Z"],
    ["2025-06-15", "2025-06-15T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
    ["2025-06-15T20:00:30.250000Z", "2025-06-15T20:00:30.250Z"],
  ])("reads %s as %s", (text, iso) => expect(new Date(parseIsoTime(text, "starts-at")).toISOString()).toBe(iso));

  it.each(["2025-02-30", "2025-02-29", "2025-13-01", "2025-06-15T24:00Z", "2025-06-15T20:60Z", "tomorrow", "15/06/2025", "", "2025-06-15T20:00:30.2501Z"])(
    "refuses the impossible or unreadable %j", (text) => expect(codeOf(() => parseIsoTime(text, "starts-at"))).toBe("INVALID_ARGUMENT"));
});

describe("keys, users and ids", () => {
  it("accepts keys of 1 to 255 printable characters", () => {
    expect(validateIdempotencyKey("order 1001 / ünïcode ✓")).toBe("order 1001 / ünïcode ✓");
    expect(validateIdempotencyKey("k".repeat(255))).toHaveLength(255);
    for (const bad of ["", "k".repeat(256), "tab\there", "new\nline", "esc\u001b", "zero\u200bwidth"]) {
      expect(codeOf(() => validateIdempotencyKey(bad)), JSON.stringify(bad)).toBe("INVALID_ARGUMENT");
    }
  });

  it("accepts user names without spaces or control characters", () => {
    expect(parseUserId("alice.b-1@example")).toBe("alice.b-1@example");
    for (const bad of ["", "two words", "x".repeat(65), "bell\u0007"]) {
      expect(codeOf(() => parseUserId(bad))).toBe("INVALID_ARGUMENT");
    }
  });

  it("lets any printable id through to a lookup, so unknown ids read as not found", () => {
    expect(parseLookupId("evt_whatever ✓", "event id")).toBe("evt_whatever ✓");
    expect(codeOf(() => parseLookupId("", "event id"))).toBe("INVALID_ARGUMENT");
  });
});

describe("ticket statuses", () => {
  it("reads a status in any case (the CLI's lower-case, the seed's Web API's capitalised), answering the lower-case one", () => {
    expect(["purchased", "Purchased", "PURCHASED", "cAnCeLlEd"].map(parseTicketStatus)).toEqual(["purchased", "purchased", "purchased", "cancelled"]);
  });

  it("refuses any other word, quoting it as given", () => {
    expect(() => parseTicketStatus("Lost")).toThrow('status: "Lost" is not one of reserved, purchased, cancelled, expired');
    expect(codeOf(() => parseTicketStatus("reserved "))).toBe("INVALID_ARGUMENT");
  });
});

describe("toIso", () => {
  it("writes what Date#toISOString writes, on and off its fast path", () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 300_000_000_000_000 }), (time) => {
        expect(toIso(time)).toBe(new Date(time).toISOString());
      }),
      { numRuns: 2000 },
    );
    for (const time of [0, 86_399_999, 951_782_400_000, 253_402_300_799_999, 253_402_300_800_000]) expect(toIso(time)).toBe(new Date(time).toISOString());
  });
});
