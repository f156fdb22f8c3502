import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { MIGRATIONS, runMigration, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { expectUpgradedFile } from "../helpers/upgraded-file.js";

let dir: { path: string; remove: () => void };
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const T0 = Date.UTC(2025, 4, 1, 12);

it("upgrades a store written by the first schema: counts, tickets and keys carry over", async () => {
  const path = join(dir.path, "v1.db");
  const v1 = new Database(path);
  runMigration(v1, MIGRATIONS[0]!);
  v1.pragma(`application_id = ${TIX_APPLICATION_ID}`);
  v1.pragma("user_version = 1");
  v1.prepare(`INSERT INTO events VALUES ('evt_old', 'Old Show', 'Hall', NULL, 3, 1, 1, 600, 2500, 'USD', ${T0}, ${T0})`).run();
  v1.prepare(`INSERT INTO tickets VALUES ('tkt_held', 'evt_old', 'alice', 'reserved', ${T0}, ${T0 + 600_000}, NULL, NULL, 2500, 'USD', NULL)`).run();
  v1.prepare(`INSERT INTO tickets VALUES ('tkt_sold', 'evt_old', 'bob', 'purchased', ${T0}, ${T0 + 600_000}, ${T0}, NULL, 2500, 'USD', '4242')`).run();
  v1.prepare(`INSERT INTO idempotency_keys VALUES ('alice', 'k1', '{"op":"reserve","eventId":"evt_old"}', 'tkt_held', ${T0})`).run();
  v1.close();

  const clock = new ManualClock(T0 + 1000);
  const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
  expect(await tix.events.get("evt_old")).toMatchObject({ capacity: 3, held: 1, sold: 1, tiers: [{ name: "GA", capacity: 3, held: 1, sold: 1, price: "25.00" }] });
  expect(await tix.tickets.get("tkt_held")).toMatchObject({ tier: "GA", orderId: "ord_held", checkedInAt: null });
  const replay = await tix.tickets.reserve({ eventId: "evt_old", userId: "alice", key: "k1" });
  expect(replay).toMatchObject({ replayed: true, orderId: "ord_held", ticket: { id: "tkt_held" } });
  await tix.tickets.purchase({ ticketId: "ord_held", userId: "alice" });
  expect(await tix.events.get("evt_old")).toMatchObject({ held: 0, sold: 2 });
  await tix.close();
  expectUpgradedFile(path);
});

it("upgrades a store written by schema v2 through v3 to v4: events sell in the default window, tickets carry no voucher or seat, vouchers work", async () => {
  const path = join(dir.path, "v2.db");
  const v2 = new Database(path);
  runMigration(v2, MIGRATIONS[0]!);
  runMigration(v2, MIGRATIONS[1]!);
  v2.pragma(`application_id = ${TIX_APPLICATION_ID}`);
  v2.pragma("user_version = 2");
  v2.prepare(`INSERT INTO events VALUES ('evt_old', 'Old Show', 'Hall', ${T0 + 86_400_000}, 3, 1, 1, 600, 2500, 'USD', ${T0}, ${T0}, NULL)`).run();
  v2.prepare(`INSERT INTO tiers VALUES ('evt_old', 'GA', 0, 3, 2500, 1, 1)`).run();
  v2.prepare(`INSERT INTO tickets VALUES ('tkt_held', 'evt_old', 'alice', 'reserved', ${T0}, ${T0 + 600_000}, NULL, NULL, 2500, 'USD', NULL, 'GA', 'ord_held', NULL)`).run();
  v2.prepare(`INSERT INTO tickets VALUES ('tkt_sold', 'evt_old', 'bob', 'purchased', ${T0}, ${T0 + 600_000}, ${T0}, NULL, 2500, 'USD', '4242', 'GA', 'ord_sold', NULL)`).run();
  v2.close();

  const clock = new ManualClock(T0 + 1000);
  const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
  expect(await tix.events.get("evt_old")).toMatchObject({
    salesStart: null, salesEnd: new Date(T0 + 86_400_000).toISOString(), tiers: [{ name: "GA", requiresCode: false, salesStart: null, salesEnd: null }],
  });
  expect(await tix.tickets.get("tkt_sold")).toMatchObject({ price: "25.00", voucher: null, discountMinor: 0, seat: null });
  expect(await tix.events.get("evt_old")).toMatchObject({ seated: false });
  await tix.vouchers.create({ eventId: "evt_old", code: "OLD", percent: 20, maxUses: 1 });
  expect((await tix.tickets.purchase({ ticketId: "tkt_held", userId: "alice", voucher: "old" })).ticket).toMatchObject({ price: "20.00", voucher: "OLD" });
  const { ticket } = await tix.tickets.transfer({ ticketId: "tkt_sold", userId: "bob", to: "carol" });
  expect(ticket).toMatchObject({ userId: "carol", cardLast4: "4242" });
  clock.set(T0 + 86_400_000);
  await expectSalesClosed(tix.tickets.reserve({ eventId: "evt_old", userId: "dan", key: "k" }));
  await tix.close();
  expectUpgradedFile(path);
});

async function expectSalesClosed(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ code: "SALES_CLOSED" });
}
