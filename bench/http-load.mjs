#!/usr/bin/env node
// A bounded load run of `tix serve` (the built bin/tix) with autocannon, over memory and SQLite:
// reads (GET /events/{id}) and writes (reserve then cancel, one user per connection, a new
// Idempotency-Key each time). Prints requests/s and latency percentiles, writes
// bench/results/http.json. Run `npm run build` first (`npm run bench:http` does).
//
//   BENCH_SECONDS=3 BENCH_CONNECTIONS=10 BENCH_STORES=memory,sqlite node bench/http-load.mjs
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
/* global fetch */
import autocannon from "autocannon";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = join(root, "bin", "tix");
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const stores = (process.env.BENCH_STORES ?? "memory,sqlite").split(",").filter(Boolean);
const resultFile = join(root, "bench", "results", "http.json");

if (!existsSync(join(root, "dist", "cli.cjs"))) {
  console.error("bench: dist/cli.cjs is missing; run npm run build first");
  process.exit(1);
}

const home = mkdtempSync(join(tmpdir(), "tix-bench-http-"));
const env = { ...process.env, TIX_HOME: home, TIX_USER: "bench", NO_COLOR: "1", TIX_NO_INPUT: "1" };
delete env.TIX_NOW;
delete env.TIX_STORE;

/** One token per connection (each its own user: a user holds one live ticket per event). */
async function makeTokens(count) {
  const run = promisify(execFile);
  const users = Array.from({ length: count }, (_, index) => `bench${index}`);
  // The first run makes the secret; the rest run side by side. The first user creates the event: an admin.
  const first = await run(process.execPath, [bin, "token", "create", "--user", users[0], "--ttl", "1h", "--admin"], { env });
  const rest = await Promise.all(users.slice(1).map((user) => run(process.execPath, [bin, "token", "create", "--user", user, "--ttl", "1h"], { env })));
  return [first, ...rest].map(({ stdout }) => stdout.trim());
}

/** `bin/tix serve --port 0`; resolves with its URL and a stop function (SIGTERM, waits for exit 0). */
function startServer(store) {
  const child = spawn(process.execPath, [bin, "--store", store, "serve", "--port", "0"], { env, stdio: ["ignore", "ignore", "pipe"] });
  let logLines = 0;
  let head = "";
  const exited = new Promise((resolve) => child.on("close", resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on("data", (chunk) => {
      const text = chunk.toString();
      logLines += text.split("\n").length - 1;
      if (head.length < 4096) head += text;
      const url = /listening on (http:\/\/\S+)/.exec(head)?.[1];
      if (url) {
        head = "done";
        resolve({
          url,
          logLines: () => logLines,
          stop: async () => {
            child.kill("SIGTERM");
            const code = await exited;
            if (code !== 0) throw new Error(`tix serve exited with ${code}`);
          },
        });
      }
    });
    exited.then((code) => reject(new Error(`tix serve exited (${code}) before listening: ${head}`)));
  });
}

function load(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections, duration: seconds, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

/** Each connection: reserve with a fresh key, then cancel that ticket; around and around. */
function reserveThenCancel(tokens) {
  let next = 0;
  return (client) => {
    const authorization = `Bearer ${tokens[next++ % tokens.length]}`;
    client.setRequests([
      {
        method: "POST",
        path: "/tickets/evt_bench/reserve",
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, Authorization: authorization, "Idempotency-Key": randomUUID() } }),
        onResponse: (status, body, context) => {
          if (status === 200) context.ticketId = JSON.parse(body).Ticket.Id;
        },
      },
      {
        method: "DELETE",
        setupRequest: (request, context) => ({ ...request, path: `/tickets/${context.ticketId ?? "none"}`, headers: { ...request.headers, Authorization: authorization } }),
      },
    ]);
  };
}

function summary(store, scenario, result) {
  return {
    store,
    scenario,
    seconds,
    connections,
    requests: result.requests.total,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

const rows = [];
try {
  const tokens = await makeTokens(connections);
  for (const kind of stores) {
    const store = kind === "sqlite" ? `sqlite:${join(home, `${kind}.db`)}` : kind;
    const server = await startServer(store);
    try {
      const created = await fetch(`${server.url}/events`, {
        method: "POST",
        headers: { Authorization: `Bearer ${tokens[0]}`, "Content-Type": "application/json" },
        body: JSON.stringify({ Id: "evt_bench", Name: "Bench Night", Capacity: 10_000_000, Price: "10.00" }),
      });
      if (created.status !== 201) throw new Error(`creating the event answered ${created.status}: ${await created.text()}`);

      rows.push(summary(kind, "GET /events/{id}", await load({ url: `${server.url}/events/evt_bench` })));
      rows.push(summary(kind, "reserve + cancel", await load({ url: server.url, setupClient: reserveThenCancel(tokens) })));
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}

const pad = (text, width) => String(text).padEnd(width);
console.log(`tix serve under load: ${connections} connections, ${seconds}s each, ${cpus().length} CPUs, Node ${process.version}`);
console.log(`${pad("STORE", 8)}${pad("SCENARIO", 20)}${pad("REQ/S", 9)}${pad("P50 MS", 8)}${pad("P99 MS", 8)}${pad("NON-2XX", 9)}ERRORS`);
for (const row of rows) {
  console.log(`${pad(row.store, 8)}${pad(row.scenario, 20)}${pad(row.requestsPerSecond, 9)}${pad(row.latencyMs.p50, 8)}${pad(row.latencyMs.p99, 8)}${pad(row.non2xx, 9)}${row.errors + row.timeouts}`);
}
mkdirSync(join(root, "bench", "results"), { recursive: true });
writeFileSync(resultFile, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, results: rows }, null, 2)}\n`);
console.log(`wrote ${resultFile}`);
const failed = rows.filter((row) => row.non2xx > 0 || row.errors > 0);
if (failed.length > 0) {
  console.error(`bench: ${failed.map((row) => `${row.store} ${row.scenario}`).join(", ")} had failed requests`);
  process.exitCode = 1;
}
