import { describe, expect, it } from "vitest";
import { ManualClock, type TixStore } from "../../src/core/index.js";
import { postgresUnavailableReason } from "../helpers/postgres-server.js";
import { memoryStore, postgresStoreFactory, sqliteStore, type StoreFactory } from "../helpers/store-factories.js";

/** After close(), every call of every store answers a TixError STORE_CLOSED (exit 8), never a TypeError. */
const calls: Array<[string, (store: TixStore) => Promise<unknown>]> = [
  ["createEvent", (store) => store.createEvent({ id: "evt_x", draft: {} as never, patch: {}, mode: "merge", actor: "a" })],
  ["createEvents", (store) => store.createEvents([])],
  ["updateEvent", (store) => store.updateEvent({ id: "evt_x", patch: {}, actor: "a" })],
  ["getEvent", (store) => store.getEvent("evt_x")],
  ["listEvents", (store) => store.listEvents()],
  ["reserve", (store) => store.reserve({ eventId: "evt_x", userId: "u", key: "k", quantity: 1 })],
  ["purchase", (store) => store.purchase({ targetId: "tkt_x", userId: "u", card: "4242424242424242" })],
  ["cancel", (store) => store.cancel({ targetId: "tkt_x", userId: "u" })],
  ["checkIn", (store) => store.checkIn({ ticketId: "tkt_x", actor: "door" })],
  ["getTicket", (store) => store.getTicket("tkt_x")],
  ["listTickets", (store) => store.listTickets({})],
  ["listFirstTickets", (store) => store.listFirstTickets({}, 30)],
  ["findKey", (store) => store.findKey("u", "k")],
  ["joinWaitlist", (store) => store.joinWaitlist({ eventId: "evt_x", userId: "u" })],
  ["leaveWaitlist", (store) => store.leaveWaitlist({ eventId: "evt_x", userId: "u" })],
  ["listWaitlist", (store) => store.listWaitlist("evt_x")],
  ["listLog", (store) => store.listLog({})],
  ["listLatestLog", (store) => store.listLatestLog({}, 30)],
  ["waitlistPosition", (store) => store.waitlistPosition({ eventId: "evt_x", userId: "u" })],
];

function closedStore(adapter: string, factory: StoreFactory) {
  it(`${adapter}: every call after close() answers STORE_CLOSED; closing again is harmless`, async () => {
    const { store, dispose } = await factory(new ManualClock());
    await store.listEvents();
    await store.close();
    try {
      for (const [name, call] of calls) {
        await expect(call(store), name).rejects.toMatchObject({ name: "TixError", code: "STORE_CLOSED" });
      }
      await store.close();
    } finally {
      await dispose?.();
    }
  });
  it(`${adapter}: a snapshot still open when its store is closed answers STORE_CLOSED too (not its old state, not a TypeError)`, async () => {
    const { store, dispose } = await factory(new ManualClock());
    const snapshot = await store.snapshot();
    await snapshot.listEvents();
    const unread = await store.snapshot();
    await store.close();
    try {
      for (const [name, call] of calls) {
        await expect(call(snapshot), name).rejects.toMatchObject({ name: "TixError", code: "STORE_CLOSED" });
        await expect(call(unread), `${name}, never read`).rejects.toMatchObject({ name: "TixError", code: "STORE_CLOSED" });
      }
      await snapshot.close();
      await unread.close();
    } finally {
      await dispose?.();
    }
  });
}

describe("a closed store", () => {
  closedStore("memory", memoryStore);
  closedStore("sqlite", sqliteStore);
  const skipReason = postgresUnavailableReason();
  if (skipReason) it.skip(`postgres: skipped: ${skipReason}`, () => undefined);
  else closedStore("postgres", postgresStoreFactory());
});
