import { describe, expect, it } from "vitest";
import { SlotGate } from "../../../src/store/postgres/slot-gate.js";

const far = () => Date.now() + 60_000;

describe("the PostgreSQL store's connection slot gate", () => {
  it("lets any number in until the server refuses a connection", async () => {
    const gate = new SlotGate();
    for (let i = 0; i < 20; i++) expect(await gate.enter(far())).toBe(true);
  });

  it("after a refusal, holds no more than the others had, and lets those waiting in first come first served", async () => {
    const gate = new SlotGate();
    for (let i = 0; i < 4; i++) await gate.enter(far());
    // The fourth was refused a new connection: three connections are held by the others.
    expect(gate.refused()).toBe(3);
    const order: string[] = [];
    const fourth = gate.enter(far()).then((entered) => order.push(`fourth ${entered}`));
    const fifth = gate.enter(far()).then((entered) => order.push(`fifth ${entered}`));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    gate.leave();
    await fourth;
    expect(order).toEqual(["fourth true"]);
    // A newcomer waits behind the one already in line.
    const newcomer = gate.enter(far()).then((entered) => order.push(`newcomer ${entered}`));
    gate.leave();
    await fifth;
    gate.leave();
    await newcomer;
    expect(order).toEqual(["fourth true", "fifth true", "newcomer true"]);
  });

  it("a wait in line ends at its deadline, and leaves the line", async () => {
    const gate = new SlotGate();
    await gate.enter(far());
    await gate.enter(far());
    gate.refused();
    expect(await gate.enter(Date.now() + 30)).toBe(false);
    gate.leave();
    expect(await gate.enter(far())).toBe(true);
  });

  it("refused with no connection held by this process: one place, so the caller alone tries again", async () => {
    const gate = new SlotGate();
    await gate.enter(far());
    expect(gate.refused()).toBe(0);
    expect(await gate.enter(far())).toBe(true);
    expect(await gate.enter(Date.now() + 20)).toBe(false);
  });

  it("the cap lifts a while after the last refusal, so the pool may grow again", async () => {
    const gate = new SlotGate(30);
    await gate.enter(far());
    await gate.enter(far());
    gate.refused();
    expect(await gate.enter(Date.now() + 5)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await gate.enter(far())).toBe(true);
    expect(await gate.enter(far())).toBe(true);
  });
});
