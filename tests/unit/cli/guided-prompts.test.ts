import { afterEach, describe, expect, it } from "vitest";
import { Interrupted } from "../../../src/cli/prompts/interrupted.js";
import { fakeSession } from "../../helpers/fake-terminal.js";
import { FAKE_TICKET, fakeTix } from "../../helpers/fake-tix.js";
import { UNICODE_MARKS } from "../../../src/cli/output/style.js";
import { pickCancellableTicket, pickHeldTicket } from "../../../src/cli/prompts/pickers.js";

const STORE = ["--store", "memory"];
let session: ReturnType<typeof fakeSession> | undefined;
afterEach(async () => session?.close());

async function withEvents(s: ReturnType<typeof fakeSession>): Promise<void> {
  expect(await s.run([...STORE, "event", "create", "--id", "evt_full", "--name", "Full House", "--capacity", "1"])).toBe(0);
  expect(await s.run([...STORE, "--user", "bob", "reserve", "evt_full"])).toBe(0);
  expect(await s.run([...STORE, "event", "create", "--id", "evt_jazz", "--name", "Jazz Evening", "--capacity", "3", "--price", "45"])).toBe(0);
  s.clear();
}

describe("guided prompts on a terminal", () => {
  it("reserve without an event id offers the events with their availability; sold-out ones are disabled, after those that can be picked", async () => {
    session = fakeSession({ tty: true, answers: [(question) => question.choices![0]!.value] });
    await withEvents(session);
    expect(await session.run([...STORE, "reserve"])).toBe(0);
    const [question] = session.questions;
    expect(question!.message).toBe("Which event?");
    expect(question!.choices!.map((choice) => [choice.value, choice.name, choice.disabled])).toEqual([
      ["evt_jazz", "Jazz Evening — 3 of 3 available, 45.00 USD", undefined],
      ["evt_full", "Full House — 0 of 1 available, 0.00 USD", "(sold out)"],
    ]);
    expect(session.output().stdout).toMatch(/Event\s+Jazz Evening\n/);
    expect(session.state.lastIds.ticket).toMatch(/^tkt_/);
  });

  it("reserve over more than 100 events searches them: first the soonest that can be reserved, then what is typed; 100 or fewer, the whole list", async () => {
    const signal = new AbortController().signal;
    type Choices = Array<{ value: unknown; name: string; disabled?: string | undefined }>;
    let opening: Choices = [];
    let typed: Choices = [];
    session = fakeSession({ tty: true, answers: [
      // The whole list: those that can be reserved first, the soonest first (the 49th and last of
      // them is evt_1, "Late 1", the latest), then the sold-out one and the started ones.
      (question) => question.choices![48]!.value,
      async (question) => {
        opening = [...await question.source!(undefined, signal)] as Choices;
        typed = [...await question.source!("  LATE 9", signal)] as Choices;
        return typed[0]!.value;
      },
    ] });
    // Now is 2025-06-01T12:00Z: "Early" ones have started, "Late" ones are ahead (the later the
    // number, the sooner), one Late sold out.
    for (let i = 0; i < 100; i++) {
      const startsAt = i % 2 === 0 ? `2025-05-${String(1 + (i % 28)).padStart(2, "0")}T20:00Z` : `2025-${String(7 + Math.floor((100 - i) / 28)).padStart(2, "0")}-${String(1 + ((100 - i) % 28)).padStart(2, "0")}T20:00Z`;
      const name = i % 2 === 0 ? `Early ${i}` : `Late ${i}`;
      expect(await session.run([...STORE, "event", "create", "--id", `evt_${i}`, "--name", name, "--capacity", i === 99 ? "1" : "5", "--starts-at", startsAt])).toBe(0);
    }
    expect(await session.run([...STORE, "--user", "zed", "reserve", "evt_99"])).toBe(0);
    expect(await session.run([...STORE, "reserve"])).toBe(0);
    expect(session.questions[0]!.message).toBe("Which event?");
    expect(session.questions[0]!.choices).toHaveLength(100);
    expect(session.questions[0]!.choices!.map((choice) => choice.disabled ?? "")).toEqual([
      ...Array.from({ length: 49 }, () => ""), "(sold out)", ...Array.from({ length: 50 }, () => "(started)")]);
    // Each part in the planning order, as `event list` shows them: the soonest ahead first.
    expect(session.questions[0]!.choices!.slice(0, 2).map((choice) => choice.value)).toEqual(["evt_97", "evt_95"]);
    expect(await session.run([...STORE, "event", "create", "--id", "evt_100", "--name", "Undated", "--capacity", "5"])).toBe(0);
    expect(await session.run([...STORE, "reserve"])).toBe(0);
    expect(session.questions[1]!.message).toBe("Which event? Type to search all 101:");
    // Those ahead the soonest first (Late 97, 95, …: 99 is sold out), then the undated; no past one.
    expect(opening.map((choice) => choice.name.split(" — ")[0])).toEqual([...Array.from({ length: 49 }, (_, i) => `Late ${97 - 2 * i}`), "Undated"]);
    expect(opening.every((choice) => choice.disabled === undefined)).toBe(true);
    // Any case, spaces around: the names holding "late 9" that can be reserved, the soonest
    // first; then the sold-out one, disabled.
    expect(typed.map((choice) => [choice.name.split(" — ")[0], choice.disabled])).toEqual([
      ["Late 97", undefined], ["Late 95", undefined], ["Late 93", undefined], ["Late 91", undefined], ["Late 9", undefined], ["Late 99", "(sold out)"],
    ]);
    expect(session.state.lastIds.ticket).toMatch(/^tkt_/);
    expect(await session.run([...STORE, "--json", "ticket", "list"])).toBe(0);
    expect(session.output().stdout).toContain('"eventId":"evt_1"');
    expect(session.output().stdout).toContain('"eventId":"evt_97"');
  });

  it("purchase without a ticket id offers the user's holds with the time they have left, then confirms amount and card", async () => {
    session = fakeSession({ tty: true, answers: [(question) => question.choices![0]!.value, () => true] });
    await withEvents(session);
    await session.run([...STORE, "reserve", "evt_jazz"]);
    const held = session.state.lastIds.ticket!;
    session.clock.advance(48_000);
    expect(await session.run([...STORE, "purchase", "--card", "5555 5555 5555 4444"])).toBe(0);
    expect(session.questions[0]!.choices!.map((choice) => [choice.name, choice.description])).toEqual([["Jazz Evening — GA, 45.00 USD, expires in 9m 12s", held]]);
    expect(session.questions[1]!.message).toBe(`Pay 45.00 USD for ticket ${held} with the card ending 4444?`);
    expect(session.output().stderr).toContain(`✓ Purchased ticket ${held}`);
  });

  it("a guided purchase not confirmed charges nothing (exit 130); --yes does not ask", async () => {
    session = fakeSession({ tty: true, answers: [(question) => question.choices![0]!.value, () => false, (question) => question.choices![0]!.value] });
    await withEvents(session);
    await session.run([...STORE, "reserve", "evt_jazz"]);
    session.clear();
    expect(await session.run([...STORE, "purchase"])).toBe(130);
    expect(session.output().stderr).toBe("Nothing was charged.\n");
    expect(await session.run([...STORE, "--json", "ticket", "list"])).toBe(0);
    expect(session.output().stdout).toContain('"status":"reserved"');
    expect(await session.run([...STORE, "purchase", "--yes"])).toBe(0);
    expect(session.questions).toHaveLength(3);
  });

  it("cancel without a ticket id offers the user's live tickets; a refund asks first, naming amount and card", async () => {
    session = fakeSession({ tty: true, answers: [(question) => question.choices![0]!.value, () => false, () => true] });
    await withEvents(session);
    await session.run([...STORE, "reserve", "evt_jazz"]);
    const ticket = session.state.lastIds.ticket!;
    await session.run([...STORE, "purchase", ticket]);
    expect(await session.run([...STORE, "cancel"])).toBe(130);
    expect(session.questions[0]!.message).toBe("Which ticket to cancel?");
    expect(session.questions[0]!.choices!.map((choice) => [choice.name, choice.description])).toEqual([["Jazz Evening — GA, 45.00 USD, purchased, refund to the card ending 4242", ticket]]);
    expect(session.questions[1]!.message).toBe(`Refund 45.00 USD for ticket ${ticket} to the card ending 4242?`);
    expect(session.output().stderr).toContain("Nothing was cancelled or refunded.");
    expect(await session.run([...STORE, "cancel", ticket])).toBe(0);
    expect(session.questions).toHaveLength(3);
    expect(session.output().stderr).toContain(`✓ Cancelled ticket ${ticket} and refunded 45.00 USD`);
  });

  it("asks nothing where nobody can answer (not a terminal), nor with --yes, and releasing a hold needs no confirmation", async () => {
    session = fakeSession({ tty: false });
    await withEvents(session);
    await session.run([...STORE, "reserve", "evt_jazz"]);
    const ticket = session.state.lastIds.ticket!;
    await session.run([...STORE, "purchase", ticket]);
    expect(await session.run([...STORE, "cancel", ticket])).toBe(0);
    expect(await session.run([...STORE, "cancel"])).toBe(2);
    expect(session.output().stderr).toContain("ticket id: missing; give it as in `tix cancel TICKET_ID`");
    session.close();
    session = fakeSession({ tty: true });
    await withEvents(session);
    await session.run([...STORE, "reserve", "evt_jazz"]);
    const held = session.state.lastIds.ticket!;
    expect(await session.run([...STORE, "cancel", held])).toBe(0);
    await session.run([...STORE, "reserve", "evt_jazz"]);
    await session.run([...STORE, "purchase", session.state.lastIds.ticket!]);
    expect(await session.run([...STORE, "cancel", session.state.lastIds.ticket!, "--yes"])).toBe(0);
    expect(session.questions).toEqual([]);
  });

  it("event create asks for the name and capacity left out, refusing bad answers with the rule", async () => {
    session = fakeSession({
      tty: true,
      answers: [
        () => "Blues Night",
        (question) => {
          expect(question.validate!("abc")).toMatch(/capacity: must be a whole number/);
          expect(question.validate!("12")).toBe(true);
          return "12";
        },
      ],
    });
    expect(await session.run([...STORE, "event", "create", "--venue", "Blue Room"])).toBe(0);
    expect(session.questions.map((question) => question.message)).toEqual(["Event name:", "Capacity (how many tickets):"]);
    expect(session.output().stdout).toMatch(/Name\s+Blues Night[\s\S]*Capacity\s+12/);
  });

  it("event create --id of a new event asks for what it needs as a plain create does; an existing id asks nothing", async () => {
    session = fakeSession({ tty: true, answers: [() => "Blues Night", () => "12"] });
    expect(await session.run([...STORE, "event", "create", "--id", "evt_blues"])).toBe(0);
    expect(session.questions.map((question) => question.message)).toEqual(["Event name:", "Capacity (how many tickets):"]);
    expect(session.output().stdout).toMatch(/evt_blues[\s\S]*Blues Night[\s\S]*Capacity\s+12/);
    // Now it exists: only the flags given change, nothing is asked.
    expect(await session.run([...STORE, "event", "create", "--id", "evt_blues", "--venue", "Blue Room"])).toBe(0);
    expect(session.questions).toHaveLength(2);
  });

  it("answers 130 when a prompt is abandoned (Ctrl-C), printing no error", async () => {
    session = fakeSession({ tty: true, answers: [() => Promise.reject(new Interrupted())] });
    await withEvents(session);
    expect(await session.run([...STORE, "reserve"])).toBe(130);
    expect(session.output().stderr).toBe("");
  });

  it("reserve's list shows started events and those whose sales closed or have not opened as not pickable, with the reason, after those that can be", async () => {
    session = fakeSession({ tty: true, answers: [(question) => question.choices![0]!.value] });
    // Now is 2025-06-01T12:00Z.
    const events = [
      ["evt_past", "Past Gig", "--starts-at", "2025-05-01T20:00Z"],
      ["evt_closed", "Closed Sale", "--starts-at", "2025-07-01T20:00Z", "--sales-end", "2025-05-20T00:00Z"],
      ["evt_later", "Later Sale", "--starts-at", "2025-09-01T20:00Z", "--sales-start", "2025-08-01T00:00Z"],
      ["evt_open", "Open Show", "--starts-at", "2025-07-02T20:00Z"],
    ];
    for (const [id, name, ...more] of events) {
      expect(await session.run([...STORE, "event", "create", "--id", id!, "--name", name!, "--capacity", "2", ...more])).toBe(0);
    }
    expect(await session.run([...STORE, "reserve"])).toBe(0);
    expect(session.questions[0]!.choices!.map((choice) => [choice.value, choice.disabled])).toEqual([
      ["evt_open", undefined], ["evt_closed", "(sales closed)"], ["evt_later", "(not on sale yet)"], ["evt_past", "(started)"],
    ]);
    expect(await session.run([...STORE, "--json", "ticket", "list"])).toBe(0);
    expect(session.output().stdout).toContain('"eventId":"evt_open"');
  });

  it("when no event can be reserved, reserve says so in one line, exit 4, with no list: all sold out, or some started", async () => {
    session = fakeSession({ tty: true });
    expect(await session.run([...STORE, "event", "create", "--id", "evt_full", "--name", "Full House", "--capacity", "1"])).toBe(0);
    expect(await session.run([...STORE, "--user", "bob", "reserve", "evt_full"])).toBe(0);
    session.clear();
    expect(await session.run([...STORE, "reserve"])).toBe(4);
    expect(session.output().stderr).toMatch(/^error: the one event is sold out\n$/);
    expect(await session.run([...STORE, "event", "create", "--id", "evt_past", "--name", "Past", "--capacity", "1", "--starts-at", "2025-05-01T20:00Z"])).toBe(0);
    session.clear();
    expect(await session.run([...STORE, "reserve"])).toBe(4);
    expect(session.output().stderr).toMatch(/^error: no event can be reserved now \(1 sold out, 1 started\)\n$/);
    expect(await session.run([...STORE, "--json", "reserve", "evt_past"])).toBe(4);
    expect(session.questions).toEqual([]);
  });

  it("over more than 100 events none of which can be reserved, reserve says so too, with no search", async () => {
    session = fakeSession({ tty: true });
    for (let i = 0; i < 101; i++) {
      expect(await session.run([...STORE, "event", "create", "--id", `evt_${i}`, "--name", `Past ${i}`, "--capacity", "1", "--starts-at", `2025-05-${String(1 + (i % 28)).padStart(2, "0")}T20:00Z`])).toBe(0);
    }
    session.clear();
    expect(await session.run([...STORE, "reserve"])).toBe(4);
    expect(session.output().stderr).toMatch(/^error: no event can be reserved now \(101 started\)\n$/);
    expect(session.questions).toEqual([]);
  });

  it("says so when there is nothing to pick", async () => {
    session = fakeSession({ tty: true });
    expect(await session.run([...STORE, "reserve"])).toBe(3);
    expect(await session.run([...STORE, "purchase"])).toBe(3);
    expect(session.output().stderr).toMatch(/no events yet[\s\S]*alice holds no tickets/);
  });
});

