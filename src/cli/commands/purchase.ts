import { Command } from "commander";
import { DEFAULT_TEST_CARD, normaliseCardNumber } from "../../core/index.js";
import { paidNow } from "../output/ticket-view.js";
import type { CommandContext } from "../command-context.js";
import { confirmOrStop } from "../prompts/confirm.js";
import { valueOrAsk } from "../prompts/guided.js";
import { pickHeldTicket } from "../prompts/pickers.js";

export function purchaseCommand(ctx: CommandContext): Command {
  return new Command("purchase")
    .description("pay for a held ticket, or every held ticket of an order (simulated card payment)")
    .argument("[ticketId]", "a ticket you hold, or an order id (ord_…); on a terminal, left out: pick one of your holds")
    .option("--card <number>", "card number; test cards: 4242424242424242 succeeds (default), 4000000000000002 is declined")
    .option("--key <key>", "idempotency key: the same purchase again with it is answered as before, never charged twice")
    .option("--voucher <code>", "a voucher of the event: each ticket is charged its discounted price")
    .option("-y, --yes", "pay a ticket picked from the list without asking to confirm")
    .addHelpText("after", `
Examples:
  $ tix purchase tkt_8n2k4m6p9q1r3s5t
  $ tix purchase tkt_8n2k4m6p9q1r3s5t --card "4242 4242 4242 4242"
  $ tix purchase ord_8n2k4m6p9q1r3s5t                 # every ticket of the order at once
  $ tix purchase tkt_8n2k4m6p9q1r3s5t --key pay-1001  # safe to retry: a replay charges nothing
  $ tix purchase ord_8n2k4m6p9q1r3s5t --voucher SPRING
  $ tix purchase                            # on a terminal: pick one of your held tickets, confirm the amount`)
    .action(ctx.action((line, given: string | undefined, flags: { card?: string; key?: string; voucher?: string; yes?: boolean }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const ticketId = await valueOrAsk(given, globals, { field: "ticket id", usage: "tix purchase TICKET_ID", pick: true }, async () => {
          // Picked from a list, the amount and card were never typed: show them before paying.
          const picked = await pickHeldTicket(tix, globals.user, line.f.prompterFor(globals.style), line.f.clock.now(), globals.style.marks);
          const last4 = normaliseCardNumber(flags.card ?? DEFAULT_TEST_CARD).slice(-4);
          const less = flags.voucher === undefined ? "" : `, less voucher ${flags.voucher},`;
          await confirmOrStop(globals, flags.yes, line.f.prompterFor(globals.style), `Pay ${picked.price} ${picked.currency}${less} for ticket ${picked.id} with the card ending ${last4}?`,
            "Nothing was charged.");
          return picked.id;
        });
        const { ticket, tickets, orderId, replayed, key } = await tix.tickets.purchase({
          ticketId, userId: globals.user, card: flags.card, key: flags.key, voucher: flags.voucher,
        });
        // An order's answer holds all its tickets: the message speaks of those this purchase paid for.
        const paid = paidNow(tickets);
        const bought = paid[0] ?? ticket;
        const what = tickets.length === 1 ? `ticket ${ticket.id}`
          : paid.length === tickets.length ? `${tickets.length} tickets (order ${orderId})`
            : paid.length === 1 ? `ticket ${bought.id} of order ${orderId}`
              : `${paid.length} of the ${tickets.length} tickets of order ${orderId}`;
        const discounted = bought.voucher === null ? "" : ` (voucher ${bought.voucher}: ${bought.discount} ${bought.currency} off${paid.length > 1 ? " each" : ""})`;
        const message = replayed
          ? `✓ Already purchased ${what} with key ${key}: nothing was charged again`
          : `✓ Purchased ${what} with the card ending ${bought.cardLast4}${discounted}`;
        // On a terminal the answer names the event and its date.
        const event = globals.mode === "tty" ? await tix.events.get(ticket.eventId) : undefined;
        return {
          type: "ticket", ticket, order: { orderId, tickets }, message, action: "purchase",
          ...(key === undefined ? {} : { reservation: { key, replayed } }), ...(event ? { event } : {}),
        };
      })));
}
