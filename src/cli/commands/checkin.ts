import { Command } from "commander";
import type { CommandContext } from "../command-context.js";

export function checkinCommand(ctx: CommandContext): Command {
  return new Command("checkin")
    .description("mark a purchased ticket used at the door, once")
    .argument("<ticketId>", "the ticket scanned")
    .option("--holder <user>", "who presents it: refused (NOT_TICKET_OWNER) unless the ticket is theirs, e.g. after a transfer")
    .addHelpText("after", `
Examples:
  $ tix checkin tkt_8n2k4m6p9q1r3s5t
  $ tix checkin tkt_8n2k4m6p9q1r3s5t   # again: ALREADY_CHECKED_IN, exit 4
  $ tix checkin tkt_8n2k4m6p9q1r3s5t --holder bob`)
    .action(ctx.action((line, ticketId: string, flags: { holder?: string }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const ticket = await tix.tickets.checkIn({ ticketId, actor: globals.user, holder: flags.holder });
        return { type: "ticket", ticket, message: `✓ Checked in ticket ${ticket.id} (${ticket.tier})` };
      })));
}
