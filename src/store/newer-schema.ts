import { TixError } from "../core/index.js";

/**
 * A store a newer tix upgraded while this process had it open (a `tix serve` left running): its
 * statements and rules are of the schema it opened, so it stops before writing anything. One
 * wording for SQLite and PostgreSQL.
 */
export function newerSchemaWhileOpen(store: string, found: number, own: number): TixError {
  return new TixError(
    "STORE_UNAVAILABLE",
    `${store} was upgraded to schema version ${found} by a newer tix while this one (schema ${own}) had it open; nothing was written: stop this process and run the newer tix`,
  );
}
