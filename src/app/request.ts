import { invalidArgument, quote } from "../core/index.js";

/**
 * A library call's request: one object of named fields. TypeScript checks that at compile time;
 * a JavaScript caller's `reserve()` or `reserve("evt_…")` gets INVALID_ARGUMENT naming the
 * method and its fields, not a TypeError from reading a property of undefined.
 */
export function requestObject<T>(request: T, method: string, fields: string): NonNullable<T> {
  if (typeof request === "object" && request !== null && !Array.isArray(request)) return request;
  throw invalidArgument("request", `${method} takes one object of named fields, such as ${fields}; got ${described(request)}`);
}

/** An optional filter or request: left out, undefined or null means none. */
export function optionalRequest<T extends object>(request: T | null | undefined, method: string, fields: string): Partial<T> {
  return request === undefined || request === null ? {} : requestObject(request, method, fields);
}

export function described(value: unknown): string {
  if (value === undefined || value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text ${quote(value)}`;
  return `the ${typeof value} ${String(value).slice(0, 20)}`;
}
