import { Command } from "commander";
import { parseLookupId, parseTicketStatus, type TicketView } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { addListOptions, closedOnFailure, listLimit, listPages, type ListFlags } from "../output/list-window.js";

export function ticketCommand(ctx: CommandContext): Command {
  const ticket = new Command("ticket").description("list and inspect tickets")
    .addHelpText("after", `
Examples:
  $ tix ticket list --status reserved
  $ tix ticket show tkt_8n2k4m6p9q1r3s5t`);

  addListOptions(ticket
    .command("list")
    .description("your tickets (everyone's with --all-users), oldest first"))
    .option("--event <id>", "only this event's tickets")
    .option("--status <status>", "only tickets in this status: reserved, purchased, cancelled, expired (any case)")
    .option("--all-users", "every user's tickets, not just yours")
    .addHelpText("after", `
Examples:
  $ tix ticket list
  $ tix ticket list --event evt_rock_night_2025 --status purchased --all-users`)
    .action(ctx.action((line, flags: ListFlags & { event?: string; status?: string; allUsers?: boolean }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const query = {
          userId: flags.allUsers ? undefined : globals.user,
          // Named as the flag (the library names its field, eventId).
          eventId: flags.event === undefined ? undefined : parseLookupId(flags.event, "event"),
          status: flags.status === undefined ? undefined : parseTicketStatus(flags.status),
        };
        if (globals.mode !== "tty") {
          // A script's list is read and printed a page at a time: `| head -1` reads one page, not every ticket.
          // Every page from one snapshot: a ticket cancelled meanwhile is not seen on one page and missed on the next.
          const limit = listLimit(flags, globals.mode);
          const view = await tix.snapshot();
          const { first, more, rest } = await listPages<TicketView, string>(async (request) => {
            const { tickets, next } = await view.tickets.page({ ...query, ...request });
            return { items: tickets, next };
          }, limit, view);
          // Whether the list has a seat column is known before its first line: asked of the store when pages follow.
          const seated = first.some((ticket) => ticket.seat !== null) || (more && (await closedOnFailure(view, view.tickets.anySeated({ ...query, limit }))));
          return { type: "tickets", tickets: first, pages: rest, seated };
        }
        // A person's list: only the rows shown are read, and the rest counted, however many tickets there are.
        return { type: "tickets", ...(await tix.tickets.first({ ...query, limit: listLimit(flags, globals.mode) })), everyone: flags.allUsers === true };
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
