import { execFileSync } from "node:child_process";
import { chownSync, chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { isTixError } from "../../src/core/index.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

/**
 * A store reached over TLS (sslmode=require), on a server made here with a throw-away certificate.
 * Before: the client library started TLS itself and took the socket over, so tix neither read the
 * start-up answers (which server process a connection talks to) nor saw the socket close — a flight
 * that stalled was given up but its connection was left open (its slot in the pool, and its
 * transaction's locks on the server, held until the server timed it out), and a request for a
 * connection lost by the library when a connection closed waited out the connect wait.
 */
const openssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return undefined;
  } catch {
    return "no openssl to make a certificate";
  }
})();
const skipReason = postgresUnavailableReason() ?? openssl;

function makeCertificate(): { dir: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "tix-tls-"));
  const cert = join(dir, "server.crt");
  const key = join(dir, "server.key");
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"], { stdio: "ignore" });
  chmodSync(key, 0o600);
  // As root, the server runs as the postgres user (see postgres-server.mjs), which must own its key.
  if (process.getuid?.() === 0) {
    const [uid, gid] = ["-u", "-g"].map((flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim()));
    for (const path of [dir, cert, key]) chownSync(path, uid!, gid!);
  }
  return { dir, cert, key };
}

const certificate = skipReason === undefined ? makeCertificate() : undefined;

describe.skipIf(skipReason !== undefined)(`PostgreSQL over TLS${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres({ settings: certificate ? ["-c ssl=on", `-c ssl_cert_file=${certificate.cert}`, `-c ssl_key_file=${certificate.key}`] : [] });
  let url: string;
  let database: string;
  let proxy: TcpProxy;

  beforeAll(async () => {
    url = `${await server.createDatabase()}?sslmode=require`;
    database = new URL(url).pathname.slice(1);
    proxy = await startTcpProxy(server.port);
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
    if (certificate) rmSync(certificate.dir, { recursive: true, force: true });
  });

  it("tix's connections are encrypted, and the operation after its backends were terminated answers at once", async () => {
    const tix = await openTix({ store: url });
    try {
      await tix.events.create({ id: "evt_tls", name: "TLS", capacity: 1_000, hold: "1h" });
      const rows = await server.query<{ ssl: boolean }>(
        "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1 AND a.application_name = 'tix'", [database]);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((row) => row.ssl)).toBe(true);
      for (let round = 0; round < 6; round++) {
        await Promise.all([1, 2, 3].map((index) => tix.tickets.reserve({ eventId: "evt_tls", userId: `w${round}_${index}` })));
        await server.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'tix'", [database]);
        const started = Date.now();
        await Promise.all([1, 2].map((index) => tix.tickets.reserve({ eventId: "evt_tls", userId: `a${round}_${index}` })));
        expect(Date.now() - started, "no wait for the connect wait (5 s)").toBeLessThan(2_000);
      }
    } finally {
      await tix.close();
    }
  }, 120_000);

  it("a flight that stalls is given up with STORE_UNAVAILABLE and its connection ended; the next operation works", async () => {
    const tix = await openTix({ store: proxy.via(url), busyTimeoutMs: 500 });
    try {
      await tix.events.create({ id: "evt_stall", name: "Stall", capacity: 10, hold: "1h" });
      const closedBefore = proxy.clientsClosed;
      proxy.stalled = true;
      const failure = await tix.tickets.reserve({ eventId: "evt_stall", userId: "u1" }).then(() => undefined, (error: unknown) => error);
      expect(isTixError(failure) && failure.code, String(failure)).toBe("STORE_UNAVAILABLE");
      expect((failure as Error).message).toMatch(/stopped answering/);
      // Ended by tix at once (the proxy sees it close), not left open until the server's timeout.
      for (const deadline = Date.now() + 2_000; proxy.clientsClosed === closedBefore && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(proxy.clientsClosed, "the stalled connection was ended").toBeGreaterThan(closedBefore);
      proxy.stalled = false;
      await expect(tix.tickets.reserve({ eventId: "evt_stall", userId: "u2" })).resolves.toBeDefined();
    } finally {
      proxy.stalled = false;
      await tix.close();
    }
  }, 60_000);
});

describe.skipIf(postgresUnavailableReason() !== undefined)("PostgreSQL without TLS, asked for it", () => {
  const server = usePostgres();

  it("sslmode=require fails in one line, exit 8; prefer goes on in the clear", async () => {
    const url = await server.createDatabase();
    const required = await runTix(["--store", `${url}?sslmode=require`, "event", "list"]);
    expect(required.code, required.stderr).toBe(8);
    expect(required.stderr.trim().split("\n")).toHaveLength(1);
    expect(required.stderr).toMatch(/^error: the store .*\?sslmode=require is unavailable: the server does not accept TLS connections/);
    const preferred = await runTix(["--store", `${url}?sslmode=prefer`, "event", "list"]);
    expect(preferred.code, preferred.stderr).toBe(0);
  }, 60_000);
});
