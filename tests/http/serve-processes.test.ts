import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp-dir.js";
import { serveProcess, type ServeProcess } from "../helpers/serve-process.js";

let home: { path: string; remove: () => void };
let servers: ServeProcess[] = [];
beforeEach(() => {
  home = tempDir("tix-serve-processes-");
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  servers = [];
  home.remove();
});

const start = (store: string) => {
  const server = serveProcess(home.path, ["--store", store]);
  servers.push(server);
  return server;
};

describe("purchase keys are the store's: several tix serve over one SQLite file", () => {
  it("the same key sent to two servers at once charges once, and both answers are the same; a restarted server replays", async () => {
    const store = `sqlite:${join(home.path, "tix.db")}`;
    expect(runTix(["--store", store, "seed"], home.path).code).toBe(0);
    const [first, second] = await Promise.all([start(store).listening, start(store).listening]);
    const token = runTix(["token", "create", "--user", "alice"], home.path).stdout.trim();
    const headers = (key: string) => ({ Authorization: `Bearer ${token}`, "Idempotency-Key": key, "Content-Type": "application/json" });

    const rounds = 5;
    for (let round = 0; round < rounds; round++) {
      const reserved = await fetch(`${first}/tickets/evt_jazz_evening/reserve`, { method: "POST", headers: headers(`hold-${round}`) });
      const ticketId = ((await reserved.json()) as { Ticket: { Id: string } }).Ticket.Id;
      const buy = (url: string) =>
        fetch(`${url}/tickets/${ticketId}/purchase`, { method: "POST", headers: headers(`pay-${round}`), body: JSON.stringify({ Card: "4242424242424242" }) })
          .then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, unknown> }));
      const answers = await Promise.all([buy(first), buy(second)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(answers.map((answer) => answer.body.Replayed).sort()).toEqual([false, true]);
      expect(answers[0]!.body.Ticket).toEqual(answers[1]!.body.Ticket);
      expect(answers[0]!.body.Ticket).toMatchObject({ Id: ticketId, Status: "Purchased" });
    }

    const show = runTix(["--store", store, "--json", "event", "show", "evt_jazz_evening"], home.path).json();
    expect(show.event).toMatchObject({ sold: rounds, held: 0 });
    const log = runTix(["--store", store, "--json", "log", "--event", "evt_jazz_evening"], home.path).json();
    expect(log.entries.filter((entry: { action: string }) => entry.action === "ticket.purchased")).toHaveLength(rounds);

    // Both servers stop; a new one, over the same file, replays the key.
    await Promise.all(servers.map((server) => server.stop()));
    servers = [];
    const restarted = await start(store).listening;
    const tickets = runTix(["--store", store, "--json", "ticket", "list"], home.path).json().tickets as Array<{ id: string }>;
    const replay = await fetch(`${restarted}/tickets/${tickets[0]!.id}/purchase`, { method: "POST", headers: headers("pay-0"), body: JSON.stringify({ Card: "4242424242424242" }) });
    expect(replay.status).toBe(200);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toMatchObject({ Replayed: true, Ticket: { Id: tickets[0]!.id, Status: "Purchased" } });
    expect(runTix(["--store", store, "--json", "event", "show", "evt_jazz_evening"], home.path).json().event.sold).toBe(rounds);
  });
});
