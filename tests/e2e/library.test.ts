import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

it("is importable in-process as `tix`, typed, over a memory store", () => {
  const program = `
    import { openTix, ManualClock } from "tix";
    const clock = new ManualClock("2030-01-01T00:00:00Z");
    const tix = await openTix({ store: "memory", clock });
    const { event } = await tix.events.create({ name: "Library Gig", capacity: 1, price: "10.00" });
    const first = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
    const again = await tix.tickets.reserve({ eventId: event.id, userId: "alice", key: "k1" });
    const soldOut = await tix.tickets.reserve({ eventId: event.id, userId: "bob", key: "k1" }).catch((error) => error.code);
    const { ticket: bought } = await tix.tickets.purchase({ ticketId: first.ticket.id, userId: "alice" });
    console.log(JSON.stringify({ replayed: again.replayed, same: again.ticket.id === first.ticket.id, soldOut, status: bought.status }));
    await tix.close();
  `;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", program], { cwd: process.cwd(), encoding: "utf8" });
  expect(result.stderr).toBe("");
  expect(JSON.parse(result.stdout)).toEqual({ replayed: true, same: true, soldOut: "SOLD_OUT", status: "purchased" });
});

it("ships type declarations for openTix", () => {
  const types = readFileSync("dist/types/index.d.ts", "utf8");
  expect(types).toContain("openTix");
  expect(readFileSync("dist/types/app/open-tix.d.ts", "utf8")).toMatch(/export declare function openTix\(options\?: OpenTixOptions \| string\): Promise<Tix>/);
});
