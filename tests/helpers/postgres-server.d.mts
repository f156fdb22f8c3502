/** A disposable PostgreSQL server (see postgres-server.mjs). */
export interface PostgresServer {
  /** `postgres://tix:<password>@127.0.0.1:<port>/tix`: a database made at start-up. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The superuser the URLs name, and its password (the server asks for it over TCP: scram-sha-256). */
  readonly user: string;
  readonly password: string;
  readonly dataDir: string;
  /** The URL of a database of this server (which need not exist). */
  urlFor(database: string): string;
  /** Creates an empty database (a fresh name unless given) and answers its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Runs one statement on a short-lived connection (default database `postgres`); answers the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], database?: string): Promise<T[]>;
  /** Stops the server (`fast`, or `immediate` as a crash), keeping its data for resume(). */
  pause(mode?: "fast" | "immediate"): Promise<void>;
  /** Kills the postmaster and its processes with SIGKILL (a crash), keeping its data for resume(); resolves once they are gone. */
  crash(): Promise<void>;
  /** Starts a paused or crashed server again on the same port. */
  resume(): Promise<void>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** Why PostgreSQL cannot be started here (no initdb, no postgres user as root), or undefined. */
export function postgresUnavailableReason(tools?: readonly string[]): string | undefined;

/** `settings`: more `-c name=value` options for the server (e.g. durable commits for a crash test). */
export function startPostgres(options?: { settings?: readonly string[] }): Promise<PostgresServer>;
