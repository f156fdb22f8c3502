import { connect, createServer, type Socket } from "node:net";

/** What the proxy does with a chunk a client sends: pass it on, stall its connection for good, or reset it. */
export type ClientChunkAction = "pass" | "stall" | "reset";

/** A TCP proxy on loopback in front of a test's server: a network the test breaks on purpose. */
export interface TcpProxy {
  readonly port: number;
  /** While true nothing passes either way, on any connection (as a stopped server process: no answer, no close). */
  stalled: boolean;
  /** Connections whose client side has closed (tix ending a connection shows here). */
  readonly clientsClosed: number;
  /** `url` with `targetPort` replaced by the proxy's port. */
  via(url: string): string;
  close(): Promise<void>;
}

/**
 * Starts a proxy to 127.0.0.1:`targetPort`. `onClientChunk` decides per chunk a client sends:
 * "stall" stops that connection both ways from then on; "reset" resets it (RST) at once.
 */
export async function startTcpProxy(targetPort: number, onClientChunk: (chunk: Buffer) => ClientChunkAction = () => "pass"): Promise<TcpProxy> {
  const held: Socket[] = [];
  let clientsClosed = 0;
  const server = createServer((client: Socket) => {
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    let stalledHere = false;
    held.push(client, upstream);
    client.on("error", () => undefined);
    upstream.on("error", () => client.destroy());
    upstream.on("data", (chunk: Buffer) => stalledHere || proxy.stalled || client.write(chunk));
    client.on("data", (chunk: Buffer) => {
      if (stalledHere || proxy.stalled) return;
      const action = onClientChunk(chunk);
      if (action === "reset") {
        client.resetAndDestroy();
        upstream.destroy();
      } else if (action === "stall") stalledHere = true;
      else upstream.write(chunk);
    });
    client.on("close", () => {
      clientsClosed++;
      upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const proxy: TcpProxy = {
    port,
    stalled: false,
    get clientsClosed() {
      return clientsClosed;
    },
    via: (url) => {
      const proxied = url.replace(`:${targetPort}/`, `:${port}/`);
      if (proxied === url) throw new Error(`${url} does not name port ${targetPort}`);
      return proxied;
    },
    close: async () => {
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return proxy;
}
