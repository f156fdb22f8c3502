import type { EventFields } from "../core/index.js";

/**
 * The seated sample: Riverside Hall, 328 seats (docs/seating.md) — Stalls in front (rows A-K with
 * two aisles, L-M behind a cross-aisle), a Circle above, and a Box sold as Circle.
 */
export const RIVERSIDE_HALL: readonly string[] = [
  "Stalls:A-H,J-K:1-5|6-17|18-22",
  "Stalls:|L-M:1-24",
  "Circle:A:1-16",
  "Circle:B-C:1-20",
  "Box@Circle:1:1-4",
];

/**
 * The sample events of `tix seed`. Fixed ids make seeding twice add nothing. Their `startsAt` is
 * a template: each is seeded on the next date with its month, day and time of day still ahead.
 */
export const SEED_EVENTS: ReadonlyArray<EventFields & { id: string; startsAt: string }> = [
  { id: "evt_rock_night_2025", name: "Rock Night 2025", venue: "Seattle Dome", startsAt: "2025-06-15T20:00:00Z", capacity: 5000, price: "89.00" },
  { id: "evt_jazz_evening", name: "Jazz Evening", venue: "Portland Theater", startsAt: "2025-07-10T19:30:00Z", capacity: 1500, price: "45.00" },
  { id: "evt_indie_folk_sessions", name: "Indie Folk Sessions", venue: "Moody Hall, Austin", startsAt: "2025-08-22T19:00:00Z", capacity: 800, price: "35.00" },
  { id: "evt_symphony_under_stars", name: "Symphony Under the Stars", venue: "Golden Gate Park Bandshell", startsAt: "2025-09-05T18:30:00Z", capacity: 3000, price: "60.00", hold: "15m" },
  {
    id: "evt_string_quartet_night", name: "String Quartet Night", venue: "Riverside Hall", startsAt: "2025-10-18T19:30:00Z",
    seats: RIVERSIDE_HALL, tiers: ["Stalls:55.00", "Circle:40.00"], limitPerUser: 8,
  },
];
