// Running the built bin/tix as a user's script would: stdout and stderr captured (pipes), no
// terminal, a private TIX_HOME.
import { spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../bin/tix", import.meta.url));

export function tixEnv(home) {
  const env = { ...process.env, TIX_HOME: home, TIX_USER: "bench", NO_COLOR: "1", TIX_NO_INPUT: "1" };
  for (const name of ["TIX_STORE", "TIX_NOW", "TIX_DEBUG", "FORCE_COLOR", "NODE_OPTIONS"]) delete env[name];
  return env;
}

/** Wall time of one process, in ms; throws when it exits with another code than expected. */
export function timedRun(args, env, { input, expectCode = 0 } = {}) {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { env, input, stdio: [input === undefined ? "ignore" : "pipe", "pipe", "pipe"], encoding: "utf8", maxBuffer: 1 << 28 });
  const ms = performance.now() - start;
  if (run.status !== expectCode) throw new Error(`${args.join(" ")} exited ${run.status} (expected ${expectCode}): ${run.stderr.slice(0, 500)}`);
  return { ms, stdout: run.stdout, stderr: run.stderr };
}

/** Starts `bin/tix …` fed `input` on stdin; resolves with its exit code and output when it ends. */
export function startTix(args, env, input) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text) => (stdout += text));
  child.stderr.setEncoding("utf8").on("data", (text) => (stderr += text));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
