import { Command } from "commander";
import { formatAmount, isOrderId, type TicketView } from "../../core/index.js";
import type { Tix } from "../../app/open-tix.js";
import type { CommandContext, LineContext } from "../command-context.js";
import type { Globals } from "../globals.js";
import { confirmOrStop } from "../prompts/confirm.js";
import { valueOrAsk } from "../prompts/guided.js";
import { pickCancellableTicket } from "../prompts/pickers.js";

export function cancelCommand(ctx: CommandContext): Command {
  return new Command("cancel")
    .description("release a held ticket, or cancel and refund a purchased one; the place goes back on sale")
    .argument("[ticketId]", "a ticket of yours, or an order id (ord_…) to cancel all its tickets; on a terminal, left out: pick one")
    .option("-y, --yes", "refund without asking to confirm")
    .addHelpText("after", `
On a terminal, a refund asks to confirm the amount and card first (--yes skips that).

Examples:
  $ tix cancel tkt_8n2k4m6p9q1r3s5t
  $ tix cancel tkt_8n2k4m6p9q1r3s5t --yes     # refund without asking
  $ tix cancel                               # on a terminal: pick one of your tickets`)
    .action(ctx.action((line, given: string | undefined, flags: { yes?: boolean }, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const ticketId = await valueOrAsk(given, globals, { field: "ticket id", usage: "tix cancel TICKET_ID", pick: true },
          async () => (await pickCancellableTicket(tix, globals.user, line.f.prompterFor(globals.style), line.f.clock.now(), globals.style.marks)).id);
        await confirmRefund(tix, globals, ticketId, flags.yes, line);
        const { ticket, tickets, orderId } = await tix.tickets.cancel({ ticketId, userId: globals.user });
        return { type: "ticket", ticket, order: { orderId, tickets }, message: cancelledMessage(tickets, orderId) };
      })));
}

/**
 * What the cancel did, said of the tickets it cancelled: an order's answer holds every ticket of
 * the order, also those cancelled before and those checked in, which a cancel leaves as they are.
 * The tickets cancelled now are those with the latest cancellation time (one transaction, one time).
 */
export function cancelledMessage(tickets: readonly TicketView[], orderId: string): string {
  const latest = tickets.reduce<string | null>((last, one) => (one.cancelledAt !== null && (last === null || one.cancelledAt > last) ? one.cancelledAt : last), null);
  const cancelled = tickets.filter((one) => one.status === "cancelled" && one.cancelledAt === latest);
  const refunded = cancelled.filter((one) => one.purchasedAt !== null);
  const first = refunded[0];
  const refund = first === undefined ? ""
    : ` and refunded ${formatAmount(refunded.reduce((sum, one) => sum + one.priceMinor, 0), first.currency)} ${first.currency}${refunded.length > 1 ? ` for ${refunded.length} tickets` : ""}`;
  const what = tickets.length === 1 ? `ticket ${tickets[0]!.id}`
    : cancelled.length === tickets.length ? `${tickets.length} tickets (order ${orderId})`
      : cancelled.length === 1 ? `ticket ${cancelled[0]!.id} of order ${orderId}`
        : `${cancelled.length} of the ${tickets.length} tickets of order ${orderId}`;
  const checkedIn = tickets.filter((one) => one.status === "purchased" && one.checkedInAt !== null).map((one) => one.id);
  const kept = checkedIn.length === 0 ? "" : `; ${checkedIn.join(", ")} ${checkedIn.length === 1 ? "was" : "were"} checked in and ${checkedIn.length === 1 ? "stays" : "stay"} purchased`;
  return `✓ Cancelled ${what}${refund}${kept}; the places go to waiting users or back on sale`;
}

/** Money goes back to a card: on a terminal, say how much and to which card, and ask first. */
async function confirmRefund(tix: Tix, globals: Globals, ticketId: string, yes: boolean | undefined, line: LineContext): Promise<void> {
  if (yes === true || !globals.canPrompt) return;
  const targets = isOrderId(ticketId)
    ? (await tix.tickets.list({ userId: globals.user })).filter((ticket) => ticket.orderId === ticketId)
    : [await tix.tickets.get(ticketId, globals.user)];
  const refunds = targets.filter((ticket) => ticket.status === "purchased" && ticket.checkedInAt === null);
  if (refunds.length === 0) return;
  await confirmOrStop(globals, yes, line.f.prompterFor(globals.style), `Refund ${describeRefund(refunds)}?`, "Nothing was cancelled or refunded.");
}

function describeRefund(tickets: readonly TicketView[]): string {
  const first = tickets[0]!;
  const total = formatAmount(tickets.reduce((sum, ticket) => sum + ticket.priceMinor, 0), first.currency);
  const what = tickets.length === 1 ? `ticket ${first.id}` : `${tickets.length} tickets`;
  const cards = [...new Set(tickets.map((ticket) => ticket.cardLast4))].join(", ");
  return `${total} ${first.currency} for ${what} to the card ending ${cards}`;
}
