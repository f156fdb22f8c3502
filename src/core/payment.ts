import { invalidArgument } from "./errors.js";
import { requireText } from "./text-input.js";

/** The card used when none is given: the processors' universal "succeeds" test card. */
export const DEFAULT_TEST_CARD = "4242424242424242";

/** Test cards that a real processor would decline, as Stripe documents them. */
const DECLINING_TEST_CARDS: ReadonlyMap<string, string> = new Map([
  ["4000000000000002", "card declined"],
  ["4000000000009995", "insufficient funds"],
  ["4000000000009987", "card reported lost"],
  ["4000000000009979", "card reported stolen"],
  ["4000000000000069", "card expired"],
]);

export type PaymentOutcome =
  | { approved: true; cardLast4: string }
  | { approved: false; cardLast4: string; reason: string };

/** Spaces and dashes are allowed for readability; what remains must be 12–19 digits passing Luhn. */
export function normaliseCardNumber(text: string): string {
  requireText(text, "card", DEFAULT_TEST_CARD);
  const digits = text.replace(/[\s-]/g, "");
  if (!/^\d{12,19}$/.test(digits)) {
    throw invalidArgument("card", "must be 12 to 19 digits (spaces and dashes allowed)");
  }
  if (!passesLuhn(digits)) {
    throw invalidArgument("card", `the number ending ${digits.slice(-4)} fails the Luhn check; try the test card ${DEFAULT_TEST_CARD}`);
  }
  return digits;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * The simulated processor: a pure function of the card, so a purchase can be decided inside one
 * store transaction. Only the last four digits ever leave this function.
 */
export function authorise(cardNumber: string): PaymentOutcome {
  const cardLast4 = cardNumber.slice(-4);
  const declineReason = DECLINING_TEST_CARDS.get(cardNumber);
  return declineReason === undefined
    ? { approved: true, cardLast4 }
    : { approved: false, cardLast4, reason: declineReason };
}
