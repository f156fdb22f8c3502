import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const TIX_BIN = fileURLToPath(new URL("../../bin/tix", import.meta.url));

export interface TixRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (when the run used --json). */
  json: <T = Record<string, any>>() => T; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TixRunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Buffer;
  /** Kill the process (SIGKILL) if it runs longer than this; its `code` is then -1. */
  timeoutMs?: number;
}

/** The environment every test run gets: no colour, no prompts, nothing inherited that changes output. */
export function testEnv(home: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    TIX_HOME: home,
    TIX_USER: "alice",
    NO_COLOR: "1",
    TIX_NO_INPUT: "1",
    ...extra,
  };
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function toRun(code: number | null, stdout: string, stderr: string): TixRun {
  return { code: code ?? -1, stdout, stderr, json: () => JSON.parse(stdout) };
}

/** Runs `bin/tix` as a user would, synchronously. */
export function runTix(args: readonly string[], home: string, options: TixRunOptions = {}): TixRun {
  const result = spawnSync(process.execPath, [TIX_BIN, ...args], {
    env: testEnv(home, options.env),
    input: options.input ?? "",
    encoding: "utf8",
    timeout: options.timeoutMs,
    killSignal: "SIGKILL",
  });
  return toRun(result.status, result.stdout, result.stderr);
}

/** Runs `bin/tix` in the background, so that several can run at once. */
export function runTixAsync(args: readonly string[], home: string, options: TixRunOptions = {}): Promise<TixRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TIX_BIN, ...args], { env: testEnv(home, options.env) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(toRun(code, stdout, stderr));
    });
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Size and time knobs for the reliability tests. `npm test` runs them small; `npm run test:stress`
 * sets TIX_STRESS=1 for bigger defaults, and each knob can be set on its own:
 * TIX_STRESS_RUNS, TIX_STRESS_COMMANDS, TIX_STRESS_PROCESSES, TIX_STRESS_ATTEMPTS, TIX_STRESS_SECONDS, TIX_STRESS_SEED.
 */
export function knob(name: string, normal: number, stress: number): number {
  const given = process.env[name];
  if (given !== undefined && given !== "") {
    const value = Number(given);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${given}"`);
    return value;
  }
  return process.env.TIX_STRESS === "1" ? stress : normal;
}

/** A fixed fast-check seed from TIX_STRESS_SEED (to replay a failure), else a random one. */
export function fastCheckSeed(): { seed?: number } {
  const given = process.env.TIX_STRESS_SEED;
  return given ? { seed: Number(given) } : {};
}
