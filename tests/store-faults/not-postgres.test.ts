import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTix } from "../helpers/postgres-run-tix.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * A PostgreSQL URL that names another service's port: connecting fails at once with a line that
 * says so (exit 8), instead of the client library reconnecting until the connect timeout and
 * then blaming the timeout. No PostgreSQL server is needed: the services here are stand-ins for
 * a web server (answers, then closes) and an SSH server (speaks first, keeps the connection).
 */
describe("a PostgreSQL URL naming a port where something else listens", () => {
  const home = tempDir();
  const services: Server[] = [];
  const sockets = new Set<Socket>();
  const ports: Record<string, number> = {};
  const listen = async (name: string, onConnection: Parameters<typeof createServer>[1]): Promise<void> => {
    const server = createServer((socket) => {
      sockets.add(socket);
      onConnection!(socket);
    });
    services.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    ports[name] = (server.address() as { port: number }).port;
  };
  beforeAll(async () => {
    await listen("web", (socket) => {
      socket.on("error", () => undefined);
      socket.once("data", () => socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"));
    });
    await listen("ssh", (socket) => {
      socket.on("error", () => undefined);
      socket.write("SSH-2.0-OpenSSH_9.2\r\n");
    });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of services) await new Promise((resolve) => server.close(resolve));
    home.remove();
  });

  for (const [service, query] of [["web", ""], ["ssh", ""], ["ssh", "?sslmode=require"]] as const) {
    it(`${service}${query}: exit 8, one line saying it is not PostgreSQL`, async () => {
      const url = `postgres://tix:secret@127.0.0.1:${ports[service]}/tix${query}`;
      const run = await runTix(["--store", url, "event", "list"], { env: { TIX_HOME: home.path } });
      expect(run.code, run.stderr).toBe(8);
      expect(run.stderr).toBe(`error: the store postgres://tix@127.0.0.1:${ports[service]}/tix${query} is unreachable: the server there does not speak PostgreSQL's protocol (another service's port?) (ENOTPOSTGRES)\n`);
      expect(run.stdout).toBe("");
    }, 30_000);
  }
});
