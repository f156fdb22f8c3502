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

/**
 * Starts `bin/tix …` (a `tix repl`) and sends it `warmUp`, one or more lines, at once: `ready`
 * resolves when every warm-up line is answered (the process has started, opened its store and done
 * what the lines do); `send(input)` then writes the rest and ends stdin; `done` resolves with its
 * exit code and output when it ends, the warm-up's answers (one line each) left out of `stdout`,
 * and `lastOutputAt` (performance.now()) when its last output came.
 */
export function startReadyTix(args, env, warmUp) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let answered;
  const ready = new Promise((resolve) => (answered = resolve));
  let lastOutputAt = 0;
  // Where the warm-up's answers end in stdout, once they have all come (counted only until then).
  let warmUpLeft = warmUp.split("\n").length - 1;
  let warmUpEnd = -1;
  child.stdout.setEncoding("utf8").on("data", (text) => {
    lastOutputAt = performance.now();
    for (let at = text.indexOf("\n"); warmUpLeft > 0 && at !== -1; at = text.indexOf("\n", at + 1)) {
      if (--warmUpLeft === 0) {
        warmUpEnd = stdout.length + at + 1;
        answered();
      }
    }
    stdout += text;
  });
  child.stderr.setEncoding("utf8").on("data", (text) => (stderr += text));
  child.stdin.write(warmUp);
  const done = new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      answered();
      resolve({ code, stdout: warmUpEnd === -1 ? "" : stdout.slice(warmUpEnd), stderr, lastOutputAt });
    });
  });
  return { ready, send: (input) => child.stdin.end(input), done };
}
