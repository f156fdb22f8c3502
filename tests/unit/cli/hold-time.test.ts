import { afterEach, expect, it } from "vitest";
import { fakeSession } from "../../helpers/fake-terminal.js";

let session: ReturnType<typeof fakeSession> | undefined;
afterEach(async () => session?.close());

it("ticket list and ticket show say how long a hold has left on a terminal, and when it expired", async () => {
  session = fakeSession({ tty: true });
  const run = (...args: string[]) => session!.run(["--store", "memory", ...args]);
  expect(await run("event", "create", "--id", "evt_jazz", "--name", "Jazz", "--capacity", "5", "--hold", "10m")).toBe(0);
  expect(await run("reserve", "evt_jazz")).toBe(0);
  session.clock.advance(48_000);
  session.clear();
  expect(await run("ticket", "list")).toBe(0);
  expect(await run("ticket", "show", session.state.lastIds.ticket!)).toBe(0);
  expect(session.output().stdout.match(/\bin 9m 12s/g)).toHaveLength(2);
  session.clock.advance(10 * 60_000);
  session.clear();
  expect(await run("ticket", "show", session.state.lastIds.ticket!)).toBe(0);
  // The date and time, then how long ago (the zone is the machine's: the test does not pin it).
  expect(session.output().stdout).toMatch(/Status\s+expired\nReserved\s+Sun 1 Jun 2025 \d\d:\d\d \S+ · 10m 48s ago\nExpires\s+Sun 1 Jun 2025 \d\d:\d\d \S+ · 48s ago\n/);
});
