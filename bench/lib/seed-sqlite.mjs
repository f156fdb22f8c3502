// Fills a tix SQLite store with many tickets fast, for "reserve cost with N tickets stored".
//
// Going through the engine would take hours (each operation commits and syncs to disk), so rows are
// cloned in SQL from template tickets that the real engine made: one purchased, one cancelled, one
// held (its hold lasts a day, so none expires during the benchmark). Every clone gets fresh random
// ids (as tix's own are random, so index pages split as they do in use), its own user, its
// idempotency key and its audit-log entries, and the tier's held and sold counts (the event's are
// their sums) are raised by what was added — the store stays exactly as consistent as if the engine had written it
// (`verifySeeded` checks the counts). Reserves are then measured through the real engine.
import { closeSync, fsyncSync, openSync } from "node:fs";
import Database from "better-sqlite3";

/** Makes the event and the three templates through the engine; answers what seedTo needs. */
export async function prepareSeeding(tix) {
  const { event } = await tix.events.create({ name: "Bench: many tickets", capacity: 10_000_000, price: "10.00", hold: "24h" });
  const templates = [];
  for (const [user, finish] of [["tmpl-purchased", "purchase"], ["tmpl-cancelled", "cancel"], ["tmpl-held", undefined]]) {
    const { ticket } = await tix.tickets.reserve({ eventId: event.id, userId: user, key: "k" });
    if (finish) await tix.tickets[finish]({ ticketId: ticket.id, userId: user });
    templates.push({ user, ticketId: ticket.id });
  }
  return { eventId: event.id, templates, seeded: 0 };
}

/**
 * Adds clones until `count` seeded tickets exist: half purchased, a quarter cancelled, a quarter
 * held. Opens its own connection; sync is off while seeding (the rows are test data), then the WAL
 * is checkpointed and the file synced once, so that the measured connection starts from a clean
 * file: left to the kernel, the seeding's dirty pages (~240 MB at 10⁶) are written back while the
 * reserves are measured, and the first checkpoint's sync waits for all of them.
 */
export function seedTo(file, seeding, count) {
  if (count <= seeding.seeded) return;
  const db = new Database(file);
  try {
    db.pragma("synchronous = OFF");
    db.pragma("cache_size = -262144"); // 256 MiB while seeding
    const [purchased, cancelled, held] = seeding.templates;
    for (const template of seeding.templates) {
      template.orderId = db.prepare("SELECT order_id FROM tickets WHERE id = ?").pluck().get(template.ticketId);
    }
    const chunk = 100_000;
    for (let from = seeding.seeded; from < count; from += chunk) {
      const to = Math.min(count, from + chunk);
      db.transaction(() => {
        db.exec("DROP TABLE IF EXISTS temp.seed; CREATE TEMP TABLE seed (i INTEGER PRIMARY KEY, ticket TEXT, ord TEXT, user TEXT, tmpl TEXT, tmpl_order TEXT, tmpl_user TEXT)");
        db.prepare(`
          WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @to)
          INSERT INTO temp.seed (i, ticket, ord, user, tmpl, tmpl_order, tmpl_user)
          SELECT i, 'tkt_' || lower(hex(randomblob(8))), 'ord_' || lower(hex(randomblob(8))), 'seed-' || i,
            CASE i % 4 WHEN 0 THEN @p WHEN 1 THEN @p WHEN 2 THEN @c ELSE @h END,
            CASE i % 4 WHEN 0 THEN @po WHEN 1 THEN @po WHEN 2 THEN @co ELSE @ho END,
            CASE i % 4 WHEN 0 THEN @pu WHEN 1 THEN @pu WHEN 2 THEN @cu ELSE @hu END
          FROM n`).run({
          from, to,
          p: purchased.ticketId, c: cancelled.ticketId, h: held.ticketId,
          po: purchased.orderId, co: cancelled.orderId, ho: held.orderId,
          pu: purchased.user, cu: cancelled.user, hu: held.user,
        });
        db.exec(`
          INSERT INTO tickets (id, event_id, tier, order_id, user_id, status, reserved_at, expires_at, purchased_at,
            cancelled_at, checked_in_at, price_minor, currency, card_last4)
          SELECT s.ticket, t.event_id, t.tier, s.ord, s.user, t.status, t.reserved_at, t.expires_at, t.purchased_at,
            t.cancelled_at, t.checked_in_at, t.price_minor, t.currency, t.card_last4
          FROM temp.seed s JOIN tickets t ON t.id = s.tmpl ORDER BY s.i;
          INSERT INTO idempotency_keys (user_id, key, request, ticket_id, order_id, created_at)
          SELECT s.user, k.key, k.request, s.ticket, s.ord, k.created_at
          FROM temp.seed s JOIN idempotency_keys k ON k.user_id = s.tmpl_user ORDER BY s.i;
          INSERT INTO audit_log (at, actor, action, event_id, ticket_id, order_id, details, ticket_reserved_at)
          SELECT l.at, CASE WHEN l.actor = s.tmpl_user THEN s.user ELSE l.actor END, l.action, l.event_id, s.ticket, s.ord,
            replace(replace(l.details, s.tmpl, s.ticket), s.tmpl_order, s.ord), l.ticket_reserved_at
          FROM temp.seed s JOIN audit_log l ON l.ticket_id = s.tmpl ORDER BY s.i, l.seq;
          DROP TABLE temp.seed;
        `);
        const added = to - from;
        const quarters = (residues) => Array.from({ length: added }, (_, k) => (from + k) % 4).filter((r) => residues.includes(r)).length;
        const heldAdded = quarters([3]);
        const soldAdded = quarters([0, 1]);
        db.prepare("UPDATE tiers SET held = held + ?, sold = sold + ? WHERE event_id = ?").run(heldAdded, soldAdded, seeding.eventId);
      })();
    }
    seeding.seeded = count;
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  const fd = openSync(file, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The event's counts equal its tickets, as the engine keeps them (throws if not). */
export function verifySeeded(file, seeding) {
  const db = new Database(file, { readonly: true });
  try {
    const counts = db.prepare(`SELECT sum(status = 'reserved') AS held, sum(status = 'purchased') AS sold, count(*) AS tickets
      FROM tickets WHERE event_id = ?`).get(seeding.eventId);
    const event = db.prepare("SELECT sum(held) AS held, sum(sold) AS sold FROM tiers WHERE event_id = ?").get(seeding.eventId);
    if (event.held !== counts.held || event.sold !== counts.sold) {
      throw new Error(`seeding broke the counts: event says ${JSON.stringify(event)}, tickets say ${JSON.stringify(counts)}`);
    }
    return counts.tickets;
  } finally {
    db.close();
  }
}
