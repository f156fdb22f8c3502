import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterUnavailableReason, startCluster, type PostgresCluster } from "../helpers/postgres-cluster.js";
import { tempDir } from "../helpers/temp-dir.js";
import { cliLane, httpLane, rush, startServe, type Lane, type RushReport, type ServeProcess } from "./failover-rush.js";
import { runTix } from "../helpers/postgres-run-tix.js";

/**
 * Failover mid-rush, on a real primary + synchronous standby: `tix serve` processes and CLI
 * commands rush one event through the multi-host URL; the primary is killed (SIGKILL to the
 * postmaster and all its children) at a random moment and the standby promoted with pg_ctl
 * promote. The callers retry what was answered STORE_UNAVAILABLE with the same key, as the docs
 * say. Then, on the new primary: every acknowledged reservation exists, nothing is oversold,
 * every key holds one ticket. Each run after the first rewinds the old primary (pg_rewind) into
 * the new standby and kills the other node — the URL lists the hosts in the same order
 * throughout, so tix also finds a primary that is not the first host.
 *
 * `npm test`: one run. `npm run test:stress`: TIX_FAILOVER_RUNS runs (default 5), bigger rushes;
 * TIX_STRESS_SEED replays the random moments of a run, TIX_FAILOVER_TRACE=1 prints each answer.
 */
const skipReason = clusterUnavailableReason();
const STRESS = process.env.TIX_STRESS === "1";
const RUNS = Number(process.env.TIX_FAILOVER_RUNS ?? (STRESS ? 5 : 1));
const CAPACITY = STRESS ? 120 : 40;
const KEYS = Math.round(CAPACITY * 1.4);
const SERVES = STRESS ? 3 : 2;
const HTTP_PARALLEL = STRESS ? 5 : 4;
const CLI_PARALLEL = 2;
/** Long enough for a promotion on a loaded machine; the callers retry past it anyway. */
const TIX_ENV = { TIX_BUSY_TIMEOUT_MS: "10000" };

