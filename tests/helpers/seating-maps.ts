import fc from "fast-check";
import { SEAT_FREE, SEAT_HELD, SEAT_SOLD, type SeatMap, type SeatRow, type SeatSection, type SeatState } from "../../src/core/index.js";

/** A row of seats numbered from 1, left to right, with aisles (`null`, at most 2 wide) never first or last. */
const rowPlaces = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), { minLength: 1, maxLength: 14 })
  .map((pattern) => {
    const places: Array<number | null> = [];
    let number = 0;
    for (const isSeat of pattern) {
      if (isSeat) places.push(++number);
      else if (places.length > 0 && !(places.at(-1) === null && places.at(-2) === null)) places.push(null);
    }
    while (places.at(-1) === null) places.pop();
    return places.length === 0 ? [1] : places;
  });

const ROW_LABELS = ["A", "B", "C", "D", "E", "F"];

/** Small maps: 1-3 sections in tiers T1/T2, 1-6 rows each, rows of up to 14 places. */
export const smallMap: fc.Arbitrary<SeatMap> = fc
  .array(
    fc.record({
      tier: fc.constantFrom("T1", "T2"),
      rows: fc.array(fc.record({ places: rowPlaces, gapBefore: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((sections) => ({
    sections: sections.map(({ tier, rows }, index): SeatSection => ({
      name: `S${index + 1}`,
      tier,
      rows: rows.map((row, depth): SeatRow => ({ label: ROW_LABELS[depth]!, gapBefore: depth === 0 ? 0 : row.gapBefore, places: row.places })),
    })),
  }));

/** A state a seat, by seat number. */
export const statesFor = (seatCount: number): fc.Arbitrary<Uint8Array> =>
  fc.array(fc.constantFrom<SeatState>(SEAT_FREE, SEAT_FREE, SEAT_HELD, SEAT_SOLD), { minLength: seatCount, maxLength: seatCount }).map((states) => Uint8Array.from(states));

/** A map and states for its seats. */
export const smallMapWithStates = smallMap.chain((map) => {
  const count = map.sections.reduce((sum, section) => sum + section.rows.reduce((rows, row) => rows + row.places.filter((place) => place !== null).length, 0), 0);
  return statesFor(count).map((states) => ({ map, states }));
});
