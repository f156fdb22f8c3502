/**
 * The colour switches of one command line, as they are parsed: the line's own `--no-color` wins
 * over its `--color` whatever their order (commander keeps the last given, the guide says
 * `--no-color` wins), and a line's switch overrides the session's own, which is parsed first.
 * One rule for commander's parse (LineContext), the error printer (errorOutputOf) and the fast
 * reader of plain reserve lines (readPlainReserve).
 */
export class ColorSwitches {
  /** The line itself gave --no-color. */
  private noColor = false;

  /** `sessionGaveOne`: the first switch parsed is a session's own global option. */
  constructor(private sessionGaveOne: boolean) {}

  /** The colour left once `--color` (true) or `--no-color` (false) has been parsed. */
  given(value: boolean): boolean {
    if (this.sessionGaveOne) {
      this.sessionGaveOne = false;
      return value;
    }
    if (!value) this.noColor = true;
    return value && !this.noColor;
  }
}
