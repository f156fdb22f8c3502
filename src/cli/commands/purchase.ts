import { Command } from "commander";
import type { CliContext } from "../context.js";

export function purchaseCommand(ctx: CliContext): Command {
  return new Command("purchase")
    .description("pay for a held ticket (simulated card payment)")
    .argument("<ticketId>", "a ticket you hold")
    .option("--card <number>", "card number; test cards: 4242424242424242 succeeds (default), 4000000000000002 is declined")
    .addHelpText("after", `
Examples:
  $ tix purchase tkt_8n2k4m6p9q1r3s5t
  $ tix purchase tkt_8n2k4m6p9q1r3s5t --card "4242 4242 4242 4242"`)
    .action((ticketId: string, flags: { card?: string }, command: Command) =>
      ctx.perform(command, async (tix, globals) => {
        const ticket = await tix.tickets.purchase({ ticketId, userId: globals.user, card: flags.card });
        return { type: "ticket", ticket, message: `✓ Purchased ticket ${ticket.id} with the card ending ${ticket.cardLast4}` };
      }));
}
