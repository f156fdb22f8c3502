import { Command } from "commander";
import type { CommandContext } from "../command-context.js";

export function cancelCommand(ctx: CommandContext): Command {
  return new Command("cancel")
    .description("release a held ticket, or cancel and refund a purchased one; the place goes back on sale")
    .argument("<ticketId>", "a ticket of yours, or an order id (ord_…) to cancel all its tickets")
    .addHelpText("after", `
Examples:
  $ tix cancel tkt_8n2k4m6p9q1r3s5t`)
    .action((ticketId: string, _flags: object, command: Command) =>
      ctx.perform(command, async (tix, globals) => {
        const { ticket, tickets, orderId } = await tix.tickets.cancel({ ticketId, userId: globals.user });
        const refunded = tickets.filter((one) => one.status === "cancelled" && one.purchasedAt !== null);
        const refund = refunded.length > 0 ? ` and refunded ${refunded.length > 1 ? `${refunded.length} tickets` : `${ticket.price} ${ticket.currency}`}` : "";
        const what = tickets.length > 1 ? `${tickets.length} tickets (order ${orderId})` : `ticket ${ticket.id}`;
        return { type: "ticket", ticket, order: { orderId, tickets }, message: `✓ Cancelled ${what}${refund}; the places go to waiting users or back on sale` };
      }));
}