/** A small seeded generator, so that a failing run can be replayed (TIX_STRESS_SEED). */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe.skipIf(skipReason !== undefined)(`PostgreSQL failover mid-rush${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let cluster: PostgresCluster;
  const home = tempDir("tix-failover-");
  const serves: ServeProcess[] = [];
  const seed = Number(process.env.TIX_STRESS_SEED ?? Date.now() % 1_000_000);
  const random = randomSource(seed);
  const figures: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    const made = await runTix(["--store", cluster.url, "event", "list"], { env: TIX_ENV });
    expect(made.code, made.stderr).toBe(0);
    for (let index = 0; index < SERVES; index++) serves.push(await startServe(cluster.url, home.path, TIX_ENV));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(serves.map((serve) => serve.stop()));
    await cluster?.stop();
    home.remove();
    if (figures.length > 0) console.log(`failover figures (seed ${seed}):\n${figures.join("\n")}`);
  });

  for (let run = 1; run <= RUNS; run++) {
    it(`run ${run}: the primary killed mid-rush, the standby promoted — nothing acknowledged is lost, nothing oversold, one ticket per key`, async () => {
      if (run > 1) await cluster.rejoinAsStandby();
      const eventId = `evt_fo${run}`;
      const made = await runTix(["--store", cluster.url, "event", "create", "--id", eventId, "--name", `Failover ${run}`, "--capacity", String(CAPACITY), "--hold", "1d"], { env: TIX_ENV });
      expect(made.code, made.stderr).toBe(0);
      const lanes: Lane[] = [
        ...serves.map((serve, index) => httpLane(`serve${index + 1}`, serve, home.path, HTTP_PARALLEL)),
        cliLane("cli", cluster.url, CLI_PARALLEL, TIX_ENV),
      ];
      const killAfterTickets = Math.max(1, Math.round(CAPACITY * (0.15 + random() * 0.45)));
      const promoteDelayMs = Math.round(random() * 1_500);
      const oldPrimary = cluster.primary.name;

      const report = await rush(cluster, eventId, KEYS, lanes, { killAfterTickets, promoteDelayMs }, { prefix: `r${run}`, timeoutMs: 150_000 });

      expect(report.unexpected, "every attempt was answered a ticket, SOLD_OUT or STORE_UNAVAILABLE").toEqual([]);
      expect(cluster.primary.name, "the standby was promoted").not.toBe(oldPrimary);
      await checkStore(cluster, eventId, report);
      for (const serve of serves) expect(serve.running(), "tix serve kept running through the failover").toBe(true);
      figures.push(describeRun(run, report, { killAfterTickets, promoteDelayMs }));
    }, 240_000);
  }
});

/** On the new primary: what the callers were told is what is stored. */
async function checkStore(cluster: PostgresCluster, eventId: string, report: RushReport): Promise<void> {
  const sql = <T>(text: string, params: unknown[]) => cluster.query<T>(cluster.primary, text, params, "tix");
  const [event] = await sql<{ capacity: number; held: number; sold: number }>("SELECT capacity, held, sold FROM tix.events WHERE id = $1", [eventId]);
  const tickets = await sql<{ id: string; status: string }>("SELECT id, status FROM tix.tickets WHERE event_id = $1", [eventId]);
  const keys = await sql<{ user_id: string; key: string; ticket_id: string; tickets: number }>(
    `SELECT k.user_id, k.key, k.ticket_id, (SELECT count(*)::int FROM tix.tickets t WHERE t.order_id = k.order_id) AS tickets
     FROM tix.idempotency_keys k WHERE k.ticket_id IN (SELECT id FROM tix.tickets WHERE event_id = $1)`, [eventId]);

  const acknowledged = report.outcomes.flatMap((outcome) => (outcome.final.kind === "ticket" ? [{ ...outcome, ticketId: outcome.final.ticketId }] : []));
  const stored = new Map(tickets.map((ticket) => [ticket.id, ticket.status]));
  const lost = acknowledged.filter((outcome) => stored.get(outcome.ticketId) !== "reserved");
  expect(lost.map((outcome) => `${outcome.key} → ${outcome.ticketId}`), "acknowledged reservations missing on the new primary").toEqual([]);
  expect(event!.held + event!.sold, "held + sold ≤ capacity").toBeLessThanOrEqual(event!.capacity);
  expect(event!.held, "the event's count matches its tickets").toBe(tickets.filter((ticket) => ticket.status === "reserved").length);
  const unacknowledged = tickets.filter((ticket) => !acknowledged.some((outcome) => outcome.ticketId === ticket.id));
  expect(unacknowledged.map((ticket) => ticket.id), "tickets no caller was given (a doubled in-doubt retry)").toEqual([]);
  expect(new Set(acknowledged.map((outcome) => outcome.ticketId)).size, "no two keys were given one ticket").toBe(acknowledged.length);
  for (const row of keys) expect(row.tickets, `key ${row.key} holds one ticket`).toBe(1);
  expect(keys.map((row) => `${row.user_id}/${row.key} → ${row.ticket_id}`).sort()).toEqual(acknowledged.map((outcome) => `${outcome.userId}/${outcome.key} → ${outcome.ticketId}`).sort());
  if (report.outcomes.some((outcome) => outcome.final.kind === "sold-out")) {
    expect(event!.held, "SOLD_OUT was answered only once every place was taken").toBe(event!.capacity);
  }
  expect(Number.isFinite(report.killToFirstSuccessMs), "a reservation sent after the kill succeeded on the new primary").toBe(true);
}

function describeRun(run: number, report: RushReport, failover: { killAfterTickets: number; promoteDelayMs: number }): string {
  const tickets = report.outcomes.filter((outcome) => outcome.final.kind === "ticket");
  const retried = report.outcomes.filter((outcome) => outcome.retries > 0);
  const inDoubt = report.outcomes.reduce((sum, outcome) => sum + outcome.inDoubt, 0);
  const replayed = tickets.filter((outcome) => outcome.final.kind === "ticket" && outcome.final.replayed).length;
  return `run ${run}: ${report.outcomes.length} keys, ${tickets.length} tickets (${replayed} replayed after a retry), ` +
    `killed after ${failover.killAfterTickets} tickets; promote command ${report.promoteStartedAt - report.killedAt} ms after the kill ` +
    `(operator delay ${failover.promoteDelayMs} ms), done in ${report.promotedAt - report.promoteStartedAt} ms; ` +
    `first success ${report.killToFirstSuccessMs} ms after the kill, ${report.promoteToFirstSuccessMs} ms after the promote command; ` +
    `${retried.length} keys retried, ${inDoubt} answers in doubt`;
}
