import { describe, expect, it } from "vitest";
import { mentionsUrlSecret, redactUrl, urlSecrets } from "../../../src/core/index.js";

describe("store URLs as they are printed", () => {
  it("hide the password and every secret parameter of a URL that parses", () => {
    const printed = redactUrl("postgres://tix:pw1@db:5432/tix?sslpassword=pw2&sslkey=/keys/k.pem&sslmode=require");
    expect(printed).not.toMatch(/pw1|pw2|k\.pem/);
    expect(printed).toContain("sslmode=require");
    expect(urlSecrets("postgres://tix:pw1@db/tix?sslkey=/keys/k.pem")).toEqual(["pw1", "/keys/k.pem"]);
  });

  it("hide the same in a URL that does not parse (a bad port), sslkey included", () => {
    const url = "postgres://tix:pw1@db:99999/tix?password=pw2&sslkey=/keys/k.pem&sslmode=require";
    expect(() => new URL(url)).toThrow();
    const printed = redactUrl(url);
    expect(printed).not.toMatch(/pw1|pw2|k\.pem/);
    expect(printed).toBe("postgres://tix@db:99999/tix?password=***&sslkey=***&sslmode=require");
    // What the REPL's history keeps out is what is hidden here.
    expect(mentionsUrlSecret("--store postgres://db/tix?SSLKEY=/k.pem")).toBe(true);
  });
});
