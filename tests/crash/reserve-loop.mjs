// A process that works a tix store as fast as it can until it is killed: reserve, then purchase,
// cancel or keep the ticket; when the event is sold out, cancel someone's ticket (acting as its
// owner) to free a place. After each operation returns — so after its transaction committed — it
// prints one JSON line with writeSync: no buffering, so every line is a success acknowledged
// before any kill.
//
//   node tests/crash/reserve-loop.mjs <sqlite path> <event id> <worker name> <ISO now> [capacity]
//
// With a capacity, it first creates the event (create-or-update: every driver may do it), so it
// can be started on a file that does not exist yet and be killed while creating it.
import { Buffer } from "node:buffer";
import { writeSync } from "node:fs";
import { ManualClock, openTix } from "../../dist/index.js";

const [path, eventId, worker, now, capacity] = process.argv.slice(2);

function print(record) {
  const line = Buffer.from(`${JSON.stringify(record)}\n`);
  for (let offset = 0; offset < line.length;) {
    try {
      offset += writeSync(1, line, offset);
    } catch (error) {
      if (error.code !== "EAGAIN") throw error;
    }
  }
}

// A pinned clock: no hold expires during the test, so every acknowledged state can be checked.
print({ op: "opening" });
const tix = await openTix({ store: `sqlite:${path}`, clock: new ManualClock(now), busyTimeoutMs: 30_000 });
if (capacity !== undefined) {
  await tix.events.create({ id: eventId, name: "Crash", capacity: Number(capacity), hold: "7d" });
}
print({ op: "ready" });

/** Runs `work`; another driver may have cancelled the ticket first, which is not a failure. */
async function unlessCancelledMeanwhile(work) {
  try {
    await work();
    return true;
  } catch (error) {
    if (error.code === "ALREADY_CANCELLED") return false;
    throw error;
  }
}

for (let n = 0; ; n++) {
  const userId = `${worker}-${process.pid}-${n}`;
  try {
    const { ticket } = await tix.tickets.reserve({ eventId, userId, key: `key-${n}` });
    print({ op: "reserve", id: ticket.id, userId, key: `key-${n}` });
    if (n % 3 === 0) {
      if (await unlessCancelledMeanwhile(() => tix.tickets.purchase({ ticketId: ticket.id, userId }))) print({ op: "purchase", id: ticket.id });
    } else if (n % 3 === 1) {
      if (await unlessCancelledMeanwhile(() => tix.tickets.cancel({ ticketId: ticket.id, userId }))) print({ op: "cancel", id: ticket.id });
    }
  } catch (error) {
    if (error.code !== "SOLD_OUT") throw error;
    const taken = (await tix.tickets.list({ eventId })).filter((ticket) => ticket.status !== "cancelled");
    const victim = taken[Math.floor(Math.random() * taken.length)];
    if (!victim) continue;
    if (await unlessCancelledMeanwhile(() => tix.tickets.cancel({ ticketId: victim.id, userId: victim.userId }))) print({ op: "cancel", id: victim.id });
  }
}
