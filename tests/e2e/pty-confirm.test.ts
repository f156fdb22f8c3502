import { describe, expect, it } from "vitest";
import { runTix } from "../helpers/cli.js";
import { terminalsPerTest, type Terminal } from "../helpers/pty-terminal.js";

const terminals = terminalsPerTest();
const home = { get path() { return terminals.home(); } };
const tix = (args: string[]) => terminals.tix(args);
const json = (args: string[]) => runTix(["--json", ...args], home.path).json();
let terminal: Terminal;

describe("money moves only once confirmed, in a real terminal", () => {
  it("a refund shows the amount and card and asks first: no changes nothing (exit 130), yes refunds", async () => {
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--price", "45"], home.path);
    const ticket = json(["reserve", "evt_a"]).ticket.id as string;
    runTix(["purchase", ticket, "--card", "5555555555554444"], home.path);

    terminal = tix(["cancel", ticket]);
    await terminal.waitFor(new RegExp(`Refund 45\\.00 USD for ticket ${ticket} to the card ending 4444\\? \\(y/N\\)`));
    terminal.type("n\r");
    expect(await terminal.exited).toBe(130);
    expect(terminal.text()).toContain("Nothing was cancelled or refunded.");
    expect(json(["ticket", "show", ticket]).ticket.status).toBe("purchased");

    terminal = tix(["cancel", ticket]);
    await terminal.waitFor(/Refund 45\.00 USD/);
    terminal.type("y\r");
    expect(await terminal.exited).toBe(0);
    expect(json(["ticket", "show", ticket]).ticket.status).toBe("cancelled");
  });

  it("the guided purchase confirms the amount and card; --yes and a piped stdin ask nothing", async () => {
    runTix(["event", "create", "--id", "evt_a", "--name", "A", "--capacity", "5", "--price", "45"], home.path);
    const ticket = json(["reserve", "evt_a"]).ticket.id as string;
    terminal = tix(["purchase"]);
    await terminal.waitFor(/Which ticket\?/);
    terminal.type("\r");
    await terminal.waitFor(new RegExp(`Pay 45\\.00 USD for ticket ${ticket} with the card ending 4242\\? \\(y/N\\)`));
    terminal.type("y\r");
    expect(await terminal.exited).toBe(0);
    expect(json(["ticket", "show", ticket]).ticket.status).toBe("purchased");

    terminal = tix(["cancel", ticket, "--yes"]);
    expect(await terminal.exited).toBe(0);
    expect(terminal.text()).not.toContain("Refund");
    const again = json(["reserve", "evt_a"]).ticket.id as string;
    runTix(["purchase", again], home.path);
    // stdin not a terminal (a script): nothing is asked, the refund goes ahead.
    expect(runTix(["cancel", again], home.path, { env: { TIX_NO_INPUT: undefined } }).code).toBe(0);
  });
});
