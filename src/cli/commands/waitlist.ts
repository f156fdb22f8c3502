import { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { addListOptions, listWindow, type ListFlags } from "../output/list-window.js";

export function waitlistCommand(ctx: CommandContext): Command {
  const waitlist = new Command("waitlist").description("wait for a place: when one is released, the first waiting user gets a hold")
    .addHelpText("after", `
Examples:
  $ tix waitlist join evt_rock_night_2025
  $ tix waitlist show evt_rock_night_2025
  $ tix waitlist leave evt_rock_night_2025`);

  waitlist
    .command("join")
    .description("join an event's waiting list (a free place is held for you at once)")
    .argument("<eventId>", "the event")
    .option("--tier <name>", "which tier to wait for (the event's only tier by default)")
    .option("--code <code>", "the access code of a tier that requires one")
    .addHelpText("after", `
Examples:
  $ tix waitlist join evt_rock_night_2025
  $ tix waitlist join evt_gala --tier VIP`)
    .action(ctx.action((line, eventId: string, flags: { tier?: string; code?: string }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const outcome = await tix.waitlist.join({ eventId, userId: globals.user, tier: flags.tier, code: flags.code });
        const message = outcome.ticket
          ? `✓ A place was free: ticket ${outcome.ticket.id} is held for you`
          : outcome.joined ? `✓ You are number ${outcome.entry.position} in line` : `You were already waiting: number ${outcome.entry.position} in line`;
        return { type: "waitlist-join", outcome, message };
      })));

  waitlist
    .command("leave")
    .description("leave an event's waiting list")
    .argument("<eventId>", "the event")
    .addHelpText("after", `
Examples:
  $ tix waitlist leave evt_rock_night_2025`)
    .action(ctx.action((line, eventId: string, _flags: object, command: Command) =>
      line.perform(command, async (tix, globals) => {
        await tix.waitlist.leave({ eventId, userId: globals.user });
        return { type: "done", message: `✓ Left the waiting list of ${eventId}`, data: { eventId, userId: globals.user } };
      })));

  addListOptions(waitlist
    .command("show")
    .description("who is waiting for an event, first in line first"))
    .argument("<eventId>", "the event")
    .addHelpText("after", `
Examples:
  $ tix waitlist show evt_rock_night_2025`)
    .action(ctx.action((line, eventId: string, flags: ListFlags, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const { items, total } = listWindow(await tix.waitlist.show(eventId), flags, globals.mode);
        return { type: "waitlist", eventId, entries: items, total };
      })));

  return waitlist;
}
