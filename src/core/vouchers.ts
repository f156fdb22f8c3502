import { logChange } from "./audit.js";
import { parseCode } from "./codes.js";
import { TixError, eventNotFound, invalidArgument } from "./errors.js";
import type { Decision, EventRecord, TicketRecord, VoucherRecord } from "./model.js";
import { amountText, formatAmount, parseAmount } from "./money.js";
import { parseEndTimeValue, toIso, toIsoOrNull } from "./time.js";
import { given, numberShown } from "./text.js";
import { wholeNumberGiven } from "./text-input.js";
import { parseTierName, resolveTier } from "./tiers.js";
import { counted } from "./plural.js";

export const MAX_VOUCHER_USES = 1_000_000;

/** A voucher as a person or a program gives it; validated by `parseVoucherInput`. */
export interface VoucherFields {
  eventId: string;
  code: string;
  /** Percent off each ticket, 1–100; or `amount`, never both. */
  percent?: number | string | undefined;
  /** An amount off each ticket in the event's currency, as text (`"5.00"`) or a number taken as written (`5`). */
  amount?: string | number | undefined;
  maxUses?: number | string | undefined;
  /** The first instant it is no longer accepted; a bare date (`"2027-04-01"`) means through that whole day (UTC, or the offset given). */
  validUntil?: string | Date | number | undefined;
  tier?: string | undefined;
}

/** A validated voucher request; the amount stays decimal text until the event's currency is known. */
export interface CreateVoucherRequest {
  eventId: string;
  code: string;
  /** An amount's `shown`: how a refusal shows it (numberShown: the number a call passed), left out for text. */
  discount: { kind: "percent"; percent: number } | { kind: "amount"; amount: string; shown?: string };
  maxUses: number | null;
  validUntil: number | null;
  tier: string | null;
  actor: string;
}

export function parseVoucherInput(fields: VoucherFields, actor: string): CreateVoucherRequest {
  const code = parseCode(fields.code, "code");
  // Named as the library's request spells them; the CLI and tix serve check first, naming their own flags and fields.
  if (fields.percent === undefined && fields.amount === undefined) {
    throw invalidArgument("percent", "is required, or amount: the discount off each ticket, a percent (1 to 100) or an amount");
  }
  if (fields.percent !== undefined && fields.amount !== undefined) throw invalidArgument("amount", "given with percent; give one of them");
  const discount = fields.percent !== undefined
    ? { kind: "percent" as const, percent: wholeNumber(fields.percent, "percent", 1, 100) }
    : { kind: "amount" as const, amount: checkedAmount(fields.amount!), ...shownAs(numberShown(fields.amount)) };
  const validUntil = fields.validUntil === undefined ? null : parseEndTimeValue(fields.validUntil, "validUntil");
  return {
    eventId: fields.eventId,
    code,
    discount,
    maxUses: fields.maxUses === undefined ? null : wholeNumber(fields.maxUses, "maxUses", 1, MAX_VOUCHER_USES),
    validUntil,
    tier: fields.tier === undefined ? null : parseTierName(fields.tier),
    actor,
  };
}

/** A new voucher for an event; a code the event already has is refused (vouchers are never silently changed). */
export function decideCreateVoucher(
  snapshot: { event: EventRecord | undefined; existing: VoucherRecord | undefined },
  request: CreateVoucherRequest,
  now: number,
): Decision<VoucherRecord> {
  const { event } = snapshot;
  if (!event) throw eventNotFound(request.eventId);
  if (snapshot.existing) throw invalidArgument("code", `event ${event.id} already has a voucher ${request.code}`);
  // Stored as the event spells it (`--tier vip` of tier VIP), so the voucher applies to its tickets.
  const tier = request.tier === null ? null : resolveTier(event, request.tier).name;
  // A voucher that could never be used is a mistake to say, not one to store (as Stripe's redeem_by).
  if (request.validUntil !== null && request.validUntil <= now) throw invalidArgument("validUntil", `${toIso(request.validUntil)} has already passed`);
  const voucher: VoucherRecord = {
    eventId: event.id,
    code: request.code,
    kind: request.discount.kind,
    value: request.discount.kind === "percent" ? request.discount.percent : parseAmount(request.discount.amount, event.currency, "amount", request.discount.shown),
    maxUses: request.maxUses,
    uses: 0,
    validUntil: request.validUntil,
    tier,
    createdAt: now,
  };
  if (voucher.value === 0) throw invalidArgument("amount", "a voucher must take something off");
  return {
    changes: [
      { type: "saveVoucher", voucher },
      logChange("voucher.created", now, request.actor, { eventId: event.id }, {
        code: voucher.code, kind: voucher.kind, value: voucher.value, maxUses: voucher.maxUses, validUntil: toIsoOrNull(voucher.validUntil), tier: voucher.tier,
      }),
    ],
    result: voucher,
  };
}