describe("never a prompt without a terminal, with --no-input or with --json", () => {
  it.each([
    ["not a terminal", false, ["reserve"]],
    ["--no-input", true, ["--no-input", "purchase"]],
    ["--json", true, ["--json", "event", "create", "--capacity", "3"]],
  ])("%s: a usage error naming what is missing (exit 2)", async (_name, tty, args) => {
    session = fakeSession({ tty });
    expect(await session.run([...STORE, ...args])).toBe(2);
    expect(session.questions).toEqual([]);
    const { stdout, stderr } = session.output();
    const message = args.includes("--json") ? JSON.parse(stdout).error.message : stderr;
    expect(message).toMatch(/(event id|ticket id|name): missing; give it as in `tix [a-z ]+/);
    expect(message).toContain("only when stdin and stdout are terminals");
  });
});

describe("the ticket pickers read only what they show", () => {
  // purchase's and cancel's pick lists read every event in the store (tix.events.list) to name
  // the few their tickets are for.
  it.each([["purchase"], ["cancel"]])("%s without an id reads the events of the user's tickets, not every event", async (command) => {
    const { tix, calls } = fakeTix();
    const offered: string[] = [];
    const prompter = {
      select: async <T,>(_message: string, choices: ReadonlyArray<{ value: T; name: string }>): Promise<T> => {
        offered.push(...choices.map((choice) => choice.name));
        return choices[0]!.value;
      },
    } as unknown as Parameters<typeof pickHeldTicket>[2];
    const pick = command === "purchase" ? pickHeldTicket : pickCancellableTicket;
    expect((await pick(tix, "alice", prompter, Date.parse("2025-06-01T12:00:00Z"), UNICODE_MARKS)).id).toBe(FAKE_TICKET.id);
    expect(offered).toEqual([expect.stringMatching(/^Fake — \S+, 1\.00 USD, /)]);
    expect(calls.map(([method]) => method)).not.toContain("events.list");
    expect(calls).toContainEqual(["events.get", "evt_fake"]);
  });
});
