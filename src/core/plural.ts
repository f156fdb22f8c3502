/**
 * The one place a count chooses its word: messages and output never write "1 tickets" or
 * "ticket(s)". English only needs one and other; `plural` defaults to the singular and an "s".
 */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return count === 1 ? singular : pluralForm;
}

/** A count and its word: `counted(1, "ticket")` is "1 ticket", `counted(3, "ticket")` "3 tickets". */
export function counted(count: number, singular: string, pluralForm?: string): string {
  return `${count} ${plural(count, singular, pluralForm)}`;
}
