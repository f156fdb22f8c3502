import { invalidArgument, type Clock } from "../core/index.js";
import { loadSecret } from "../auth/tokens.js";
import type { Tix } from "../app/open-tix.js";
import { createTixServer } from "./server.js";

// The CLI checks `--cors-origin` before it opens the store; this module is its one way into src/http.
export { parseCorsOrigins } from "./cors.js";

export interface RunServerOptions {
  tix: Tix;
  clock: Clock;
  /** `$TIX_HOME`, where the token secret lives. */
  home: string;
  port: number;
  host: string;
  stderr: { write(text: string): unknown };
  /**
   * stderr is a terminal: the server's own messages (listening, stopping, stopped; not the access
   * log) are laid out for it by `layOut` (the CLI's: between words to its width; the terminal broke
   * them mid-word), and the one after Ctrl-C starts on a line of its own, after the `^C` echoed.
   */
  terminal?: { layOut: (text: string) => string };
  debug: boolean;
  /** How long requests in flight may take to finish after SIGINT/SIGTERM (default 10 s). */
  graceMs?: number;
  /** Requests without a token act as this user (see TixServerOptions.anonymousUser). */
  anonymousUser?: string | undefined;
  /** `--insecure`: the anonymous user also answers requests naming a domain other than localhost. */
  anonymousFromAnyHost?: boolean;
  /** `--cors-origin`: origins whose web pages may call the server (see TixServerOptions.corsOrigins). */
  corsOrigins?: readonly string[];
  /** Told the base URL once the server listens (`tix --json serve` prints it: with --port 0 the port is known only then). */
  onListening?: (url: string) => void;
}

/**
 * `tix serve`: listens until SIGINT or SIGTERM, then stops accepting, lets requests in flight
 * finish (a second signal cuts them short) and returns the signal, so the CLI closes the store
 * and exits (130 for Ctrl-C, 0 for SIGTERM), and whether requests were cut short.
 */
export async function runServer(options: RunServerOptions): Promise<{ signal: NodeJS.Signals; cutShort: boolean }> {
  const { tix, port, host, stderr, graceMs = 10_000, anonymousUser } = options;
  const say = (text: string): void => void stderr.write(`${options.terminal ? options.terminal.layOut(text) : text}\n`);
  const accessLog = new LineBuffer(stderr);
  const server = createTixServer({
    tix,
    secret: loadSecret(options.home),
    clock: options.clock,
    debug: options.debug,
    anonymousUser,
    anonymousFromAnyHost: options.anonymousFromAnyHost ?? false,
    corsOrigins: options.corsOrigins,
    log: accessLog.add,
  });
  // SIGINT and SIGTERM mean "shut down gracefully" while serving; the CLI's own handlers step aside.
  let signals = 0;
  let stopRequested!: (signal: NodeJS.Signals) => void;
  const stopping = new Promise<NodeJS.Signals>((resolve) => (stopRequested = resolve));
  const releaseSignals = takeSignals((signal) => {
    if (++signals > 1) return server.cutShort();
    accessLog.flush();
    if (signal === "SIGINT" && options.terminal) stderr.write("\n");
    say(`${signal}: finishing requests in flight (up to ${graceMs / 1000}s; a second signal cuts them short)`);
    stopRequested(signal);
  });
  try {
    let url: string;
    try {
      url = await server.listen(port, host);
    } catch (error) {
      throw listenProblem(error, host, port);
    }
    const mode = anonymousUser === undefined
      ? "bearer tokens required"
      : `requests without a token act as ${anonymousUser}, who may change events; tokens still work`;
    const origins = options.corsOrigins ?? [];
    const cors = origins.length === 0 ? "" : `; web pages of ${origins.includes("*") ? "any origin" : origins.join(", ")} may call it (CORS)`;
    say(`listening on ${url} (store ${tix.store.description}; ${mode}${cors}; Ctrl-C stops)`);
    options.onListening?.(url);
    const signal = await stopping;
    const cutShort = await server.close(graceMs);
    accessLog.flush();
    say("stopped");
    return { signal, cutShort };
  } finally {
    accessLog.flush();
    releaseSignals();
  }
}

/**
 * Access-log lines written once per turn of the event loop instead of one write each: under a
 * rush that is one system call for many requests (stderr on a pipe or file is written
 * synchronously). A SIGKILL can lose the lines of the last turn, never an answer.
 */
class LineBuffer {
  private pending = "";

  constructor(private readonly out: { write(text: string): unknown }) {}

  add = (line: string): void => {
    if (this.pending === "") setImmediate(this.flush);
    this.pending += `${line}\n`;
  };

  flush = (): void => {
    if (this.pending === "") return;
    const text = this.pending;
    this.pending = "";
    this.out.write(text);
  };
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** Routes SIGINT and SIGTERM to `handler` alone until the returned function puts the previous listeners back. */
function takeSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  const previous = SIGNALS.map((signal) => [signal, process.listeners(signal)] as const);
  for (const [signal, listeners] of previous) {
    for (const listener of listeners) process.off(signal, listener);
    process.on(signal, handler);
  }
  return () => {
    for (const [signal, listeners] of previous) {
      process.off(signal, handler);
      for (const listener of listeners) process.on(signal, listener);
    }
  };
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
