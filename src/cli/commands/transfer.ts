import { Command } from "commander";
import type { CommandContext } from "../command-context.js";

export function transferCommand(ctx: CommandContext): Command {
  return new Command("transfer")
    .description("give a purchased ticket (not checked in), or every purchased ticket of an order, to another user")
    .argument("<ticketId>", "a ticket of yours, or an order id (ord_…)")
    .requiredOption("--to <user>", "who receives it")
    .addHelpText("after", `
The tickets become the recipient's, as a new order of theirs: they can cancel
it or be checked in with it (checkin --holder), and you no longer can; a seat
goes with its ticket. Each call moves them once; the log keeps each move.
Tickets that bring the recipient to the event's per-user limit also take
them off its waiting list (said on stderr; "leftWaitlist" in --json).

Examples:
  $ tix transfer tkt_8n2k4m6p9q1r3s5t --to bob
  $ tix transfer ord_8n2k4m6p9q1r3s5t --to bob   # the order's purchased tickets`)
    .action(ctx.action((line, ticketId: string, flags: { to: string }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const { ticket, tickets, orderId, from, leftWaitlist } = await tix.tickets.transfer({ ticketId, userId: globals.user, to: flags.to });
        const what = tickets.length > 1 ? `${tickets.length} tickets` : `ticket ${ticket.id}`;
        const to = ticket.userId;
        return {
          type: "ticket", ticket, order: { orderId, tickets }, transfer: { from, to, leftWaitlist },
          message: `✓ Transferred ${what} from ${from} to ${to} (now order ${orderId})`,
          // Said wherever the output goes (stderr): the recipient lost a place in line.
          warnings: leftWaitlist ? [`note: ${to} reached the per-user limit of event ${ticket.eventId} and left its waiting list`] : [],
        };
      })));
}
