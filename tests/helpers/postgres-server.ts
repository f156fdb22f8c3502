/**
 * A throw-away PostgreSQL server for the tests: see postgres-server.mjs, which holds the code in
 * plain JavaScript so that node scripts (the benchmark) can import it too.
 */
import { afterAll, beforeAll } from "vitest";
import { startPostgres, type PostgresServer } from "./postgres-server.mjs";

export { postgresUnavailableReason, startPostgres, type PostgresServer } from "./postgres-server.mjs";

/**
 * The server of the calling `describe` block: started before its tests (before the block's own
 * `beforeAll`s, when called above them) and stopped after them. What it answers stands for the
 * server, which exists only once `beforeAll` has run.
 */
export function usePostgres(options?: { settings?: readonly string[] }): PostgresServer {
  let started: PostgresServer | undefined;
  beforeAll(async () => {
    started = await startPostgres(options);
  }, 120_000);
  afterAll(async () => {
    await started?.stop();
  });
  return new Proxy({} as PostgresServer, {
    get(_, name) {
      if (started === undefined) throw new Error("the test server starts in beforeAll: use it inside a hook or a test");
      const value: unknown = Reflect.get(started, name);
      return typeof value === "function" ? value.bind(started) : value;
    },
  });
}
