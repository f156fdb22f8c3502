/** `postgres://` and `postgresql://` URLs name a PostgreSQL store. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

// Written once, in the core, for every place that names a store (the REPL's banner too).
export { redactUrl, urlSecrets } from "../../core/index.js";
