import { isTixError, type ErrorCode } from "../core/index.js";

/** The contract's exit codes: the one place where error codes become process exit codes. */
export const EXIT_CODES: Readonly<Record<ErrorCode, number>> = {
  INTERNAL: 1,
  INVALID_ARGUMENT: 2,
  EVENT_NOT_FOUND: 3,
  TICKET_NOT_FOUND: 3,
  NOT_WAITING: 3,
  SEAT_MAP_NOT_FOUND: 3,
  SOLD_OUT: 4,
  SEAT_TAKEN: 4,
  DUPLICATE_RESERVATION: 4,
  IDEMPOTENCY_KEY_REUSED: 4,
  ALREADY_PURCHASED: 4,
  ALREADY_CANCELLED: 4,
  CAPACITY_BELOW_COMMITTED: 4,
  LIMIT_EXCEEDED: 4,
  ALREADY_CHECKED_IN: 4,
  TICKET_NOT_PURCHASED: 4,
  SALES_CLOSED: 4,
  VOUCHER_INVALID: 4,
  VOUCHER_USED_UP: 4,
  HOLD_EXPIRED: 5,
  PAYMENT_DECLINED: 6,
  NOT_TICKET_OWNER: 7,
  ACCESS_CODE_INVALID: 7,
  STORE_UNAVAILABLE: 8,
  STORE_CLOSED: 8,
};

export const EXIT_SUCCESS = 0;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;
/** The reader of the output went away (`| head -1`): 128 + SIGPIPE, as a shell reports a command that signal ended. */
export const EXIT_OUTPUT_CLOSED = 141;

export function exitCodeFor(error: unknown): number {
  return isTixError(error) ? EXIT_CODES[error.code] : EXIT_CODES.INTERNAL;
}
