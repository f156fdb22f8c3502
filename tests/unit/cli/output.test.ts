import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../../../src/core/index.js";
import { EXIT_CODES, exitCodeFor } from "../../../src/cli/exit-codes.js";
import { escapeControl, humanSpan, relativeTime } from "../../../src/cli/output/text.js";

describe("terminal text", () => {
  it("shows control characters as escapes", () => {
    expect(escapeControl("a\u001b[31mb\tc\nd\u202Ee")).toBe("a\\x1b[31mb\\x09c\\x0ad\\u{202e}e");
    expect(escapeControl("Café ✓ 東京")).toBe("Café ✓ 東京");
  });

  it("keeps the joiners and tags that are part of words and emoji, and escapes them anywhere else", () => {
    // Persian's ZWNJ, emoji ZWJ sequences, a subdivision flag: shown as written.
    for (const text of ["می\u200cخواهم", "क्\u200dष", "👨\u200d👩\u200d👧\u200d👦", "👩🏽\u200d💻", "❤️\u200d🔥", "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} Glasgow"]) {
      expect(escapeControl(text)).toBe(text);
    }
    // Alone, doubled, at an edge or beside a space, and tags outside a flag: invisible, so escaped.
    expect(escapeControl("\u200dlead")).toBe("\\u{200d}lead");
    expect(escapeControl("a\u200d\u200db")).toBe("a\\u{200d}\\u{200d}b");
    expect(escapeControl("trail\u200c")).toBe("trail\\u{200c}");
    expect(escapeControl("a \u200d b")).toBe("a \\u{200d} b");
    expect(escapeControl("x\u{E0041}y")).toBe("x\\u{e0041}y");
    expect(escapeControl("\u{1F3F4}\u{E0067}")).toBe("\u{1F3F4}\\u{e0067}");
  });

  it("says how long a hold has left in two units", () => {
    expect(humanSpan(552_000)).toBe("9m 12s");
    expect(humanSpan(600_000)).toBe("10m");
    expect(humanSpan(3_900_000)).toBe("1h 5m");
    expect(humanSpan(90_061_000)).toBe("1d 1h");
    // The last days of a year are no "12mo": 360 to 364 days are a year, as 365 are.
    const day = 86_400_000;
    expect(humanSpan(359 * day)).toBe("11mo 29d");
    expect(humanSpan(364 * day)).toBe("1y");
    expect(humanSpan(364 * day + 600_000)).toBe("1y");
    expect(humanSpan(365 * day)).toBe("1y");
    expect(humanSpan(365 * day + 35 * day)).toBe("1y 1mo");
    expect(humanSpan((365 + 362) * day)).toBe("2y");
    const now = Date.UTC(2025, 0, 1);
    expect(relativeTime(new Date(now - 364 * day - 3_600_000).toISOString(), now)).toBe("1y ago");
    expect(relativeTime(new Date(now + 552_000).toISOString(), now)).toBe("in 9m 12s");
    expect(relativeTime(new Date(now - 3 * 86_400_000).toISOString(), now)).toBe("3d ago");
    expect(relativeTime(new Date(now).toISOString(), now)).toBe("just now");
  });
});

describe("exit codes", () => {
  it("maps every error code of the contract", () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...ERROR_CODES].sort());
    expect(exitCodeFor(new Error("boom"))).toBe(1);
  });
});
