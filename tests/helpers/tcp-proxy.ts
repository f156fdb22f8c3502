import { connect, createServer, type Socket } from "node:net";

/**
 * What the proxy does with a chunk a client sends: pass it on, stall its connection for good,
 * reset it (the chunk not passed on), or cut it (the chunk passed on, then the server side ended
 * after it and the client side reset: the server gets the chunk, its answer is lost).
 */
export type ClientChunkAction = "pass" | "stall" | "reset" | "cut";

/** A TCP proxy on loopback in front of a test's server: a network the test breaks on purpose. */
export interface TcpProxy {
  readonly port: number;
  /** While true nothing passes either way, on any connection (as a stopped server process: no answer, no close). */
  stalled: boolean;
  /** Connections whose client side has closed (tix ending a connection shows here). */
  readonly clientsClosed: number;
  /**
   * Ends the server side of every connection open now and leaves the client side open, reset
   * (RST) at its next chunk: what a client sees of a server host that restarted, or a firewall
   * that forgot the connections, when no close ever reached it.
   */
  forget(): void;
  /** `url` with `targetPort` replaced by the proxy's port. */
  via(url: string): string;
  close(): Promise<void>;
}

/**
 * Starts a proxy to 127.0.0.1:`targetPort`. `onClientChunk` decides per chunk a client sends:
 * "stall" stops that connection both ways from then on; "reset" resets it (RST) at once; "cut"
 * passes the chunk on, then ends the connection both ways.
 */
export async function startTcpProxy(targetPort: number, onClientChunk: (chunk: Buffer) => ClientChunkAction = () => "pass"): Promise<TcpProxy> {
  const held: Socket[] = [];
  const forgetters = new Set<() => void>();
  let clientsClosed = 0;
  const server = createServer((client: Socket) => {
    const upstream = connect({ host: "127.0.0.1", port: targetPort });
    let stalledHere = false;
    let forgotten = false;
    let cut = false;
    const forget = () => {
      forgotten = true;
      upstream.destroy();
    };
    forgetters.add(forget);
    held.push(client, upstream);
    client.on("error", () => undefined);
    upstream.on("error", () => client.destroy());
    upstream.on("data", (chunk: Buffer) => stalledHere || proxy.stalled || client.write(chunk));
    client.on("data", (chunk: Buffer) => {
      if (forgotten) return void client.resetAndDestroy();
      if (stalledHere || proxy.stalled) return;
      const action = onClientChunk(chunk);
      if (action === "reset") {
        client.resetAndDestroy();
        upstream.destroy();
      } else if (action === "cut") {
        cut = true;
        upstream.end(chunk);
        client.resetAndDestroy();
      } else if (action === "stall") stalledHere = true;
      else upstream.write(chunk);
    });
    client.on("close", () => {
      clientsClosed++;
      forgetters.delete(forget);
      // A cut connection's server side ends once its last chunk is delivered.
      if (!cut) upstream.destroy();
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
    forget: () => {
      for (const forget of [...forgetters]) forget();
      forgetters.clear();
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
