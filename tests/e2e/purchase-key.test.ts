import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";

let home: { path: string; remove: () => void };
const tix = (args: string[]) => runTix(args, home.path);

beforeEach(() => {
  home = tempDir();
  expect(tix(["seed"]).code).toBe(0);
});
afterEach(() => home.remove());

describe("tix purchase --key", () => {
  it("a retry with the key replays (exit 0, charged once); the key for another purchase is IDEMPOTENCY_KEY_REUSED (exit 4)", () => {
    const { ticket } = tix(["--json", "reserve", "evt_jazz_evening", "--key", "hold-1"]).json();
    const first = tix(["--json", "purchase", ticket.id, "--key", "pay-1"]);
    expect(first.code).toBe(0);
    expect(first.json()).toMatchObject({ status: "success", replayed: false, key: "pay-1", ticket: { id: ticket.id, status: "purchased" } });

    const retry = tix(["--json", "purchase", ticket.id, "--key", "pay-1"]);
    expect(retry.code).toBe(0);
    expect(retry.json()).toEqual({ ...first.json(), replayed: true });
    expect(tix(["purchase", ticket.id, "--key", "pay-1"]).stdout).toMatch(/^replayed:\ttrue$/m);

    const without = tix(["--json", "purchase", ticket.id]);
    expect([without.code, without.json().error.code]).toEqual([4, "ALREADY_PURCHASED"]);

    const other = tix(["--json", "reserve", "evt_rock_night_2025", "--key", "hold-2"]).json().ticket;
    const reused = tix(["--json", "purchase", other.id, "--key", "pay-1"]);
    expect([reused.code, reused.json().error.code]).toEqual([4, "IDEMPOTENCY_KEY_REUSED"]);
    expect(tix(["--json", "event", "show", "evt_jazz_evening"]).json().event.sold).toBe(1);
    expect(tix(["--json", "ticket", "show", other.id]).json().ticket.status).toBe("reserved");

    expect(tix(["purchase", other.id, "--key", ""]).code).toBe(2);
  });
});
