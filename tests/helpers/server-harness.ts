import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { ManualClock, openTix, type Tix } from "../../src/index.js";
import { issueToken } from "../../src/auth/tokens.js";
import type { Engine } from "../../src/http/routes.js";
import { createTixServer } from "../../src/http/server.js";
import { tempDir } from "./temp-dir.js";

export type StoreKind = "memory" | "sqlite";
export const STORE_KINDS: StoreKind[] = ["memory", "sqlite"];

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  /** Sends a fresh token for this user (the user named "admin" gets an admin token). */
  as?: string;
  /** Sends this Authorization header as it is. */
  authorization?: string;
  key?: string;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Harness {
  url: string;
  tix: Tix;
  clock: ManualClock;
  dir: string;
  /** Access-log lines and internal errors the server wrote. */
  logs: string[];
  /** A token for `userId`; an admin token for the user named "admin" unless `admin` says otherwise. */
  token(userId: string, ttlSeconds?: number, admin?: boolean): string;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** Closes the server (as SIGTERM would), then the store. */
  close(): Promise<void>;
}

/** A real server on an ephemeral loopback port over a real store, with a clock the test moves. */
export async function startServer(
  kind: StoreKind,
  options: {
    wrap?: (tix: Tix) => Engine;
    bodyLimit?: number;
    busyTimeoutMs?: number;
    anonymousUser?: string;
    anonymousFromAnyHost?: boolean;
    timeouts?: { headersMs?: number; requestMs?: number; unreadMs?: number; keepAliveMs?: number };
  } = {},
): Promise<Harness> {
  const clock = new ManualClock("2030-01-01T12:00:00Z");
  const dir = tempDir("tix-http-");
  const tix = await openTix({
    store: kind === "memory" ? "memory" : `sqlite:${join(dir.path, "tix.db")}`,
    clock,
    busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
  });
  const secret = randomBytes(32);
  const logs: string[] = [];
  const server = createTixServer({
    tix: options.wrap ? options.wrap(tix) : tix,
    secret,
    clock,
    bodyLimit: options.bodyLimit,
    anonymousUser: options.anonymousUser,
    anonymousFromAnyHost: options.anonymousFromAnyHost,
    timeouts: options.timeouts,
    log: (line) => void logs.push(line),
  });
  const url = await server.listen(0, "127.0.0.1");
  const token = (userId: string, ttlSeconds = 3_600, admin = userId === "admin") =>
    issueToken(secret, { userId, ttlSeconds, now: clock.now(), admin }).token;

  const call = async (method: string, path: string, call: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...call.headers };
    if (call.as !== undefined) headers.Authorization = `Bearer ${token(call.as)}`;
    if (call.authorization !== undefined) headers.Authorization = call.authorization;
    if (call.key !== undefined) headers["Idempotency-Key"] = call.key;
    let body: string | undefined;
    if (call.body !== undefined) {
      body = typeof call.body === "string" ? call.body : JSON.stringify(call.body);
      headers["Content-Type"] ??= "application/json";
    }
    const response = await fetch(`${url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === "" ? undefined : JSON.parse(text) };
  };

  return {
    url,
    tix,
    clock,
    dir: dir.path,
    logs,
    token,
    call,
    close: async () => {
      await server.close(1_000);
      await tix.close();
      dir.remove();
    },
  };
}

/** A promise the test resolves when it chooses: holds a request in flight without sleeping. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}
