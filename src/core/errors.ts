/** Every error code of the contract. Codes are the stable interface; messages may change. */
export const ERROR_CODES = [
  "INTERNAL",
  "INVALID_ARGUMENT",
  "EVENT_NOT_FOUND",
  "TICKET_NOT_FOUND",
  "SOLD_OUT",
  "DUPLICATE_RESERVATION",
  "IDEMPOTENCY_KEY_REUSED",
  "ALREADY_PURCHASED",
  "ALREADY_CANCELLED",
  "CAPACITY_BELOW_COMMITTED",
  "HOLD_EXPIRED",
  "PAYMENT_DECLINED",
  "NOT_TICKET_OWNER",
  "LIMIT_EXCEEDED",
  "ALREADY_CHECKED_IN",
  "TICKET_NOT_PURCHASED",
  "NOT_WAITING",
  "SALES_CLOSED",
  "ACCESS_CODE_INVALID",
  "VOUCHER_INVALID",
  "VOUCHER_USED_UP",
  "STORE_UNAVAILABLE",
  "STORE_CLOSED",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A failure the user can act on. Callers branch on `code`, never on the class or message:
 * codes survive serialisation (JSON, HTTP, worker threads) where `instanceof` does not.
 */
export class TixError extends Error {
  readonly code: ErrorCode;
  /** The input field at fault, for INVALID_ARGUMENT. */
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TixError";
    this.code = code;
    this.field = options.field;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function invalidArgument(field: string, message: string): TixError {
  return new TixError("INVALID_ARGUMENT", `${field}: ${message}`, { field });
}

export function isTixError(value: unknown): value is TixError {
  return value instanceof TixError;
}

export function eventNotFound(id: string): TixError {
  return new TixError("EVENT_NOT_FOUND", `no event with id ${id}`);
}
