import { Command } from "commander";
import type { CliContext } from "../context.js";

export function cancelCommand(ctx: CliContext): Command {
  return new Command("cancel")
    .description("release a held ticket, or cancel and refund a purchased one; the place goes back on sale")
    .argument("<ticketId>", "a ticket of yours")
    .addHelpText("after", `
Examples:
  $ tix cancel tkt_8n2k4m6p9q1r3s5t`)
    .action((ticketId: string, _flags: object, command: Command) =>
      ctx.perform(command, async (tix, globals) => {
        const ticket = await tix.tickets.cancel({ ticketId, userId: globals.user });
        const refund = ticket.purchasedAt !== null ? ` and refunded ${ticket.price} ${ticket.currency}` : "";
        return { type: "ticket", ticket, message: `✓ Cancelled ticket ${ticket.id}${refund}; the place is back on sale` };
      }));
}
