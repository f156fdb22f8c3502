import { dirname } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { openTix } from "../../src/app/open-tix.js";
import { parseStoreUrl } from "../../src/store/postgres/url.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { runTix } from "../helpers/postgres-run-tix.js";
import { tempDir } from "../helpers/temp-dir.js";

/**
 * Store URLs as libpq reads them: several hosts (each its port, or 5432), target_session_attrs;
 * and what turns failover on — several hosts, or `target_session_attrs=read-write` on one (a name
 * that moves to the new primary): tix then waits for a primary within the busy timeout.
 */
describe("PostgreSQL store URLs", () => {
  it("splits a multi-host URL into one URL per host, keeping the rest and dropping target_session_attrs", () => {
    const target = parseStoreUrl("postgres://tix:s%40cret@db1:5433,db2,[::1]:6000/tix?sslmode=require&target_session_attrs=read-write", "5432");
    expect(target.hostUrls).toEqual([
      "postgres://tix:s%40cret@db1:5433/tix?sslmode=require",
      "postgres://tix:s%40cret@db2:5432/tix?sslmode=require",
      "postgres://tix:s%40cret@[::1]:6000/tix?sslmode=require",
    ]);
    expect(target.hostLabels).toEqual(["db1:5433", "db2:5432", "[::1]:6000"]);
    expect(target.failover).toBe(true);
  });

  it("looks for the primary with several hosts even without target_session_attrs, and with read-write or primary on one host", () => {
    expect(parseStoreUrl("postgresql://db1,db2/tix", "5432").failover).toBe(true);
    expect(parseStoreUrl("postgres://u@db1:5432/tix?target_session_attrs=read-write").failover).toBe(true);
    expect(parseStoreUrl("postgres://u@db1:5432/tix?target_session_attrs=primary").failover).toBe(true);
    expect(parseStoreUrl("postgres://u@db1:5432/tix?target_session_attrs=any").failover).toBe(false);
    const single = parseStoreUrl("postgres://u:p@db1:5432/tix?sslmode=require");
    expect(single).toEqual({ hostUrls: ["postgres://u:p@db1:5432/tix?sslmode=require"], hostLabels: ["db1:5432"], socketPaths: [undefined], failover: false });
  });

  it("reads a unix socket as libpq does: a folder as the host (percent-encoded), or host=/folder (and port=) as parameters", () => {
    expect(parseStoreUrl("postgres://tix@%2Fvar%2Frun%2Fpostgresql:5433/tix?sslmode=disable", "5432")).toEqual({
      hostUrls: ["postgres://tix@localhost:5433/tix?sslmode=disable"],
      hostLabels: ["/var/run/postgresql:5433"],
      socketPaths: ["/var/run/postgresql/.s.PGSQL.5433"],
      failover: false,
    });
    // host and port are dropped from the parameters: the library would send them to the server as settings.
    expect(parseStoreUrl("postgres:///tix?host=/run/pg/&port=6000&application_name=x", "5432")).toMatchObject({
      hostUrls: ["postgres://localhost:6000/tix?application_name=x"],
      socketPaths: ["/run/pg/.s.PGSQL.6000"],
    });
    expect(parseStoreUrl("postgres://tix:pw@/tix?host=%2Frun%2Fpg", "5432").socketPaths).toEqual(["/run/pg/.s.PGSQL.5432"]);
    expect(parseStoreUrl("postgres://tix@%2Frun%2Fpg,db2:5433/tix", "5432")).toMatchObject({
      hostUrls: ["postgres://tix@localhost:5432/tix", "postgres://tix@db2:5433/tix"],
      hostLabels: ["/run/pg:5432", "db2:5433"],
      socketPaths: ["/run/pg/.s.PGSQL.5432", undefined],
      failover: true,
    });
  });

  it("reads libpq's user, password and dbname parameters into the URL (the library sent them to the server as settings)", () => {
    expect(parseStoreUrl("postgres://db1:5433/?dbname=shop&user=ann&password=p%40ss&sslmode=require", "5432").hostUrls)
      .toEqual(["postgres://ann:p%40ss@db1:5433/shop?sslmode=require"]);
    expect(parseStoreUrl("postgres://ann:old@db1/tix?password=new", "5432").hostUrls).toEqual(["postgres://ann:new@db1/tix"]);
  });

  it.each(["read-only", "standby", "prefer-standby", "bogus"])("refuses target_session_attrs=%s: tix writes (INVALID_ARGUMENT, before connecting)", async (value) => {
    const opening = openTix({ store: `postgres://u@127.0.0.1:1,127.0.0.1:2/tix?target_session_attrs=${value}` });
    await expect(opening).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining(`target_session_attrs=${value}`) });
  });

  // Each was STORE_UNAVAILABLE (exit 8, "is unavailable: Invalid URL" or "URI malformed"; an
  // unknown sslmode asked for TLS and blamed the server), the code a script retries on.
  it.each([
    ["postgres://tix@db1:notaport/tix", 'host "db1:notaport" has no valid port'],
    ["postgres://tix@127.0.0.1:99999/tix", 'host "127.0.0.1:99999" has no valid port'],
    ["postgres://tix@db1:0,db2/tix", 'host "db1:0" has no valid port'],
    ["postgres://tix@[::1/tix", 'host "[::1" opens an IPv6 address'],
    ["postgres://tix:pw%zz@127.0.0.1:1/tix", "% that starts no escape"],
    ["postgres://tix@db%zz:5432,db2/tix", "% that starts no escape"],
    ["postgres://tix@127.0.0.1:1/tix?sslmode=requre", "sslmode=requre is not one of disable, allow, prefer, require, verify-ca, verify-full"],
    ["postgres://tix@/tix", "is not a URL the PostgreSQL client can read"],
  ])("refuses %s as bad input naming what is wrong (INVALID_ARGUMENT, before connecting)", async (store, problem) => {
    await expect(openTix({ store })).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: expect.stringContaining(problem) });
  });

  it("tix serve with a store URL it cannot read exits 2 with one line, not 8 (store unavailable)", async () => {
    const home = tempDir();
    try {
      const run = await runTix(["--store", "postgres://tix:secret@127.0.0.1:5432x/tix", "serve", "--port", "0"], { env: { TIX_HOME: home.path } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toBe('error: store: host "127.0.0.1:5432x" has no valid port: give a number from 1 to 65535 after the last :\n');
    } finally {
      home.remove();
    }
  });
});

