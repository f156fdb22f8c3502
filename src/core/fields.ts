import { invalidArgument } from "./errors.js";

/**
 * INVALID_ARGUMENT for the first field of `given` that is not one of `fields` (one left undefined
 * is let be): a misspelt field — `idempotencyKey` for `key`, a tier's `salesStrat` — is refused,
 * where ignoring it would make a retry reserve twice or open a tier's sales at once.
 */
export function onlyKnownFields(given: object, what: string, fields: readonly string[]): void {
  // for…in over own fields: no array made per call (this runs on every reserve).
  for (const name in given) {
    if (Object.hasOwn(given, name) && (given as Record<string, unknown>)[name] !== undefined && !fields.includes(name)) {
      throw invalidArgument(name, `not a field of ${what}; its fields are ${fields.join(", ")}`);
    }
  }
}
