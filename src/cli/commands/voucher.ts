import { Command } from "commander";
import { invalidArgument } from "../../core/index.js";
import type { CommandContext } from "../command-context.js";
import { addListOptions, listWindow, type ListFlags } from "../output/list-window.js";

interface VoucherFlags {
  event: string;
  code: string;
  percent?: string;
  amount?: string;
  maxUses?: string;
  validUntil?: string;
  tier?: string;
}

export function voucherCommand(ctx: CommandContext): Command {
  const voucher = new Command("voucher").description("discount codes of an event, redeemed with purchase --voucher")
    .addHelpText("after", `
Examples:
  $ tix voucher create --event evt_jazz_evening --code SPRING --percent 20
  $ tix voucher list --event evt_jazz_evening
  $ tix purchase tkt_8n2k4m6p9q1r3s5t --voucher spring`);

  voucher
    .command("create")
    .description("a voucher: a percent or an amount off each ticket, for a number of uses, until a time, for a tier")
    .requiredOption("--event <id>", "the event it discounts")
    .requiredOption("--code <code>", "what buyers type: letters A-Z, digits, '-', '_' (any case)")
    .option("--percent <n>", "percent off each ticket, 1 to 100")
    .option("--amount <amount>", "an amount off each ticket, in the event's currency (a ticket never costs below zero)")
    .option("--max-uses <n>", "how many tickets it may discount in all (default: no limit); a refund gives a use back")
    .option("--valid-until <iso>", "when it stops being accepted, ISO-8601; a bare date (2027-06-01) is through that whole day, UTC (default: as long as the event sells)")
    .option("--tier <name>", "only for this tier (default: any)")
    .addHelpText("after", `
Examples:
  $ tix voucher create --event evt_jazz_evening --code SPRING --percent 20 \\
      --max-uses 100
  $ tix voucher create --event evt_gala --code CREW5 --amount 5.00 --tier GA \\
      --valid-until 2027-06-01`)
    .action(ctx.action((line, flags: VoucherFlags, command: Command) => {
      // The discount is one of two flags: said in their names, before the store is opened (the library words it in its fields').
      if (flags.percent === undefined && flags.amount === undefined) throw invalidArgument("percent", "give --percent N (1 to 100) or --amount A, the discount off each ticket");
      if (flags.percent !== undefined && flags.amount !== undefined) throw invalidArgument("amount", "give --percent N or --amount A, not both");
      return line.perform(command, async (tix, globals) => {
        const created = await tix.vouchers.create({
          eventId: flags.event, code: flags.code, percent: flags.percent, amount: flags.amount, maxUses: flags.maxUses,
          validUntil: flags.validUntil, tier: flags.tier, actor: globals.user,
        });
        return { type: "voucher", voucher: created, message: `✓ Created voucher ${created.code} for ${created.eventId}: ${created.discount} off` };
      });
    }));

  addListOptions(voucher
    .command("list")
    .description("vouchers with their uses (every event's, or one's)"))
    .option("--event <id>", "only this event's")
    .addHelpText("after", `
Examples:
  $ tix voucher list --event evt_jazz_evening`)
    .action(ctx.action((line, flags: { event?: string } & ListFlags, command: Command) =>
      line.perform(command, async (tix, globals) => {
        const { items, total } = listWindow(await tix.vouchers.list({ eventId: flags.event }), flags, globals.mode);
        return { type: "vouchers", vouchers: items, total };
      })));

  return voucher;
}
