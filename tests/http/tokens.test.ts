import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { issueToken, verifyToken } from "../../src/auth/tokens.js";

const secret = randomBytes(32);
const now = Date.UTC(2030, 0, 1);
const { token } = issueToken(secret, { userId: "alice", ttlSeconds: 3600, now });
const [header, payload, signature] = token.split(".") as [string, string, string];

describe("bearer tokens", () => {
  it("accept exactly the token issued, with its user and role", () => {
    expect(verifyToken(secret, token, now)).toEqual({ ok: true, userId: "alice", expiresAt: now + 3_600_000, admin: false });
    const admin = issueToken(secret, { userId: "boss", ttlSeconds: 60, now, admin: true });
    expect(admin.admin).toBe(true);
    expect(verifyToken(secret, admin.token, now)).toMatchObject({ ok: true, userId: "boss", admin: true });
  });

  it.each([
    ["'==' appended", `${token}==`],
    ["'!!' appended", `${token}!!`],
    ["a '.' appended", `${token}.`],
    ["whitespace inside", `${header}.${payload}.${signature.slice(0, 10)} ${signature.slice(10)}`],
    ["standard base64 instead of base64url", `${header}.${payload}.${Buffer.from(signature, "base64url").toString("base64")}`],
    ["one character short", `${header}.${payload}.${signature.slice(0, -1)}`],
    ["one character more", `${header}.${payload}.${signature}A`],
  ])("refuse a signature with %s", (_name, forged) => {
    expect(verifyToken(secret, forged, now).ok).toBe(false);
  });

  it("refuse every other spelling of the same last character (the bits base64url leaves unused)", () => {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const last = signature.at(-1)!;
    const sameBytes = [...alphabet].filter((char) => char !== last && Buffer.from(`${signature.slice(0, -1)}${char}`, "base64url").equals(Buffer.from(signature, "base64url")));
    expect(sameBytes).toHaveLength(3); // Node's decoder would take each of these as the same signature
    for (const char of sameBytes) expect(verifyToken(secret, `${header}.${payload}.${signature.slice(0, -1)}${char}`, now)).toEqual({ ok: false, reason: "malformed" });
  });

  it("refuse a changed payload, another secret, and an expired token", () => {
    const mallory = Buffer.from(JSON.stringify({ sub: "mallory", iat: 0, exp: 4_102_444_800, admin: true })).toString("base64url");
    expect(verifyToken(secret, `${header}.${mallory}.${signature}`, now)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyToken(randomBytes(32), token, now)).toEqual({ ok: false, reason: "bad-signature" });
    expect(verifyToken(secret, token, now + 3_600_000)).toEqual({ ok: false, reason: "expired" });
  });
});
