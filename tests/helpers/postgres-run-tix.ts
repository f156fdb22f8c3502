import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/tix", import.meta.url));
const SKEWED_CLOCK = fileURLToPath(new URL("../postgres/fixtures/skewed-clock.mjs", import.meta.url));

export interface TixRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it is one JSON document. */
  json: Record<string, unknown> & { status?: string; error?: { code: string; message: string } };
}

export interface RunOptions {
  env?: Record<string, string>;
  /** Runs tix on a host whose clock is this many milliseconds off (Date is shifted in the process). */
  clockSkewMs?: number;
}

/** Runs the built `bin/tix` as its own process (its own connection); never rejects on a failed command. */
export function runTix(args: readonly string[], options: RunOptions = {}): Promise<TixRun> {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", TIX_BUSY_TIMEOUT_MS: "20000", ...options.env };
  for (const name of ["TIX_STORE", "TIX_USER", "TIX_NOW", "TIX_DEBUG", "FORCE_COLOR"]) {
    if (!options.env || !(name in options.env)) delete env[name];
  }
  const nodeArgs = options.clockSkewMs === undefined ? [] : ["--import", SKEWED_CLOCK];
  if (options.clockSkewMs !== undefined) env.TIX_TEST_CLOCK_SKEW_MS = String(options.clockSkewMs);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      let json = {};
      try {
        json = JSON.parse(stdout) as object;
      } catch {
        // not JSON output
      }
      resolve({ code, stdout, stderr, json });
    });
  });
}
