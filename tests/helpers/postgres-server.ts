/**
 * A throw-away PostgreSQL server for the tests: see postgres-server.mjs, which holds the code in
 * plain JavaScript so that node scripts (the benchmark) can import it too.
 */
export { postgresUnavailableReason, startPostgres, type PostgresServer } from "./postgres-server.mjs";
