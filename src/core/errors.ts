import { shorten } from "./text.js";

/** Every error code of the contract. Codes are the stable interface; messages may change. */
export const ERROR_CODES = [
  "INTERNAL",
  "INVALID_ARGUMENT",
  "EVENT_NOT_FOUND",
  "TICKET_NOT_FOUND",
  "SOLD_OUT",
  "SEAT_TAKEN",
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
  "SEAT_MAP_NOT_FOUND",
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
  /**
   * The input field at fault, for INVALID_ARGUMENT, named as the domain names it (`capacity`,
   * `startsAt`, `tiers`): each face (CLI, HTTP, import) may show it as its own input is called.
   */
  readonly field: string | undefined;
  /** The message without its `field: ` prefix. */
  readonly detail: string;
  /** Further lines a person may read after the message (each invalid row of an import). */
  readonly details: readonly string[];
  /**
   * The message names what is at fault itself (`tier "VIP": its price …`): no face labels it with
   * its field (see invalidArgumentNamed).
   */
  readonly selfNamed: boolean;
  /** The store may or may not have committed the change (its connection was lost at COMMIT): a retry with the same key tells. */
  readonly inDoubt: boolean;

  constructor(code: ErrorCode, message: string, options: { field?: string | undefined; cause?: unknown; detail?: string; details?: readonly string[]; selfNamed?: boolean; inDoubt?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "TixError";
    this.code = code;
    this.field = options.field;
    this.detail = options.detail ?? message;
    this.details = options.details ?? [];
    this.selfNamed = options.selfNamed ?? false;
    this.inDoubt = options.inDoubt ?? false;
  }

  toJSON(): { code: ErrorCode; message: string } {
    return { code: this.code, message: this.message };
  }
}

export function invalidArgument(field: string, message: string): TixError {
  return new TixError("INVALID_ARGUMENT", `${field}: ${message}`, { field, detail: message });
}

/**
 * INVALID_ARGUMENT whose message starts by naming what is at fault (`tier "VIP": its price …`,
 * `tier "VIP" is given twice`): shown as it is on every face (library, CLI, HTTP, import), without
 * the `field: ` label a face would put in front (`tier "VIP": …` said it twice). `field`
 * still says which input it is.
 */
export function invalidArgumentNamed(field: string, message: string): TixError {
  return new TixError("INVALID_ARGUMENT", message, { field, detail: message, selfNamed: true });
}

/** The same INVALID_ARGUMENT (field, label or none) with another detail. */
export function withDetail(error: TixError & { field: string }, detail: string): TixError {
  return error.selfNamed ? invalidArgumentNamed(error.field, detail) : invalidArgument(error.field, detail);
}

/**
 * The same error with its field shown as `name` (a flag, a file's column, a JSON property); one
 * whose message names what is at fault itself stays as it is.
 */
export function renameField(error: TixError, name: string): TixError {
  if (error.field === undefined || error.code !== "INVALID_ARGUMENT" || error.selfNamed) return error;
  return new TixError(error.code, `${name}: ${error.detail}`, { field: error.field, detail: error.detail, details: error.details, cause: error.cause });
}

export function isTixError(value: unknown): value is TixError {
  return value instanceof TixError;
}

export function eventNotFound(id: string): TixError {
  return new TixError("EVENT_NOT_FOUND", `no event with id ${shorten(id)}`);
}

/** The event exists but has no seat map (general admission): the map asked for is not there. */
export function seatMapNotFound(id: string): TixError {
  return new TixError("SEAT_MAP_NOT_FOUND", `${shorten(id)} is a general-admission event: it has no seat map`);
}
