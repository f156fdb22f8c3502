import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TixError, invalidArgument, parseDuration, parseUserId } from "../core/index.js";
import { fileProblem } from "../platform/file-problem.js";
import { makeFolder } from "../platform/make-folder.js";

/**
 * Bearer tokens for `tix serve`: compact JWTs (RFC 7519) signed with HMAC-SHA256 under a secret
 * kept in `$TIX_HOME/secret`. A token names a user (`sub`), expires (`exp`) and may carry the
 * `admin` claim (changing events over HTTP); there is no revocation list: deleting the secret file
 * invalidates every token issued so far.
 */

export const MAX_TOKEN_TTL_SECONDS = 365 * 86_400;
const SECRET_FILE = "secret";
const SECRET_BYTES = 32;

/** The only header tix issues or accepts: no `alg` negotiation, so no algorithm confusion. */
const HEADER = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

export interface IssuedToken {
  token: string;
  userId: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  admin: boolean;
}

export type TokenCheck =
  | { ok: true; userId: string; expiresAt: number; admin: boolean }
  | { ok: false; reason: "malformed" | "bad-signature" | "expired" };

/** An HMAC-SHA256 in unpadded base64url: 43 characters, the last one carrying 2 zero bits. */
const SIGNATURE_TEXT = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/** `1h`, `30m`, `7d` → whole seconds, from 1s to 365d. */
export function parseTokenTtl(text: string): number {
  const seconds = parseDuration(text, "ttl");
  if (seconds < 1 || seconds > MAX_TOKEN_TTL_SECONDS) throw invalidArgument("ttl", `must be between 1s and 365d, got "${text}"`);
  return seconds;
}

export function issueToken(secret: Buffer, request: { userId: string; ttlSeconds: number; now: number; admin?: boolean }): IssuedToken {
  const userId = parseUserId(request.userId);
  const admin = request.admin === true;
  const issuedAt = Math.floor(request.now / 1000);
  const expiresAtSeconds = issuedAt + request.ttlSeconds;
  const payload = base64url(JSON.stringify({ sub: userId, iat: issuedAt, exp: expiresAtSeconds, ...(admin && { admin: true }) }));
  const signed = `${HEADER}.${payload}`;
  return { token: `${signed}.${sign(secret, signed)}`, userId, expiresAt: expiresAtSeconds * 1000, admin };
}

/**
 * Checks the signature before reading anything the token claims. The signature must be exactly
 * the text tix writes (unpadded, canonical base64url of 32 bytes): Node's decoder skips characters
 * it does not know and ignores trailing bits, so a token with `==` or `!!` appended, or its last
 * character changed to another with the same leading bits, would otherwise still pass.
 */
export function verifyToken(secret: Buffer, token: string, now: number): TokenCheck {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[0] !== HEADER) return { ok: false, reason: "malformed" };
  const [header, payload, signature] = parts as [string, string, string];
  if (!SIGNATURE_TEXT.test(signature)) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(secret, `${header}.${payload}`), "ascii");
  if (!timingSafeEqual(Buffer.from(signature, "ascii"), expected)) return { ok: false, reason: "bad-signature" };
  let claims: { sub?: unknown; exp?: unknown; admin?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as typeof claims;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof claims.sub !== "string" || typeof claims.exp !== "number") return { ok: false, reason: "malformed" };
  if (now >= claims.exp * 1000) return { ok: false, reason: "expired" };
  return { ok: true, userId: claims.sub, expiresAt: claims.exp * 1000, admin: claims.admin === true };
}

/**
 * The signing secret, created on first use: folder 0700, file 0600, written under a temporary
 * name and linked into place so that two processes starting at once agree on one secret. A secret
 * file that others can read is refused, as ssh refuses a readable private key.
 */
export function loadSecret(home: string): Buffer {
  const path = join(home, SECRET_FILE);
  try {
    return readSecret(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw secretProblem(path, error);
  }
  try {
    makeFolder(home);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${randomBytes(SECRET_BYTES).toString("base64url")}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600); // the umask may have narrowed it, never widened: make it exact
    try {
      linkSync(temporary, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      unlinkSync(temporary);
    }
    return readSecret(path);
  } catch (error) {
    throw error instanceof TixError ? error : secretProblem(path, error);
  }
}

function readSecret(path: string): Buffer {
  const stat = statSync(path);
  if (!stat.isFile()) throw invalidArgument("secret", `${path} is not a file; remove it (tix makes a new secret there)`);
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw invalidArgument("secret", `${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`);
  }
  const secret = Buffer.from(readFileSync(path, "utf8").trim(), "base64url");
  if (secret.length < SECRET_BYTES) throw invalidArgument("secret", `${path} holds no valid secret; delete it to make a new one`);
  return secret;
}

/**
 * The secret's file cannot be read or made (TIX_HOME read-only, on a full disk, not ours): said in
 * words, exit 2 as the secret's other refusals — not INTERNAL (exit 1, "a bug in tix").
 */
function secretProblem(path: string, error: unknown): TixError {
  if (error instanceof TixError) return error;
  return invalidArgument("secret", `cannot read or create the token secret ${path}: ${fileProblem(error)}`);
}

function sign(secret: Buffer, text: string): string {
  return createHmac("sha256", secret).update(text).digest("base64url");
}

function base64url(text: string): string {
  return Buffer.from(text, "utf8").toString("base64url");
}
