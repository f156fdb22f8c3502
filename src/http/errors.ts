import { TixError, renameField, type ErrorCode } from "../core/index.js";
import { BODY_FIELD_NAMES } from "./shapes.js";

/** Failures only the HTTP face has; the engine's failures keep the contract's codes. */
export type HttpOnlyCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "IDEMPOTENCY_KEY_IN_USE"
  | "ROUTE_NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "EXPECTATION_FAILED"
  | "REQUEST_TIMEOUT"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "HEADERS_TOO_LARGE"
  | "NOT_IMPLEMENTED"
  | "HTTP_VERSION_NOT_SUPPORTED";

export type HttpErrorCode = ErrorCode | HttpOnlyCode;

/** The one place where an error code becomes an HTTP status. */
export const HTTP_STATUS: Readonly<Record<HttpErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_DECLINED: 402,
  NOT_TICKET_OWNER: 403,
  ACCESS_CODE_INVALID: 403,
  FORBIDDEN: 403,
  EVENT_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  NOT_WAITING: 404,
  SEAT_MAP_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  SOLD_OUT: 409,
  SEAT_TAKEN: 409,
  DUPLICATE_RESERVATION: 409,
  ALREADY_PURCHASED: 409,
  ALREADY_CANCELLED: 409,
  CAPACITY_BELOW_COMMITTED: 409,
  LIMIT_EXCEEDED: 409,
  ALREADY_CHECKED_IN: 409,
  TICKET_NOT_PURCHASED: 409,
  SALES_CLOSED: 409,
  VOUCHER_USED_UP: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  HOLD_EXPIRED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  EXPECTATION_FAILED: 417,
  IDEMPOTENCY_KEY_REUSED: 422,
  VOUCHER_INVALID: 422,
  HEADERS_TOO_LARGE: 431,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  HTTP_VERSION_NOT_SUPPORTED: 505,
  STORE_UNAVAILABLE: 503,
  STORE_CLOSED: 503,
};

/** An HTTP-only failure, with the headers its status calls for (WWW-Authenticate, Allow, Retry-After). */
export class HttpError extends Error {
  constructor(
    readonly code: HttpOnlyCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The seed's clients read the top-level `Message`; tix's read `Error.Code`. Both are there. */
export type ErrorBody = {
  Status: "Error";
  Message: string;
  Error: { Code: HttpErrorCode; Message: string };
};

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

export function errorBody(code: HttpErrorCode, message: string): ErrorBody {
  return { Status: "Error", Message: message, Error: { Code: code, Message: message } };
}

/** Any thrown value → status, headers and the `{"Status":"Error",…}` body. Internal details stay in the log. */
export function errorReply(error: unknown): ErrorReply {
  const { code, message, headers } =
    error instanceof HttpError ? { code: error.code, message: error.message, headers: { ...error.headers } }
    : error instanceof TixError ? { code: error.code, message: asSent(error).message, headers: {} as Record<string, string> }
    : { code: "INTERNAL" as const, message: "internal error (this is a bug in tix; the server log has details)", headers: {} as Record<string, string> };
  // Only failures that change nothing and may pass are worth an automatic retry.
  if (code === "STORE_UNAVAILABLE" || code === "IDEMPOTENCY_KEY_IN_USE") headers["Retry-After"] ??= "1";
  return { status: HTTP_STATUS[code], headers, body: errorBody(code, message) };
}

/** An engine error naming its field as the request spelled it. */
function asSent(error: TixError): TixError {
  const name = error.field === undefined ? undefined : BODY_FIELD_NAMES[error.field];
  return name === undefined ? error : renameField(error, name);
}
