import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeEach, afterEach, describe, expect, it } from "vitest";
import { ManualClock, SEAT_SOLD, packSeatStates, parseSeatSpecs, storeSeatMap } from "../../src/core/index.js";
import { createTix, type Tix } from "../../src/app/open-tix.js";
import { openStore } from "../../src/store/open-store.js";
import { MIGRATIONS as PG_MIGRATIONS, SCHEMA_VERSION as PG_SCHEMA_VERSION } from "../../src/store/postgres/schema.js";
import { MIGRATIONS, runMigration, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { postgresUnavailableReason, usePostgres } from "../helpers/postgres-server.js";
import { tempDir } from "../helpers/temp-dir.js";
import { expectCode } from "./store-contract.js";
import { expectUpgradedFile } from "../helpers/upgraded-file.js";

/**
 * Schema v4 (sales windows, access codes, vouchers) over a store written at v3 (reserved seating):
 * the seated event, its seats' states and a sold ticket's seat carry over, and the box office's
 * rules then apply to it — a code on a tier, a voucher on a seat, a transfer that keeps the seat,
 * sales that close when the event starts.
 */
const T0 = Date.UTC(2025, 4, 1, 12);
const STARTS = T0 + 86_400_000;
const MAP = storeSeatMap(parseSeatSpecs(["Stalls:A:1-4"]));
/** Seat A1 sold, A2–A4 free, packed as tix stores them. */
const STATES_HEX = Buffer.from(packSeatStates(Uint8Array.from([SEAT_SOLD, 0, 0, 0]))).toString("hex");

/** The v3 rows: a seated event of four seats, bob's ticket on A1. `blob` writes the states in the engine's SQL. */
function v3Rows(blob: (hex: string) => string): string {
  const quoted = MAP.replaceAll("'", "''");
  return `
    INSERT INTO events (id, name, venue, starts_at, capacity, held, sold, hold_seconds, price_minor, currency, created_at, updated_at, limit_per_user, seat_map)
      VALUES ('evt_hall', 'Hall', NULL, ${STARTS}, 4, 0, 1, 600, 3000, 'USD', ${T0}, ${T0}, 4, '${quoted}');
    INSERT INTO tiers (event_id, name, position, capacity, price_minor, held, sold) VALUES ('evt_hall', 'Stalls', 0, 4, 3000, 0, 1);
    INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, price_minor, currency, card_last4, tier, order_id, seat)
      VALUES ('tkt_sold', 'evt_hall', 'bob', 'purchased', ${T0}, ${T0 + 600_000}, ${T0}, 3000, 'USD', '4242', 'Stalls', 'ord_sold', 'Stalls:A1');
    INSERT INTO event_seats (event_id, states, version) VALUES ('evt_hall', ${blob(STATES_HEX)}, 1);`;
}

/** What every store must do with the upgraded rows. */
async function expectBoxOfficeOnUpgradedSeats(tix: Tix, clock: ManualClock): Promise<void> {
  expect(await tix.events.get("evt_hall")).toMatchObject({
    seated: true, capacity: 4, sold: 1, salesStart: null, salesEnd: new Date(STARTS).toISOString(),
    tiers: [{ name: "Stalls", requiresCode: false, salesStart: null, salesEnd: null }],
  });
  expect(await tix.tickets.get("tkt_sold")).toMatchObject({ seat: "Stalls:A1", voucher: null, discountMinor: 0 });
  await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k0", seats: ["A1"] }), "SEAT_TAKEN");

  await tix.events.update({ id: "evt_hall", tiers: ["Stalls:4:30.00,code=FANS"] });
  await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: ["A2"] }), "ACCESS_CODE_INVALID");
  const held = await tix.tickets.reserve({ eventId: "evt_hall", userId: "alice", key: "k1", seats: ["A2"], code: "fans" });
  expect(held.ticket.seat).toBe("Stalls:A2");
  await tix.vouchers.create({ eventId: "evt_hall", code: "HALF", percent: 50, maxUses: 1 });
  expect((await tix.tickets.purchase({ ticketId: held.ticket.id, userId: "alice", voucher: "HALF" })).ticket).toMatchObject({ price: "15.00", seat: "Stalls:A2" });

  const moved = await tix.tickets.transfer({ ticketId: "tkt_sold", userId: "bob", to: "carol" });
  expect(moved.ticket).toMatchObject({ userId: "carol", seat: "Stalls:A1" });
  await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "dan", key: "k", seats: ["A1"], code: "FANS" }), "SEAT_TAKEN");

  clock.set(STARTS);
  await expectCode(tix.tickets.reserve({ eventId: "evt_hall", userId: "dan", key: "k", seats: ["A3"], code: "FANS" }), "SALES_CLOSED");
  expect(await tix.events.get("evt_hall")).toMatchObject({ held: 0, sold: 2 });
}

describe("sqlite: a v3 store with seats upgrades through v4 in place", () => {
  let dir: { path: string; remove: () => void };
  beforeEach(() => (dir = tempDir("tix-v4-")));
  afterEach(() => dir.remove());

  it("keeps the seated event, its seats and a ticket's seat; the box office's rules then apply to them", async () => {
    const path = join(dir.path, "v3.db");
    const v3 = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 3)) runMigration(v3, migration);
    v3.pragma(`application_id = ${TIX_APPLICATION_ID}`);
    v3.pragma("user_version = 3");
    v3.exec(v3Rows((hex) => `X'${hex}'`));
    v3.close();

    const clock = new ManualClock(T0 + 1000);
    const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
    try {
      await expectBoxOfficeOnUpgradedSeats(tix, clock);
    } finally {
      await tix.close();
    }
    expectUpgradedFile(path);
  });
});

const skipReason = postgresUnavailableReason();

describe.skipIf(skipReason !== undefined)(`postgres: a v3 database with seats upgrades to v4 in place${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  const server = usePostgres();

  it("keeps the seated event, its seats and a ticket's seat; the box office's rules then apply to them", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await server.query(`CREATE SCHEMA tix; CREATE TABLE tix.schema_info (singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
      application TEXT NOT NULL, version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now());
      INSERT INTO tix.schema_info (application, version) VALUES ('tix', 3);`, [], database);
    for (const migration of PG_MIGRATIONS.slice(0, 3)) await server.query(migration, [], database);
    await server.query(`SET search_path TO tix; ${v3Rows((hex) => `decode('${hex}', 'hex')`)}`, [], database);

    const clock = new ManualClock(T0 + 1000);
    const tix = createTix(await openStore(url, { clock }), clock);
    try {
      await expectBoxOfficeOnUpgradedSeats(tix, clock);
    } finally {
      await tix.close();
    }
    expect(PG_SCHEMA_VERSION).toBe(5);
    expect(await server.query("SELECT version FROM tix.schema_info", [], database)).toEqual([{ version: PG_SCHEMA_VERSION }]);
  });
});
