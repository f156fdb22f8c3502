import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { isTixError } from "../../src/core/index.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.js";

/**
 * A server that stops answering while a store opens (its backend stopped with SIGSTOP, or a
 * network that drops packets) once held the opening for ever: the first schema check was sent
 * outside the stall bound that covers every flight before a commit. A proxy in front of a real
 * server stops passing anything on once the schema check goes through it; opening must then fail
 * with STORE_UNAVAILABLE past the stall bound (max(busy timeout, 5 s) + 2 s), never hang.
 */
const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`PostgreSQL: a server that stops answering while a store opens${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let directUrl: string;
  let proxy: TcpProxy;
  let stalls = 0;

  beforeAll(async () => {
    directUrl = await server.createDatabase();
    proxy = await startTcpProxy(server.port, (chunk) => {
      if (!chunk.includes("schema_info")) return "pass";
      // From here on nothing passes, either way: as a stopped backend, nothing ever answers.
      stalls++;
      return "stall";
    });
  }, 120_000);

  afterAll(async () => {
    await proxy?.close();
  });

  const viaProxy = () => proxy.via(directUrl);

  it("the library: openTix fails with STORE_UNAVAILABLE past the stall bound, and ends the stalled connection", async () => {
    const before = stalls;
    const closedBefore = proxy.clientsClosed;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      openTix({ store: viaProxy(), busyTimeoutMs: 500 }).then(async (tix) => {
        await tix.close();
        return "opened";
      }, (error: unknown) => error),
      new Promise((resolve) => (timer = setTimeout(() => resolve("still waiting after 30 s"), 30_000))),
    ]).finally(() => clearTimeout(timer));
    expect(stalls, "the proxy stalled the schema check").toBe(before + 1);
    expect(isTixError(outcome) && outcome.code, String(outcome)).toBe("STORE_UNAVAILABLE");
    expect((outcome as Error).message).toMatch(/stopped answering/);
    // Given up at the stall bound (5 s + 2 s), not before.
    expect(Date.now() - started).toBeGreaterThanOrEqual(7_000);
    // Its connection ended by tix (the proxy sees it close), not left open.
    for (const deadline = Date.now() + 2_000; proxy.clientsClosed === closedBefore && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(proxy.clientsClosed).toBeGreaterThan(closedBefore);
  }, 60_000);

  it("bin/tix: a command exits 8 with one line", async () => {
    const run = await runTix(["--store", viaProxy(), "event", "list"], { env: { TIX_BUSY_TIMEOUT_MS: "500" } });
    expect(run.code, run.stderr).toBe(8);
    expect(run.stderr.trim().split("\n"), run.stderr).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: the store .* is unreachable: it stopped answering/);
  }, 60_000);
});
