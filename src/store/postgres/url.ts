/** `postgres://` and `postgresql://` URLs name a PostgreSQL store. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
