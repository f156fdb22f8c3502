// `tix serve` under an on-sale: autocannon's connections all reserving one event, each request
// a new idempotency key (one user with a per-user limit high enough that every request is a new
// hold). Used by bench.mjs to compare group commit with one commit per request.
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

/** Requests per second and latency percentiles of `connections` clients reserving for `seconds`. */
export async function serveRush({ store, env, groupCommit, connections, seconds, eventId }) {
  const token = spawnSync(process.execPath, [BIN, "token", "create", "--user", "rusher", "--ttl", "1h"], { env, encoding: "utf8" }).stdout.trim();
  const made = spawnSync(process.execPath, [BIN, "--store", store, "event", "create", "--id", eventId, "--name", "Rush", "--capacity", "100000000",
    "--limit-per-user", "100000000", "--hold", "1h"], { env, encoding: "utf8" });
  if (made.status !== 0) throw new Error(`event create: ${made.stderr}`);
  const server = await startServe(store, env, groupCommit ? [] : ["--no-group-commit"]);
  try {
    const result = await new Promise((resolve, reject) => {
      const instance = autocannon({
        url: server.url, connections, duration: seconds,
        requests: [{
          method: "POST", path: `/tickets/${eventId}/reserve`,
          setupRequest: (request) => ({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}`, "Idempotency-Key": randomUUID() } }),
        }],
      }, (error, done) => (error ? reject(error) : resolve(done)));
      autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
    });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`serve rush: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, requests: result.requests.total };
  } finally {
    await server.stop();
  }
}
