import { Command } from "commander";
import { parseTicketStatus } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { addListOptions, listWindow, type ListFlags } from "../output/list-window.js";

export function ticketCommand(ctx: CommandContext): Command {
  const ticket = new Command("ticket").description("list and inspect tickets");

  addListOptions(ticket
    .command("list")
    .description("your tickets (everyone's with --all-users), oldest first"))
    .option("--event <id>", "only this event's tickets")
    .option("--status <status>", "only tickets in this status: reserved, purchased, cancelled, expired")
    .option("--all-users", "every user's tickets, not just yours")
    .addHelpText("after", `
Examples:
  $ tix ticket list
  $ tix ticket list --event evt_rock_night_2025 --status purchased --all-users`)
    .action(ctx.action((line, flags: ListFlags & { event?: string; status?: string; allUsers?: boolean }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const tickets = await tix.tickets.list({
          userId: flags.allUsers ? undefined : globals.user,
          eventId: flags.event,
          status: flags.status === undefined ? undefined : parseTicketStatus(flags.status),
        });
        const { items, total } = listWindow(tickets, flags, globals.mode);
        return { type: "tickets", tickets: items, total };
      })));

  ticket
    .command("show")
    .description("one of your tickets (anyone's with --all-users)")
    .argument("<ticketId>", "the ticket")
    .option("--all-users", "show it even when it is another user's")
    .addHelpText("after", `
Examples:
  $ tix ticket show tkt_8n2k4m6p9q1r3s5t
  $ tix ticket show tkt_8n2k4m6p9q1r3s5t --all-users   # at the box office: anyone's ticket`)
    .action(ctx.action((line, ticketId: string, flags: { allUsers?: boolean }, command: Command) =>
      line.perform(command, async (tix, globals) => ({
        type: "ticket",
        ticket: await tix.tickets.get(ticketId, flags.allUsers ? undefined : globals.user),
      }))));

  return ticket;
}
