import { issueToken, loadSecret } from "../../src/auth/tokens.js";
import type { ClusterNode, PostgresCluster } from "../helpers/postgres-cluster.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { serveProcess } from "../helpers/serve-process.js";

/**
 * A rush on one event through a multi-host store URL, with the primary killed in the middle and
 * the standby promoted — and a caller that does what the docs tell scripts to do: a reservation
 * answered STORE_UNAVAILABLE (503, exit 8) is sent again with the same key until it gets a final
 * answer (a ticket, or SOLD_OUT). What each key was finally answered is recorded, for the checks.
 */

/** How one attempt was answered. */
export type Answer =
  | { kind: "ticket"; ticketId: string; replayed: boolean }
  | { kind: "sold-out" }
  | { kind: "retry"; inDoubt: boolean; detail: string }
  | { kind: "unexpected"; detail: string };

/** A way into tix: a `tix serve` process (HTTP) or the CLI (one process per command). */
export interface Lane {
  readonly name: string;
  /** Requests this lane sends at once. */
  readonly parallel: number;
  reserve(eventId: string, userId: string, key: string): Promise<Answer>;
}

export interface KeyOutcome {
  key: string;
  userId: string;
  lane: string;
  final: Answer;
  /** When the attempt that got the final answer was sent, and when it was answered. */
  sentAt: number;
  answeredAt: number;
  retries: number;
  inDoubt: number;
}

export interface Failover {
  killAfterTickets: number;
  /** How long after the kill the standby is promoted (the operator's, or pg_auto_failover's, delay). */
  promoteDelayMs: number;
}

export interface RushReport {
  outcomes: KeyOutcome[];
  killedAt: number;
  /** When `pg_ctl promote` was run, and when it saw the promotion done. */
  promoteStartedAt: number;
  promotedAt: number;
  /** From the kill to the first ticket of a request sent after it (so made on the new primary). */
  killToFirstSuccessMs: number;
  /** From the promote command to that first ticket. */
  promoteToFirstSuccessMs: number;
  unexpected: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** TIX_FAILOVER_TRACE=1: each step of the rush on stderr, with its time. */
const trace = process.env.TIX_FAILOVER_TRACE === "1" ? (text: string) => process.stderr.write(`${new Date().toISOString()} ${text}\n`) : () => undefined;

/** Sends `keys` reservations over the lanes; kills the primary after `failover.killAfterTickets` tickets. */
export async function rush(cluster: PostgresCluster, eventId: string, keys: number, lanes: readonly Lane[], failover: Failover, options: { prefix: string; timeoutMs: number }): Promise<RushReport> {
  const outcomes: KeyOutcome[] = [];
  const unexpected: string[] = [];
  let next = 0;
  let tickets = 0;
  let killedAt = 0;
  let promoteStartedAt = 0;
  let promotedAt = 0;
  let failing: Promise<void> | undefined;
  let failure: unknown;
  const started = Date.now();

  const failOver = async () => {
    const old = cluster.primary;
    const { killedAt: at, pids } = cluster.kill();
    killedAt = at;
    trace(`killed ${old.name}`);
    await cluster.waitGone(pids, old);
    await sleep(Math.max(0, killedAt + failover.promoteDelayMs - Date.now()));
    trace(`promoting ${cluster.standby.name}`);
    ({ startedAt: promoteStartedAt, promotedAt } = await cluster.promote());
    trace(`promoted ${cluster.primary.name}`);
  };

  const worker = async (lane: Lane) => {
    for (;;) {
      if (Date.now() - started > options.timeoutMs) throw new Error(`the rush did not end within ${options.timeoutMs} ms: ${outcomes.length} of ${keys} keys answered`);
      const index = next++;
      if (index >= keys) return;
      const key = `${options.prefix}-k${index}`;
      const userId = `${options.prefix}-fan${index}`;
      let retries = 0;
      let inDoubt = 0;
      for (;;) {
        const sentAt = Date.now();
        const answer = await lane.reserve(eventId, userId, key);
        const answeredAt = Date.now();
        trace(`${lane.name} ${key}: ${JSON.stringify(answer)} in ${answeredAt - sentAt} ms`);
        if (answer.kind === "retry") {
          retries++;
          if (answer.inDoubt) inDoubt++;
          if (answeredAt - started > options.timeoutMs) throw new Error(`key ${key} still answered "${answer.detail}" after ${options.timeoutMs} ms`);
          await sleep(100);
          continue;
        }
        if (answer.kind === "unexpected") unexpected.push(`${lane.name} ${key}: ${answer.detail}`);
        outcomes.push({ key, userId, lane: lane.name, final: answer, sentAt, answeredAt, retries, inDoubt });
        if (answer.kind === "ticket" && ++tickets === failover.killAfterTickets) {
          failing = failOver().catch((error: unknown) => void (failure = error));
        }
        break;
      }
    }
  };

  await Promise.all(lanes.flatMap((lane) => Array.from({ length: lane.parallel }, () => worker(lane))));
  await failing;
  if (failure !== undefined) throw failure;
  if (killedAt === 0) throw new Error(`the rush ended before the kill (only ${tickets} tickets; the kill was due after ${failover.killAfterTickets})`);
  const afterKill = outcomes.filter((outcome) => outcome.final.kind === "ticket" && outcome.sentAt > killedAt).map((outcome) => outcome.answeredAt);
  const firstSuccess = afterKill.length > 0 ? Math.min(...afterKill) : NaN;
  return { outcomes, killedAt, promoteStartedAt, promotedAt, killToFirstSuccessMs: firstSuccess - killedAt, promoteToFirstSuccessMs: firstSuccess - promoteStartedAt, unexpected };
}

/** A `tix serve` process on the store, once it listens; `running()` says whether it still does. */
export interface ServeProcess {
  readonly base: string;
  running(): boolean;
  stop(): Promise<unknown>;
}

export async function startServe(store: string, home: string, env: Record<string, string>): Promise<ServeProcess> {
  const serve = serveProcess(home, ["--store", store], { env });
  let exited = false;
  void serve.exited.then(() => (exited = true));
  let timer: NodeJS.Timeout | undefined;
  const base = await Promise.race([
    serve.listening,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`tix serve did not listen within 60 s: ${serve.stderr()}`)), 60_000))),
  ]).finally(() => clearTimeout(timer));
  return { base, running: () => !exited, stop: () => (exited ? Promise.resolve() : serve.stop()) };
}