const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`one host with target_session_attrs=read-write${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();
  let url: string;
  beforeAll(async () => {
    url = `${await server.createDatabase()}?target_session_attrs=read-write`;
    const made = await runTix(["--store", url, "event", "create", "--id", "evt_one", "--name", "One", "--capacity", "5"]);
    expect(made.code, made.stderr).toBe(0);
  }, 120_000);

  it("waits for the server to come back within the busy timeout and carries on (a name that moves to the new primary)", async () => {
    await server.pause("fast");
    const waiting = runTix(["--store", url, "--json", "--user", "u1", "reserve", "evt_one", "--key", "k1"], { env: { TIX_BUSY_TIMEOUT_MS: "30000" } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await server.resume();
    const run = await waiting;
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json).toMatchObject({ status: "success", replayed: false });
  }, 90_000);

  it("a server that does not take writes is STORE_UNAVAILABLE at the busy timeout, saying so", async () => {
    await server.query("ALTER SYSTEM SET default_transaction_read_only = on");
    await server.query("SELECT pg_reload_conf()");
    try {
      const run = await runTix(["--store", url, "--json", "--user", "u2", "reserve", "evt_one", "--key", "k2"], { env: { TIX_BUSY_TIMEOUT_MS: "1000" } });
      expect(run.code, run.stdout + run.stderr).toBe(8);
      expect(run.json.error?.message).toMatch(/has no primary that takes writes: .*is read-only/);
    } finally {
      await server.query("ALTER SYSTEM RESET default_transaction_read_only");
      await server.query("SELECT pg_reload_conf()");
    }
  }, 60_000);
});

describe.skipIf(skipReason !== undefined)(`a unix socket, and libpq's connection parameters${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  // Both were refused or sent elsewhere: the folder looked up as a host name (ENOTFOUND), host=
  // ignored for TCP to localhost:5432 (ECONNREFUSED), and an empty host with host= "not a URL".
  it("connects through the server's socket named either way libpq reads, and after its backends are terminated", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    const folder = dirname(server.dataDir);
    const password = encodeURIComponent(server.password);
    const stores = [
      `postgres://${server.user}:${password}@${encodeURIComponent(folder)}:${server.port}/${database}`,
      `postgres:///${database}?host=${encodeURIComponent(folder)}&port=${server.port}&user=${server.user}&password=${password}`,
      `postgres://${server.user}:${password}@/${database}?host=${folder}&port=${server.port}`,
    ];
    const made = await runTix(["--store", stores[0]!, "event", "create", "--id", "evt_sock", "--name", "Socket", "--capacity", "5"]);
    expect(made.code, made.stderr).toBe(0);
    for (const [index, store] of stores.entries()) {
      const run = await runTix(["--store", store, "--json", "--user", `u${index}`, "reserve", "evt_sock", "--key", `k${index}`]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
    }
    const tix = await openTix({ store: stores[1]! });
    try {
      expect((await tix.events.get("evt_sock")).held).toBe(3);
      await server.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tix' AND datname = $1", [database]);
      expect((await tix.tickets.reserve({ eventId: "evt_sock", userId: "u9", key: "k9" })).ticket.status).toBe("reserved");
    } finally {
      await tix.close();
    }
    // Over TCP too: the password was never sent ("refused the credentials").
    const byParameters = await runTix(["--store", `postgres://${server.host}:${server.port}/?dbname=${database}&user=${server.user}&password=${password}`, "--json", "event", "show", "evt_sock"]);
    expect(byParameters.code, byParameters.stdout + byParameters.stderr).toBe(0);
    const missing = await runTix(["--store", `postgres://${server.user}@/${database}?host=${folder}/none&port=${server.port}`, "event", "list"]);
    expect(missing.code).toBe(8);
    expect(missing.stderr).toMatch(/^error: the store .* is unreachable: no server socket at that path \(ENOENT\)\n$/);
  }, 90_000);
});
