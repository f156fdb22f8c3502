import { describe, expect, it } from "vitest";
import { listPages } from "../../../src/cli/output/list-window.js";

// A streamed list's pages: the first small (`| head -1` answers at once), each after it twice the
// one before up to a bound. Where no index holds a list's order every page is a scan of the
// filter's rows, so pages of one size made a long list quadratic (150,000 tickets: 11 s, against
// 2.9 s read whole).

/** A list of `length` numbered items, recording the limit of every page asked for. */
function numbered(length: number) {
  const asked: number[] = [];
  const page = async ({ limit, after }: { limit: number; after?: number | undefined }) => {
    asked.push(limit);
    const start = after === undefined ? 0 : after + 1;
    const items = Array.from({ length: Math.max(0, Math.min(limit, length - start)) }, (_, index) => start + index);
    return { items, next: start + items.length < length ? items[items.length - 1]! : null };
  };
  return { asked, page };
}

async function readAll(length: number, limit?: number) {
  const { asked, page } = numbered(length);
  const { first, rest } = await listPages(page, limit);
  const items = [...first];
  for await (const more of rest) items.push(...more);
  return { asked, items };
}

describe("listPages", () => {
  it("asks for 1,000, then twice the page before, up to 32,000 a page: a few reads for a long list", async () => {
    const { asked, items } = await readAll(200_000);
    expect(items).toEqual(Array.from({ length: 200_000 }, (_, index) => index));
    expect(asked).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 32_000, 32_000, 32_000, 32_000, 32_000]);
  });

  it("asks for no more than a limit leaves", async () => {
    const { asked, items } = await readAll(200_000, 2500);
    expect(items).toHaveLength(2500);
    expect(asked).toEqual([1000, 1500]);
  });

  it("a short list is one read", async () => {
    const { asked, items } = await readAll(10);
    expect(items).toHaveLength(10);
    expect(asked).toEqual([1000]);
  });
});