/** What the voucher takes off one ticket of `priceMinor`: never more than the price (a ticket never costs less than zero). */
export function discountFor(voucher: VoucherRecord, priceMinor: number): number {
  const off = voucher.kind === "percent" ? Math.round((priceMinor * voucher.value) / 100) : voucher.value;
  return Math.min(off, priceMinor);
}

/**
 * The voucher applied to the tickets a purchase pays for: each one discounted and marked with
 * the code, and the voucher's uses counted (one per ticket). Refused — changing nothing — when the
 * event has no such voucher, it has expired, it is for another tier, or too few uses are left.
 */
export function redeemVoucher(
  voucher: VoucherRecord | undefined,
  code: string,
  event: EventRecord,
  tickets: readonly TicketRecord[],
  now: number,
): { tickets: TicketRecord[]; voucher: VoucherRecord } {
  if (!voucher) throw new TixError("VOUCHER_INVALID", `event ${event.id} has no voucher ${code}`);
  if (voucher.validUntil !== null && now >= voucher.validUntil) {
    throw new TixError("VOUCHER_INVALID", `voucher ${voucher.code} expired at ${toIso(voucher.validUntil)}`);
  }
  const otherTier = voucher.tier === null ? undefined : tickets.find((ticket) => ticket.tier !== voucher.tier);
  if (otherTier) throw new TixError("VOUCHER_INVALID", `voucher ${voucher.code} is only for tier ${voucher.tier}, not ${otherTier.tier}`);
  if (voucher.maxUses !== null && voucher.uses + tickets.length > voucher.maxUses) {
    const left = voucher.maxUses - voucher.uses;
    const detail = tickets.length > 1 && left > 0 ? `; ${counted(left, "use is", "uses are")} left for ${counted(tickets.length, "ticket")}` : "";
    throw new TixError("VOUCHER_USED_UP", `voucher ${voucher.code} has been used ${voucher.uses} of ${counted(voucher.maxUses, "time")}${detail}`);
  }
  return {
    tickets: tickets.map((ticket) => {
      const discountMinor = discountFor(voucher, ticket.priceMinor);
      return { ...ticket, priceMinor: ticket.priceMinor - discountMinor, discountMinor, voucher: voucher.code };
    }),
    voucher: { ...voucher, uses: voucher.uses + tickets.length },
  };
}

/** The contract's JSON shape of a voucher. */
export interface VoucherView {
  eventId: string;
  code: string;
  /** `"20%"`, or an amount in the event's currency (`"5.00"`). */
  discount: string;
  percent: number | null;
  amount: string | null;
  amountMinor: number | null;
  maxUses: number | null;
  uses: number;
  validUntil: string | null;
  tier: string | null;
  createdAt: string;
}

export function toVoucherView(voucher: VoucherRecord, currency: string): VoucherView {
  const amount = voucher.kind === "amount" ? formatAmount(voucher.value, currency) : null;
  return {
    eventId: voucher.eventId,
    code: voucher.code,
    discount: amount ?? `${voucher.value}%`,
    percent: voucher.kind === "percent" ? voucher.value : null,
    amount,
    amountMinor: voucher.kind === "amount" ? voucher.value : null,
    maxUses: voucher.maxUses,
    uses: voucher.uses,
    validUntil: voucher.validUntil === null ? null : toIso(voucher.validUntil),
    tier: voucher.tier,
    createdAt: toIso(voucher.createdAt),
  };
}

function wholeNumber(value: number | string, field: string, min: number, max: number): number {
  const number = wholeNumberGiven(value, 9);
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw invalidArgument(field, `must be a whole number from ${min} to ${max}, got ${given(value)}`);
  }
  return number;
}

/** The amount's shape checked now (in two-decimal form); priced in the event's currency when it is known. */
function checkedAmount(value: string | number): string {
  const text = amountText(value, "amount", "5.00");
  if (!/^\s*\d{1,12}(\.\d+)?\s*$/.test(text)) {
    throw invalidArgument("amount", `${given(value)} is not an amount such as 5.00`);
  }
  return text.trim();
}

function shownAs(shown: string | undefined): { shown?: string } {
  return shown === undefined ? {} : { shown };
}
