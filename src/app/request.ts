import { described, invalidArgument, onlyKnownFields } from "../core/index.js";

export { described, onlyKnownFields };

/**
 * A library call's request: one object of named fields, each one the method knows. TypeScript
 * checks that at compile time; a JavaScript caller's `reserve()` or `reserve("evt_…")` gets
 * INVALID_ARGUMENT naming the method and its fields, not a TypeError from reading a property of
 * undefined — and a misspelt field (`idempotencyKey` for `key`, `event` for `eventId`) is refused,
 * where ignoring it would make a retry reserve twice or a filter list everyone's tickets.
 */
export function requestObject<T>(request: T, method: string, example: string, fields: readonly string[]): NonNullable<T> {
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    throw invalidArgument("request", `${method} takes one object of named fields, such as ${example}; got ${described(request)}`);
  }
  onlyKnownFields(request, method, fields);
  return request;
}

/** An optional filter or request: left out, undefined or null means none. */
export function optionalRequest<T extends object>(request: T | null | undefined, method: string, example: string, fields: readonly string[]): Partial<T> {
  return request === undefined || request === null ? {} : requestObject(request, method, example, fields);
}

/**
 * Every field name of the request type T, for requestObject: the compiler refuses a list that
 * misses one (`{ missing: … }` names it) or names one T does not have.
 */
export function fieldsOf<T>() {
  return <const N extends ReadonlyArray<keyof T & string>>(...names: N & AllNamed<T, N>): readonly string[] => names;
}

type AllNamed<T, N extends ReadonlyArray<string>> = [Exclude<keyof T & string, N[number]>] extends [never] ? unknown : { missing: Exclude<keyof T & string, N[number]> };