/** Reservations through a `tix serve` process; tokens signed with the secret of `home`. */
export function httpLane(name: string, serve: ServeProcess, home: string, parallel: number): Lane {
  const secret = loadSecret(home);
  return {
    name,
    parallel,
    async reserve(eventId, userId, key) {
      const token = issueToken(secret, { userId, ttlSeconds: 3600, now: Date.now() }).token;
      let response: Response;
      try {
        response = await fetch(`${serve.base}/tickets/${eventId}/reserve`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Idempotency-Key": key } });
      } catch (error) {
        return { kind: "unexpected", detail: `no HTTP answer: ${(error as Error).message}` };
      }
      const body = (await response.json().catch(() => ({}))) as { Ticket?: { Id: string }; Replayed?: boolean; Error?: { Code: string; Message?: string }; Message?: string };
      if (response.status === 200 && body.Ticket) return { kind: "ticket", ticketId: body.Ticket.Id, replayed: body.Replayed === true };
      if (response.status === 409 && body.Error?.Code === "SOLD_OUT") return { kind: "sold-out" };
      const detail = `${response.status} ${body.Error?.Code ?? ""} ${body.Message ?? ""}`;
      if (response.status === 503) return { kind: "retry", inDoubt: /may or may not have committed/.test(detail), detail };
      return { kind: "unexpected", detail };
    },
  };
}

/** Reservations by `tix reserve`, a new process each (so each connects, and looks for the primary, anew). */
export function cliLane(name: string, store: string, parallel: number, env: Record<string, string>): Lane {
  return {
    name,
    parallel,
    async reserve(eventId, userId, key) {
      const run = await runTix(["--store", store, "--json", "--user", userId, "reserve", eventId, "--key", key], { env });
      const json = run.json as { ticket?: { id: string }; replayed?: boolean; error?: { code: string; message: string } };
      if (run.code === 0 && json.ticket) return { kind: "ticket", ticketId: json.ticket.id, replayed: json.replayed === true };
      if (run.code === 4 && json.error?.code === "SOLD_OUT") return { kind: "sold-out" };
      const detail = `exit ${run.code} ${json.error?.code ?? ""} ${json.error?.message ?? run.stderr.trim()}`;
      if (run.code === 8) return { kind: "retry", inDoubt: /may or may not have committed/.test(detail), detail };
      return { kind: "unexpected", detail };
    },
  };
}

/** The tickets of `userId` stored on `node`, with the key each is bound to. */
export function storedTickets(cluster: PostgresCluster, node: ClusterNode, userId: string): Promise<Array<{ id: string; key: string | null }>> {
  return cluster.query(node, "SELECT t.id, k.key FROM tix.tickets t LEFT JOIN tix.idempotency_keys k ON k.order_id = t.order_id AND k.user_id = t.user_id WHERE t.user_id = $1", [userId], "tix");
}
