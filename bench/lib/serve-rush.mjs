// `tix serve` under an on-sale: autocannon's connections all reserving one event, each request
// a new idempotency key, the users taken in turn (each may hold up to the per-user limit of 1000,
// so every request is a new hold; with bench.mjs's 4,096 buyers each holds a handful, as in an
// on-sale). Used by bench.mjs to compare group commit with one commit per
// request.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";
import { BIN } from "./processes.mjs";

/** `bin/tix serve --port 0` over `store`; resolves with its URL and a stop function. */
export function startServe(store, env, extraArgs = []) {
  const child = spawn(process.execPath, [BIN, "--store", store, "serve", "--port", "0", ...extraArgs], { env, stdio: ["ignore", "ignore", "pipe"] });
  let head = "";
  const exited = new Promise((resolve) => child.on("close", resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      if (head.length < 4096) head += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(head)?.[1];
      if (url) {
        head = "listening";
        resolve({ url, stop: async () => { child.kill("SIGTERM"); await exited; } });
      }
    });
    exited.then((code) => reject(new Error(`tix serve exited (${code}) before listening: ${head}`)));
  });
}

/**
 * Bearer tokens for `count` users (`rusher0`…), made by one `tix repl` reading a `token create`
 * line per user (one process, not one per token: thousands take a second or two).
 */
export async function makeTokens(env, count) {
  const lines = Array.from({ length: count }, (_, index) => `token create --user rusher${index} --ttl 2h\n`).join("");
  const made = spawnSync(process.execPath, [BIN, "repl"], { env, input: lines, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const tokens = made.stdout.split("\n").filter((line) => line !== "");
  if (made.status !== 0 || tokens.length !== count) throw new Error(`token create: ${tokens.length} of ${count} tokens made: ${made.stderr}`);
  return tokens;
}

/**
 * Requests per second and latency percentiles of `connections` clients reserving for `seconds`,
 * after the same rush for `warmUpSeconds` that is not counted: a server just started compiles its
 * hot paths and, on PostgreSQL, opens its connections and has each parse and plan its statements
 * once (~60 ms of the server's time each) — start-up, not the steady rush an on-sale is.
 */
export async function serveRush({ store, env, tokens, groupCommit, connections, seconds, warmUpSeconds = 1, eventId }) {
  const made = spawnSync(process.execPath, [BIN, "--store", store, "event", "create", "--id", eventId, "--name", "Rush", "--capacity", "10000000",
    "--limit-per-user", "1000", "--hold", "1h"], { env, encoding: "utf8" });
  if (made.status !== 0) throw new Error(`event create: ${made.stderr}`);
  const server = await startServe(store, env, groupCommit ? [] : ["--no-group-commit"]);
  let next = 0;
  const rush = (duration) => new Promise((resolve, reject) => {
    const instance = autocannon({
      url: server.url, connections, duration,
      requests: [{
        method: "POST", path: `/tickets/${eventId}/reserve`,
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, Authorization: `Bearer ${tokens[next++ % tokens.length]}`, "Idempotency-Key": randomUUID() } }),
      }],
    }, (error, done) => (error ? reject(error) : resolve(done)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
  const checked = (result) => {
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`serve rush: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return result;
  };
  try {
    if (warmUpSeconds > 0) checked(await rush(warmUpSeconds));
    const result = checked(await rush(seconds));
    return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
  } finally {
    await server.stop();
  }
}
