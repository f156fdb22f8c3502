import { describe, expect, it } from "vitest";
import { TixError } from "../../../src/core/index.js";
import { isHostGone } from "../../../src/store/postgres/errors.js";

/** Which failed connects make tix take a PostgreSQL host as gone for a moment (connection.ts, remember). */
describe("isHostGone", () => {
  const coded = (code: string, extra: object = {}) => Object.assign(new Error(code), { code, ...extra });

  it("is a refused, unreachable, timed-out or closed connection, or a server shutting down or starting", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENOTFOUND", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "57P01", "57P03"]) {
      expect(isHostGone(coded(code)), code).toBe(true);
    }
    expect(isHostGone(new TixError("STORE_UNAVAILABLE", "wrapped", { cause: coded("ECONNREFUSED") }))).toBe(true);
  });

  it("is not a server that answered no, tix's own wait for a connection, or anything else", () => {
    for (const error of [coded("28P01", { severity: "FATAL" }), coded("3D000", { severity: "FATAL" }), coded("55P03"), coded("CONNECT_TIMEOUT", { unanswered: true }), new Error("bug"), undefined]) {
      expect(isHostGone(error), String((error as { code?: string } | undefined)?.code)).toBe(false);
    }
  });
});
