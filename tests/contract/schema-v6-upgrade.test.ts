import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ManualClock } from "../../src/core/index.js";
import { createTix } from "../../src/app/open-tix.js";
import { MIGRATIONS, runMigration, TIX_APPLICATION_ID } from "../../src/store/sqlite/schema.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { tempDir } from "../helpers/temp-dir.js";
import { expectUpgradedFile } from "../helpers/upgraded-file.js";

/**
 * SQLite schema v6 (the audit log's two indexes, by event and by ticket, made one, keyed by a ticket's
 * event and reservation time) over a store written at v5: each ticket's entries get its reservation
 * time, the same entries are found by event and by ticket, in seq order, before and after new ones
 * are added, and the old indexes are gone.
 */
const T0 = Date.UTC(2025, 4, 1, 12);
let dir: { path: string; remove: () => void };
beforeEach(() => (dir = tempDir("tix-v6-")));
afterEach(() => dir.remove());

function writeV5Store(path: string): void {
  const v5 = new Database(path);
  for (const migration of MIGRATIONS.slice(0, 5)) runMigration(v5, migration);
  v5.exec(`
    INSERT INTO events (id, name, venue, starts_at, hold_seconds, currency, created_at, updated_at)
      VALUES ('evt_a', 'A', NULL, NULL, 600, 'USD', ${T0}, ${T0}), ('evt_b', 'B', NULL, NULL, 600, 'USD', ${T0}, ${T0});
    INSERT INTO tiers (event_id, name, position, capacity, price_minor, held, sold)
      VALUES ('evt_a', 'GA', 0, 5, 1000, 1, 1), ('evt_b', 'GA', 0, 5, 1000, 0, 0);
    INSERT INTO tickets (id, event_id, user_id, status, reserved_at, expires_at, purchased_at, price_minor, currency, tier, order_id)
      VALUES ('tkt_zed', 'evt_a', 'alice', 'reserved', ${T0}, ${T0 + 600_000}, NULL, 1000, 'USD', 'GA', 'ord_zed'),
             ('tkt_abe', 'evt_a', 'bob', 'purchased', ${T0 + 1}, ${T0 + 600_001}, ${T0 + 2}, 1000, 'USD', 'GA', 'ord_abe');
    INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details)
      VALUES (${T0}, 'admin', 'event.created', 'evt_a', NULL, NULL, '{}'),
             (${T0}, 'alice', 'ticket.reserved', 'evt_a', 'tkt_zed', 'ord_zed', '{"tier":"GA"}'),
             (${T0}, 'admin', 'event.created', 'evt_b', NULL, NULL, '{}'),
             (${T0 + 1}, 'bob', 'ticket.reserved', 'evt_a', 'tkt_abe', 'ord_abe', '{"tier":"GA"}'),
             (${T0 + 2}, 'bob', 'ticket.purchased', 'evt_a', 'tkt_abe', 'ord_abe', '{"tier":"GA"}'),
             (${T0 + 3}, 'admin', 'event.updated', 'evt_a', NULL, NULL, '{}');
  `);
  v5.pragma(`application_id = ${TIX_APPLICATION_ID}`);
  v5.pragma("user_version = 5");
  v5.close();
}

it("a v5 store upgrades to v6: one audit-log index, and the log by event and by ticket reads as before, in seq order", async () => {
  const path = join(dir.path, "v5.db");
  writeV5Store(path);
  const clock = new ManualClock(T0 + 10);
  const tix = createTix(openSqliteStore(path, clock, { busyTimeoutMs: 1000 }), clock);
  try {
    const indexes = new Database(path, { readonly: true });
    expect(indexes.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'audit_log' AND type = 'index' ORDER BY name").pluck().all())
      .toEqual(["audit_log_by_event_ticket"]);
    expect(indexes.prepare("SELECT seq, ticket_reserved_at AS reservedAt FROM audit_log ORDER BY seq").all()).toEqual([
      { seq: 1, reservedAt: null }, { seq: 2, reservedAt: T0 }, { seq: 3, reservedAt: null },
      { seq: 4, reservedAt: T0 + 1 }, { seq: 5, reservedAt: T0 + 1 }, { seq: 6, reservedAt: null },
    ]);
    indexes.close();

    const seqs = async (filter: { eventId?: string; ticketId?: string }) => (await tix.log.list(filter)).map((entry) => entry.seq);
    // evt_a's entries interleave event-wide ones and two tickets' (one id sorting before the other): still in seq order.
    expect(await seqs({ eventId: "evt_a" })).toEqual([1, 2, 4, 5, 6]);
    expect(await seqs({ eventId: "evt_b" })).toEqual([3]);
    expect(await seqs({ ticketId: "tkt_zed" })).toEqual([2]);
    expect(await seqs({ ticketId: "tkt_abe" })).toEqual([4, 5]);

    const { ticket } = await tix.tickets.reserve({ eventId: "evt_a", userId: "carol", key: "k" });
    await tix.tickets.purchase({ ticketId: "tkt_zed", userId: "alice" });
    expect(await seqs({ eventId: "evt_a" })).toEqual([1, 2, 4, 5, 6, 7, 8]);
    expect(await seqs({ ticketId: ticket.id })).toEqual([7]);
    expect((await tix.log.list({ ticketId: "tkt_zed" })).map((entry) => entry.action)).toEqual(["ticket.reserved", "ticket.purchased"]);
    // New entries carry their ticket's reservation time too.
    const upgraded = new Database(path, { readonly: true });
    expect(upgraded.prepare("SELECT ticket_reserved_at FROM audit_log WHERE seq > 6 ORDER BY seq").pluck().all()).toEqual([T0 + 10, T0]);
    upgraded.close();
    // An older tix still running on the file writes an entry as v5 did: the time is filled in, the ticket's log finds it.
    const older = new Database(path);
    older.prepare(`INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details)
      VALUES (${T0 + 11}, 'bob', 'ticket.checked_in', 'evt_a', 'tkt_abe', 'ord_abe', '{}')`).run();
    older.close();
    expect(await seqs({ ticketId: "tkt_abe" })).toEqual([4, 5, 9]);
  } finally {
    await tix.close();
  }
  expectUpgradedFile(path);
});
