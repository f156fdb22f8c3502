import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTix, type Tix } from "../../src/index.js";
import { tempDir } from "../helpers/temp-dir.js";

// SQLite's planning-order reads carry each event's tiers as JSON (statements.ts, byStart): what a
// person's list shows must be the event exactly as `events.get` reads it, tier by tier, in order.

let home: ReturnType<typeof tempDir>;
let tix: Tix;

beforeAll(async () => {
  home = tempDir();
  tix = await openTix({ store: `sqlite:${join(home.path, "tix.db")}` });
  await tix.events.create({
    id: "evt_tiered", name: 'Gala "east" — 東京 🎫', startsAt: "2099-06-01T20:00Z", salesEnd: "2099-05-31T00:00Z",
    tiers: ["Zeta:5:1200.00", "Alpha:3:99999999.99,code=FANS,sales-start=2099-01-01T00:00Z,sales-end=2099-02-01T00:00Z", "Mid \\\\ tier:2:0.50"],
  });
  await tix.events.create({ id: "evt_past", name: "Past", startsAt: "2000-01-01T00:00Z", tiers: ["B:1:2.00", "A:1:1.00"] });
  await tix.events.create({ id: "evt_undated", name: "Undated", capacity: 4, price: "3.00" });
  await tix.tickets.reserve({ eventId: "evt_tiered", userId: "alice", tier: "Zeta" });
});
afterAll(async () => {
  await tix.close();
  home.remove();
});

describe("SQLite planning order with tiers", () => {
  it("gives each event as events.get does, its tiers in their order, whether a screenful or all are read", async () => {
    const expected = await Promise.all(["evt_tiered", "evt_undated", "evt_past"].map((id) => tix.events.get(id)));
    expect(expected[0]!.tiers.map((tier) => tier.name)).toEqual(["Zeta", "Alpha", "Mid \\\\ tier"]);
    expect((await tix.events.upcomingFirst()).events).toEqual(expected);
    expect((await tix.events.upcomingFirst({ limit: 1 })).events).toEqual(expected.slice(0, 1));
    expect(await tix.events.upcomingFirst({ limit: 2 })).toEqual({ events: expected.slice(0, 2), total: 3 });
  });
});
