import { Command } from "commander";
import type { CliContext } from "../context.js";
import { relativeTime } from "../output/text.js";
import { valueOrAsk } from "../prompts/guided.js";
import { pickEvent } from "../prompts/pickers.js";

export function reserveCommand(ctx: CliContext): Command {
  return new Command("reserve")
    .description("hold one ticket for the event's hold time; safe to retry with the same --key")
    .argument("[eventId]", "the event (on a terminal, left out: pick one from a list)")
    .option("--key <key>", "idempotency key: retrying with it never makes a second ticket (generated when omitted)")
    .addHelpText("after", `
Examples:
  $ tix reserve evt_rock_night_2025 --key order-1001
  $ tix reserve evt_rock_night_2025 --key order-1001   # a retry: the same ticket, "replayed"
  $ tix reserve                                        # on a terminal: pick the event from a list
  $ ticket=$(tix reserve evt_jazz_evening --json | jq -r .ticket.id)`)
    .action((given: string | undefined, flags: { key?: string }, command: Command) =>
      ctx.perform(command, async (tix, globals) => {
        const eventId = await valueOrAsk(given, globals, { field: "event id", usage: "tix reserve EVENT_ID" },
          () => pickEvent(tix, ctx.prompter));
        const { ticket, replayed, key } = await tix.tickets.reserve({ eventId, userId: globals.user, key: flags.key });
        const message = replayed
          ? `↺ Key ${key} already reserved ticket ${ticket.id}; nothing new was created`
          : `✓ Reserved ticket ${ticket.id}; the hold expires ${relativeTime(ticket.expiresAt, ctx.clock.now())}`;
        return { type: "ticket", ticket, reservation: { key, replayed }, message };
      }));
}
