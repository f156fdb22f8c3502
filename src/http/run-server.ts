import { invalidArgument, type Clock } from "../core/index.js";
import { loadSecret } from "../auth/tokens.js";
import type { Tix } from "../engine/open-tix.js";
import { createTixServer } from "./server.js";

export interface RunServerOptions {
  tix: Tix;
  clock: Clock;
  /** `$TIX_HOME`, where the token secret lives. */
  home: string;
  port: number;
  host: string;
  stderr: { write(text: string): unknown };
  debug: boolean;
  /** How long requests in flight may take to finish after SIGINT/SIGTERM (default 10 s). */
  graceMs?: number;
}

/**
 * `tix serve`: listens until SIGINT or SIGTERM, then stops accepting, lets requests in flight
 * finish (a second signal cuts them short) and returns, so the CLI closes the store and exits 0.
 */
export async function runServer(options: RunServerOptions): Promise<void> {
  const { tix, port, host, stderr, graceMs = 10_000 } = options;
  const server = createTixServer({
    tix,
    secret: loadSecret(options.home),
    clock: options.clock,
    debug: options.debug,
    log: (line) => stderr.write(`${line}\n`),
  });
  let url: string;
  try {
    url = await server.listen(port, host);
  } catch (error) {
    throw listenProblem(error, host, port);
  }
  stderr.write(`listening on ${url} (store ${tix.store.description}; Ctrl-C stops)\n`);

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off("SIGINT", stop).off("SIGTERM", stop);
      stderr.write(`${signal}: finishing requests in flight (up to ${graceMs / 1000}s; a second signal cuts them short)\n`);
      resolve();
    };
    process.on("SIGINT", stop).on("SIGTERM", stop);
  });
  const hurry = () => server.server.closeAllConnections();
  process.once("SIGINT", hurry).once("SIGTERM", hurry);
  try {
    await server.close(graceMs);
  } finally {
    process.off("SIGINT", hurry).off("SIGTERM", hurry);
  }
  stderr.write("stopped\n");
}

function listenProblem(error: unknown, host: string, port: number): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case "EADDRINUSE":
      return invalidArgument("port", `${host}:${port} is already in use; choose another --port (0 picks a free one)`);
    case "EACCES":
      return invalidArgument("port", `no permission to listen on ${host}:${port}; ports below 1024 need privileges`);
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return invalidArgument("host", `"${host}" is not an address of this machine`);
    default:
      return error;
  }
}
