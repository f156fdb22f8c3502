import { spawn, type ChildProcess } from "node:child_process";
import { afterAll } from "vitest";
import { TIX_BIN, testEnv } from "./cli.js";

export interface ServeProcess {
  /** Resolves with the base URL once the server prints where it listens. */
  listening: Promise<string>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stderr(): string;
  stdout(): string;
  /** Sends `signal` (SIGTERM by default); resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Servers not yet stopped: one whose test failed before its stop() is ended once its file has run. */
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
});

/** `bin/tix [args] serve --port 0 [serveArgs]` in the background, as a user starts it. */
export function serveProcess(home: string, args: string[], options: { env?: Record<string, string>; serveArgs?: string[] } = {}): ServeProcess {
  const child = spawn(process.execPath, [TIX_BIN, ...args, "serve", "--port", "0", ...(options.serveArgs ?? [])], { env: testEnv(home, options.env) });
  let stderr = "";
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  running.add(child);
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  void exited.then(() => running.delete(child));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url) resolve(url);
    });
    void exited.then((code) => reject(new Error(`tix serve exited (${code}) before listening: ${stderr}`)));
  });
  return {
    listening,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    stop: (signal = "SIGTERM") => {
      child.kill(signal);
      return exited;
    },
  };
}
