/** A result rendered for a human or a pipe: what goes where. */
export interface Rendered {
  /** Data: goes to stdout. A long list comes in pieces (as it is read), so that it is never one huge string. */
  stdout: string | Iterable<string> | AsyncIterable<string>;
  /** Chatter (a success line, "no tickets"): goes to stderr, and only on a terminal. */
  note?: string | undefined;
  /** Things a person must not miss (a skipped import row, a `note:`): go to stderr in every mode, --json too. */
  warnings?: string[] | undefined;
  /** More data, written piece by piece after `stdout` (an import's rows): never one huge string. */
  more?: Iterable<string> | undefined;
}
