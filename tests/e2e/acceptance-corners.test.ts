import { describe, expect, it } from "vitest";
import { TIX_BIN, testEnv } from "../helpers/cli.js";
import { Terminal } from "../helpers/pty-terminal.js";
import { displayWidth } from "../../src/cli/output/text.js";
import { sqliteTixPerTest } from "../helpers/sqlite-tix.js";

// The twentieth pass's acceptance audit (cli27): corners of the command line the contract and the
// README promise, each found broken against the built bin/tix over a real SQLite file.

const { home, store, tix } = sqliteTixPerTest("audit.db");

describe("the audit log names the acting user", () => {
  it("tix seed's event.created entries are the acting user's, as event create's are (they said \"library\")", () => {
    expect(tix(["seed"], { TIX_USER: "ops" }).code).toBe(0);
    const { entries } = tix(["--json", "log"]).json<{ entries: { actor: string; action: string }[] }>();
    expect(entries.length).toBeGreaterThanOrEqual(2);
    for (const entry of entries) expect(entry).toMatchObject({ action: "event.created", actor: "ops" });
  });
});

describe("waitlist leave", () => {
  it("of an id that names no event is EVENT_NOT_FOUND with the nearest ids, as waitlist join and show are (it said 'not on the waiting list')", () => {
    expect(tix(["event", "create", "--id", "evt_jazz_evening", "--name", "Jazz", "--capacity", "5"]).code).toBe(0);
    const typo = tix(["--json", "waitlist", "leave", "evt_jazz_evenin"]);
    expect(typo.code).toBe(3);
    expect(typo.json().error).toMatchObject({ code: "EVENT_NOT_FOUND", message: "no event with id evt_jazz_evenin; did you mean evt_jazz_evening? (tix event list)" });
    // An event that exists, without the user in line, is still NOT_WAITING.
    const notWaiting = tix(["--json", "waitlist", "leave", "evt_jazz_evening"]);
    expect(notWaiting.code).toBe(3);
    expect(notWaiting.json().error.code).toBe("NOT_WAITING");
  });
});

describe("a list's footer on a narrow terminal", () => {
  it("wraps between words as a message does: the log's 'the latest 30 of N entries; --limit N or --all' was wider than 40 columns", async () => {
    const lines = Array.from({ length: 36 }, (_, index) => `event create --id e${index} --name E${index} --capacity 1`).join("\n");
    expect(tix([], {}, `${lines}\n`).code).toBe(0);
    const env = testEnv(home(), { TIX_PAGER: "cat", COLUMNS: "40" });
    const terminal = new Terminal(process.execPath, [TIX_BIN, "--store", store(), "log"], env, { cols: 40, rows: 60 });
    try {
      await terminal.waitFor(/or --all/);
      expect(await terminal.exited).toBe(0);
      const text = terminal.text();
      expect(text.replace(/\s+/g, " ")).toContain("the latest 30 of 36 entries; --limit N or --all");
      for (const line of text.split("\n")) expect(displayWidth(line), line).toBeLessThanOrEqual(40);
    } finally {
      terminal.kill();
    }
  });
});

/** Runs bin/tix in a real terminal (its ✓ line is for a person) until `until` shows: answers what it wrote, spaces collapsed. */
async function onTerminal(args: string[], until = /back\s+on\s+sale/): Promise<string> {
  const env = testEnv(home(), { TIX_PAGER: "cat", COLUMNS: "100" });
  const terminal = new Terminal(process.execPath, [TIX_BIN, "--store", store(), ...args], env, { cols: 100, rows: 60 });
  try {
    await terminal.waitFor(until);
    expect(await terminal.exited).toBe(0);
    return terminal.text().replace(/\s+/g, " ");
  } finally {
    terminal.kill();
  }
}

describe("cancel of an order says what it cancelled", () => {
  it("counts the tickets this cancel released or refunded, not the order's, and names a checked-in ticket it left (it said 'Cancelled 3 tickets')", async () => {
    expect(tix(["event", "create", "--id", "gig", "--name", "Gig", "--capacity", "10", "--price", "5", "--limit-per-user", "6"]).code).toBe(0);
    const reserved = tix(["--json", "reserve", "gig", "--quantity", "3", "--key", "party"]).json();
    const [first, second] = reserved.tickets.map((ticket: { id: string }) => ticket.id);
    expect(tix(["purchase", reserved.orderId]).code).toBe(0);
    expect(tix(["checkin", first]).code).toBe(0);
    const said = await onTerminal(["cancel", reserved.orderId, "--yes"]);
    expect(said).toContain(`✓ Cancelled 2 of the 3 tickets of order ${reserved.orderId} and refunded 10.00 USD for 2 tickets; ${first} was checked in and stays purchased;`);
    expect(tix(["--json", "ticket", "show", first]).json().ticket.status).toBe("purchased");
    expect(tix(["--json", "ticket", "show", second]).json().ticket.status).toBe("cancelled");

    // A ticket refunded before is not refunded again, nor said to be.
    const again = tix(["--json", "reserve", "gig", "--quantity", "2", "--key", "pair"]).json();
    expect(tix(["purchase", again.tickets[0].id]).code).toBe(0);
    expect(tix(["cancel", again.tickets[0].id, "--yes"]).code).toBe(0);
    expect(await onTerminal(["cancel", again.orderId, "--yes"])).toContain(`✓ Cancelled ticket ${again.tickets[1].id} of order ${again.orderId}; the places go`);
  });
});

describe("purchase of an order says what it paid for", () => {
  it("speaks of the tickets this purchase paid, not the order's first one: an order with a cancelled first ticket read 'Purchased 3 tickets … with the card ending null'", async () => {
    expect(tix(["event", "create", "--id", "gig", "--name", "Gig", "--capacity", "10", "--price", "5", "--limit-per-user", "6"]).code).toBe(0);
    expect(tix(["voucher", "create", "--event", "gig", "--code", "V", "--amount", "1"]).code).toBe(0);
    const reserved = tix(["--json", "reserve", "gig", "--quantity", "3", "--key", "party"]).json();
    expect(tix(["cancel", reserved.tickets[0].id]).code).toBe(0);
    const said = await onTerminal(["purchase", reserved.orderId, "--key", "pay", "--voucher", "v"], /off\s+each\)/);
    expect(said).toContain(`· 1 cancelled, 2 purchased`);
    expect(said).toContain("Tier GA · 2 × 4.00 USD");
    expect(said).toContain("Charged 8.00 USD for 2 tickets, card ending 4242");
    expect(said).toContain(`✓ Purchased 2 of the 3 tickets of order ${reserved.orderId} with the card ending 4242 (voucher V: 1.00 USD off each)`);
    const replay = await onTerminal(["purchase", reserved.orderId, "--key", "pay", "--voucher", "v"], /charged\s+again/);
    expect(replay).toContain(`✓ Already purchased 2 of the 3 tickets of order ${reserved.orderId} with key pay: nothing was charged again`);
  });
});
