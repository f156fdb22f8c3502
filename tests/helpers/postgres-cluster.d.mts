/** A throw-away primary + synchronous standby (see postgres-cluster.mjs). */
export interface ClusterNode {
  readonly name: string;
  readonly port: number;
  readonly dataDir: string;
  /** Its server log. */
  readonly log: string;
  running: boolean;
}

export interface PostgresCluster {
  /** `postgres://tix:…@127.0.0.1:P1,127.0.0.1:P2/tix?target_session_attrs=read-write` (node1 first, always). */
  readonly url: string;
  readonly password: string;
  readonly nodes: readonly ClusterNode[];
  /** The node that takes writes now (node1 at start; the promoted one after promote()). */
  readonly primary: ClusterNode;
  readonly standby: ClusterNode;
  /** The URL of one node alone. */
  nodeUrl(node: ClusterNode, database?: string): string;
  /** One statement on a short-lived connection to `node` (database `postgres` unless given). */
  query<T = Record<string, unknown>>(node: ClusterNode, sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Waits until `node` (the standby by default) is the primary's synchronous standby. */
  waitForSync(node?: ClusterNode): Promise<void>;
  /** SIGKILL of the node's postmaster and all its children; answers when it was sent and the pids. */
  kill(node?: ClusterNode): { killedAt: number; pids: number[] };
  /** Waits until the pids are gone; with `node`, removes its stale lock files (postmaster.pid, the socket's .lock). */
  waitGone(pids: readonly number[], node?: ClusterNode): Promise<void>;
  /** kill() then waitGone(): the node dies as a machine does; answers when the kill was sent. */
  crash(node?: ClusterNode): Promise<number>;
  /** Waits (30 s at most) until a backend of `application` (default tix) on the primary waits for `event` (wait_event, e.g. SyncRep); answers its pid. */
  backendWaitingFor(event: string, application?: string): Promise<number>;
  /** `pg_ctl promote` of the standby (default); answers once it takes writes, with when the command started and when pg_ctl saw it done. */
  promote(node?: ClusterNode): Promise<{ startedAt: number; promotedAt: number }>;
  /** Starts a stopped node as it is (an old primary comes back a primary: split brain). */
  start(node: ClusterNode): Promise<void>;
  stopNode(node: ClusterNode, mode?: "fast" | "immediate"): Promise<void>;
  /** pg_rewind the old primary (default: the standby slot) onto the new one, start it, make it the synchronous standby. */
  rejoinAsStandby(node?: ClusterNode): Promise<void>;
  /** ALTER SYSTEM synchronous_standby_names on the primary ('' for none), reloaded. */
  setSyncStandby(name: string): Promise<void>;
  /** Stops both nodes and removes the folder. */
  stop(): Promise<void>;
}

/** Why a cluster cannot be started here (binaries missing, no postgres user as root), or undefined. */
export function clusterUnavailableReason(): string | undefined;

export function startCluster(): Promise<PostgresCluster>;
