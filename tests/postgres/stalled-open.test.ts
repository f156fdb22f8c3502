import { createServer, connect, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { isTixError } from "../../src/core/index.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";

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
  let proxy: Server;
  let proxyPort: number;
  let stalls = 0;
  let clientsClosed = 0;
  const held: Socket[] = [];

  beforeAll(async () => {
    directUrl = await server.createDatabase();
    proxy = createServer((client: Socket) => {
      const upstream = connect({ host: "127.0.0.1", port: server.port });
      let stalled = false;
      held.push(client, upstream);
      client.on("error", () => undefined);
      upstream.on("error", () => client.destroy());
      upstream.on("data", (chunk: Buffer) => stalled || client.write(chunk));
      client.on("data", (chunk: Buffer) => {
        if (!stalled && chunk.includes("schema_info")) {
          // From here on nothing passes, either way: as a stopped backend, nothing ever answers.
          stalled = true;
          stalls++;
        }
        if (!stalled) upstream.write(chunk);
      });
      client.on("close", () => {
        clientsClosed++;
        upstream.destroy();
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    proxyPort = (proxy.address() as { port: number }).port;
  }, 120_000);

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => proxy?.close(resolve));
  });

  const viaProxy = () => directUrl.replace(`:${server.port}/`, `:${proxyPort}/`);

  it("the library: openTix fails with STORE_UNAVAILABLE past the stall bound, and ends the stalled connection", async () => {
    const before = stalls;
    const closedBefore = clientsClosed;
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
    for (const deadline = Date.now() + 2_000; clientsClosed === closedBefore && Date.now() < deadline;) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(clientsClosed).toBeGreaterThan(closedBefore);
  }, 60_000);

  it("bin/tix: a command exits 8 with one line", async () => {
    const run = await runTix(["--store", viaProxy(), "event", "list"], { env: { TIX_BUSY_TIMEOUT_MS: "500" } });
    expect(run.code, run.stderr).toBe(8);
    expect(run.stderr.trim().split("\n"), run.stderr).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: the store .* is unreachable: it stopped answering/);
  }, 60_000);
});
