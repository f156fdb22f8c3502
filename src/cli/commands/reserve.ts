import { Command } from "commander";
import type { CommandContext } from "../command-context.js";
import { relativeTime } from "../output/text.js";
import { valueOrAsk } from "../prompts/guided.js";
import { pickEvent } from "../prompts/pickers.js";

export function reserveCommand(ctx: CommandContext): Command {
  return new Command("reserve")
    .description("hold tickets (one by default) for the event's hold time; safe to retry with the same --key")
    .argument("[eventId]", "the event (on a terminal, left out: pick one from a list)")
    .option("--key <key>", "idempotency key: retrying with it never makes a second ticket (generated when omitted)")
    .option("--tier <name>", "which tier (the event's only tier by default)")
    .option("--quantity <n>", "how many tickets to hold together, as one order (all or none)", "1")
    .option("--code <code>", "the access code of a tier that requires one (a presale)")
    .addHelpText("after", `
Examples:
  $ tix reserve evt_rock_night_2025 --key order-1001
  $ tix reserve evt_rock_night_2025 --key order-1001   # a retry: the same ticket, "replayed"
  $ tix reserve                                        # on a terminal: pick the event from a list
  $ ticket=$(tix reserve evt_jazz_evening --json | jq -r .ticket.id)
  $ tix reserve evt_gala --tier VIP --quantity 4 --key party-of-4
  $ tix reserve evt_tour --tier Presale --code FANS`)
    .action((given: string | undefined, flags: { key?: string; tier?: string; quantity: string; code?: string }, command: Command) =>
      ctx.perform(command, async (tix, globals) => {
        const eventId = await valueOrAsk(given, globals, { field: "event id", usage: "tix reserve EVENT_ID" },
          () => pickEvent(tix, ctx.f.prompter));
        const outcome = await tix.tickets.reserve({ eventId, userId: globals.user, key: flags.key, tier: flags.tier, quantity: flags.quantity, code: flags.code });
        const { ticket, tickets, orderId, replayed, key } = outcome;
        const what = tickets.length > 1 ? `${tickets.length} tickets (order ${orderId})` : `ticket ${ticket.id}`;
        const message = replayed
          ? `↺ Key ${key} already reserved ${what}; nothing new was created`
          : `✓ Reserved ${what}; the hold expires ${relativeTime(ticket.expiresAt, ctx.f.clock.now())}`;
        // A replay answers what the key made, as it is now: a hold that has lapsed holds nothing.
        const warnings = replayed && ticket.status === "expired"
          ? [`warning: that hold expired at ${ticket.expiresAt}; reserve again with a new key`]
          : [];
        return { type: "ticket", ticket, order: { orderId, tickets }, reservation: { key, replayed }, message, warnings };
      }));
}
