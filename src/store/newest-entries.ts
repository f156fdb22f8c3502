/**
 * The newest `latest` of entries read oldest first (all of them without `latest`): for the reads
 * that cannot limit in SQL, a ticket's entries, found through its event and then filtered.
 */
export function newestOf<T>(entries: T[], latest: number | undefined): T[] {
  return latest === undefined || entries.length <= latest ? entries : entries.slice(entries.length - latest);
}
