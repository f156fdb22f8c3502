import type { Step } from "./steps.js";

/**
 * Counterexamples found by the model-based test (and sequences written by hand around the
 * contract's edges), kept so that each runs on every adapter on every `npm test`. Paste a failing
 * sequence from fast-check's report as the `steps` of a new entry.
 */
export const REGRESSIONS: ReadonlyArray<{ name: string; steps: Step[] }> = [
  {
    name: "a hold expires exactly at expiresAt, freeing its place for another user",
    steps: [
      { op: "create", capacity: 1, hold: 1 },
      { op: "reserve", event: 0, user: "alice", key: "k1" },
      { op: "reserve", event: 0, user: "bob", key: "k1" },
      { op: "advance", ms: 999 },
      { op: "purchase", ticket: 0, actor: "owner", card: "default" },
      { op: "cancel", ticket: 0, actor: "owner" },
      { op: "reserve", event: 0, user: "alice", key: "k2" },
      { op: "advance", ms: 1_000 },
      { op: "reserve", event: 0, user: "bob", key: "k1" },
      { op: "purchase", ticket: 1, actor: "owner", card: "default" },
    ],
  },
  {
    name: "a key is kept 24 hours, then forgotten: the same key may then reserve another event",
    steps: [
      { op: "create", capacity: 2, hold: 30 },
      { op: "create", capacity: 2, hold: 30 },
      { op: "reserve", event: 0, user: "alice", key: "k1" },
      { op: "reserve", event: 1, user: "alice", key: "k1" },
      { op: "advance", ms: 86_400_000 - 1 },
      { op: "replay", binding: 0 },
      { op: "advance", ms: 1 },
      { op: "reserve", event: 1, user: "alice", key: "k1" },
      { op: "replay", binding: 0 },
    ],
  },
  {
    name: "a hold that outlives its key still blocks a second hold on the same event",
    steps: [
      { op: "create", capacity: 3, hold: 172_800 },
      { op: "reserve", event: 0, user: "bob", key: "k2" },
      { op: "advance", ms: 86_400_000 },
      { op: "reserve", event: 0, user: "bob", key: "k2" },
      { op: "foreignKey", binding: 0, user: "carol" },
      { op: "update", event: 0, capacity: 1 },
      { op: "advance", ms: 2 * 86_400_000 },
      { op: "update", event: 0, capacity: 1 },
    ],
  },
  {
    name: "declined and bad cards leave the hold; an upsert below held + sold is refused",
    steps: [
      { op: "create", capacity: 2, id: "evt_a" },
      { op: "reserve", event: 0, user: "alice", key: "k1" },
      { op: "purchase", ticket: 0, actor: "owner", card: "declined" },
      { op: "purchase", ticket: 0, actor: "owner", card: "luhn" },
      { op: "purchase", ticket: 0, actor: "bob", card: "default" },
      { op: "reserve", event: 0, user: "bob", key: "k1" },
      { op: "create", capacity: 1, id: "evt_a", hold: 30 },
      { op: "purchase", ticket: 0, actor: "owner", card: "approved" },
      { op: "purchase", ticket: 0, actor: "owner", card: "approved" },
      { op: "cancel", ticket: 0, actor: "owner" },
      { op: "create", capacity: 1, id: "evt_a", hold: 30 },
      { op: "cancel", ticket: 0, actor: "owner" },
    ],
  },
];
