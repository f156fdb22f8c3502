import { describe, expect, it } from "vitest";
import { authorise, normaliseCardNumber, passesLuhn } from "../../../src/core/index.js";

describe("simulated payment", () => {
  it("checks Luhn", () => {
    for (const good of ["4242424242424242", "4000000000000002", "5555555555554444", "378282246310005", "79927398713"]) {
      expect(passesLuhn(good), good).toBe(true);
    }
    for (const bad of ["4242424242424241", "4000000000000001", "79927398710"]) expect(passesLuhn(bad), bad).toBe(false);
  });

  it("normalises spaces and dashes, refusing anything else", () => {
    expect(normaliseCardNumber("4242 4242-4242 4242")).toBe("4242424242424242");
    for (const bad of ["4242", "4242x42424242424", "4242424242424241", "42424242424242424242"]) {
      expect(() => normaliseCardNumber(bad), bad).toThrowError(expect.objectContaining({ code: "INVALID_ARGUMENT", field: "card" }));
    }
  });

  it("approves 4242…, declines 4000…0002, and only ever keeps the last four digits", () => {
    expect(authorise("4242424242424242")).toEqual({ approved: true, cardLast4: "4242" });
    expect(authorise("5555555555554444")).toEqual({ approved: true, cardLast4: "4444" });
    expect(authorise("4000000000000002")).toMatchObject({ approved: false, cardLast4: "0002" });
    expect(authorise("4000000000009995")).toMatchObject({ approved: false, reason: "insufficient funds" });
  });
});
