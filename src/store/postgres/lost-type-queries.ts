import { movedOrGone } from "./errors.js";

/**
 * postgres 3.4.9 runs a query of array types as the first statement of every new connection and
 * drops its promise (connection.js: ReadyForQuery → `return fetchArrayTypes()`; porsager/postgres
 * #1192, #1205, #1223, open). When that connection is lost, terminated or cancelled during the
 * query, its rejection is unhandled and Node ends the process — a CLI mid-command, or `tix serve`
 * with every request in flight. What tix waits for on that connection fails on its own promise
 * and is handled there, so this rejection tells nothing new: it is dropped. Any other unhandled
 * rejection still ends the process, as Node does by default.
 */
let installed = false;

export function dropLostTypeQueries(): void {
  if (installed) return;
  installed = true;
  process.on("unhandledRejection", (reason) => {
    if (isTypeQueryFailure(reason)) return;
    throw reason;
  });
}

/** The library's own type query failing, or any failure of a connection that went away. */
function isTypeQueryFailure(reason: unknown): boolean {
  const query = (reason as { query?: unknown } | null)?.query;
  return (typeof query === "string" && query.includes("pg_catalog.pg_type") && query.includes("typarray")) || movedOrGone(reason);
}
